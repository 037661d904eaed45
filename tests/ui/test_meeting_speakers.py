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
