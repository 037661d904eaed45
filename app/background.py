"""Background work of the desktop app on one APScheduler: a sync job per connected account (Google, Microsoft,
Slack, Asana, built by the provider registry), the daily briefing, the nightly retention purge, an indexing check,
the watched folder and automatic backups; plus connecting and disconnecting accounts, which add or remove their
sync job. Jobs run on scheduler threads and publish on the bus.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from app.context import AppContext
from app.holders import Lazy
from app.providers import SYNCED, Providers
from connectors.errors import ConnectorError
from engine.errors import EngineError
from engine.events import (ACCOUNT_DID_NEED_REAUTH, BRIEFING_DID_FINISH, MEETING_DID_UPDATE, SETTINGS_DID_CHANGE,
                           STORE_DID_CHANGE,
                           SYNC_DID_FINISH, EventBus)
from engine.jobs import BackgroundIndexing, SyncScheduler
from engine.privacy import AuditLog, run_retention
from engine.retrieval.documents import sync_folder
from engine.speech import recover_interrupted
from engine.usecases.briefing import schedule_briefing
from engine.assistant.model_reading import Ask, MailReading
from engine.usecases.mail_reading import BackgroundMailReading
from models import Account

__all__ = ["BackgroundJobs", "SCHEDULE_SETTINGS"]

#: Settings the scheduler's jobs are built from (intervals, times, what each account syncs, backups).
SCHEDULE_SETTINGS = frozenset({"sync_interval_minutes", "briefing_time", "timezone", "sync_calendars",
                               "outlook_calendars", "initial_sync_days", "backup_folder", "backup_every_hours",
                               "backup_keep", "microsoft_client_id", "microsoft_tenant"})

log = logging.getLogger(__name__)


class BackgroundJobs:
    """Built by the composition root; `schedule_extra(aps)` adds jobs owned elsewhere (backups). `mail_asker`: the
    chat model's structured call when its measured tier lets it read mail, else None (`ask_when_capable`)."""

    def __init__(self, ctx: AppContext, *, bus: EventBus, providers: Providers, indexing: BackgroundIndexing,
                 schedule_extra: Callable[[Any], None], mail_asker: Callable[[], Ask[MailReading] | None]) -> None:
        self.ctx, self.bus, self.providers, self.indexing = ctx, bus, providers, indexing
        self._mail_asker = mail_asker
        self._schedule_extra = schedule_extra
        self._lazy = Lazy()
        self._switch = threading.RLock()  # one stop/start at a time (store care, a settings change)
        bus.subscribe(SETTINGS_DID_CHANGE, lambda _name, payload: self.settings_changed(payload.get("names", ())))

    @property
    def mail_reading(self) -> BackgroundMailReading:
        """A capable model's reading of recent mail, in the background (started by `start`): its `known` is the
        `model_reader` of every scan the app runs (it never waits for the model), the scheduled briefing's too."""
        return self._lazy.get("mail_reading", lambda: BackgroundMailReading(self.ctx.store, self._mail_asker, self.bus))

    @property
    def scheduler(self) -> SyncScheduler:
        """Built and started on first use (`start`)."""
        return self._lazy.get("scheduler", self._build)

    def _build(self) -> SyncScheduler:
        settings, tz = self.ctx.settings, self.ctx.settings.tzinfo()
        aps = BackgroundScheduler(timezone=tz)
        scheduler = SyncScheduler(interval_minutes=settings.sync_interval_minutes, scheduler=aps)
        for account in self.ctx.store.accounts.all():
            if account.state == "connected":
                self._schedule_sync(scheduler, account)
        schedule_briefing(aps, at=settings.briefing_time, open_store=lambda: self.ctx.store,
                          deliver=lambda b: self.bus.emit(BRIEFING_DID_FINISH, day=str(b.day)),
                          tz_name=settings.timezone, model_reader=self.mail_reading.known)
        aps.add_job(run_retention, "cron", hour=3, minute=30, id="retention", name="retention purge",
                    args=[self.ctx.store, settings, self.ctx.home], coalesce=True, max_instances=1,
                    misfire_grace_time=6 * 3600, replace_existing=True)
        # Catches what arrives without an event in this process (a CLI import beside the running app).
        aps.add_job(self.indexing.request, "interval", minutes=10, id="indexing", name="index new data",
                    coalesce=True, max_instances=1, replace_existing=True)
        aps.add_job(self.sync_watched_folder, "interval", minutes=10, id="watched-folder", name="watched folder",
                    coalesce=True, max_instances=1, replace_existing=True, next_run_time=datetime.now(tz))
        self._schedule_extra(aps)
        scheduler.start()
        return scheduler

    def _schedule_sync(self, scheduler: SyncScheduler, account: Account) -> None:
        """Add `account`'s sync job; an account whose sign-in is gone is marked for reconnecting instead."""
        if account.provider not in SYNCED:
            return
        try:
            scheduler.add_account(self.providers.coordinator(account, store=self.ctx.store, bus=self.bus))
        except ConnectorError as err:
            self.ctx.store.accounts.record_sync(account.key, error=str(err), state="reconnect_needed")
            self.bus.emit(ACCOUNT_DID_NEED_REAUTH, account=account.key)

    def start(self) -> int:
        """App start (worker thread): close recordings a crash left open, record syncs in the egress ledger, index
        what is pending, and start the scheduler. Returns how many recordings were recovered."""
        recovered = recover_interrupted(self.ctx.store)
        AuditLog(self.ctx.store).attach(self.bus)
        indexing = self.indexing
        for name in (SYNC_DID_FINISH, STORE_DID_CHANGE, MEETING_DID_UPDATE):  # new data: index it (coalesced)
            self.bus.subscribe(name, lambda _name, _payload: indexing.request())
        indexing.request()  # what the last session, a demo load or a CLI import left pending
        self.mail_reading.follow()  # new mail, or a newly measured model, may give a capable model mail to read
        self.mail_reading.request()  # readings kept from the last session merge at once; no model, no reading
        _ = self.scheduler
        return len(recovered)

    def connect(self, provider: str, *, client_secret: str = "") -> str:
        """Connect (or reconnect) a Google account with the user's OAuth client file, or a Microsoft account with
        the configured client id, in the browser; then sync it now. Returns the account key. IO pool: it waits
        for the browser (up to 5 minutes)."""
        store = self.ctx.store
        if provider == "google":  # no file: the client kept in the keyring (Settings → Accounts' guide)
            key = self.providers.connect_google(store, Path(client_secret) if client_secret else None)
        elif provider == "microsoft":
            key = self.providers.connect_microsoft(store)
        else:
            raise EngineError(f"Reflex cannot connect {provider} accounts from here.",
                              next_step="Connect Slack and Asana in Settings → Accounts → Slack and Asana.")
        self.resync(key)
        return key

    def resync(self, key: str) -> None:
        """Rebuild `key`'s sync job from what is stored now (a reconnect, other channels or projects picked) and
        sync it now; nothing when the scheduler is not running yet (it reads the accounts when it starts)."""
        scheduler, account = self._lazy.peek("scheduler"), self.ctx.store.accounts.get(key)
        if scheduler is not None and account is not None:
            scheduler.remove_account(key)  # a reconnect replaces the job that had stopped
            self._schedule_sync(scheduler, account)
            scheduler.sync_now(key)

    def disconnect(self, key: str, *, delete_data: bool = False) -> dict[str, int]:
        """Forget an account: stop its sync job, delete every keyring entry of its sign-in, its row and cursors, and
        with `delete_data` its synced mail and events. Audited. Returns the counts removed. IO pool."""
        scheduler = self._lazy.peek("scheduler")
        if scheduler is not None:
            scheduler.remove_account(key)  # a queued run must not re-sync what is being removed
        account = self.ctx.store.accounts.get(key)
        if account is None:
            return {"messages": 0, "events": 0}
        return self.providers.disconnect(self.ctx.store, account, delete_data=delete_data)

    def sync_watched_folder(self) -> int:
        """Bring the watched folder's documents up to date (new, changed, deleted files); returns how many documents
        changed. Scheduler thread."""
        folder = self.ctx.settings.watched_folder
        if not folder:
            return 0
        try:
            result = sync_folder(self.ctx.store, folder)
        except EngineError as err:  # the folder was moved or unmounted: say so in the log, try again later
            log.warning("watched folder not synced: %s", type(err).__name__)
            return 0
        if result.failed:  # only new failures: a file that failed before is not read again until it changes
            log.warning("watched folder: %d files could not be read", len(result.failed))
        if result.documents or result.removed:
            self.indexing.request()
        return len(result.documents) + result.removed

    def stop_syncs(self) -> int:
        """Stop the account syncs under way after their current batch; they resume at the next scheduled run."""
        scheduler = self._lazy.peek("scheduler")
        return scheduler.stop_running() if scheduler is not None else 0

    def sync_now(self) -> int:
        """Sync every scheduled account now (on the scheduler's threads); returns how many there are."""
        scheduler = self.scheduler
        scheduler.sync_now()
        return len(scheduler.accounts())

    def settings_changed(self, names: Iterable[str]) -> None:
        """The scheduler's jobs are made from these settings once: a running scheduler is rebuilt from the new
        values (on its own thread: stopping waits for the jobs under way, never on the GUI thread)."""
        if SCHEDULE_SETTINGS.isdisjoint(names) or self._lazy.peek("scheduler") is None:
            return
        threading.Thread(target=self._rebuild, name="reflex-reschedule", daemon=True).start()

    def _rebuild(self) -> None:
        with self._switch:
            if self.pause():  # not when store care paused it meanwhile: its resume rebuilds it
                self.resume()

    def pause(self) -> bool:
        """Stop the scheduler and wait for the jobs under way (store care closes the store next). True when it was
        running (`resume` restarts it)."""
        with self._switch:
            scheduler = self._lazy.take("scheduler")
            if scheduler is not None:
                scheduler.shutdown(wait=True)
            return scheduler is not None

    def resume(self) -> None:
        """Start the scheduler again after `pause`, from the accounts and settings stored now."""
        with self._switch:
            _ = self.scheduler

    def close(self) -> None:
        scheduler, reading = self._lazy.take("scheduler"), self._lazy.take("mail_reading")
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if reading is not None:
            reading.close()  # before the model it asks is freed
