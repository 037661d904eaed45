"""Settings → Accounts → Options: the Microsoft 365 client id and tenant, which Google calendars sync, how often
accounts sync and when the daily briefing is made — values that used to need an environment variable or a
hand-edited settings.json.

Each field saves when editing finishes, through `save(**changes)` (the typed Settings validate; a refused value is
said and not saved). The running scheduler is rebuilt from the new values (`app.background.SCHEDULE_SETTINGS`).
GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QSpinBox, QTimeEdit, QWidget

from ui.settings_ports import AccountSettings, Choice
from ui.tasks import TaskRunner
from ui.views.calendar_picker import CalendarPicker
from ui.widgets import save_or_say, with_button

__all__ = ["AccountOptionsPanel"]


class AccountOptionsPanel(QWidget):
    def __init__(self, *, settings: AccountSettings, save: Callable[..., None], tasks: TaskRunner | None = None,
                 google_calendars: Callable[[], list[Choice]] | None = None,
                 outlook_calendars: Callable[[], list[Choice]] | None = None, parent: QWidget | None = None) -> None:
        """`google_calendars()` / `outlook_calendars()` (with `tasks`): the connected accounts' calendars to choose
        from (IO pool); without them the ids are typed."""
        super().__init__(parent)
        self._save, self._tasks = save, tasks
        self.picker: CalendarPicker | None = None
        form = QFormLayout(self)
        self.client_id = self._text(settings.microsoft_client_id, "Microsoft 365 client id",
                                    "Application (client) id of your Entra ID app", "microsoft_client_id")
        form.addRow("Microsoft 365 client id", self.client_id)
        self.tenant = self._text(settings.microsoft_tenant, "Microsoft 365 tenant",
                                 "common, organizations or your tenant id", "microsoft_tenant")
        form.addRow("Microsoft 365 tenant", self.tenant)
        self.calendars = self._text(settings.sync_calendars, "Google calendars to sync",
                                    "primary, or calendar ids separated by commas", "sync_calendars")
        form.addRow("Google calendars", self._with_picker(self.calendars, "Google", "sync_calendars",
                                                          google_calendars))
        self.outlook = self._text(settings.outlook_calendars, "Outlook calendars to sync",
                                  "empty: the default calendar; or calendar ids separated by commas",
                                  "outlook_calendars")
        form.addRow("Outlook calendars", self._with_picker(self.outlook, "Outlook", "outlook_calendars",
                                                           outlook_calendars))
        self.interval = QSpinBox()
        self.interval.setRange(1, 1440)
        self.interval.setSuffix(" min")
        self.interval.setValue(int(settings.sync_interval_minutes))
        self.interval.setAccessibleName("Minutes between syncs")
        self.interval.editingFinished.connect(
            lambda: self._apply("Saved; the schedule follows it now.", sync_interval_minutes=self.interval.value()))
        form.addRow("Sync every", self.interval)
        self.briefing = QTimeEdit(QTime.fromString(settings.briefing_time, "HH:mm"))
        self.briefing.setDisplayFormat("HH:mm")
        self.briefing.setAccessibleName("Daily briefing time")
        self.briefing.editingFinished.connect(
            lambda: self._apply("Saved; the schedule follows it now.",
                                briefing_time=self.briefing.time().toString("HH:mm")))
        form.addRow("Daily briefing at", self.briefing)
        self.status = QLabel("")
        self.status.setAccessibleName("Account options status")
        form.addRow(self.status)

    def _with_picker(self, field: QLineEdit, service: str, setting: str,
                     calendars: Callable[[], list[Choice]] | None) -> QWidget | Any:
        if calendars is None or self._tasks is None:
            return field
        return with_button(field, "Choose…", f"Choose the {service} calendars to sync",
                           lambda: self.choose_calendars(service, field, setting, calendars))

    def choose_calendars(self, service: str, field: QLineEdit, setting: str,
                         calendars: Callable[[], list[Choice]]) -> None:
        """Open the picker over the connected accounts' calendar lists; the ticked ones are saved like typed ids."""
        self.picker = CalendarPicker(calendars=calendars, tasks=self._tasks, title=f"{service} calendars to sync",
                                     parent=self)

        def chosen(ids: list[str]) -> None:
            field.setText(",".join(ids))
            self._apply("Saved; the next sync reads these calendars.", **{setting: field.text()})

        self.picker.chosen.connect(chosen)
        self.picker.open()

    def _text(self, value: str, name: str, placeholder: str, field: str) -> QLineEdit:
        edit = QLineEdit(value)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.editingFinished.connect(lambda: self._apply("Saved.", **{field: edit.text().strip()}))
        return edit

    def _apply(self, ok_text: str, **changes: object) -> None:
        save_or_say(self._save, self.status, ok_text, **changes)
