"""The confirm card shows everything that will happen, as plain text (issue #16 item 8): recipients, attendees,
times and the full text; mail-borne markup is shown literally, never rendered; an action a crash left half-done
offers no Confirm."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from ui.action_card import action_card

HOSTILE = '<img src="https://tracker.example/p.gif"><b>Approve</b> <a href="https://evil.example">now</a>'


def _card(qtbot, payload: dict, *, uncertain: bool = False, kind: str = "create_event"):  # noqa: ANN001, ANN202
    decided: list[tuple[int, str]] = []
    card = action_card(7, kind, payload, uncertain=uncertain, decide=lambda a, v: decided.append((a, v)))
    qtbot.addWidget(card)
    [label] = card.findChildren(QLabel)
    buttons = {b.text(): b for b in card.findChildren(QPushButton)}
    _alive.append(card)  # the card owns the label: keep it alive while the test reads it
    return label, buttons, decided


_alive: list = []


def test_the_card_shows_the_whole_payload_as_plain_text(qtbot) -> None:  # noqa: ANN001
    label, buttons, decided = _card(qtbot, {
        "title": "Harborview expansion", "start": "2030-01-08T17:00:00+00:00", "end": "2030-01-08T17:30:00+00:00",
        "attendees": ["mark.delaney@harborview.example", "cfo@corp.example"], "description": HOSTILE,
        "location": "Room 4", "origin": "chat", "summary": "Meeting"})
    text = label.text()
    assert label.textFormat() == Qt.TextFormat.PlainText
    for shown in ("Harborview expansion", "mark.delaney@harborview.example", "cfo@corp.example", "Tue 08 Jan 2030, 17:00",
                  "17:30", "Room 4", HOSTILE):
        assert shown in text
    assert "origin" not in text.lower()
    buttons["Confirm"].click()
    assert decided == [(7, "confirmed")]


def test_a_mail_draft_shows_recipients_and_the_full_text(qtbot) -> None:  # noqa: ANN001
    body = "Hi Dana,\n\n" + "Here are the Q3 numbers you asked for. " * 30 + "\nBest"
    label, _, _ = _card(qtbot, {"to": ["dana@board.example"], "subject": "Q3", "body": body}, kind="draft_email")
    assert "To: dana@board.example" in label.text() and body in label.text()


def test_an_interrupted_action_asks_the_user_to_check_and_offers_no_confirm(qtbot) -> None:  # noqa: ANN001
    label, buttons, decided = _card(qtbot, {"channel": "C1", "text": "On it"}, uncertain=True, kind="slack_reply")
    assert label.text().startswith("May have been done — check")
    assert "Confirm" not in buttons
    buttons["It was done"].click()
    assert decided == [(7, "was-done")]
