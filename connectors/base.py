"""The one `Connector` protocol every provider implements, plus the pacing tools they share.

A connector turns a provider's change feed into `models/` objects. It is pure I/O + mapping: it never
writes SQL. The engine (`engine/jobs/`) calls `sync(stream, cursor)` repeatedly, stores each
`SyncBatch` together with `batch.new_cursor` in ONE store transaction, and stops when `batch.done`.
Because every batch carries the cursor that resumes right after it, a crash between batches loses
nothing and, since upserts are idempotent by provider id, duplicates nothing.

Cursors are opaque strings to the engine. Connectors build them with `encode_cursor` and read them
with `decode_cursor`, which returns None for a cursor written by an older `CURSOR_VERSION`: the
connector then starts a fresh full sync instead of misreading an old layout.

Pacing: `QuotaBudget` is a client-side token bucket (Gmail: 6,000 units/min/user, messages.get = 20)
so we slow ourselves down before the provider has to; `Retrier` retries `RateLimited`/`Unavailable`
with exponential backoff and full jitter, honouring the provider's Retry-After.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar, runtime_checkable

from connectors.errors import RateLimited, Unavailable
from models import Event, Message

__all__ = [
    "CURSOR_VERSION", "Connector", "LabelUpdate", "QuotaBudget", "Reconcile", "Retrier", "SyncBatch",
    "WantsAttachment", "decode_cursor", "encode_cursor",
]

#: Which attachments' bytes a mail connector brings along (by file name): the app passes the engine's
#: "is a document" test, so a connector never downloads images and never needs to know the engine's formats.
WantsAttachment = Callable[[str], bool]

#: Bump when any connector's cursor layout changes: older cursors then trigger a full resync.
CURSOR_VERSION = 1

T = TypeVar("T")


@dataclass(slots=True, frozen=True)
class LabelUpdate:
    """Labels/read state changed on a message we already have: no need to refetch its body."""

    provider_id: str
    labels: tuple[str, ...]
    is_read: bool


@dataclass(slots=True, frozen=True)
class Reconcile:
    """Set on the batch that completes a full listing: everything of `kind` ("mail" | "calendar") the
    provider has in [since, until) was in this full round, so local items in that range that the round
    did not return were deleted at the provider (e.g. during a history/delta gap) and can go."""

    kind: str
    since: datetime
    until: datetime | None = None


@dataclass(slots=True)
class SyncBatch:
    """One unit of progress on a stream; the engine commits it and `new_cursor` atomically.

    `full_sync` is True on batches of a full (re)sync, so the engine can show "initial sync" progress.
    `new_cursor` is None only when the connector wants the stored cursor cleared.
    `skipped` names items the connector could not read (hostile or broken mail), one "id: reason" each:
    the engine records them and the cursor still advances, so one bad item never stalls a stream.
    """

    messages: list[Message] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    deleted_messages: list[str] = field(default_factory=list)
    deleted_events: list[str] = field(default_factory=list)
    label_updates: list[LabelUpdate] = field(default_factory=list)
    new_cursor: str | None = None
    done: bool = True
    full_sync: bool = False
    reconcile: Reconcile | None = None
    skipped: list[str] = field(default_factory=list)
    # provider id -> (file name, bytes) of the attachments the connector was asked to bring (`WantsAttachment`);
    # the engine reads them as documents after the batch is committed. Never written to disk by a connector.
    attachment_files: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)

    @property
    def change_count(self) -> int:
        return (len(self.messages) + len(self.events)
                + len(self.deleted_messages) + len(self.deleted_events) + len(self.label_updates))


@runtime_checkable
class Connector(Protocol):
    """A provider account's change feed, split into named streams.

    Stream names: "gmail", "calendar:<calendarId>", "outlook:mail", "outlook:calendar".
    `sync` is called from one worker thread per account at a time; it may block (network, quota).

    Raises (connectors/errors.py): `AuthError` (reconnect needed, stop polling), `RateLimited`
    (retry after `retry_after` s), `CursorExpired` (only if the connector could not resync by itself;
    the engine then clears the cursor once), `Unavailable` (network/5xx after retries).
    """

    account: str

    def streams(self) -> list[str]:
        """The streams this account syncs, in the order the engine should run them."""
        ...

    def sync(self, stream: str, cursor: str | None) -> SyncBatch:
        """Fetch the next batch of changes after `cursor` (None = start a full sync)."""
        ...


def encode_cursor(state: dict[str, object]) -> str:
    """Serialize a connector's cursor state, stamped with `CURSOR_VERSION`."""
    return json.dumps({"v": CURSOR_VERSION, **state}, separators=(",", ":"), sort_keys=True)


def decode_cursor(cursor: str | None) -> dict[str, object] | None:
    """Return the cursor state, or None when absent, unreadable or from another `CURSOR_VERSION`."""
    if not cursor:
        return None
    try:
        state = json.loads(cursor)
    except ValueError:
        return None
    if not isinstance(state, dict) or state.get("v") != CURSOR_VERSION:
        return None
    state.pop("v")
    return state


class QuotaBudget:
    """Token bucket of provider quota units per minute, shared by all threads of one user.

    `spend(units)` blocks until the units are available (never longer than needed to refill), so a
    sync runs at the quota's pace instead of hitting 429s. `units_per_minute=None` disables pacing
    (fake servers, benchmarks). Thread-safe.
    """

    def __init__(self, units_per_minute: float | None, *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.units_per_minute = units_per_minute
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._available = float(units_per_minute or 0)
        self._stamp = clock()
        self.spent = 0  # total units, for diagnostics and tests

    def spend(self, units: int) -> None:
        with self._lock:
            self.spent += units
            if self.units_per_minute is None:
                return
            rate = self.units_per_minute / 60.0
            now = self._clock()
            self._available = min(float(self.units_per_minute),
                                  self._available + (now - self._stamp) * rate)
            self._stamp = now
            self._available -= units
            wait = -self._available / rate if self._available < 0 else 0.0
        if wait > 0:
            self._sleep(wait)


class Retrier:
    """Retries a call on `RateLimited` and `Unavailable` with exponential backoff and full jitter.

    The n-th retry waits `uniform(0, min(cap, base * 2**n))` seconds, or the provider's Retry-After when
    it gave one (plus a little jitter, so many clients do not return at the same instant). A
    Retry-After longer than `max_wait` is not slept through: the error propagates and the engine
    reschedules the job instead of holding a worker thread. Other errors propagate at once.
    """

    def __init__(self, *, attempts: int = 5, base: float = 0.5, cap: float = 30.0,
                 max_wait: float = 120.0, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.attempts = attempts
        self.base = base
        self.cap = cap
        self.max_wait = max_wait
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.retries = 0  # total retries performed, for diagnostics and tests

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `attempt` (0-based)."""
        if retry_after is not None:
            return retry_after + self._rng.uniform(0, min(1.0, self.base))
        return self._rng.uniform(0, min(self.cap, self.base * (2 ** attempt)))

    def call(self, fn: Callable[[], T]) -> T:
        for attempt in range(self.attempts):
            try:
                return fn()
            except (RateLimited, Unavailable) as err:
                retry_after = getattr(err, "retry_after", None)
                last = attempt == self.attempts - 1
                if last or (retry_after is not None and retry_after > self.max_wait):
                    raise
                self.retries += 1
                self._sleep(self.delay(attempt, retry_after))
        raise AssertionError("unreachable: the loop returns or raises")
