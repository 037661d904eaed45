"""Record now, transcribe later: a meeting recorded without live transcription is transcribed from the Meetings
page (progress, speaker turns), and the retention option then deletes its recording."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone

import pytest

from engine.speech import decode_audio, float32_to_pcm16
from models import Meeting

pytestmark = pytest.mark.model


def test_transcribe_a_recording_later_then_drop_its_audio(qtbot, main_window, services, tmp_path):  # noqa: ANN001
    wav = tmp_path / "later.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "The quarterly budget was approved. We will hire two engineers."],
                   check=True)
    started = datetime(2026, 11, 24, 16, tzinfo=timezone.utc)
    meeting_id = services.store.meetings.create(Meeting("Budget sync", started, started + timedelta(minutes=1),
                                                        status="recorded"))
    services.store.meetings.append_audio(meeting_id, 0, float32_to_pcm16(decode_audio(wav)))
    services.save_settings(drop_audio_after_transcription=True)
    meetings = main_window.page("meetings")
    with qtbot.waitSignal(meetings.meeting_shown, timeout=10000):
        main_window.open_target(f"reflex://meeting/{meeting_id}")
    assert meetings.transcribe_button.isEnabled() and meetings.transcribe_button.text() == "Transcribe"
    with qtbot.waitSignal(meetings.meeting_shown, timeout=60000, check_params_cb=lambda shown: shown == meeting_id):
        meetings.transcribe_button.click()
    lines = [meetings.segments.item(i).text() for i in range(meetings.segments.count())]
    assert "budget" in " ".join(lines).lower() and all("Speaker 1:" in line or "Speaker 2:" in line for line in lines)
    assert not services.store.meetings.has_audio(meeting_id)  # the retention option took the recording
    assert not meetings.transcribe_button.isEnabled()  # nothing left to transcribe from
