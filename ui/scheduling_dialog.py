"""Propose a meeting: from a person (the People page), a mail thread (the Inbox) or a commitment (Today).

Who and what come from the engine (`WorkPort.meeting_target`: everyone on the thread but the user, the other
side of a promise); both stay editable. "Find free times" lists free slots across the user's calendars (and
the attendees' known busy times) in the user's zone, with the paragraph to paste into a reply. "Propose this
time" adds a pending meeting that is created — with invitations — only after Confirm on its card. Every store
or network call runs on the task runner; the dialog is non-modal (`open()`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from ui.pending_action import PendingActionBox
from ui.tasks import TaskRunner, human_message
from ui.work_port import WorkPort

if TYPE_CHECKING:
    from engine.usecases.scheduling import MeetingTarget, Suggestion

__all__ = ["SchedulingDialog"]


class SchedulingDialog(QDialog):
    """`origin`/`ref`: person + address, thread + message id, or commitment + commitment id."""

    target_loaded = Signal()
    """Who and what the meeting is about are in the fields."""
    slots_found = Signal(int)
    """How many free slots are listed."""
    proposed = Signal(int)
    """The pending meeting's action id (its card is shown for Confirm / Reject)."""

    def __init__(self, *, work: WorkPort, tasks: TaskRunner, origin: str, ref: str, name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work, self.tasks = work, tasks
        self.target: MeetingTarget | None = None
        self.suggestion: Suggestion | None = None
        self.setWindowTitle("Propose a meeting")
        self.setAccessibleName("Propose a meeting")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Meeting title")
        self.attendees_edit = QLineEdit()
        self.attendees_edit.setAccessibleName("Attendees")
        self.attendees_edit.setPlaceholderText("Addresses, separated by commas")
        self.minutes = _spin("Duration in minutes", 15, 240, 30, step=15, suffix=" min")
        self.days = _spin("Days to look ahead", 1, 21, 5, suffix=" days")
        form.addRow("&Title", self.title_edit)
        form.addRow("&With", self.attendees_edit)
        form.addRow("&Duration", self.minutes)
        form.addRow("&Look ahead", self.days)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.find_button = QPushButton("&Find free times")
        self.find_button.setAccessibleName("Find free times")
        self.find_button.clicked.connect(self.find_slots)
        row.addWidget(self.find_button)
        self.status = QLabel("Loading…")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Scheduling status")
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.slots = QListWidget()
        self.slots.setAccessibleName("Free times")
        self.slots.currentRowChanged.connect(lambda r: self.propose_button.setEnabled(r >= 0))
        self.slots.itemActivated.connect(lambda _item: self.propose())
        layout.addWidget(self.slots, 1)
        self.proposal = QPlainTextEdit()
        self.proposal.setReadOnly(True)
        self.proposal.setAccessibleName("Proposal to paste into a reply")
        self.proposal.setMaximumHeight(110)
        layout.addWidget(self.proposal)
        actions = QHBoxLayout()
        self.copy_button = QPushButton("&Copy proposal")
        self.copy_button.setAccessibleName("Copy the proposal")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.proposal.toPlainText()))
        self.propose_button = QPushButton("&Propose this time")
        self.propose_button.setAccessibleName("Propose the selected time")
        self.propose_button.setEnabled(False)
        self.propose_button.clicked.connect(self.propose)
        actions.addWidget(self.copy_button)
        actions.addStretch(1)
        actions.addWidget(self.propose_button)
        layout.addLayout(actions)
        self.pending = PendingActionBox(work=work, tasks=tasks, parent=self)
        layout.addWidget(self.pending)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(560, 620)
        tasks.run(lambda: work.meeting_target(origin, ref, name), kind="meeting-target", owner=self,
                  on_success=self._show_target, on_failure=self._failed)

    def _show_target(self, target: MeetingTarget) -> None:
        self.target = target
        self.title_edit.setText(target.title)
        self.attendees_edit.setText(", ".join(target.attendees))
        self.target_loaded.emit()
        self.find_slots()

    def attendees(self) -> list[str]:
        return [a.strip() for a in self.attendees_edit.text().replace(";", ",").split(",") if a.strip()]

    def find_slots(self) -> None:
        """List free slots for the attendees, duration and window in the fields (store worker)."""
        people, minutes, days = self.attendees(), self.minutes.value(), self.days.value()
        self.status.setText("Looking at your calendars…")
        self.find_button.setEnabled(False)
        self.tasks.run(lambda: self.work.free_slots(people, minutes=minutes, days=days), kind="free-slots",
                       owner=self, on_success=self._show_slots, on_failure=self._failed)

    def _show_slots(self, suggestion: Suggestion) -> None:
        self.suggestion = suggestion
        self.find_button.setEnabled(True)
        self.slots.clear()
        for slot in suggestion.slots:
            item = QListWidgetItem(slot.label())
            self.slots.addItem(item)
        self.proposal.setPlainText(suggestion.proposal)
        self.status.setText(f"{len(suggestion.slots)} free times, in your zone." if suggestion.slots
                            else "No free time in that window: look further ahead or shorten the meeting.")
        if suggestion.slots:
            self.slots.setCurrentRow(0)
        self.slots_found.emit(len(suggestion.slots))

    def propose(self) -> None:
        """Add the selected time as a pending meeting and show its card (nothing is created yet)."""
        row = self.slots.currentRow()
        if self.target is None or self.suggestion is None or not 0 <= row < len(self.suggestion.slots):
            return
        target, slot = self.target, self.suggestion.slots[row]
        title, people = self.title_edit.text(), self.attendees()
        self.propose_button.setEnabled(False)
        self.tasks.run(lambda: self.work.propose_meeting(target, slot, title=title, attendees=people),
                       kind="propose-meeting", owner=self, on_success=self._proposed, on_failure=self._failed)

    def _proposed(self, action_id: int) -> None:
        self.propose_button.setEnabled(True)
        self.status.setText("Proposed: confirm it below to create it and send the invitations.")
        self.pending.show_action(action_id)
        self.proposed.emit(action_id)

    def _failed(self, error: BaseException) -> None:
        self.find_button.setEnabled(True)
        self.propose_button.setEnabled(self.slots.currentRow() >= 0)
        self.status.setText(human_message(error))


def _spin(name: str, low: int, high: int, value: int, *, step: int = 1, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setAccessibleName(name)
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin
