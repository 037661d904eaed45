"""Meeting-level speech operations: import a file, transcribe a recorded meeting later, and close
meetings left open by a crash.

All run on the caller's thread (a worker, never the GUI thread), report progress as a fraction and
honour a cancel event. A cancelled or failed call leaves the store as it was: imports write the
meeting, its segments and its audio in one transaction at the end.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from engine.speech.audio import SAMPLE_RATE, decode_audio, float32_to_pcm16
from engine.speech.errors import NoSpeechFound, RecordingError
from engine.speech.storage import SpeechStore, load_audio
from engine.speech.transcriber import Transcriber
from models import Meeting

log = logging.getLogger(__name__)

IMPORT_CHUNK_S = 30.0
"""Imported audio is stored in chunks of this length (recordings use the session's chunk size)."""

_DECODE_SHARE = 0.1  # part of the progress bar given to decoding; transcription gets the rest


def import_file(
    store: SpeechStore,
    transcriber: Transcriber,
    path: str | Path,
    *,
    title: str = "",
    keep_audio: bool = True,
    language: str | None = None,
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> Meeting:
    """Decode, transcribe and save an audio/video file as a new meeting (source "import").

    `keep_audio=False` is the retention option "drop audio after transcription": only the transcript
    is saved. The file's modification time stands in for the meeting start.
    Raises the `decode_audio` errors, `NoSpeechFound` (silence/noise only) or `TranscriptionCancelled`;
    in every such case nothing was written.
    """
    file = Path(path)

    def scaled(lo: float, hi: float) -> Callable[[float], None] | None:
        if on_progress is None:
            return None
        return lambda fraction: on_progress(lo + fraction * (hi - lo))

    audio = decode_audio(file, on_progress=scaled(0.0, _DECODE_SHARE), cancel=cancel)
    transcript = transcriber.transcribe(audio, language=language, on_progress=scaled(_DECODE_SHARE, 1.0),
                                        cancel=cancel)
    if not transcript.segments:
        raise NoSpeechFound(f"No speech was found in {file.name}.",
                            next_step="Check that the file has audible speech (not only silence or music).")
    try:
        started = datetime.fromtimestamp(file.stat().st_mtime).astimezone() - timedelta(seconds=transcript.duration)
    except OSError:
        started = datetime.now().astimezone()
    meeting = Meeting(
        title=title or file.stem, started_at=started, ended_at=started + timedelta(seconds=transcript.duration),
        source="import", language=transcript.language, model=transcript.model, status="transcribed",
        segments=transcript.segments,
    )
    with store.transaction():
        store.meetings.create(meeting)
        assert meeting.id is not None
        if keep_audio:
            _store_audio(store, meeting.id, audio)
    log.info("imported meeting %d: %.1f s, %d segments", meeting.id, transcript.duration, len(meeting.segments))
    return meeting


def transcribe_meeting(
    store: SpeechStore,
    transcriber: Transcriber,
    meeting_id: int,
    *,
    drop_audio: bool = False,
    language: str | None = None,
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> Meeting:
    """(Re-)transcribe a stored meeting from its encrypted audio, e.g. "record now, transcribe later"
    or a second pass with a bigger model. Replaces the transcript in one transaction at the end.

    `drop_audio=True` deletes the audio in that same transaction (retention). Raises `RecordingError`
    (unknown meeting, no audio kept) or `TranscriptionCancelled` (nothing changed).
    """
    meeting = store.meetings.get(meeting_id, with_segments=False)
    if meeting is None:
        raise RecordingError(f"There is no meeting {meeting_id}.", next_step="List meetings to find its id.")
    audio = load_audio(store.meetings, meeting_id)
    if audio.size == 0:
        raise RecordingError(f"Meeting {meeting_id} has no stored audio to transcribe.",
                             next_step="Its audio was not kept; import the original file again.")
    transcript = transcriber.transcribe(audio, language=language, on_progress=on_progress, cancel=cancel)
    meeting.segments = transcript.segments
    meeting.language, meeting.model, meeting.status = transcript.language, transcript.model, "transcribed"
    with store.transaction():
        store.meetings.replace_segments(meeting_id, transcript.segments)
        store.meetings.update(meeting)
        if drop_audio:
            store.meetings.drop_audio(meeting_id)
    log.info("transcribed meeting %d: %d segments", meeting_id, len(transcript.segments))
    return meeting


def recover_interrupted(store: SpeechStore) -> list[int]:
    """Close meetings still marked "recording" after a crash; call once at start-up, before any new
    recording. Each gets `ended_at` = start + saved audio length and status "new" (its saved audio can
    be transcribed again; the live segments committed before the crash are kept). Returns their ids.
    """
    recovered = []
    for meeting in store.meetings.all():
        if meeting.status != "recording" or meeting.id is None:
            continue
        seconds = sum(len(data) // 2 for _, _, _, data in store.meetings.audio_chunks(meeting.id)) / SAMPLE_RATE
        meeting.ended_at = meeting.started_at + timedelta(seconds=seconds)
        meeting.status = "new"
        store.meetings.update(meeting)
        recovered.append(meeting.id)
        log.info("recovered interrupted meeting %d (%.1f s of audio)", meeting.id, seconds)
    return recovered


def _store_audio(store: SpeechStore, meeting_id: int, audio: np.ndarray) -> None:
    step = int(IMPORT_CHUNK_S * SAMPLE_RATE)
    for seq, begin in enumerate(range(0, audio.size, step)):
        store.meetings.append_audio(meeting_id, seq, float32_to_pcm16(audio[begin: begin + step]))
