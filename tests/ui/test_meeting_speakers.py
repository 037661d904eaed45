"""Meetings page: naming a speaker renames every turn of that voice, offering the attendees."""

from __future__ import annotations


def test_name_a_speaker_from_the_transcript(qtbot, main_window, services, workspace):  # noqa: ANN001
    meetings = main_window.page("meetings")
    with qtbot.waitSignal(meetings.meeting_shown, timeout=10000):
        main_window.open_target(f"reflex://meeting/{workspace['meeting']}")
    assert meetings.speaker_button.isEnabled()
    meetings.name_speaker()
    dialog = meetings.speaker_dialog
    assert [dialog.speaker.itemText(i) for i in range(dialog.speaker.count())] == ["Dana", "Sam"]
    assert [dialog.name.itemText(i) for i in range(dialog.name.count())] == ["Dana", "Sam"]  # the attendees
    dialog.speaker.setCurrentText("Sam")
    dialog.name.setCurrentText("Sam Ortiz (CFO)")
    with qtbot.waitSignal(meetings.meeting_shown, timeout=10000):
        dialog.accept()
    lines = [meetings.segments.item(i).text() for i in range(meetings.segments.count())]
    assert any("Sam Ortiz (CFO): Acme wants forty more robots." in line for line in lines)
    assert {s.speaker for s in services.store.meetings.segments(workspace["meeting"])} == {"Dana", "Sam Ortiz (CFO)"}


def test_fix_one_turn_from_the_meetings_page(qtbot, main_window, services, workspace):  # noqa: ANN001
    from PySide6.QtCore import Qt

    meetings = main_window.page("meetings")
    with qtbot.waitSignal(meetings.meeting_shown, timeout=10000):
        main_window.open_target(f"reflex://meeting/{workspace['meeting']}")
    assert meetings.turns_button.isEnabled()
    qtbot.mouseClick(meetings.turns_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(meetings, "turn_editor", None) is not None, timeout=10000)
    editor = meetings.turn_editor
    assert editor.list.count() == 3 and "pauses" in editor.findChild(type(editor.status)).text()
    editor.list.setCurrentRow(2)  # "Let's send the proposal by Friday." (Dana)
    editor.name.setCurrentText("Sam")
    with qtbot.waitSignal(meetings.meeting_shown, timeout=10000):
        qtbot.mouseClick(editor.fix_button, Qt.MouseButton.LeftButton)
    speakers = [s.speaker for s in services.store.meetings.segments(workspace["meeting"])]
    assert speakers == ["Dana", "Sam", "Sam"]  # only that turn changed; Dana's first line stays hers
    lines = [meetings.segments.item(i).text() for i in range(meetings.segments.count())]
    assert any("Sam: Let's send the proposal by Friday." in line for line in lines)
