"""Runs one account's connector streams into the store, one atomic batch at a time.

For every `SyncBatch` the coordinator writes the data AND the batch's cursor inside ONE
`store.transaction()`: a crash (even kill -9) between batches resumes from the last committed cursor,
and since upserts are idempotent by provider id nothing is duplicated or lost.

Error policy (the scheduler turns the outcome into the next run time):
- `CursorExpired`: the stored cursor is cleared and the stream restarts as a full sync, at most once
  per stream per run (bounded, never a loop). When a full listing runs start to end within one run,
  local items in its window that it did not return are deleted (`Reconcile`), so deletions made during
  a history/delta gap do not linger. A full listing resumed after a crash skips that step (logged).
- `AuthError`: the account goes to "reconnect_needed", `account_did_need_reauth` is emitted and the
  outcome says stop polling.
- `RateLimited` / `Unavailable` (already retried inside the connector): the error is recorded and the
  outcome carries `retry_after` / a failure the scheduler backs off from. Other accounts are unaffected.
- Any other exception (a connector or parser bug, hostile data): recorded on the account as status
  "error" (the scheduler backs off exponentially), never raised into the scheduler thread.
- Items a connector could not read (`SyncBatch.skipped`) are recorded in the run's job record and the
  cursor advances past them: one hostile mail never stalls an account.
- Attachment files a connector brought (`SyncBatch.attachment_files`) are read as documents right after
  their batch is committed, in this same worker thread (each in the limited child process of
  `engine.retrieval.isolated`); one that cannot be read is written on its message, never fails the run.

Threads: `run()` blocks; call it from a worker (APScheduler pool or CLI). One run per account at a time.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from connectors.base import CURSOR_VERSION, Connector, Reconcile, SyncBatch
from connectors.errors import AuthError, ConnectorError, CursorExpired, RateLimited, Unavailable
from engine.events import (ACCOUNT_DID_NEED_REAUTH, SYNC_DID_FAIL, SYNC_DID_FINISH, SYNC_DID_PROGRESS,
                           SYNC_DID_START, EventBus)
from engine.errors import StoreError
from engine.retrieval.documents import add_attachments
from engine.store import Store
from models import SyncCursor

__all__ = ["SyncCoordinator", "SyncOutcome"]

log = logging.getLogger(__name__)

RECONNECT_NEEDED = "reconnect_needed"
_MAX_SKIPPED_RECORDED = 100  # per run; the count is always recorded


@dataclass(slots=True)
class SyncOutcome:
    """What one run did. `status`: ok | cancelled | auth | rate_limited | unavailable | store | error."""

    account: str
    status: str = "ok"
    added: int = 0
    updated: int = 0
    deleted: int = 0
    batches: int = 0
    resyncs: list[str] = field(default_factory=list)
    error: str = ""
    retry_after: float | None = None
    offline: bool = False  # the provider could not be reached at all (see connectors.errors.Unavailable)
    skipped: list[str] = field(default_factory=list)  # "id: reason" of items that could not be read

    @property
    def stop_polling(self) -> bool:
        return self.status == "auth"


class SyncCoordinator:
    """Syncs every stream of one connector into `store`, publishing progress on `bus`."""

    def __init__(self, *, store: Store, connector: Connector, bus: EventBus,
                 max_batches_per_stream: int = 100_000) -> None:
        self.store = store
        self.connector = connector
        self.bus = bus
        self.max_batches_per_stream = max_batches_per_stream

    @property
    def account(self) -> str:
        return self.connector.account

    def run(self, *, cancel: threading.Event | None = None,
            on_progress: Callable[[float], None] | None = None) -> SyncOutcome:
        """Sync all streams; never raises connector errors (they become the outcome's status)."""
        outcome = SyncOutcome(self.account)
        self.bus.emit(SYNC_DID_START, account=self.account)
        streams = self.connector.streams()
        job = self.store.job_runs.start(f"sync:{self.account}")
        try:
            for index, stream in enumerate(streams):
                if cancel is not None and cancel.is_set():
                    outcome.status = "cancelled"
                    break
                self._run_stream(stream, outcome, cancel)
                fraction = (index + 1) / len(streams)
                if on_progress is not None:
                    on_progress(fraction)
                self.bus.emit(SYNC_DID_PROGRESS, account=self.account, fraction=fraction)
        except AuthError as err:
            self._fail(outcome, "auth", err)
            self.store.accounts.record_sync(self.account, error=outcome.error, state=RECONNECT_NEEDED)
            self.bus.emit(ACCOUNT_DID_NEED_REAUTH, account=self.account)
        except RateLimited as err:
            self._fail(outcome, "rate_limited", err)
            outcome.retry_after = err.retry_after
        except Unavailable as err:
            self._fail(outcome, "unavailable", err)
            outcome.offline = err.offline
        except StoreError as err:
            self._fail(outcome, "store", err)
            return self._finish(outcome, job, record=False)  # the store itself is the problem
        except ConnectorError as err:
            self._fail(outcome, "error", err)
        except Exception as err:  # noqa: BLE001 - an unexpected bug must be recorded and backed off, not loop
            self._fail(outcome, "error", err)
            frame = traceback.extract_tb(err.__traceback__)[-1:]
            where = f"{frame[0].filename}:{frame[0].lineno}" if frame else "?"
            outcome.error = (f"Sync stopped on an unexpected {type(err).__name__} (at {where}). "
                             "Reflex retries later; if it keeps happening, report it with `reflex-assistant doctor`.")
        if outcome.status != "auth":
            self.store.accounts.record_sync(self.account, error=outcome.error)
        return self._finish(outcome, job)

    def _finish(self, outcome: SyncOutcome, job: int, *, record: bool = True) -> SyncOutcome:
        if record:
            self.store.job_runs.finish(job, outcome.status, {
                "added": outcome.added, "updated": outcome.updated, "deleted": outcome.deleted,
                "batches": outcome.batches, "resyncs": outcome.resyncs,
                "skipped": outcome.skipped[:_MAX_SKIPPED_RECORDED], "skipped_count": len(outcome.skipped)})
        if outcome.status in ("ok", "cancelled"):
            self.bus.emit(SYNC_DID_FINISH, account=self.account, added=outcome.added,
                          updated=outcome.updated, deleted=outcome.deleted)
        else:
            self.bus.emit(SYNC_DID_FAIL, account=self.account, error=outcome.error)
        log.info("sync %s: %s, +%d ~%d -%d in %d batches", self.account, outcome.status,
                 outcome.added, outcome.updated, outcome.deleted, outcome.batches)
        return outcome

    @staticmethod
    def _fail(outcome: SyncOutcome, status: str, err: Exception) -> None:
        outcome.status = status
        step = getattr(err, "next_step", "")
        outcome.error = f"{err} {step}".strip()
        log.warning("sync %s failed: %s (%s)", outcome.account, status, type(err).__name__)

    def _run_stream(self, stream: str, outcome: SyncOutcome, cancel: threading.Event | None) -> None:
        stored = self.store.cursors.get(self.account, stream)
        cursor = stored.value if stored is not None and stored.version == CURSOR_VERSION else None
        resynced = False
        seen: set[str] | None = set() if cursor is None else None  # ids of a full round begun this run
        for _ in range(self.max_batches_per_stream):
            try:
                batch = self.connector.sync(stream, cursor)
            except CursorExpired:
                if resynced:
                    raise
                resynced = True
                outcome.resyncs.append(stream)
                log.info("sync %s/%s: cursor expired, one full resync", self.account, stream)
                self.store.cursors.clear(self.account, stream)
                cursor = None
                seen = set()
                continue
            if seen is not None:
                seen.update(m.provider_id for m in batch.messages)
                seen.update(e.provider_id for e in batch.events)
            stale = self._stale(batch.reconcile, seen) if batch.reconcile is not None else []
            if stale:
                if batch.reconcile.kind == "mail":
                    batch.deleted_messages.extend(stale)
                else:
                    batch.deleted_events.extend(stale)
            self._commit(stream, batch)
            self._read_attachments(batch)
            if batch.skipped:
                log.warning("sync %s/%s: %d unreadable items skipped", self.account, stream, len(batch.skipped))
                outcome.skipped.extend(batch.skipped)
            outcome.batches += 1
            outcome.added += len(batch.messages) + len(batch.events)
            outcome.updated += len(batch.label_updates)
            outcome.deleted += len(batch.deleted_messages) + len(batch.deleted_events)
            cursor = batch.new_cursor
            if batch.done or (cancel is not None and cancel.is_set()):
                return
        log.warning("sync %s/%s: stopped after %d batches", self.account, stream, self.max_batches_per_stream)

    def _stale(self, reconcile: Reconcile, seen: set[str] | None) -> list[str]:
        """Local ids in the reconcile window that the full round did not return."""
        if seen is None:
            log.info("sync %s: full listing resumed from an earlier run; reconcile skipped", self.account)
            return []
        repo = self.store.messages if reconcile.kind == "mail" else self.store.events
        local = repo.provider_ids(self.account, since=reconcile.since, until=reconcile.until)
        stale = [pid for pid in local if pid not in seen]
        if stale:
            log.info("sync %s: %d %s items gone during a sync gap", self.account, len(stale), reconcile.kind)
        return stale

    def _read_attachments(self, batch: SyncBatch) -> None:
        """After the commit, so the mail is in place whatever the attachments turn out to be."""
        for message in batch.messages:
            if files := batch.attachment_files.get(message.provider_id):
                add_attachments(self.store, message, files)

    def _commit(self, stream: str, batch: SyncBatch) -> None:
        """Data and cursor in ONE transaction: both land or neither does."""
        store = self.store
        with store.transaction():
            if batch.messages:
                store.messages.upsert(batch.messages)
            for update in batch.label_updates:
                store.messages.set_labels(self.account, update.provider_id, update.labels,
                                          is_read=update.is_read)
            if batch.deleted_messages:
                store.messages.delete_provider_ids(self.account, batch.deleted_messages)
            if batch.events:
                store.events.upsert(batch.events)
            if batch.deleted_events:
                store.events.delete_provider_ids(self.account, batch.deleted_events)
            if batch.new_cursor is None:
                store.cursors.clear(self.account, stream)
            else:
                store.cursors.set(SyncCursor(self.account, stream, batch.new_cursor, CURSOR_VERSION))
