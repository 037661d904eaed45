"""Answering invitations: Accept / Maybe / Decline on an invitation, on Today (every upcoming invitation still
waiting on the user) and in the Inbox (on the invitation mail that is open).

A button only proposes the answer (a pending `rsvp`); its card below asks for Confirm, and only then is the
organizer told. Store and network work runs on the task runner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.pending_action import REJECTED, PendingActionBox
from ui.tasks import TaskRunner, human_message
from ui.widgets import when
from ui.work_port import WorkPort

if TYPE_CHECKING:
    from engine.usecases.scheduling import Invitation

__all__ = ["InvitationsPanel", "RsvpBar"]

_ANSWERS = (("&Accept", "accepted"), ("Ma&ybe", "tentative"), ("&Decline", "declined"))
_SAID = {"needsAction": "not answered yet", "tentative": "you said maybe", "accepted": "you accepted",
         "declined": "you declined"}


class RsvpBar(QFrame):
    """One invitation with its three answers; the chosen answer's pending card appears underneath."""

    proposed = Signal(int)
    """The pending rsvp's action id."""

    def __init__(self, invitation: Invitation, *, work: WorkPort, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.invitation, self.work, self.tasks = invitation, work, tasks
        self.setObjectName("card")
        self.setAccessibleName(f"Invitation: {invitation.title}")
        column = QVBoxLayout(self)
        row = QHBoxLayout()
        organizer = f" · from {invitation.organizer}" if invitation.organizer else ""
        self.label = QLabel(f"{invitation.title}\n{when(invitation.start, work.tz)}{organizer} · "
                            f"{_SAID.get(invitation.response, invitation.response)}")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # an invitation's title is someone else's text
        row.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for text, response in _ANSWERS:
            button = QPushButton(text)
            button.setAccessibleName(f"{text.replace('&', '')} “{invitation.title}”")
            button.clicked.connect(lambda _=False, r=response: self.answer(r))
            row.addWidget(button)
            self.buttons[response] = button
        column.addLayout(row)
        self.pending = PendingActionBox(work=work, tasks=tasks, parent=self)
        self.pending.decided.connect(self._decided)
        column.addWidget(self.pending)
        self._response = ""

    def answer(self, response: str) -> None:
        """Propose `response` (accepted | tentative | declined) and show its card for Confirm."""
        event_id = self.invitation.event_id
        self._response = response
        self.tasks.run(lambda: self.work.rsvp(event_id, response), kind="rsvp", owner=self,
                       on_success=self._proposed,
                       on_failure=lambda error: self.pending.status.setText(human_message(error)))

    def _proposed(self, action_id: int) -> None:
        self.pending.show_action(action_id)
        self.proposed.emit(action_id)

    def _decided(self, said: str) -> None:
        """Once the organizer was told, the invitation is answered (the next calendar sync records it too)."""
        if said != REJECTED:
            for button in self.buttons.values():
                button.setEnabled(False)
            self.label.setText(f"{self.label.text().rsplit(' · ', 1)[0]} · {_SAID[self._response]}")


class InvitationsPanel(QWidget):
    """Today's list of invitations waiting on an answer (hidden when there are none)."""

    loaded = Signal(int)
    """How many invitations are shown."""

    def __init__(self, *, work: WorkPort, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work, self.tasks = work, tasks
        self.bars: list[RsvpBar] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("Invitations to answer")
        self.title.setObjectName("sectionTitle")
        self._layout.addWidget(self.title)
        self.setAccessibleName("Invitations to answer")
        self.setVisible(False)

    def refresh(self) -> None:
        self.tasks.run(self.work.invitations, kind="invitations", owner=self, on_success=self._render)

    def _render(self, invitations: list[Invitation]) -> None:
        for bar in self.bars:
            bar.deleteLater()
        self.bars = [RsvpBar(i, work=self.work, tasks=self.tasks, parent=self) for i in invitations[:6]]
        for bar in self.bars:
            self._layout.addWidget(bar)
        self.title.setText(f"Invitations to answer ({len(invitations)})")
        self.setVisible(bool(invitations))
        self.loaded.emit(len(invitations))
