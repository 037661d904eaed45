"""Automatic backups: a checked copy per run, rotation that touches only its own files, the restore check with
and without the typed recovery key, a damaged copy caught, and the warning when the last good backup is old."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from engine.errors import StoreError
from engine.jobs.backups import (AUTO_BACKUP_JOB_ID, BackupPlan, BackupState, backups_in, check_backup, run_backup,
                                 schedule_backups, stale_warning)
from engine.store.unlock import new_recovery_key
from models import Contact, Message

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=timezone.utc)


def test_a_run_writes_a_checked_copy_and_records_it(store, tmp_path: Path) -> None:
    new_recovery_key(store)
    store.messages.upsert([Message("a", "m1", "t1", "Deck", Contact("x@y.example"), [], sent_at=NOW,
                                   body_text="Board deck")])
    plan, state_path = BackupPlan(tmp_path / "disk"), tmp_path / "state.json"
    plan.folder.mkdir()
    info, check = run_backup(store, plan, state_path=state_path, now=lambda: NOW)
    assert check.ok and backups_in(plan.folder) == [info.path]
    assert b"Board deck" not in info.path.read_bytes()  # encrypted like the store
    state = BackupState.load(state_path)
    assert state.last_good == info.path.name and state.problem == ""
    assert stale_warning(state, plan, NOW + timedelta(days=2)) == ""
    assert "4 days old" in stale_warning(state, plan, NOW + timedelta(days=4))


def test_rotation_keeps_the_newest_and_never_touches_other_files(store, tmp_path: Path) -> None:
    new_recovery_key(store)
    folder = tmp_path / "disk"
    folder.mkdir()
    for day in range(1, 6):
        old = folder / f"reflex-202001{day:02d}-000000.reflex-backup"
        old.write_bytes(b"old")
        old.with_name(old.name + ".json").write_text("{}")
    mine = folder / "tax-return.pdf"
    mine.write_bytes(b"keep me")
    info, _ = run_backup(store, BackupPlan(folder, keep=3), state_path=tmp_path / "s.json")
    assert [p.name for p in backups_in(folder)] == [info.path.name, "reflex-20200105-000000.reflex-backup",
                                                    "reflex-20200104-000000.reflex-backup"]
    assert not (folder / "reflex-20200101-000000.reflex-backup.json").exists()
    assert mine.read_bytes() == b"keep me"


def test_the_typed_recovery_key_opens_the_newest_backup(store, tmp_path: Path) -> None:
    recovery = new_recovery_key(store)
    folder = tmp_path / "disk"
    folder.mkdir()
    info, _ = run_backup(store, BackupPlan(folder), state_path=tmp_path / "s.json")
    assert check_backup(info.path, live_path=store.path, key=store.key, recovery_key=recovery.lower()).ok
    wrong = check_backup(info.path, live_path=store.path, key=store.key, recovery_key=new_recovery_key(store))
    assert not wrong.ok and "does not open" in wrong.problem
    # the recovery key changed since: the periodic check says the old copy no longer matches what the user holds
    stale = check_backup(info.path, live_path=store.path, key=store.key)
    assert not stale.ok and "current recovery key" in stale.problem


def test_a_damaged_copy_fails_the_check(store, tmp_path: Path) -> None:
    new_recovery_key(store)
    folder = tmp_path / "disk"
    folder.mkdir()
    info, _ = run_backup(store, BackupPlan(folder), state_path=tmp_path / "s.json")
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = bytes(64)
    info.path.write_bytes(bytes(data))
    check = check_backup(info.path, live_path=store.path, key=store.key)
    assert not check.ok and check.problem


def test_a_missing_folder_is_recorded_and_warned_about(store, tmp_path: Path) -> None:
    state_path = tmp_path / "s.json"
    plan = BackupPlan(tmp_path / "unplugged")
    with pytest.raises(StoreError, match="not there"):
        run_backup(store, plan, state_path=state_path, now=lambda: NOW)
    warning = stale_warning(BackupState.load(state_path), plan, NOW)
    assert "No backup" in warning and "not there" in warning


def test_the_job_is_scheduled_every_n_hours() -> None:
    scheduler = BackgroundScheduler(timezone=timezone.utc)
    schedule_backups(scheduler, plan=BackupPlan(Path("/tmp"), every_hours=6), job=lambda: None)
    job = scheduler.get_job(AUTO_BACKUP_JOB_ID)
    assert job is not None and job.trigger.interval == timedelta(hours=6)
