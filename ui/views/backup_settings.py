"""Settings → Privacy → Backups: where automatic encrypted backups go, how often and how many are kept, "Back up
now" with progress and a clear outcome, a check of the newest backup with the recovery key the user typed, and
the warning when the last good backup is too old.

The work runs on the task runner (`backup_now` on the store worker, the recovery-key check on the IO pool);
this panel only shows. The recovery key is never stored: the field is cleared once the check ran.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QSpinBox, QWidget)

from ui.settings_ports import BackupSettings
from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import save_or_say

__all__ = ["BackupPanel"]


class BackupPanel(QWidget):
    def __init__(self, *, settings: BackupSettings, save: Callable[..., None], tasks: TaskRunner,
                 backup_now: Callable[[], Any], check_recovery_key: Callable[[str], Any],
                 backup_status: Callable[[], str], parent: QWidget | None = None) -> None:
        """`backup_now()` -> (BackupInfo, BackupCheck); `check_recovery_key(text)` -> BackupCheck of the newest
        backup; `backup_status()` -> "" when the last good backup is recent, else the warning."""
        super().__init__(parent)
        self._save, self._tasks = save, tasks
        self._backup_now, self._check, self._status_of = backup_now, check_recovery_key, backup_status
        form = QFormLayout(self)
        self.folder = QLineEdit(settings.backup_folder)
        self.folder.setReadOnly(True)
        self.folder.setPlaceholderText("No folder: automatic backups are off")
        self.folder.setAccessibleName("Backup folder")
        choose = QPushButton("Choose…")
        choose.setAccessibleName("Choose the backup folder")
        choose.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        form.addRow("Back up to", row)
        self.every = self._spin(1, 168, settings.backup_every_hours, " hours", "Hours between backups",
                                "backup_every_hours")
        form.addRow("Every", self.every)
        self.keep = self._spin(1, 100, settings.backup_keep, " backups", "Backups to keep", "backup_keep")
        form.addRow("Keep the newest", self.keep)
        self.now_button = QPushButton("Back up now")
        self.now_button.setAccessibleName("Back up now")
        self.now_button.clicked.connect(self.run_backup)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # a copy has no measurable steps: busy until it ends
        self.progress.setVisible(False)
        form.addRow(self.now_button, self.progress)
        self.recovery = QLineEdit()
        self.recovery.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery.setPlaceholderText("RFLX-…")
        self.recovery.setAccessibleName("Recovery key to test")
        self.check_button = QPushButton("Test with my recovery key")
        self.check_button.setAccessibleName("Test the newest backup with my recovery key")
        self.check_button.clicked.connect(self.check_with_key)
        self.recovery.returnPressed.connect(self.check_with_key)
        row = QHBoxLayout()
        row.addWidget(self.recovery, 1)
        row.addWidget(self.check_button)
        form.addRow("Restore check", row)
        self.outcome = QLabel("")
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Backup outcome")
        form.addRow(self.outcome)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setObjectName("warning")
        self.warning.setAccessibleName("Backup warning")
        form.addRow(self.warning)

    def _spin(self, low: int, high: int, value: int, suffix: str, name: str, field: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(int(value))
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        spin.editingFinished.connect(lambda: self._apply(**{field: spin.value()}))
        return spin

    def _apply(self, **changes: object) -> bool:
        return save_or_say(self._save, self.outcome, **changes)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for automatic backups")
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: str) -> None:
        if self._apply(backup_folder=folder):
            self.folder.setText(folder)
            self.outcome.setText("Automatic backups go to this folder.")
            self.refresh()

    def refresh(self) -> None:
        """Re-read the backup warning (off the GUI thread)."""
        self._tasks.run(self._status_of, kind="backup-status", owner=self, pool=IO,
                        on_success=self.warning.setText)

    def run_backup(self) -> None:
        self.now_button.setEnabled(False)
        self.progress.setVisible(True)
        self.outcome.setText("Backing up…")

        def done(result: Any) -> None:
            info, check = result
            size = f"{info.size / 1_000_000:.1f} MB"
            self.outcome.setText(f"Backed up to {info.path.name} ({size}) and checked: it restores."
                                 if check.ok else f"Backed up to {info.path.name}, but the check failed: "
                                                  f"{check.problem}")
            self._finish()

        def failed(exc: BaseException) -> None:
            self.outcome.setText(f"The backup failed: {human_message(exc)}")
            self._finish()

        self._tasks.run(self._backup_now, kind="backup-now", owner=self, on_success=done, on_failure=failed)

    def _finish(self) -> None:
        self.now_button.setEnabled(True)
        self.progress.setVisible(False)
        self.refresh()

    def check_with_key(self) -> None:
        key = self.recovery.text().strip()
        self.recovery.clear()  # never kept in the widget longer than the check
        if not key:
            self.outcome.setText("Type the recovery key you wrote down when Reflex was set up.")
            return
        self.check_button.setEnabled(False)
        self.outcome.setText("Opening the newest backup with your recovery key…")

        def done(check: Any) -> None:
            self.check_button.setEnabled(True)
            self.outcome.setText(f"Your recovery key opens {check.path.name}: it would restore on a new computer."
                                 if check.ok else f"Restore check failed: {check.problem}")

        def failed(exc: BaseException) -> None:
            self.check_button.setEnabled(True)
            self.outcome.setText(f"Restore check failed: {human_message(exc)}")

        self._tasks.run(lambda: self._check(key), kind="backup-check", owner=self, pool=IO, on_success=done,
                        on_failure=failed)
