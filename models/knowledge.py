"""Knowledge-base domain types: documents and the chunks they are split into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Document:
    """A user-added document; `text` is the extracted plain text."""

    title: str
    path: str
    kind: str  # pdf | docx | md | txt | html
    text: str
    content_hash: str = ""
    added_at: datetime | None = None
    id: int | None = None


@dataclass(slots=True)
class Chunk:
    """A retrievable span of a source with what citations and filters need."""

    source_type: str  # email | event | meeting | doc | note
    source_id: int
    text: str
    title: str = ""
    position: int = 0
    people: list[str] = field(default_factory=list)
    occurred_at: datetime | None = None
    locator: str = ""  # page number, transcript timestamp, etc.
    id: int | None = None
    thread_key: str = ""  # email thread key, "meeting:<id>", "doc:<id>": the thread/meeting filter
    content_hash: str = ""  # sha256 of title + text: unchanged chunks keep their embeddings
