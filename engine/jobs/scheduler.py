"""APScheduler (3.x) wiring: one interval job per account, "sync now", backoff, pause/resume.

Each account gets a job every `interval_minutes` (default 5) with jitter so accounts and clients do not
fire together, `max_instances=1` (never two syncs of one account at once) and `coalesce=True` (runs
missed while asleep collapse into one). After a failure the next run is pulled in or pushed out:
- Retry-After from the provider wins;
- `unavailable`/`error`: exponential backoff `min(cap, interval * 2**(failures-1))` with full jitter;
- `auth`: the job is removed (polling stops) until `add_account` is called again after reconnecting;
- `store`: the whole scheduler pauses (store locked/closed) until `resume()`.
`pause()`/`resume()` are also what the app calls when the machine goes offline / comes back.

Threads: jobs run on the scheduler's thread pool; every public method is thread-safe.
"""

from __future__ import annotations

import logging
import random
import threading
from datetime import datetime, timedelta, timezone

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler

from engine.jobs.coordinator import SyncCoordinator, SyncOutcome

__all__ = ["SyncScheduler"]

log = logging.getLogger(__name__)


OFFLINE_PROBE_ID = "offline-probe"
OFFLINE_PROBE_S = 60.0


class SyncScheduler:
    """Owns a `BackgroundScheduler` with one sync job per registered account."""

    def __init__(self, *, interval_minutes: float = 5.0, jitter_s: int = 30, max_backoff_s: float = 3600.0,
                 rng: random.Random | None = None, scheduler: BackgroundScheduler | None = None) -> None:
        self.interval_s = interval_minutes * 60.0
        self.jitter_s = jitter_s
        self.max_backoff_s = max_backoff_s
        self._rng = rng or random.Random()
        self._scheduler = scheduler or BackgroundScheduler(timezone=timezone.utc)
        self._lock = threading.Lock()
        self._coordinators: dict[str, SyncCoordinator] = {}
        self._failures: dict[str, int] = {}
        self._running: dict[str, threading.Event] = {}  # account -> cancel event of the sync under way
        self.paused_reason = ""
        self.last_outcomes: dict[str, SyncOutcome] = {}

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        self._scheduler.start()

    def shutdown(self, wait: bool = True) -> None:
        self._scheduler.shutdown(wait=wait)

    def pause(self, reason: str) -> None:
        """Stop starting syncs (offline, store locked); running ones finish their current batch."""
        self.paused_reason = reason
        self._scheduler.pause()
        log.info("sync scheduler paused: %s", reason)

    def resume(self) -> None:
        self.paused_reason = ""
        self._scheduler.resume()

    # -- accounts --------------------------------------------------------------------------------

    def add_account(self, coordinator: SyncCoordinator, *, first_run_in_s: float = 0.0) -> None:
        """Register (or replace) the periodic job of `coordinator.account`."""
        account = coordinator.account
        with self._lock:
            self._coordinators[account] = coordinator
            self._failures[account] = 0
        self._scheduler.add_job(
            self._run, "interval", seconds=self.interval_s, jitter=self.jitter_s, id=account,
            name=f"sync {account}", args=[account], max_instances=1, coalesce=True,
            replace_existing=True, misfire_grace_time=int(self.interval_s),
            next_run_time=datetime.now(timezone.utc) + timedelta(seconds=first_run_in_s))

    def remove_account(self, account: str) -> None:
        with self._lock:
            self._coordinators.pop(account, None)
        try:
            self._scheduler.remove_job(account)
        except JobLookupError:
            pass

    def accounts(self) -> list[str]:
        """Accounts with a sync job (the scheduler may also run other jobs, e.g. the daily briefing)."""
        with self._lock:
            return list(self._coordinators)

    def next_run(self, account: str) -> datetime | None:
        job = self._scheduler.get_job(account)
        return job.next_run_time if job is not None else None

    def sync_now(self, account: str | None = None) -> None:
        """Run the account's (or every account's) job as soon as a worker is free."""
        now = datetime.now(timezone.utc)
        for name in self.accounts():
            job = self._scheduler.get_job(name)
            if job is not None and (account is None or name == account):
                job.modify(next_run_time=now)

    # -- the job ---------------------------------------------------------------------------------

    def stop_running(self) -> int:
        """Stop the syncs under way after their current batch (what they stored stays; the next scheduled run
        continues from the saved cursor). Returns how many were asked to stop."""
        with self._lock:
            running = list(self._running.values())
        for cancel in running:
            cancel.set()
        return len(running)

    def _run(self, account: str) -> None:
        with self._lock:
            coordinator = self._coordinators.get(account)
            cancel = self._running[account] = threading.Event()
        if coordinator is None:
            with self._lock:
                self._running.pop(account, None)
            return
        try:
            outcome = coordinator.run(cancel=cancel)
        finally:
            with self._lock:
                self._running.pop(account, None)
        self.last_outcomes[account] = outcome
        self._after(outcome)

    # -- offline -----------------------------------------------------------------------------------

    def _go_offline(self, account: str) -> None:
        """No connection: pause every sync job; one probe re-runs `account` every OFFLINE_PROBE_S until it works."""
        self.paused_reason = "offline"
        for name in self.accounts():
            job = self._scheduler.get_job(name)
            if job is not None:
                job.pause()
        self._scheduler.add_job(self._probe, "interval", seconds=OFFLINE_PROBE_S, id=OFFLINE_PROBE_ID,
                                name="offline probe", args=[account], max_instances=1, coalesce=True,
                                replace_existing=True)
        log.info("sync paused: offline")

    def _probe(self, account: str) -> None:
        with self._lock:
            coordinator = self._coordinators.get(account)
        if coordinator is None:
            return
        outcome = coordinator.run()
        self.last_outcomes[account] = outcome
        if outcome.offline:
            return
        try:
            self._scheduler.remove_job(OFFLINE_PROBE_ID)
        except JobLookupError:
            pass
        self.paused_reason = ""
        for name in self.accounts():
            job = self._scheduler.get_job(name)
            if job is not None:
                job.resume()
        log.info("sync resumed: back online")
        self.sync_now()

    def backoff_s(self, failures: int) -> float:
        """Full-jitter exponential backoff in seconds after `failures` consecutive failures."""
        ceiling = min(self.max_backoff_s, self.interval_s * (2 ** max(0, failures - 1)))
        return self._rng.uniform(ceiling / 2, ceiling)

    def _after(self, outcome: SyncOutcome) -> None:
        account = outcome.account
        if outcome.status in ("ok", "cancelled"):
            self._failures[account] = 0
            return
        if outcome.offline:
            self._go_offline(account)
            return
        if outcome.stop_polling:
            log.info("sync %s: reconnect needed, polling stopped", account)
            self.remove_account(account)
            return
        if outcome.status == "store":
            self.pause("store unavailable")
            return
        self._failures[account] = self._failures.get(account, 0) + 1
        delay = outcome.retry_after if outcome.retry_after is not None \
            else self.backoff_s(self._failures[account])
        job = self._scheduler.get_job(account)
        if job is not None:
            job.modify(next_run_time=datetime.now(timezone.utc) + timedelta(seconds=delay))
