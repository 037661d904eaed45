"""Meetings: clicking a transcript line plays the recording from that moment; the audio comes out of the
encrypted store into memory (a QBuffer) and is never written to a file."""

from __future__ import annotations

import os
import tempfile

from PySide6.QtCore import Qt


def test_clicking_a_line_plays_from_there_out_of_memory(qtbot, main_window, services, workspace, tmp_path,  # noqa: ANN001
                                                         monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # anything written to a temp file would land here
    monkeypatch.setenv("TMPDIR", str(temp))
    second = b"\x01\x00" * 16000  # one second of 16 kHz mono s16le
    for seq in range(100):  # 100 s of audio, in the store's chunks
        services.store.meetings.append_audio(workspace["meeting"], seq, second)
    meetings = main_window.show_page("meetings")
    with qtbot.waitSignal(meetings.meeting_shown, timeout=10000):
        meetings.select_target("meeting", workspace["meeting"], {})
    row = next(r for r in range(meetings.segments.count())
               if "Let's send the proposal" in meetings.segments.item(r).text())
    item = meetings.segments.item(row)
    rect = meetings.segments.visualItemRect(item)
    with qtbot.waitSignal(meetings.player.state_changed, timeout=10000) as state:
        qtbot.mouseClick(meetings.segments.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # a machine without a sound card says so instead of failing; either way it starts at the line's moment
    assert state.args[0] in ("Playing from 01:23", "No audio output device")
    assert meetings.player.position_s == 83.5 and meetings.player.duration_s == 100.0
    assert os.listdir(temp) == []  # no temp file, decrypted audio stays in memory
