"""What the speech engine needs from the encrypted store, as protocols.

`engine.store.Store` (with its `MeetingRepo` at `store.meetings`) satisfies these structurally; the
protocols keep the speech code's dependency explicit and small. Audio is stored as `s16le` 16 kHz mono
blobs inside SQLCipher, so it is encrypted at rest with everything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

import numpy as np

from engine.speech.audio import SAMPLE_RATE, pcm16_to_float32
from engine.speech.errors import RecordingError
from models import AuditEntry, Meeting, TranscriptSegment


class MeetingAudioRepository(Protocol):
    """Meetings with their transcript segments, markers and encrypted audio chunks.

    Every write joins an enclosing `store.transaction()` and is durable when the outermost one commits.
    """

    def create(self, meeting: Meeting) -> int: ...
    def update(self, meeting: Meeting) -> None: ...
    def get(self, meeting_id: int, *, with_segments: bool = True) -> Meeting | None: ...
    def all(self) -> list[Meeting]: ...
    def delete(self, meeting_id: int) -> None: ...
    def add_segments(self, meeting_id: int, segments: Iterable[TranscriptSegment]) -> None: ...
    def replace_segments(self, meeting_id: int, segments: Iterable[TranscriptSegment]) -> None: ...
    def segments(self, meeting_id: int) -> list[TranscriptSegment]: ...
    def set_speakers(self, speakers: dict[int, str]) -> None: ...
    def rename_speaker(self, meeting_id: int, old: str, new: str) -> None: ...
    def append_audio(self, meeting_id: int, seq: int, data: bytes, *, sample_rate: int = SAMPLE_RATE,
                     sample_format: str = "s16le") -> None: ...
    def audio_chunks(self, meeting_id: int) -> Iterator[tuple[int, int, str, bytes]]: ...
    def drop_audio(self, meeting_id: int) -> None: ...
    def add_marker(self, meeting_id: int, at: float, kind: str, note: str = "") -> int: ...
    def markers(self, meeting_id: int) -> list[tuple[float, str, str]]: ...


class AuditLog(Protocol):
    """Append-only audit log (`store.audit`): kinds and counts, never content."""

    def add(self, entry: AuditEntry) -> int: ...


class SpeechStore(Protocol):
    """The slice of `engine.store.Store` the speech engine uses."""

    meetings: MeetingAudioRepository
    audit: AuditLog

    def transaction(self) -> AbstractContextManager[Any]: ...


def load_audio(repo: MeetingAudioRepository, meeting_id: int) -> np.ndarray:
    """A meeting's stored audio as one float32 16 kHz mono array (empty if none was kept).

    Raises `RecordingError` for chunks in a format this engine never writes.
    """
    pieces = []
    for seq, rate, fmt, data in repo.audio_chunks(meeting_id):
        if rate != SAMPLE_RATE or fmt != "s16le":
            raise RecordingError(f"Audio chunk {seq} of meeting {meeting_id} is {fmt} at {rate} Hz.",
                                 next_step="Re-import the original file.")
        pieces.append(pcm16_to_float32(data))
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
