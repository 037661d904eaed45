"""A proposed action shown where it was proposed (the scheduling dialog, an RSVP, a Slack reply), with the same
card and the same Confirm / Reject as Chat's list, so the user decides it on the spot.

The card text is plain (the payload comes from mail); Confirm carries it out on the IO pool through the app's
one confirmed-action path (claimed once, so a double click never sends two invitations); Reject closes it. A
failure says why in `status` and the action stays pending (also listed in Chat).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ui.action_card import action_card
from ui.tasks import IO, TaskRunner, human_message
from ui.work_port import WorkPort

__all__ = ["PendingActionBox", "REJECTED"]

REJECTED = "Rejected; nothing was done."


class PendingActionBox(QWidget):
    """Construct on the GUI thread; `show_action(id)` after a proposal returned its action id."""

    shown = Signal(int)
    """action id — its card is on screen, waiting for Confirm or Reject."""
    decided = Signal(str)
    """What happened, in words: it was carried out or rejected (the card is gone)."""
    failed = Signal(str)
    """Why it could not be done; it stays pending and its card stays for another try or Reject."""

    def __init__(self, *, work: WorkPort, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work, self.tasks = work, tasks
        self.action_id = 0
        self.card: QFrame | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Proposed action result")
        self._layout.addWidget(self.status)

    def show_action(self, action_id: int) -> None:
        """Load pending action `action_id` and show its card (nothing when it was already decided)."""
        self.action_id = action_id
        self.tasks.run(lambda: self.work.pending_action(action_id), kind="pending-action", owner=self,
                       on_success=lambda found: self._render(action_id, found))

    def _render(self, action_id: int, found: tuple[str, dict[str, Any]] | None) -> None:
        self._clear_card()
        if found is None:
            self.status.setText("That action was already decided.")
            return
        kind, payload = found
        self.card = action_card(action_id, kind, payload, uncertain=False, decide=self._decide)
        self._layout.insertWidget(0, self.card)
        self.status.setText("Nothing happens until you confirm. It also waits in Chat's list.")
        self.shown.emit(action_id)

    def _clear_card(self) -> None:
        if self.card is not None:
            self.card.deleteLater()
            self.card = None

    def _decide(self, action_id: int, verdict: str) -> None:
        if self.card is not None:
            self.card.setEnabled(False)  # one decision per card; a second click is refused by the store anyway
        if verdict == "confirmed":
            self.status.setText("Carrying it out…")
            self.tasks.run(lambda: self.work.execute_action(action_id), kind="execute-action", owner=self, pool=IO,
                           on_success=self._done, on_failure=self._failed)
        else:
            self.tasks.run(lambda: self.work.reject_action(action_id), kind="reject-action", owner=self,
                           on_success=lambda _none: self._done(REJECTED))

    def _done(self, said: str) -> None:
        self._clear_card()
        self.status.setText(said)
        self.decided.emit(said)

    def _failed(self, error: BaseException) -> None:
        if self.card is not None:
            self.card.setEnabled(True)  # it stayed pending: the user may try again or reject it
        message = human_message(error)
        self.status.setText(message)
        self.failed.emit(message)
