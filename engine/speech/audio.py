"""Audio decoding and PCM conversions, all in memory.

Everything the speech engine handles is 16 kHz mono: float32 in [-1, 1] for models, little-endian
int16 bytes for storage (half the size, and what microphones deliver). Files are decoded with PyAV
(bundled FFmpeg, ships with faster-whisper) straight into memory: no temp WAV is ever written, because
a plaintext copy of a meeting on disk is exactly what the encrypted store exists to prevent.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np

from engine.speech.errors import (
    AudioDecodeError,
    AudioTooShort,
    EmptyAudio,
    TranscriptionCancelled,
    UnsupportedAudioFormat,
)

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
"""Samples per second of every array and blob in the speech engine (Whisper's native rate)."""

MIN_DURATION_S = 0.5
"""Shorter clips are rejected: Whisper hallucinates on them and no meeting is that short."""

SUPPORTED_EXTENSIONS = frozenset(
    {".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".webm", ".mp4", ".mov", ".mkv", ".aac"}
)

_CHECK_EVERY_FRAMES = 64  # how often decoding looks at the cancel event / reports progress


def decode_audio(
    source: str | Path | bytes | BinaryIO,
    *,
    on_progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> np.ndarray:
    """Decode an audio or video file to 16 kHz mono float32 samples in memory.

    `source` is a path (its extension must be in `SUPPORTED_EXTENSIONS`), raw bytes, or a binary
    file object; the container is detected from its content. `on_progress` receives the fraction
    of the file decoded (0..1). Runs on the caller's thread.

    Raises `UnsupportedAudioFormat`, `EmptyAudio`, `AudioTooShort`, `AudioDecodeError` (corrupt or
    missing file) or `TranscriptionCancelled`. Nothing is written anywhere.
    """
    name = "audio"
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = path.name
        if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            raise UnsupportedAudioFormat(
                f"{path.name}: '{path.suffix or '(no extension)'}' files cannot be imported.",
                next_step="Use one of: " + ", ".join(sorted(SUPPORTED_EXTENSIONS)) + ".",
            )
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise AudioDecodeError(f"{path.name}: cannot read the file ({exc.strerror}).",
                                   next_step="Check the path and its permissions.") from exc
        if size == 0:
            raise EmptyAudio(f"{path.name} is empty (0 bytes).", next_step="Pick the complete recording.")
        opened: str | BinaryIO = str(path)
    elif isinstance(source, bytes):
        if not source:
            raise EmptyAudio("The audio data is empty.", next_step="Pick the complete recording.")
        opened = io.BytesIO(source)
    else:
        opened = source

    samples = _decode_pcm16(opened, name, on_progress=on_progress, cancel=cancel)
    if samples.size == 0:
        raise EmptyAudio(f"{name} contains no audio samples.", next_step="Pick a file that has sound.")
    duration = samples.size / SAMPLE_RATE
    if duration < MIN_DURATION_S:
        raise AudioTooShort(
            f"{name} is only {duration:.1f} s long.",
            next_step=f"Import a recording of at least {MIN_DURATION_S:g} s.",
        )
    log.debug("decoded %d samples (%.1f s)", samples.size, duration)
    return pcm16_to_float32(samples)


def _decode_pcm16(
    opened: str | BinaryIO,
    name: str,
    *,
    on_progress: Callable[[float], None] | None,
    cancel: threading.Event | None,
) -> np.ndarray:
    """Demux + decode + resample the first audio stream to int16 mono 16 kHz."""
    corrupt = AudioDecodeError(
        f"{name} is not a readable audio or video file (damaged, or not a media file).",
        next_step="Re-export the recording as WAV or MP3 and import it again.",
    )
    pieces: list[np.ndarray] = []
    try:
        with av.open(opened, mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise EmptyAudio(f"{name} has no audio track.", next_step="Pick a file that has sound.")
            stream = container.streams.audio[0]
            total_s = _duration_s(container, stream)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for index, frame in enumerate(_frames(container, stream)):
                for out in resampler.resample(frame):
                    pieces.append(out.to_ndarray().reshape(-1).copy())
                if index % _CHECK_EVERY_FRAMES == 0:
                    if cancel is not None and cancel.is_set():
                        raise TranscriptionCancelled("Import cancelled.")
                    if on_progress is not None and total_s and frame.time is not None:
                        on_progress(min(1.0, max(0.0, frame.time / total_s)))
            for out in resampler.resample(None):
                pieces.append(out.to_ndarray().reshape(-1).copy())
    except (av.FFmpegError, ValueError, EOFError) as exc:
        # ValueError/EOFError: PyAV's error types for unknown containers and truncated headers.
        raise corrupt from exc
    except OSError as exc:
        raise AudioDecodeError(f"{name}: cannot read the file ({exc.strerror}).",
                               next_step="Check the path and its permissions.") from exc
    if on_progress is not None:
        on_progress(1.0)
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)


def _frames(container: av.container.InputContainer, stream: av.audio.stream.AudioStream):
    """Decoded frames of `stream`; a damaged packet mid-file is skipped, as players do."""
    for packet in container.demux(stream):
        try:
            yield from packet.decode()
        except av.error.InvalidDataError:
            log.debug("skipped an undecodable packet")


def _duration_s(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def pcm16_to_float32(samples: np.ndarray | bytes) -> np.ndarray:
    """int16 samples (array or little-endian bytes) -> float32 in [-1, 1)."""
    if isinstance(samples, (bytes, bytearray, memoryview)):
        samples = np.frombuffer(samples, dtype="<i2")
    return samples.astype(np.float32) / 32768.0


def float32_to_pcm16(audio: np.ndarray) -> bytes:
    """float32 in [-1, 1] -> little-endian int16 bytes (clipped), the storage format of audio chunks."""
    clipped = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 32767 / 32768)
    return (clipped * 32768.0).astype("<i2").tobytes()
