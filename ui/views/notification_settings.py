"""Settings → Notifications: each kind of notification on or off, the meeting lead time, quiet hours, and the
global quick-ask shortcut (with what to do where the desktop will not let Reflex grab one).

Changes are saved as they are made through `save(**changes)` (the facade's `save_settings`, which validates with
the typed Settings and raises ValueError for a refused value: the panel then says what is wrong and keeps the
previous value). GUI thread only; saving is a small file write.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QFormLayout, QKeySequenceEdit, QLabel, QLineEdit, QSpinBox, QWidget

from ui.settings_ports import NotificationSettings
from ui.widgets import save_or_say

__all__ = ["NotificationsPanel"]

SWITCHES = (
    ("notify_meetings", "Before a meeting starts (with its dossier)"),
    ("notify_urgent_mail", "When urgent mail arrives (once per conversation)"),
    ("notify_replies_overdue", "When a reply you owe is overdue"),
    ("notify_reconnect", "When an account needs you to reconnect"),
    ("notify_jobs", "When a long job finishes"),
)


class NotificationsPanel(QWidget):
    changed = Signal()
    """A notification setting was saved."""
    shortcut_changed = Signal(str)
    """The saved quick-ask shortcut ("Ctrl+Alt+Space"); the app grabs it again."""

    def __init__(self, *, settings: NotificationSettings, save: Callable[..., None],
                 shortcut_problem: Callable[[], str], parent: QWidget | None = None) -> None:
        """`shortcut_problem()` is "" when the shortcut is grabbed, else why not and how to bind the command."""
        super().__init__(parent)
        self._save, self._problem = save, shortcut_problem
        form = QFormLayout(self)
        self.switches: dict[str, QCheckBox] = {}
        for field, text in SWITCHES:
            box = QCheckBox(text)
            box.setAccessibleName(text)
            box.setChecked(bool(getattr(settings, field)))
            box.toggled.connect(lambda on, f=field: self._apply(**{f: on}))
            form.addRow(box)
            self.switches[field] = box
        self.lead = QSpinBox()
        self.lead.setRange(1, 120)
        self.lead.setSuffix(" min before")
        self.lead.setValue(int(settings.meeting_notice_minutes))
        self.lead.setAccessibleName("Minutes before a meeting to notify")
        self.lead.editingFinished.connect(lambda: self._apply(meeting_notice_minutes=self.lead.value()))
        form.addRow("Meeting reminder", self.lead)
        self.quiet = QLineEdit(settings.quiet_hours)
        self.quiet.setPlaceholderText("e.g. 22:00-07:00 (empty: none)")
        self.quiet.setAccessibleName("Quiet hours")
        self.quiet.editingFinished.connect(lambda: self._apply(quiet_hours=self.quiet.text()))
        form.addRow("Quiet hours (no mail notifications)", self.quiet)
        self.shortcut = QKeySequenceEdit(QKeySequence(settings.quick_ask_shortcut))
        self.shortcut.setAccessibleName("Quick ask shortcut")
        self.shortcut.editingFinished.connect(self._shortcut_edited)
        form.addRow("Quick ask, from anywhere", self.shortcut)
        self.shortcut_status = QLabel("")
        self.shortcut_status.setWordWrap(True)
        self.shortcut_status.setObjectName("hint")
        self.shortcut_status.setAccessibleName("Quick ask shortcut status")
        form.addRow(self.shortcut_status)
        self.status = QLabel("")
        self.status.setAccessibleName("Notification settings status")
        form.addRow(self.status)
        self.show_shortcut_state()

    def _apply(self, **changes: object) -> bool:
        saved = save_or_say(self._save, self.status, "Saved.", **changes)
        if saved:
            self.changed.emit()
        return saved

    def _shortcut_edited(self) -> None:
        text = self.shortcut.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        if text and self._apply(quick_ask_shortcut=text):
            self.shortcut_changed.emit(text)

    def show_shortcut_state(self) -> None:
        """Say whether the shortcut works here (call again after the app re-grabbed it)."""
        problem = self._problem()
        self.shortcut_status.setText(problem or "Works in every application while Reflex runs.")
