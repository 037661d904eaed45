"""A pending action's card: everything that will happen (recipients, attendees, time, text) as PLAIN text, since
the payload comes from mail and must never become markup, with the buttons that decide it.

An action left half-done by a crash ("uncertain") is shown as "may have been done — check" with buttons to say
what the user found, never with Confirm: carrying it out again could send a second invitation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

__all__ = ["action_card", "action_text"]

_INTERNAL = {"origin", "ref"}  # where a proposal came from: not part of what will happen
_LABELS = {
    "to": "To", "subject": "Subject", "body": "Text", "title": "Title", "start": "Starts", "end": "Ends",
    "attendees": "Attendees (will be invited)", "description": "Description", "location": "Location",
    "calendar": "Calendar", "response": "Answer", "note": "Note to the organizer", "account": "Account",
    "channel": "Channel", "thread_ts": "Thread", "text": "Text", "due_date": "Due", "name": "Name",
    "notes": "Notes", "due_on": "Due", "assignee": "Assignee", "workspace": "Workspace", "projects": "Projects",
}

UNCERTAIN = ("May have been done — check. Reflex was interrupted while carrying this out, so it may or may not "
             "have happened. Look in the app it belongs to, then say what you found.")


def _plain(key: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(key, v) for v in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{_LABELS.get(k, k)}: {_plain(k, v)}" for k, v in value.items())
    if key in ("start", "end") and isinstance(value, str):
        try:
            return datetime.fromisoformat(value).strftime("%a %d %b %Y, %H:%M %Z").strip().rstrip(",")
        except ValueError:
            return value
    return str(value)


def action_text(kind: str, payload: dict[str, Any]) -> str:
    """Every field of the action, one per line (long text kept whole), for a plain-text label."""
    lines = [f"Proposed action: {kind.replace('_', ' ')}"]
    lines += [f"{_LABELS.get(k, k.replace('_', ' ').capitalize())}: {_plain(k, v)}"
              for k, v in payload.items() if k not in _INTERNAL]
    return "\n".join(lines)


def action_card(action_id: int, kind: str, payload: dict[str, Any], *, uncertain: bool,
                decide: Callable[[int, str], None]) -> QFrame:
    """`decide(action_id, verdict)` with verdict confirmed | rejected | was-done | was-not-done."""
    card = QFrame()
    card.setObjectName("card")
    column = QVBoxLayout(card)
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # mail text is data, never markup
    label.setText((UNCERTAIN + "\n\n" if uncertain else "") + action_text(kind, payload))
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    column.addWidget(label)
    row = QHBoxLayout()
    row.addStretch(1)
    choices = ((("It was done", "was-done"), ("It was not done", "was-not-done")) if uncertain else
               (("Confirm", "confirmed"), ("Reject", "rejected")))
    for text, verdict in choices:
        button = QPushButton(text)
        button.setAccessibleName(f"{text} action {action_id}")
        button.clicked.connect(lambda _=False, v=verdict: decide(action_id, v))
        row.addWidget(button)
    column.addLayout(row)
    return card
