"""Live transcription: a worker thread that turns a stream of audio into final transcript segments.

Why this shape: Whisper needs whole phrases (cutting mid-word garbles both halves) and costs the
same ~0.2-0.4 s per call whether it hears 2 s or 10 s of speech. So the worker keeps a rolling window
of not-yet-transcribed audio, runs Silero VAD on it every `step_s`, and transcribes up to the end of
the last phrase that has been followed by `silence_s` of silence. Lag is then about
`silence_s + step_s + one decode` (~1 s on 2 cores). A monologue without pauses is cut at the
quietest point once the window reaches `max_window_s`. Segments are final: they are never revised.

What the file path has and a phrase-at-a-time decoder lacks, it gets back where it can (#19,
bench/speech_wer_bench.py): beam 5 like the file path (greedy decoding made a third to nearly half more errors
on generated meetings: WER 0.33 vs 0.23 and 0.23 vs 0.17), and the end of the text emitted so far as Whisper's
prompt, standing in for `condition_on_previous_text` (a phrase fits one window, so the prompt costing tiny.en
its intermediate timestamps does no harm here). What it cannot get back is the speech *after* a phrase, which
Whisper uses for a phrase's last words: live text stays less accurate than a file pass over the same audio.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps

from engine.speech.audio import SAMPLE_RATE
from engine.speech.transcriber import Transcriber, prompt_tail
from models import TranscriptSegment

log = logging.getLogger(__name__)

_FINISH = object()
_BOUNDARY = object()


class LiveTranscriber:
    """Consumes audio pushed with `feed` and calls `on_segments` with finalised segments.

    Threads: `feed`, `boundary`, `finish` and `close` may be called from any thread; transcription
    and `on_segments` run on the worker thread this object starts. Timestamps are seconds on the
    recording timeline (the position passed to `feed`). An exception in transcription or in
    `on_segments` stops the worker; it is kept in `error` and re-raised by `finish`.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        *,
        on_segments: Callable[[list[TranscriptSegment]], None],
        step_s: float = 0.25,
        silence_s: float = 0.4,
        max_window_s: float = 12.0,
        beam_size: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._transcriber = transcriber
        self._on_segments = on_segments
        self._step = int(step_s * SAMPLE_RATE)
        self._vad = VadOptions(min_silence_duration_ms=int(silence_s * 1000), speech_pad_ms=200)
        self._max_window = int(max_window_s * SAMPLE_RATE)
        self._clock = clock
        self._beam_size = beam_size
        self._context = ""  # the end of what was emitted so far: Whisper's prompt for the next decode
        self._queue: queue.Queue[object] = queue.Queue()
        self._pending = np.zeros(0, dtype=np.float32)
        self._pending_start = 0.0  # timeline seconds of _pending[0]
        self._unexamined = 0  # samples fed since the last VAD pass
        self._arrivals: deque[tuple[float, float]] = deque()  # (timeline end of a feed, wall time)
        self._closed = threading.Event()
        self.lags: list[float] = []
        """Seconds from the moment a segment's last audio was fed to the moment it was emitted."""
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="live-transcriber", daemon=True)
        self._thread.start()

    def feed(self, audio: np.ndarray, position_s: float) -> None:
        """Queue float32 16 kHz mono `audio` that starts at `position_s` on the recording timeline."""
        if not self._closed.is_set():
            audio = np.asarray(audio, dtype=np.float32)
            self._queue.put((audio, position_s, self._clock()))

    def boundary(self) -> None:
        """Transcribe everything pending now (e.g. on pause: audio on either side is not contiguous)."""
        self._queue.put(_BOUNDARY)

    def finish(self, timeout: float | None = None) -> None:
        """Transcribe what is pending, stop the worker, and re-raise its error if it had one."""
        self._queue.put(_FINISH)
        self._thread.join(timeout)
        self._closed.set()
        if self.error is not None:
            raise self.error

    def close(self, timeout: float | None = None) -> None:
        """Stop without transcribing what is pending (a discarded recording); waits for a decode
        already running to end, so no callback fires after this returns."""
        self._closed.set()
        self._queue.put(_FINISH)
        self._thread.join(timeout)

    def _run(self) -> None:
        held: object | None = None  # a control item met while coalescing, handled next in order
        try:
            while not self._closed.is_set():
                item, held = (held, None) if held is not None else (self._queue.get(), None)
                if item is _FINISH:
                    if not self._closed.is_set():
                        self._transcribe_upto(self._pending.size)
                    return
                if item is _BOUNDARY:
                    self._transcribe_upto(self._pending.size)
                    continue
                self._append(item)
                # Coalesce whatever else arrived meanwhile: one VAD pass per step, not per push.
                while self._unexamined < self._step:
                    try:
                        nxt = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if nxt is _FINISH or nxt is _BOUNDARY:
                        held = nxt
                        break
                    self._append(nxt)
                if self._unexamined >= self._step:
                    self._unexamined = 0
                    self._advance()
        except BaseException as exc:  # noqa: BLE001 - surfaced to the owner through finish()
            log.exception("live transcription stopped")
            self.error = exc

    def _append(self, item: object) -> None:
        audio, position_s, arrived = item  # type: ignore[misc]
        if self._pending.size == 0:
            self._pending_start = position_s
        self._pending = np.concatenate([self._pending, audio])
        self._unexamined += audio.size
        self._arrivals.append((position_s + audio.size / SAMPLE_RATE, arrived))

    def _advance(self) -> None:
        """Decide how much of the window is final and transcribe it."""
        size = self._pending.size
        spans = get_speech_timestamps(self._pending, self._vad)
        if not spans:
            keep = SAMPLE_RATE  # a second of lead-in, in case speech is just starting
            if size > 2 * keep:
                self._drop(size - keep)
            return
        # A span ending before the window's end was followed by `silence_s` of silence: final.
        closed = [span["end"] for span in spans if span["end"] < size]
        if closed:
            self._transcribe_upto(closed[-1])
        elif size >= self._max_window:
            self._transcribe_upto(_quietest_cut(self._pending, size - 3 * SAMPLE_RATE, size))

    def _transcribe_upto(self, cut: int) -> None:
        if cut <= 0:
            return
        audio = self._pending[:cut]
        offset = self._pending_start
        result = self._transcriber.transcribe(audio, offset=offset, vad=True, beam_size=self._beam_size,
                                              condition_on_previous_text=False, prompt=self._context)
        if result.segments:
            self._context = prompt_tail(f"{self._context} {result.text}")
        emitted = self._clock()
        cut_s = offset + cut / SAMPLE_RATE
        for seg in result.segments:
            seg.end = min(seg.end, round(cut_s, 2))
            self.lags.append(emitted - self._arrival_of(seg.end))
        self._drop(cut)
        if result.segments:
            self._on_segments(result.segments)

    def _drop(self, count: int) -> None:
        self._pending = self._pending[count:]
        self._pending_start += count / SAMPLE_RATE
        while self._arrivals and self._arrivals[0][0] <= self._pending_start - 30.0:
            self._arrivals.popleft()

    def _arrival_of(self, position_s: float) -> float:
        """Wall time at which the audio at `position_s` had been fed."""
        for end, arrived in self._arrivals:
            if end >= position_s - 1e-3:
                return arrived
        return self._arrivals[-1][1] if self._arrivals else self._clock()


def _quietest_cut(audio: np.ndarray, lo: int, hi: int) -> int:
    """Index of the quietest 50 ms frame in audio[lo:hi] (a forced cut inside continuous speech)."""
    hop = SAMPLE_RATE // 20
    lo = max(0, lo)
    frames = audio[lo: lo + (hi - lo) // hop * hop].reshape(-1, hop)
    if frames.size == 0:
        return hi
    return lo + int(np.argmin(np.square(frames).mean(axis=1))) * hop + hop // 2
