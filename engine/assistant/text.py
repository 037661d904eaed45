"""Small text helpers shared by the extractors: the new part of a mail body, sentences, quotes, tokens.

Pure functions, thread-safe. WHY a shared module: triage, commitments and revenue must read a message the
same way (new text only, never the quoted history, which would attribute someone else's words to the sender).
"""

from __future__ import annotations

import re
import unicodedata

from connectors.mime import split_body
from models import Message

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
_WORD = re.compile(r"[a-z0-9][a-z0-9'&-]*")
_SPACES = re.compile(r"\s+")

STOPWORDS = frozenset(
    "a an and are as at be been but by can could did do does for from had has have he her hi hello his how i if in "
    "into is it its just let me more my no not of on or our out please re fw fwd she so some than thanks that the "
    "their them then there these they this to up us was we were what when which who will with would you your "
    "yours i'll we'll i'm you're it's that's dear best regards".split()
)


def new_text(message: Message) -> str:
    """What the sender wrote in this message: no quoted history, no signature."""
    parts = split_body(message.body_text or "")
    return parts.new or (message.body_text or "").strip()


def signature(message: Message) -> str:
    return split_body(message.body_text or "").signature


def sentences(text: str) -> list[str]:
    """Sentences and bullet lines, whitespace-normalised, empty ones dropped."""
    pieces = _SENTENCE_END.split(text or "")
    out = []
    for piece in pieces:
        for line in piece.split("\n"):
            line = _SPACES.sub(" ", line).strip(" -*•\t")
            if line:
                out.append(line)
    return _join_wrapped(out)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped mail lines: a line that does not end a sentence continues on the next one."""
    out: list[str] = []
    for line in lines:
        if out and not re.search(r"[.!?:;)\]]$", out[-1]) and line[:1].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def quote(text: str, limit: int = 200) -> str:
    """A single-line excerpt of at most `limit` characters (evidence quotes)."""
    flat = _SPACES.sub(" ", text or "").strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def tokens(text: str) -> list[str]:
    """Lower-case word tokens without stopwords."""
    return [w for w in _WORD.findall((text or "").lower()) if w not in STOPWORDS and len(w) > 1]


def normalize_name(text: str) -> str:
    """"Harborview Logistics, Inc." and "harborview-logistics" both become "harborviewlogistics"."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()  # "Lumière" = "Lumiere"
    text = re.sub(r"\b(inc|llc|ltd|gmbh|llp|corp|co|plc|sa|ag)\b\.?", "", text.lower())
    return re.sub(r"[^a-z0-9]", "", text)


def first_name(name_or_email: str) -> str:
    value = (name_or_email or "").strip()
    if "@" in value:
        value = re.split(r"[._-]", value.split("@", 1)[0])[0]
    return value.split()[0].capitalize() if value else ""
