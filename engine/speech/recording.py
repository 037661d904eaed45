"""A recording session: an `AudioSink` that writes a meeting's audio into the encrypted store as it is
captured, with pause/resume, markers, and optional live transcription.

Crash safety: audio is committed in `chunk_s` chunks (1 s by default) by a writer thread, each in its
own transaction (the store runs `synchronous=FULL`), and live segments are committed as they are
finalised. A kill -9 therefore loses at most the last chunk plus what was still queued; the meeting
row (status "recording") and everything committed survive, and `recover_interrupted` closes it.

Timeline: every timestamp (segments, markers, audio) is seconds of *recorded* audio. Paused time is
not recorded and does not advance the timeline, so timestamps always index into the stored audio.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from engine.speech.audio import SAMPLE_RATE, pcm16_to_float32
from engine.speech.capture import frames_to_pcm16
from engine.speech.errors import RecordingError
from engine.speech.live import LiveTranscriber
from engine.speech.storage import SpeechStore
from engine.speech.transcriber import Transcriber
from models import AuditEntry, Meeting, TranscriptSegment

log = logging.getLogger(__name__)

MARKER_KINDS = ("important", "action item")
"""Marker kinds the recorder offers; any other non-empty kind is stored as given."""


@dataclass(frozen=True, slots=True)
class Marker:
    """A user flag at `at` seconds on the recording timeline."""

    at: float
    kind: str
    note: str = ""


class RecordingSession:
    """Records one meeting. Create it when the user presses Record; it creates the meeting row.

    With a `transcriber`, a live worker transcribes as audio arrives and `on_segments` receives each
    batch of final segments (on the worker thread: marshal to the GUI thread yourself) after they are
    committed. Without one, this is "record now, transcribe later" (see `transcribe_meeting`).
    `consent_notice` is the notice the user just acknowledged (the UI shows it before recording);
    its acknowledgement is audited with the meeting id, in the transaction that creates the meeting.

    Threads: `push` is called by the capture thread and only converts and queues; `pause`, `resume`,
    `mark` and `stop` may be called from any thread. Storage and transcription run on worker threads.
    A storage failure is kept in `error` (the UI should show it and stop); `stop` raises it.
    """

    def __init__(
        self,
        store: SpeechStore,
        *,
        title: str = "",
        transcriber: Transcriber | None = None,
        chunk_s: float = 1.0,
        on_segments: Callable[[list[TranscriptSegment]], None] | None = None,
        started_at: datetime | None = None,
        consent_notice: str | None = None,
    ) -> None:
        self._store = store
        self._transcriber = transcriber
        self._on_segments = on_segments
        self._chunk = max(1, int(chunk_s * SAMPLE_RATE))
        started = started_at or datetime.now().astimezone()
        self.meeting = Meeting(
            title=title or f"Meeting {started:%Y-%m-%d %H:%M}", started_at=started, source="recording",
            status="recording", model=transcriber.model_name if transcriber else "",
        )
        with store.transaction():
            store.meetings.create(self.meeting)
            assert self.meeting.id is not None
            if consent_notice is not None:
                store.audit.add(AuditEntry(action="consent", target=f"meeting:{self.meeting.id}", detail={
                    "kind": "recording", "live_transcription": transcriber is not None,
                    "notice_sha256": hashlib.sha256(consent_notice.encode()).hexdigest(),
                }))
        self.meeting_id: int = self.meeting.id
        self._lock = threading.Lock()
        self._state = "recording"
        self._samples = 0  # recorded samples = the timeline position
        self._buffer: list[np.ndarray] = []
        self._buffered = 0
        self._seq = 0
        self.markers: list[Marker] = []
        self.dropped_s = 0.0
        """Seconds pushed while paused or stopped (ignored, by design)."""
        self.error: BaseException | None = None
        self._writes: queue.Queue[tuple[str, object] | None] = queue.Queue()
        self._writer = threading.Thread(target=self._write_loop, name=f"recording-{self.meeting_id}", daemon=True)
        self._writer.start()
        self._live = (
            LiveTranscriber(transcriber, on_segments=self._live_segments) if transcriber is not None else None
        )
        log.info("recording meeting %d (live=%s)", self.meeting_id, transcriber is not None)

    # -- AudioSink ---------------------------------------------------------------------------------
    def push(self, frames: bytes | np.ndarray) -> None:
        """Append captured frames (int16 bytes/array or float32 array, 16 kHz mono). Never blocks on I/O."""
        pcm = frames_to_pcm16(frames)
        with self._lock:
            if self._state != "recording":
                self.dropped_s += pcm.size / SAMPLE_RATE
                return
            position = self._samples / SAMPLE_RATE
            self._samples += pcm.size
            self._buffer.append(pcm)
            self._buffered += pcm.size
            if self._buffered >= self._chunk:
                self._flush_locked()
            if self._live is not None:
                self._live.feed(pcm16_to_float32(pcm), position)

    # -- controls ----------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        """One of "recording", "paused", "stopped"."""
        return self._state

    @property
    def position_s(self) -> float:
        """Seconds recorded so far (paused time excluded)."""
        return self._samples / SAMPLE_RATE

    @property
    def live_lags(self) -> list[float]:
        """Per live segment: seconds from its last audio arriving to its text being emitted."""
        return list(self._live.lags) if self._live is not None else []

    def pause(self) -> None:
        """Stop taking audio; what was captured so far is committed and transcribed."""
        with self._lock:
            if self._state != "recording":
                return
            self._state = "paused"
            self._flush_locked()
            if self._live is not None:
                self._live.boundary()

    def resume(self) -> None:
        with self._lock:
            if self._state == "paused":
                self._state = "recording"

    def mark(self, kind: str, note: str = "") -> Marker:
        """Flag the current position (e.g. "important", "action item"); committed by the writer."""
        if not kind.strip():
            raise RecordingError("A marker needs a kind.", next_step="Use 'important' or 'action item'.")
        with self._lock:
            if self._state == "stopped":
                raise RecordingError("The recording has stopped.", next_step="Start a new recording.")
            marker = Marker(at=round(self._samples / SAMPLE_RATE, 2), kind=kind.strip(), note=note)
            self.markers.append(marker)
            self._writes.put(("marker", marker))
        return marker

    def stop(self) -> Meeting:
        """Commit the rest, finish live transcription, close the meeting; returns it with segments.

        Blocks until the live worker has transcribed the pending tail (about one decode). Raises
        `RecordingError` if storing audio failed at any point (what was committed stays).
        """
        with self._lock:
            if self._state == "stopped":
                raise RecordingError("The recording has already stopped.")
            self._state = "stopped"
            self._flush_locked()
        if self._live is not None:
            try:
                self._live.finish()
            except Exception as exc:  # noqa: BLE001 - reported below, audio is safe regardless
                self.error = self.error or exc
        self._writes.put(None)
        self._writer.join()
        self.meeting.ended_at = datetime.now().astimezone()
        self.meeting.status = "transcribed" if self._transcriber is not None and self.error is None else "new"
        self.meeting.language = "en" if self._transcriber is not None and not self._transcriber.is_multilingual else ""
        self._store.meetings.update(self.meeting)
        if self.error is not None:
            raise RecordingError(
                f"Part of the recording could not be saved ({type(self.error).__name__}).",
                next_step="Free disk space; the saved part is kept and can be transcribed.",
            ) from self.error
        saved = self._store.meetings.get(self.meeting_id)
        assert saved is not None
        log.info("stopped meeting %d: %.1f s, %d segments", self.meeting_id, self.position_s, len(saved.segments))
        return saved

    def discard(self) -> None:
        """Stop without transcribing and delete the meeting with its audio, segments and markers
        (the user cancelled the recording). Safe after `stop`."""
        with self._lock:
            self._state = "stopped"
            self._buffer, self._buffered = [], 0
        if self._live is not None:
            self._live.close()
        self._writes.put(None)
        self._writer.join()
        self._store.meetings.delete(self.meeting_id)
        log.info("discarded meeting %d", self.meeting_id)

    # -- workers -----------------------------------------------------------------------------------
    def _flush_locked(self) -> None:
        if not self._buffered:
            return
        data = np.concatenate(self._buffer).astype("<i2").tobytes()
        self._buffer, self._buffered = [], 0
        self._writes.put(("audio", (self._seq, data)))
        self._seq += 1

    def _write_loop(self) -> None:
        while (item := self._writes.get()) is not None:
            if self.error is not None:
                continue  # storage already failed: drain so the capture thread never blocks
            kind, payload = item
            try:
                if kind == "audio":
                    seq, data = payload  # type: ignore[misc]
                    self._store.meetings.append_audio(self.meeting_id, seq, data)
                else:
                    marker: Marker = payload  # type: ignore[assignment]
                    self._store.meetings.add_marker(self.meeting_id, marker.at, marker.kind, marker.note)
            except Exception as exc:  # noqa: BLE001 - kept for the owner; see `error`
                log.exception("storing recording %d failed", self.meeting_id)
                self.error = exc

    def _live_segments(self, segments: list[TranscriptSegment]) -> None:
        self._store.meetings.add_segments(self.meeting_id, segments)
        if self._on_segments is not None:
            self._on_segments(segments)
