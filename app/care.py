"""The app side of #18's attention and store care: what needs the user now (for notifications and the tray),
automatic backups (scheduled, checked, warned about) and fixing meeting turns — each one engine call with the
app's store, settings and data folder filled in, so windows call these and never the store.

Threads: `attention`, `backup_now`, the turn edits and `schedule` are store-bound (the store worker or a
scheduler thread); `check_backup_recovery_key` and `backup_status` only read files (the IO pool).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from engine.errors import EngineError
from engine.events import JOB_DID_FINISH
from engine.jobs.backups import (BackupCheck, BackupPlan, BackupState, check_newest, run_backup, schedule_backups,
                                 stale_warning)
from engine.speech import Turn
from engine.store.backup import BackupInfo
from engine.usecases.attention import Attention, attention_snapshot
from engine.usecases.turn_edits import fix_turn_speaker, meeting_turns, merge_turn_with_next, split_meeting_turn

__all__ = ["Care"]

BACKUP_STATE = "backup-state.json"


class Care:
    """Built once by `Services.care`; `services` gives the store, settings, home and bus."""

    def __init__(self, services: Any) -> None:
        self._services = services

    # -- notifications -------------------------------------------------------------------------------
    def attention(self, now: datetime) -> Attention:
        return attention_snapshot(self._services.store, now)

    # -- backups -------------------------------------------------------------------------------------
    def _plan(self) -> BackupPlan:
        plan = self._services.settings.backup_plan()
        if plan is None:
            raise EngineError("No backup folder is chosen.", next_step="Choose one in Settings → Privacy.")
        return plan

    @property
    def _state(self) -> Path:
        return self._services.home / BACKUP_STATE

    def backup_now(self) -> tuple[BackupInfo, BackupCheck]:
        """Back up to the chosen folder, rotate, check; a finished or failed run is announced on the bus."""
        try:
            info, check = run_backup(self._services.store, self._plan(), state_path=self._state)
        except EngineError as exc:
            self._services.bus.emit(JOB_DID_FINISH, job="Backup", outcome=exc.human(), failed=True)
            raise
        self._services.bus.emit(JOB_DID_FINISH, job="Backup", failed=not check.ok,
                                outcome=f"Saved {info.path.name}" if check.ok else check.problem)
        return info, check

    def check_backup_recovery_key(self, recovery_key: str) -> BackupCheck:
        store = self._services.store
        return check_newest(self._plan(), live_path=store.path, key=store.key, recovery_key=recovery_key)

    def backup_status(self) -> str:
        """"" when backups are off or the last good one is recent; otherwise the warning."""
        plan = self._services.settings.backup_plan()
        return "" if plan is None else stale_warning(BackupState.load(self._state), plan, datetime.now(timezone.utc))

    def schedule(self, scheduler: Any) -> None:
        """Add the automatic backup job to the app's APScheduler when a folder is chosen."""
        plan = self._services.settings.backup_plan()
        if plan is not None:
            schedule_backups(scheduler, plan=plan, job=self._scheduled_backup)

    def _scheduled_backup(self) -> None:
        try:
            self.backup_now()
        except EngineError:
            pass  # recorded in the state file, announced on the bus, shown as the backup warning

    # -- meeting turns -------------------------------------------------------------------------------
    def turns(self, meeting_id: int) -> list[Turn]:
        return meeting_turns(self._services.store, meeting_id)

    def fix_turn(self, meeting_id: int, turn: int, name: str) -> list[Turn]:
        return fix_turn_speaker(self._services.store, meeting_id, turn, name)

    def split_turn(self, meeting_id: int, turn: int, at_line: int, name: str) -> list[Turn]:
        return split_meeting_turn(self._services.store, meeting_id, turn, at_line, name)

    def merge_turn(self, meeting_id: int, turn: int) -> list[Turn]:
        return merge_turn_with_next(self._services.store, meeting_id, turn)
