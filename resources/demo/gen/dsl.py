"""A tiny vocabulary for writing demo threads: `T` (a thread) holds `M`s (messages)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class M:
    """One message. `at` is "MM-DD HH:MM" in America/Los_Angeles, 2026.

    prio/category default to the thread's; `reply` = this message needs a reply from Dana.
    fmt: "" (plain), "html" (multipart/alternative), "html-only", or a charset name for plain text
    ("windows-1252", "iso-8859-1"). `quote`: quote the previous message in the thread.
    """

    frm: str
    to: list[str]
    at: str
    body: str
    cc: list[str] = field(default_factory=list)
    prio: str = ""
    reply: bool = False
    fmt: str = ""
    attach: list[tuple[str, str, int]] = field(default_factory=list)
    quote: bool = True
    signoff: str | None = None
    mobile: bool = False
    subject: str = ""  # override (e.g. a forward)


@dataclass
class T:
    key: str
    subject: str
    category: str
    prio: str
    msgs: list[M]
    kind: str = "conversation"  # conversation | newsletter | notification
    client: str = "gmail"  # quoting style of replies: gmail | outlook
