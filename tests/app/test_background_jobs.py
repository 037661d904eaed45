"""The composition root starts background work once: recovery, egress ledger, sync/briefing/retention jobs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.context import AppContext
from app.services import Services
from engine.events import SYNC_DID_FINISH
from engine.store import Store
from models import Account, Meeting


def test_background_jobs_schedule_briefing_retention_and_account_syncs(store: Store, memory_keyring) -> None:
    store.accounts.upsert(Account("slack:T1", "slack", "T1", state="disconnected"))
    interrupted = store.meetings.create(Meeting("Crashed call", datetime(2026, 11, 25, 9, tzinfo=timezone.utc),
                                                status="recording"))
    store.meetings.append_audio(interrupted, 0, b"\x00\x01" * 16000)
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    services = Services(ctx)
    try:
        assert services.jobs.start() == 1
        assert store.meetings.get(interrupted).status != "recording"
        assert services.jobs.mail_reading.finished.wait(30)
        assert services.jobs.mail_reading.last.skipped  # the bundled model is evidence-only: it never reads mail
        scheduler = services.jobs.scheduler
        jobs = {job.id for job in scheduler._scheduler.get_jobs()}  # noqa: SLF001
        assert {"retention"} <= jobs and any("briefing" in j for j in jobs)
        assert scheduler.accounts() == []  # the disconnected account gets no job; daily jobs are not accounts
        services.bus.emit(SYNC_DID_FINISH, account="google:x", added=3, updated=1, deleted=0)
        egress = store.audit.since(action="sync")
        assert egress and egress[0].target == "google:x" and egress[0].detail.get("items") == 4
    finally:
        services.close()


def test_settings_the_schedule_is_made_of_rebuild_it_while_the_app_runs(store: Store, tmp_path, memory_keyring) -> None:
    """Sync interval, briefing time and the backup folder chosen in Settings used to wait for the next start."""
    import time

    from engine.jobs.backups import AUTO_BACKUP_JOB_ID

    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    services = Services(ctx)
    try:
        services.jobs.start()
        first = services.jobs.scheduler
        services.save_settings(theme="dark")  # not a schedule setting: nothing is rebuilt
        time.sleep(0.3)
        assert services.jobs.scheduler is first
        (tmp_path / "usb").mkdir()
        services.save_settings(sync_interval_minutes=17, backup_folder=str(tmp_path / "usb"))
        deadline = time.monotonic() + 15
        while services.jobs._lazy.peek("scheduler") in (None, first) and time.monotonic() < deadline:  # noqa: SLF001
            time.sleep(0.05)
        rebuilt = services.jobs.scheduler
        assert rebuilt is not first and rebuilt.interval_s == 17 * 60
        assert AUTO_BACKUP_JOB_ID in {job.id for job in rebuilt._scheduler.get_jobs()}  # noqa: SLF001
    finally:
        services.close()


@pytest.mark.model
def test_the_app_indexes_pending_data_at_start_and_after_each_sync(store: Store, services, indexed) -> None:
    from datetime import timedelta

    from models import Contact, Message

    def mail(n: int) -> Message:
        return Message("demo", f"k{n}", f"t{n}", f"Freight contract {n}", Contact("li@acme.example", "Li"),
                       body_text=f"Renewal terms for lane {n} are attached.",
                       sent_at=datetime(2026, 11, 20, 9, tzinfo=timezone.utc) + timedelta(minutes=n))

    store.messages.upsert([mail(1), mail(2)])
    services.jobs.start()
    assert indexed.wait(60)
    assert len(services.retrieval.index) == 2
    indexed.clear()
    store.messages.upsert([mail(3)])
    services.bus.emit(SYNC_DID_FINISH, account="demo", added=1, updated=0, deleted=0)
    assert indexed.wait(60)
    assert len(services.retrieval.index) == 3
