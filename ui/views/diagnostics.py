"""Settings → Diagnostics: what `reflex-assistant doctor` and `status` say, in the app — each check (keyring, the
models really loading, disk, store integrity, audio inputs, tray) with what to do when it fails, and what the data
folder holds (encryption, recovery key, counts, accounts, models).

The checks load each model once (seconds), so they run on the IO pool; the two facts only Qt knows (audio inputs,
tray) are read here on the GUI thread and handed to the app's checks, so no Qt call runs on a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import (QApplication, QHeaderView, QPlainTextEdit, QProgressBar, QSystemTrayIcon,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import button_row, data_table, hint_label, section_title, status_label

__all__ = ["DiagnosticsPanel"]

Diagnose = Callable[..., "tuple[str, list[Any]]"]


class DiagnosticsPanel(QWidget):
    checked = Signal()
    """The checks ran and their results are shown."""

    def __init__(self, *, diagnose: Diagnose, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        """`diagnose(audio_inputs=[...], tray=bool)` -> (status text, checks with name, ok, required,
        detail, fix and `line()`, the CLI's wording)."""
        super().__init__(parent)
        self._diagnose, self._tasks = diagnose, tasks
        self._report = ""
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("Checks the keyring, that each model really loads, free disk space, the "
                                    "store's integrity, audio inputs and the tray — and says what to fix. Nothing "
                                    "leaves this computer."))
        self.summary = status_label("Diagnostics outcome")
        layout.addLayout(button_row((("Run checks", "Run the diagnostic checks", self.run_checks),
                                     ("Copy report", "Copy the diagnostics report", self.copy_report)),
                                    lead=self.summary))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the checks have no measurable steps: busy until they end
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.table = data_table(["Check", "Result", "Detail", "What to do"])
        self.table.setAccessibleName("Diagnostic checks")
        self.table.setWordWrap(True)  # details and fixes are sentences: wrap them, never cut them
        header = self.table.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 2)
        layout.addWidget(section_title("Data folder"))
        self.status_text = QPlainTextEdit()
        self.status_text.setReadOnly(True)
        self.status_text.setAccessibleName("Data folder status")
        layout.addWidget(self.status_text, 1)

    def run_checks(self) -> None:
        """Ask Qt here, then run the checks on the IO pool (a second click while they run is ignored)."""
        inputs = [device.description() for device in QMediaDevices.audioInputs()]
        tray = QSystemTrayIcon.isSystemTrayAvailable()
        diagnose = self._diagnose
        task = self._tasks.run(lambda: diagnose(audio_inputs=inputs, tray=tray), kind="diagnostics", owner=self,
                               pool=IO, on_success=self._show, on_failure=self._failed, replace=False)
        if task is not None:
            self.progress.setVisible(True)
            self.summary.setText("Checking… (each model is loaded once; this takes a few seconds)")

    def _show(self, result: tuple[str, list[Any]]) -> None:
        status, checks = result
        self.progress.setVisible(False)
        self.table.setRowCount(len(checks))
        for row, check in enumerate(checks):
            verdict = "OK" if check.ok else ("Problem" if check.required else "Warning")
            for col, text in enumerate((check.name, verdict, check.detail, "" if check.ok else check.fix)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.status_text.setPlainText(status)
        failed = [c for c in checks if not c.ok and c.required]
        warned = [c for c in checks if not c.ok and not c.required]
        self.summary.setText("All checks passed." if not failed and not warned else
                             f"{len(failed)} problem(s), {len(warned)} warning(s): see “What to do”.")
        self._report = "\n".join(c.line() for c in checks) + "\n\n" + status
        self.checked.emit()

    def _failed(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        self.summary.setText(human_message(error))

    def copy_report(self) -> None:
        """The last report as plain text on the clipboard (to paste into a support mail); never secrets."""
        if not self._report:
            self.summary.setText("Run the checks first.")
            return
        QApplication.clipboard().setText(self._report)
        self.summary.setText("Report copied to the clipboard.")
