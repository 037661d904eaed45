"""Knowledge-base domain types: documents, the chunks they are split into, and what a search filter can test
about a chunk (`ChunkMeta`, `IndexFilter`: one meaning shared by the vector index and the store's keyword search)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable


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


_PERSON_TOKEN = re.compile(r"[\w.+'-]+@[\w.-]+|\w+", re.UNICODE)


def person_tokens(people: Iterable[str]) -> tuple[str, ...]:
    """Lower-cased name words and addresses: 'Dana Whitfield <dana@x.com>' -> dana, whitfield, dana@x.com."""
    out: dict[str, None] = {}
    for person in people:
        for token in _PERSON_TOKEN.findall(person.lower()):
            out[token] = None
    return tuple(out)


def epoch(when: datetime | None) -> float | None:
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()


@dataclass(frozen=True, slots=True)
class ChunkMeta:
    """What a filter can test about a chunk. `people` are `person_tokens`; `occurred_at` is epoch seconds."""

    source_type: str
    occurred_at: float | None = None
    thread_key: str = ""
    people: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexFilter:
    """Conjunction of optional conditions; an empty filter matches everything.

    `people`: every token must be among the chunk's person tokens (so "Dana" or "dana@x.com" select her
    chunks); `since`/`until` are inclusive/exclusive epoch seconds and exclude chunks without a time.
    """

    source_types: frozenset[str] = frozenset()
    people: tuple[str, ...] = ()
    since: float | None = None
    until: float | None = None
    thread_keys: frozenset[str] = frozenset()
    exclude_ids: frozenset[int] = field(default=frozenset())

    @property
    def is_empty(self) -> bool:
        return not (self.source_types or self.people or self.since is not None or self.until is not None
                    or self.thread_keys or self.exclude_ids)

    def matches(self, meta: ChunkMeta, chunk_id: int | None = None) -> bool:
        """The filter's meaning in plain Python: the reference the index masks and the SQL conditions must equal."""
        if self.source_types and meta.source_type not in self.source_types:
            return False
        if self.thread_keys and meta.thread_key not in self.thread_keys:
            return False
        if self.people and not set(self.people) <= set(meta.people):
            return False
        if self.since is not None and (meta.occurred_at is None or meta.occurred_at < self.since):
            return False
        if self.until is not None and (meta.occurred_at is None or meta.occurred_at >= self.until):
            return False
        return chunk_id is None or chunk_id not in self.exclude_ids
