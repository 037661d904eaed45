"""The capture boundary: what an audio source pushes into, and a paced source for files/generators.

The microphone adapter lives in ui/ (QtMultimedia's `QAudioSource`); it only converts the device's
buffers into `push(...)` calls on an `AudioSink`, so everything after the device — chunking,
encryption at rest, live transcription — is engine code that tests drive without a sound card.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import av
import numpy as np

from engine.speech.audio import SAMPLE_RATE


@runtime_checkable
class AudioSink(Protocol):
    """Receives 16 kHz mono audio as it is captured.

    `frames` is either little-endian int16 PCM (`bytes`, or an int16 array, as `QAudioSource` delivers
    with `QAudioFormat.Int16`) or a float32 array in [-1, 1]. Implementations return quickly (they
    are called on the capture thread, often the GUI thread) and never block on disk or models.
    """

    def push(self, frames: bytes | np.ndarray) -> None: ...


def frames_to_pcm16(frames: bytes | bytearray | memoryview | np.ndarray) -> np.ndarray:
    """Normalise pushed frames to a 1-D int16 array (a copy; the caller's buffer may be reused).

    Raises `ValueError` for other dtypes or an odd byte count, which means a misconfigured source.
    """
    if isinstance(frames, (bytes, bytearray, memoryview)):
        if len(frames) % 2:
            raise ValueError("int16 PCM needs an even number of bytes")
        return np.frombuffer(frames, dtype="<i2").copy()
    array = np.asarray(frames).reshape(-1)
    if array.dtype == np.int16:
        return array.copy()
    if array.dtype in (np.float32, np.float64):
        return (np.clip(array, -1.0, 32767 / 32768) * 32768.0).astype(np.int16)
    raise ValueError(f"unsupported sample type {array.dtype}; push int16 or float32")


def play_into(
    sink: AudioSink,
    audio: np.ndarray,
    *,
    block_s: float = 0.1,
    pace: float = 1.0,
    on_block: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> float:
    """Push `audio` (16 kHz mono, float32 or int16) into `sink` in `block_s` blocks, like a device.

    `pace=1.0` is real time (a generator standing in for a microphone, or "listen along" imports);
    `pace=0` pushes as fast as the sink takes it. Blocks follow an absolute schedule so pacing does not
    drift. `on_block` receives the seconds pushed so far. Returns the seconds pushed (less on cancel).
    Runs on the caller's thread.
    """
    block = max(1, int(block_s * SAMPLE_RATE))
    begin = time.monotonic()
    pushed = 0
    while pushed < len(audio):
        if cancel is not None and cancel.is_set():
            break
        chunk = audio[pushed: pushed + block]
        if pace > 0:
            # A device delivers a block once it has been recorded, i.e. at the block's end.
            delay = begin + (pushed + len(chunk)) / SAMPLE_RATE / pace - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        sink.push(chunk)
        pushed += len(chunk)
        if on_block is not None:
            on_block(pushed / SAMPLE_RATE)
    return pushed / SAMPLE_RATE


class AudioMixer:
    """Mixes several capture streams (e.g. microphone + system-audio monitor) into one `AudioSink`.

    Each `input()` is an `AudioSink` for one device. Mixed audio is pushed to `target` as soon as
    every input has delivered it; an input that falls more than `max_skew_s` behind (device stalled or
    unplugged) is treated as silence for that stretch, so one dead device never stops the recording.
    Samples are summed and clipped to int16. Thread-safe: each device may push from its own thread;
    `target.push` is called under the mixer's lock, in timeline order.
    """

    def __init__(self, target: AudioSink, *, max_skew_s: float = 0.5) -> None:
        self._target = target
        self._max_skew = int(max_skew_s * SAMPLE_RATE)
        self._lock = threading.Lock()
        self._buffers: list[np.ndarray] = []

    def input(self) -> AudioSink:
        """A new input; create all inputs before capture starts."""
        with self._lock:
            self._buffers.append(np.zeros(0, dtype=np.int32))
            return _MixerInput(self, len(self._buffers) - 1)

    def _push(self, index: int, frames: bytes | np.ndarray) -> None:
        pcm = frames_to_pcm16(frames).astype(np.int32)
        with self._lock:
            self._buffers[index] = np.concatenate([self._buffers[index], pcm])
            longest = max(b.size for b in self._buffers)
            ready = min(b.size for b in self._buffers)
            if longest - ready > self._max_skew:
                ready = longest - self._max_skew  # stalled inputs contribute silence up to here
            if ready <= 0:
                return
            mixed = np.zeros(ready, dtype=np.int32)
            for i, buffer in enumerate(self._buffers):
                take = min(ready, buffer.size)
                mixed[:take] += buffer[:take]
                self._buffers[i] = buffer[take:]
            self._target.push(np.clip(mixed, -32768, 32767).astype(np.int16))


class _MixerInput:
    def __init__(self, mixer: AudioMixer, index: int) -> None:
        self._mixer = mixer
        self._index = index

    def push(self, frames: bytes | np.ndarray) -> None:
        self._mixer._push(self._index, frames)  # noqa: SLF001 - the mixer's own helper


class ResamplingSink:
    """Adapts a device that cannot deliver 16 kHz mono (e.g. 48 kHz stereo) to an `AudioSink`.

    `push` takes interleaved frames at `rate` with `channels` channels, as int16 (bytes or array) or
    float32 arrays, and forwards 16 kHz mono int16 to `target` (PyAV's resampler, which keeps
    filter state between pushes so block edges do not click). Not thread-safe: one device, one thread.
    """

    def __init__(self, target: AudioSink, *, rate: int, channels: int = 1) -> None:
        if rate <= 0 or channels not in (1, 2):
            raise ValueError("rate must be positive and channels 1 or 2")
        self._target = target
        self._rate = rate
        self._layout = "mono" if channels == 1 else "stereo"
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)

    def push(self, frames: bytes | np.ndarray) -> None:
        pcm = frames_to_pcm16(frames)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout=self._layout)
        frame.sample_rate = self._rate
        for out in self._resampler.resample(frame):
            self._target.push(out.to_ndarray().reshape(-1))
