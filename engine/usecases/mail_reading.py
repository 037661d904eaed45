"""A capable chat model reads recent mail in the background; every scan of the app merges what it read (#15 item 5).

Why a job of its own: a model takes seconds per mail, so reading two weeks of mail takes minutes and must never
hold a window, the store worker or a scan. The job reads on its one thread (asking through the runtime's queue,
like any other request) and keeps what each mail said in a `MailReader`; the app's scans (the briefing, the
Inbox's triage, the Insights pipeline) get `known` as their `model_reader`, which answers from what was read so
far and never asks the model. When a run has read something new, it re-runs triage, commitments and the pipeline
over the stores with those findings merged (the rules' own engines do the merging, so corrections and dismissals
hold as for the rules) and announces STORE_DID_CHANGE, so the page on screen reloads.

Whether the model is asked at all is decided per run by `asker()`: it returns the structured call when the loaded
chat model's measured tier allows (`model_may_read_mail`), else None and the run reads nothing (the bundled small
model is evidence-only, so by default the rules stand alone).

Threads: `request()`, `cancel()`, `close()` and `known()` from any thread; `request()` returns at once. A cancel
stops a run before its next mail (the mail being read finishes; what was read is kept, not merged until the next
run). Events carry counts, never content.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from datetime import datetime, timedelta, timezone

from engine.assistant.commitments import CommitmentLedger
from engine.assistant.model_reading import Ask, MailReader, MailReading, Verified, model_may_read_mail
from engine.assistant.signals import automated_reason
from engine.assistant.triage import TriageEngine
from engine.errors import EngineError
from engine.events import MODEL_DID_MEASURE, STORE_DID_CHANGE, SYNC_DID_FINISH, EventBus
from engine.insights.revenue import RevenueIntel
from engine.jobs.coalesced import CoalescedJob
from engine.llm.capability import Tier
from engine.llm.errors import GaveWay
from engine.store import Store
from models import Message

if TYPE_CHECKING:
    from engine.llm.service import LLMService

__all__ = ["BackgroundMailReading", "ReadingRun", "ask_when_capable", "kept_reader"]

log = logging.getLogger(__name__)

#: The most mails one run reads (newest first): a busy fortnight must not keep the model busy for an hour.
MAX_PER_RUN = 300
#: Tables a merge may change (the STORE_DID_CHANGE payload).
MERGED_TABLES = ["triage", "commitments", "opportunities"]


@dataclass(slots=True)
class ReadingRun:
    """What one run did: mails read by the model, items it quoted, whether it was cancelled or had no model."""

    read: int = 0
    found: int = 0
    cancelled: bool = False
    skipped: bool = False  # no capable model: nothing was asked
    recalled: int = 0  # readings with findings kept from an earlier app run, merged again (the rules ran since)


def ask_when_capable(tier: Callable[[], Tier], llm: Callable[[], "LLMService"]
                     ) -> Callable[[], Ask[MailReading] | None]:
    """The `asker` of a reading: the chat model's structured call when `tier()` (the loaded model's measured
    tier, looked up at each run: the user may switch models) allows it to read mail, else None."""
    def asker() -> Ask[MailReading] | None:
        if not model_may_read_mail(tier()):
            return None
        service = llm()
        return lambda prompt, schema: service.structured(prompt, schema, feature="mail_reading", yields=True)
    return asker


class BackgroundMailReading(CoalescedJob):
    """`asker()` is called on the worker thread at the start of each run (it may consult the capability book).
    `request`, `cancel`, `close`, `running` and `finished` are `CoalescedJob`'s."""

    def __init__(self, store: Store, asker: Callable[[], Ask[MailReading] | None], bus: EventBus, *,
                 days: int = 14, now: Callable[[], datetime] | None = None) -> None:
        super().__init__("reflex-mail-reading")
        self._store = store
        self._asker = asker
        self._bus = bus
        self._now = now or (lambda: datetime.now(timezone.utc))
        self.reader = MailReader(_never_asked, days=days, now=self._now, remember=_keeper(store))
        self._recalled = False
        self.last: ReadingRun | None = None

    def known(self, message: Message) -> Verified:
        """The model's verified findings in `message` so far; never asks (the scans' `model_reader`)."""
        return self.reader.known(message)

    def forget(self) -> None:
        """Drop what was read (the store was restored from a backup): the next run takes its readings back."""
        self.reader.forget()
        self._recalled = False

    def follow(self) -> Callable[[], None]:
        """Read again whenever there may be something new to read: a sync brought mail, rows were imported, or a
        chat model was measured (it may be the first capable one). Returns the unsubscribe call."""
        def wake(name: str, payload: dict[str, Any]) -> None:
            if name != STORE_DID_CHANGE or payload.get("tables") != MERGED_TABLES:  # not our own announcement
                self.request()
        stops = [self._bus.subscribe(name, wake) for name in (SYNC_DID_FINISH, STORE_DID_CHANGE, MODEL_DID_MEASURE)]

        def unfollow() -> None:
            for stop in stops:
                stop()
        return unfollow

    def _run_once(self, cancel: threading.Event) -> None:
        try:
            self.last = self.run_once(cancel)
        except EngineError as exc:
            log.warning("mail reading failed: %s", type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the worker silently; the rules stand
            log.error("mail reading crashed (%s)", type(exc).__name__)  # no traceback: it may quote mail

    def run_once(self, cancel: threading.Event) -> ReadingRun:
        """One run on the caller's thread: read the recent mail not read yet, then merge if anything was found."""
        since = (self._now() - timedelta(days=self.reader.days)).isoformat()
        run = ReadingRun(recalled=self._recall(since))
        ask = self._asker()
        if ask is None:
            run.skipped = True
        else:
            self.reader.ask = ask
            self._read(run, since, cancel)
        if (run.found or run.recalled) and not run.cancelled:
            self._merge(since)
            self._bus.emit(STORE_DID_CHANGE, tables=MERGED_TABLES)
        log.info("mail reading: %d recalled, %d read, %d items quoted%s", run.recalled, run.read, run.found,
                 " (cancelled)" if run.cancelled else "")
        return run

    def _recall(self, since: str) -> int:
        """Take back, once per app run, the readings kept in the store (a restart asks nothing it read before);
        how many of them found something."""
        if self._recalled:
            return 0
        self._recalled = True
        return _recall_into(self.reader, self._store, since)

    def _read(self, run: ReadingRun, since: str, cancel: threading.Event) -> None:
        """Ask the model about each recent mail not read yet, newest first, until done or cancelled."""
        for summary in self._store.messages.recent(limit=MAX_PER_RUN, since=since):
            if cancel.is_set():
                run.cancelled = True
                break
            message = self._store.messages.get(summary.id)
            if message is None or not self.reader.wants(message) or self.reader.has_read(message) \
                    or automated_reason(message):
                continue
            try:
                found = self.reader(message)
            except GaveWay:  # the user asked meanwhile: once, behind their request in the queue, read it again
                try:
                    found = self.reader(message)
                except GaveWay:
                    continue  # they keep asking: this mail waits for the next run
            run.read += 1
            run.found += found.items

    def _merge(self, since: str) -> None:
        """Re-run the rules' engines over the read fortnight with the findings as their `model_reader`."""
        TriageEngine(self._store, model_reader=self.known).run(since=since, limit=MAX_PER_RUN * 4)
        CommitmentLedger(self._store, model_reader=self.known).scan()
        RevenueIntel(self._store, model_reader=self.known).scan()


def kept_reader(store: Store, ask: Ask[MailReading], *, days: int = 14) -> MailReader:
    """A `MailReader` for one scan (the CLI's): what the store keeps (the app's readings, an earlier command's)
    is not asked again, and what it reads is kept."""
    reader = MailReader(ask, days=days, remember=_keeper(store))
    _recall_into(reader, store, (datetime.now(timezone.utc) - timedelta(days=days)).isoformat())
    return reader


def _keeper(store: Store) -> Callable[[tuple[int, str], Verified], None]:
    return lambda key, found: store.mail_readings.put(key[0], key[1], found.dump())


def _recall_into(reader: MailReader, store: Store, since: str) -> int:
    """Give `reader` the readings kept for mail sent since `since`; how many of them found something."""
    kept = {(mid, digest): Verified.load(text) for mid, digest, text in store.mail_readings.of_mail_since(since)}
    reader.recall(kept)
    return sum(1 for found in kept.values() if found.items)


def _never_asked(prompt: str, schema: type) -> MailReading:  # noqa: ARG001 - the reader's ask until a run sets one
    raise EngineError("no capable model to read mail")
