"""Settings → Accounts → Options → Google (or Outlook) calendars → Choose…: tick the calendars that sync, from
the calendar lists of the connected accounts (listed on the IO pool), instead of typing calendar ids. The choice is
handed back as ids (`chosen`); the options panel saves it. GUI thread only; a non-modal dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import ChoiceList, button_row, hint_label, status_label

__all__ = ["CalendarPicker"]


class CalendarPicker(QDialog):
    chosen = Signal(list)
    """list[str] — the ticked calendar ids (each account's own calendar under its alias: "primary",
    "calendarView")."""

    def __init__(self, *, calendars: Callable[[], list[Any]], tasks: TaskRunner, title: str,
                 parent: QWidget | None = None) -> None:
        """`calendars()` -> choices (`id`, `name`, `kind`, `picked`); network, so it runs on the IO pool."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        self.list = ChoiceList()
        self.list.setAccessibleName("Calendars")
        layout.addWidget(self.list, 1)
        self.status = status_label("Calendar list status")
        self.status.setText("Asking for your calendars…")
        layout.addWidget(self.status)
        layout.addWidget(hint_label("Events of the ticked calendars sync into Today, briefings and search."))
        self.use_button = QPushButton("Sync the ticked calendars")
        self.use_button.setAccessibleName("Sync the ticked calendars")
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self._use)
        row = button_row((("Close", "Close without changing", self.reject),))
        row.addWidget(self.use_button)
        layout.addLayout(row)
        tasks.run(calendars, kind="google-calendars", owner=self, pool=IO, on_success=self._show,
                  on_failure=lambda exc: self.status.setText(human_message(exc)))

    def _show(self, choices: list[Any]) -> None:
        self.list.set_choices(choices)
        self.use_button.setEnabled(bool(choices))
        self.status.setText(f"{sum(c.picked for c in choices)} of {len(choices)} calendars sync now.")

    def _use(self) -> None:
        ids = self.list.ticked()
        if not ids:
            self.status.setText("Tick at least one calendar (your own is listed first).")
            return
        self.chosen.emit(ids)
        self.accept()
