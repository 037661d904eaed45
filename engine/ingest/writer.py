"""Batch writer for imported messages and events.

Items arrive from a generator (file importers, the demo loader); they are committed in batches so a cancelled or
killed import keeps every finished batch and a re-run upserts the same ids again (idempotent by provider id).
Failures are collected with their source and reason only: never the content.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable

from engine.store import Store
from models import Event, Message

BATCH = 200


@dataclass(slots=True)
class IngestReport:
    messages: int = 0
    events: int = 0
    meetings: int = 0
    documents: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, human reason)
    cancelled: bool = False

    @property
    def total(self) -> int:
        return self.messages + self.events + self.meetings + self.documents

    def merge(self, other: "IngestReport") -> None:
        self.messages += other.messages
        self.events += other.events
        self.meetings += other.meetings
        self.documents += other.documents
        self.failures += other.failures
        self.cancelled = self.cancelled or other.cancelled

    def summary(self) -> str:
        parts = [f"{n} {label}" for n, label in ((self.messages, "emails"), (self.events, "events"),
                                                 (self.meetings, "meetings"), (self.documents, "documents")) if n]
        text = "Imported " + (", ".join(parts) if parts else "nothing")
        if self.failures:
            text += f"; {len(self.failures)} could not be imported"
        return text + (" (cancelled)" if self.cancelled else "") + "."


def write_items(store: Store, items: Iterable[Message | Event | tuple[str, str]], *,
                on_item: Callable[[int], None] | None = None, cancel: threading.Event | None = None) -> IngestReport:
    """Upsert messages/events from `items`; a `(source, reason)` tuple records a failure and moves on.

    Threads: call from a worker; each batch is one store transaction.
    """
    report = IngestReport()
    messages: list[Message] = []
    events: list[Event] = []

    def flush() -> None:
        with store.transaction():
            if messages:
                store.messages.upsert(messages)
            if events:
                store.events.upsert(events)
        report.messages += len(messages)
        report.events += len(events)
        messages.clear()
        events.clear()

    seen = 0
    for item in items:
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        if isinstance(item, Message):
            messages.append(item)
        elif isinstance(item, Event):
            events.append(item)
        else:
            report.failures.append(item)
        seen += 1
        if len(messages) + len(events) >= BATCH:
            flush()
        if on_item is not None:
            on_item(seen)
    flush()
    return report
