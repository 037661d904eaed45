"""Automatic encrypted backups: a scheduled copy to a folder the user picks, rotation, a restore check of the
newest copy, and a warning when the last good backup is too old.

Why: meetings, decisions, corrections and the strategic context exist only in the store; mail can be re-synced
after a lost laptop, they cannot. Each run (`run_backup`) writes one `engine.store.backup` copy (encrypted with the
store's data key, sidecar with the wrapped keys), deletes the oldest copies beyond `keep` (only files this feature
named, each with its sidecar), then checks the newest one (`check_backup`):
- it must open with the data key and pass SQLite's and SQLCipher's integrity checks, and
- its sidecar must carry the same recovery wrap as the live store, so the recovery key the user wrote down
  unwraps that data key on a new machine (the app never holds the recovery key itself);
- when the user types the recovery key (Settings → Privacy), the check unwraps it from the backup's own sidecar
  and opens the copy with the result: the full restore path, minus the restore.
The outcome is kept in a small non-secret state file (times, file names, a problem), read by `stale_warning`.

Threads: run on a scheduler or worker thread, never the GUI thread; `Store.read()` makes the copy a consistent
snapshot while the app keeps writing. Errors: `StoreError` subclasses with a next step.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from engine.errors import StoreError, StoreLocked
from engine.store import envelope
from engine.store.backup import SUFFIX, BackupInfo, backup, backup_meta
from engine.store.keys import StoreKey, StoreMeta, write_json_durably
from engine.store.store import Store

__all__ = ["AUTO_BACKUP_JOB_ID", "BackupCheck", "BackupPlan", "BackupState", "backups_in", "check_backup", "check_newest",
           "rotate", "run_backup", "schedule_backups", "stale_warning"]

log = logging.getLogger(__name__)

AUTO_BACKUP_JOB_ID = "auto-backup"
_PREFIX = "reflex-"


@dataclass(frozen=True, slots=True)
class BackupPlan:
    """Where and how often: `keep` newest copies stay; older than `warn_after_days` without a good one warns."""

    folder: Path
    keep: int = 7
    every_hours: int = 24
    warn_after_days: int = 3


@dataclass(slots=True)
class BackupState:
    """The last run and the last good (checked) backup, as ISO UTC times and file names (never a secret)."""

    last_run_at: str = ""
    last_good_at: str = ""
    last_good: str = ""
    problem: str = ""

    @classmethod
    def load(cls, path: Path) -> BackupState:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(**{k: str(data.get(k, "")) for k in ("last_run_at", "last_good_at", "last_good", "problem")})
        except (OSError, ValueError, TypeError):
            return cls()

    def save(self, path: Path) -> None:
        write_json_durably(Path(path), asdict(self))


@dataclass(frozen=True, slots=True)
class BackupCheck:
    path: Path
    ok: bool
    problem: str = ""  # a human sentence when not ok


def backups_in(folder: Path) -> list[Path]:
    """This feature's finished backups in `folder`, newest first (names carry a sortable UTC stamp)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob(f"{_PREFIX}*{SUFFIX}") if p.is_file()), key=lambda p: p.name, reverse=True)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups (each with its sidecar); returns what was deleted."""
    removed = backups_in(folder)[max(1, keep):]
    for path in removed:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".json").unlink(missing_ok=True)
    return removed


def check_backup(path: Path, *, live_path: Path, key: StoreKey, recovery_key: str = "") -> BackupCheck:
    """Does `path` restore? See the module docstring for what is checked with and without `recovery_key`."""
    path = Path(path)
    meta = backup_meta(path)
    wrap = (meta.get("wraps") or {}).get("recovery")  # type: ignore[union-attr]
    if recovery_key:
        secret = envelope.parse_recovery_key(recovery_key)
        if secret is None or wrap is None:
            return BackupCheck(path, False, "That is not a recovery key, or this backup has no recovery wrap.")
        try:
            key = StoreKey(raw=envelope.unwrap(wrap, recovery=secret))
        except envelope.WrongSecret:
            return BackupCheck(path, False, "This recovery key does not open the backup.")
    elif wrap is None or wrap != (StoreMeta(live_path).read().get("wraps") or {}).get("recovery"):
        return BackupCheck(path, False, "The backup does not carry your current recovery key (it was made before "
                                        "the key changed, or without one).")
    try:
        copy = Store.open(path, key, upgrade=False, shared_lock=False)
        try:
            problems = copy.integrity_problems()
        finally:
            copy.close()
    except StoreLocked:
        return BackupCheck(path, False, "The backup does not open with this store's key.")
    except StoreError as exc:  # damaged pages surface as StoreCorrupt while reading
        return BackupCheck(path, False, str(exc))
    return BackupCheck(path, not problems, f"The backup is damaged ({problems[0]})." if problems else "")


def check_newest(plan: BackupPlan, *, live_path: Path, key: StoreKey, recovery_key: str = "") -> BackupCheck:
    """`check_backup` of the newest backup in the plan's folder; `StoreError` when there is none."""
    newest = backups_in(plan.folder)[:1]
    if not newest:
        raise StoreError(f"There is no backup in {plan.folder} yet.", next_step="Back up now first.")
    return check_backup(newest[0], live_path=live_path, key=key, recovery_key=recovery_key)


def run_backup(store: Store, plan: BackupPlan, *, state_path: Path,
               now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> tuple[BackupInfo, BackupCheck]:
    """One scheduled run: back up, rotate, check the newest copy, record the outcome. A failure is recorded as
    the state's problem and raised (the scheduler logs it; the app shows `stale_warning`)."""
    state = BackupState.load(state_path)
    state.last_run_at = now().isoformat()
    try:
        if not Path(plan.folder).is_dir():
            raise StoreError(f"The backup folder {plan.folder} is not there (a disk not plugged in?).",
                             next_step="Plug the disk in or choose another folder in Settings → Privacy.")
        info = backup(store, Path(plan.folder))
        rotate(plan.folder, plan.keep)
        check = check_backup(info.path, live_path=store.path, key=store.key)
    except StoreError as exc:
        state.problem = str(exc)
        state.save(state_path)
        raise
    if check.ok:
        state.last_good_at, state.last_good, state.problem = now().isoformat(), info.path.name, ""
    else:
        state.problem = check.problem
    state.save(state_path)
    log.info("automatic backup: %s bytes, check %s", info.size, "ok" if check.ok else "failed")
    return info, check


def stale_warning(state: BackupState, plan: BackupPlan, now: datetime) -> str:
    """"" while the last good backup is recent enough; otherwise what is wrong and what to do."""
    if not state.last_good_at:
        return "No backup of your data has been checked yet." + (f" Last attempt: {state.problem}"
                                                                 if state.problem else " Run one in Settings → Privacy.")
    age = now - datetime.fromisoformat(state.last_good_at)
    if age <= timedelta(days=plan.warn_after_days):
        return ""
    return (f"Your last good backup is {age.days} days old." + (f" The last attempt failed: {state.problem}"
                                                                  if state.problem else ""))


def schedule_backups(scheduler, *, plan: BackupPlan, job: Callable[[], object]) -> None:  # noqa: ANN001 - APScheduler
    """Add (or replace) the automatic backup job every `plan.every_hours`; runs missed while asleep collapse
    into one on wake."""
    scheduler.add_job(job, "interval", hours=plan.every_hours, id=AUTO_BACKUP_JOB_ID, name="automatic backup",
                      replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=6 * 3600)
