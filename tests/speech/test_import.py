"""Importing audio/video files as meetings: all-or-nothing, with clear errors for bad input."""

from __future__ import annotations

import os
import threading
import wave
from pathlib import Path

import numpy as np
import pytest
from speech_helpers import Clip, wer
from test_audio import encode

from engine.speech import (
    SAMPLE_RATE,
    AudioDecodeError,
    AudioTooShort,
    EmptyAudio,
    NoSpeechFound,
    Transcriber,
    TranscriptionCancelled,
    UnsupportedAudioFormat,
    import_file,
    load_audio,
)
from engine.store import Store

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def budget_m4a(tmp_path_factory: pytest.TempPathFactory, budget_clip: Clip) -> Path:
    return encode(tmp_path_factory.mktemp("imports") / "Budget review.m4a", budget_clip.audio, "aac", SAMPLE_RATE)


def test_import_saves_meeting_segments_and_encrypted_audio(store: Store, transcriber: Transcriber,
                                                          budget_clip: Clip, budget_m4a: Path) -> None:
    seen: list[float] = []
    meeting = import_file(store, transcriber, budget_m4a, on_progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and any(0.1 < f < 1.0 for f in seen)
    saved = store.meetings.get(meeting.id)
    assert saved.title == "Budget review" and saved.source == "import" and saved.status == "transcribed"
    assert saved.model == "tiny.en" and saved.language == "en"
    assert wer(budget_clip.text, " ".join(s.text for s in saved.segments)) <= 0.15
    assert (saved.ended_at - saved.started_at).total_seconds() == pytest.approx(budget_clip.duration, abs=1.0)  # stored to the second
    audio = load_audio(store.meetings, meeting.id)
    assert audio.size / SAMPLE_RATE == pytest.approx(budget_clip.duration, abs=0.2)


def test_import_without_keeping_audio(store: Store, transcriber: Transcriber, budget_m4a: Path) -> None:
    meeting = import_file(store, transcriber, budget_m4a, title="No audio", keep_audio=False)
    assert store.meetings.get(meeting.id).segments
    assert load_audio(store.meetings, meeting.id).size == 0


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def silent_wav(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(b"\0\0" * int(seconds * SAMPLE_RATE))
    return path


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda d: write(d / "empty.mp3", b""), EmptyAudio),
        (lambda d: silent_wav(d / "blip.wav", 0.2), AudioTooShort),
        (lambda d: silent_wav(d / "silence.wav", 8.0), NoSpeechFound),
        (lambda d: write(d / "junk.m4a", os.urandom(50_000)), AudioDecodeError),
        (lambda d: write(d / "minutes.docx", b"PK\3\4"), UnsupportedAudioFormat),
    ],
    ids=["empty", "0.2s", "silent", "random-bytes", "wrong-extension"],
)
def test_bad_files_leave_nothing_behind(store: Store, transcriber: Transcriber, tmp_path: Path, make, error) -> None:
    path = make(tmp_path)
    with pytest.raises(error) as err:
        import_file(store, transcriber, path)
    assert err.value.next_step and path.name in str(err.value)
    assert store.meetings.all() == []


def test_cancelling_a_two_hour_import_leaves_nothing(store: Store, transcriber: Transcriber,
                                                      budget_clip: Clip, tmp_path: Path) -> None:
    """A 2-hour file, synthesised cheaply (8 kHz 8-bit WAV of the clip repeated: 58 MB), cancelled early."""
    clip8k = budget_clip.audio[::2]
    pcm_u8 = (np.clip(clip8k, -1, 1) * 127 + 128).astype(np.uint8).tobytes()
    path = tmp_path / "offsite.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        for _ in range(int(7200 / budget_clip.duration) + 1):
            out.writeframes(pcm_u8)
    cancel = threading.Event()
    seen: list[float] = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.02:
            cancel.set()

    with pytest.raises(TranscriptionCancelled):
        import_file(store, transcriber, path, on_progress=progress, cancel=cancel)
    assert seen and seen == sorted(seen) and seen[-1] < 0.1
    assert store.meetings.all() == []
