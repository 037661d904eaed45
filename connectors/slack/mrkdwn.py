"""Slack mrkdwn -> readable plain text. Pure functions, no I/O.

Slack message text is "mrkdwn": `<...>` control sequences for mentions, channels, links and dates,
`*bold*`, `_italic_`, `~strike~`, `` `code` `` / ``` fences, `>` quotes, and HTML-escaped `& < >`.
The knowledge base, triage and commitment extraction want what a reader sees, so mentions are resolved
to names through the callables the caller passes (the connector's user/channel directory), links keep
both label and URL, and formatting marks are dropped. Unknown sequences degrade to their label or id,
never raise: Slack adds new kinds over time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["mentioned_users", "mrkdwn_to_text"]

Resolve = Callable[[str], str]

_CONTROL = re.compile(r"<([^<>\n]*)>")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")
_FENCE = re.compile(r"```\n?(.*?)\n?```", re.S)
# A formatting mark only counts at word boundaries, like Slack's renderer (so 2*3*4 and snake_case stay).
_STYLES = [re.compile(rf"(?<![\w{m}])({m})(?=\S)(.+?)(?<=\S)\1(?![\w{m}])") for m in (r"\*", "_", "~")]
_CODE = re.compile(r"`([^`\n]+)`")
_QUOTE = re.compile(r"^(?:&gt;|>)\s?", re.M)
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def mentioned_users(text: str) -> list[str]:
    """User ids mentioned with `<@U...>`, in order, without repeats."""
    return list(dict.fromkeys(_MENTION.findall(text or "")))


def _control(body: str, user_name: Resolve, channel_name: Resolve) -> str:
    target, _, label = body.partition("|")
    if target.startswith("@"):
        return "@" + (user_name(target[1:]) or label or target[1:])
    if target.startswith("#"):
        return "#" + (channel_name(target[1:]) or label or target[1:])
    if target.startswith("!"):
        command = target[1:]
        if command.startswith("subteam^"):
            return label or "@group"
        if command.startswith("date^"):
            return label or ""
        return _SPECIAL.get(command, label or f"@{command}")
    if target.startswith("mailto:"):
        return label or target[len("mailto:"):]
    if label and label != target:
        return f"{label} ({target})"
    return target


def mrkdwn_to_text(text: str, *, user_name: Resolve = lambda uid: "",
                   channel_name: Resolve = lambda cid: "") -> str:
    """Plain text of a Slack message; `user_name(id)`/`channel_name(id)` return "" when unknown."""
    if not text:
        return ""
    blocks: list[str] = []

    def keep_fence(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f"\x00{len(blocks) - 1}\x00"

    out = _FENCE.sub(keep_fence, text)
    out = _QUOTE.sub("", out)
    out = _CODE.sub(r"\1", out)
    for style in _STYLES:
        out = style.sub(r"\2", out)
    out = _CONTROL.sub(lambda m: _control(m.group(1), user_name, channel_name), out)
    out = re.sub(r"\x00(\d+)\x00", lambda m: blocks[int(m.group(1))], out)
    # Entities last, so an escaped "&lt;@U1&gt;" stays literal text instead of becoming a mention.
    return out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
