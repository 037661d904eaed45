"""Fix speakers dialog on a real store: says turns come from pauses, fixes one turn, splits and merges, each
saved through the turn-edit use-case on the store worker; keyboard-first."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt

from engine.usecases.turn_edits import fix_turn_speaker, meeting_turns, merge_turn_with_next, split_meeting_turn
from models import Meeting, TranscriptSegment
from ui.turn_editor import TurnEditor


def test_fix_split_and_merge_turns(qtbot, store, tasks):  # noqa: ANN001
    lines = [(0, 2, "Hello all."), (6, 8, "Numbers are up."), (8.3, 9, "Twelve percent."), (11, 12, "Great.")]
    mid = store.meetings.create(Meeting("Sync", datetime(2026, 12, 1, tzinfo=timezone.utc), source="test",
                                        segments=[TranscriptSegment(a, b, t) for a, b, t in lines]))
    dialog = TurnEditor(turns=meeting_turns(store, mid), names=["Dana", "Sam"], tasks=tasks,
                        fix=lambda t, n: fix_turn_speaker(store, mid, t, n),
                        split=lambda t, at, n: split_meeting_turn(store, mid, t, at, n),
                        merge=lambda t: merge_turn_with_next(store, mid, t))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.list.hasFocus)
    assert "pauses" in dialog.findChild(type(dialog.status)).text()  # the honest note comes first
    assert dialog.list.count() == 3 and dialog.list.hasFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)  # turn 2: two lines
    assert dialog.split_button.isEnabled() and dialog.merge_button.isEnabled()
    dialog.name.setCurrentText("Sam")
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    assert [t.speaker for t in meeting_turns(store, mid)] == ["Speaker 1", "Speaker 2", "Sam", "Speaker 1"]
    assert dialog.list.count() == 4 and dialog.list.currentRow() == 2
    dialog.list.setCurrentRow(0)
    dialog.name.setCurrentText("Dana")
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        qtbot.mouseClick(dialog.fix_button, Qt.MouseButton.LeftButton)
    assert meeting_turns(store, mid)[0].speaker == "Dana" and "Dana's" in dialog.status.text()
    dialog.list.setCurrentRow(3)
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert [s.speaker for s in store.meetings.segments(mid)][-1] == "Sam"  # "Great." is now the previous turn's


def test_the_first_turn_cannot_merge_and_a_one_line_turn_cannot_split(qtbot, store, tasks):  # noqa: ANN001
    mid = store.meetings.create(Meeting("One", datetime(2026, 12, 1, tzinfo=timezone.utc), source="test",
                                        segments=[TranscriptSegment(0, 1, "Hi.")]))
    dialog = TurnEditor(turns=meeting_turns(store, mid), names=[], tasks=tasks, fix=lambda *a: [],
                        split=lambda *a: [], merge=lambda *a: [])
    qtbot.addWidget(dialog)
    assert not dialog.merge_button.isEnabled() and not dialog.split_button.isEnabled()
    dialog.name.setCurrentText("")
    dialog.fix_turn()
    assert "name" in dialog.status.text()
