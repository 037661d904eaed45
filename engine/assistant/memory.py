"""Explicit memory: facts the user states or confirms ("my EA is Jane", "the board meets first Tuesday").

Items live in the encrypted store (`memories`), are editable, and reach answers through the knowledge base:
each item is indexed as a `note` chunk, so retrieval injects it when it is relevant to a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.errors import EngineError
from engine.store import Store

_STATEMENT = re.compile(
    r"^\s*(?:please\s+)?(?:remember|note|keep in mind)(?:\s+that)?\s*[:,-]?\s*(?P<fact>.+?)\s*[.!]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
MAX_CHARS = 500


@dataclass(frozen=True, slots=True)
class MemoryItem:
    id: int
    text: str


def stated_fact(message: str) -> str | None:
    """The fact in "remember (that) X" / "note: X" / "keep in mind X", else None (a normal question)."""
    match = _STATEMENT.match(message)
    if not match or message.rstrip().endswith("?"):
        return None
    fact = match.group("fact").strip()
    return fact[0].upper() + fact[1:] if fact else None


class MemoryService:
    """Add, edit, remove and list memory items. Thread-safe through the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def remember(self, text: str, *, source: str = "user") -> int:
        return self.store.memories.add(self._clean(text), source)

    def update(self, memory_id: int, text: str) -> None:
        self._known(memory_id)
        self.store.memories.update(memory_id, self._clean(text))

    def forget(self, memory_id: int) -> None:
        self._known(memory_id)
        self.store.memories.delete(memory_id)

    def items(self) -> list[MemoryItem]:
        return [MemoryItem(mid, text) for mid, text in self.store.memories.all()]

    def _known(self, memory_id: int) -> None:
        if memory_id not in {mid for mid, _ in self.store.memories.all()}:
            raise EngineError(f"There is no memory item #{memory_id}.", next_step="See `reflex-assistant memory list`.")

    @staticmethod
    def _clean(text: str) -> str:
        text = " ".join(text.split())
        if not text:
            raise EngineError("A memory item cannot be empty.", next_step="Say what Reflex should remember.")
        if len(text) > MAX_CHARS:
            raise EngineError(f"A memory item holds at most {MAX_CHARS} characters.",
                              next_step="Split it into shorter facts, or add a document instead.")
        return text
