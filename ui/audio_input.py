"""Microphone capture with QtMultimedia, pushed into the speech engine's `AudioSink`.

`QAudioSource` is opened at 16 kHz, mono, Int16 (what Whisper wants, so no resampling in Python); each
`readyRead` hands the bytes to `sink.push` (the engine only queues them) and reports an RMS level for the
meter. Anything with the same `start(sink)` / `stop()` / `level_changed` / `failed` surface can stand in
(the recorder takes an input factory), which is how tests drive it without a sound card.
"""

from __future__ import annotations

import logging
import math
from typing import Protocol

import numpy as np
from PySide6.QtCore import QIODevice, QObject, Signal, Slot
from PySide6.QtMultimedia import QAudio, QAudioDevice, QAudioFormat, QAudioSource

from engine.speech import SAMPLE_RATE, AudioSink

log = logging.getLogger(__name__)


class AudioInput(Protocol):
    """What the recorder needs from a capture source (GUI thread)."""

    level_changed: Signal  # float in [0, 1]
    failed: Signal  # str, a human message

    def start(self, sink: AudioSink) -> None: ...
    def stop(self) -> None: ...


def level_of(pcm16: bytes) -> float:
    """Loudness in [0, 1] of int16 PCM on a log scale (-60 dBFS .. 0 dBFS), for the level meter."""
    if len(pcm16) < 2:
        return 0.0
    samples = np.frombuffer(pcm16[: len(pcm16) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    rms = float(np.sqrt(np.mean(np.square(samples)))) if samples.size else 0.0
    return 0.0 if rms <= 1e-3 else min(1.0, max(0.0, 1.0 + 20 * math.log10(rms) / 60.0))


class MicrophoneInput(QObject):
    level_changed = Signal(float)
    """Current input level in [0, 1] (about 10 times a second)."""
    failed = Signal(str)
    """The device could not be opened or stopped delivering audio."""

    def __init__(self, device: QAudioDevice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._device = device
        self._source: QAudioSource | None = None
        self._io: QIODevice | None = None
        self._sink: AudioSink | None = None

    def start(self, sink: AudioSink) -> None:
        fmt = QAudioFormat()
        fmt.setSampleRate(SAMPLE_RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if not self._device.isFormatSupported(fmt):
            self.failed.emit(f"{self._device.description()} cannot record 16 kHz mono audio.")
            return
        self._sink = sink
        self._source = QAudioSource(self._device, fmt, self)
        self._source.setBufferSize(SAMPLE_RATE // 5)  # ~100 ms of int16 per read
        self._source.stateChanged.connect(self._state)
        self._io = self._source.start()
        if self._io is None:
            self.failed.emit(f"{self._device.description()} could not be opened.")
            return
        self._io.readyRead.connect(self._read)

    def stop(self) -> None:
        if self._source is not None:
            self._source.stop()
            self._source.deleteLater()
        self._source = self._io = self._sink = None

    @Slot()
    def _read(self) -> None:
        if self._io is None or self._sink is None:
            return
        data = bytes(self._io.readAll())
        if len(data) % 2:
            data = data[:-1]
        if data:
            self._sink.push(data)
            self.level_changed.emit(level_of(data))

    @Slot(QAudio.State)
    def _state(self, state: QAudio.State) -> None:
        if self._source is not None and self._source.error() != QAudio.Error.NoError:
            log.warning("audio input error %s", self._source.error())
            self.failed.emit("The microphone stopped delivering audio. Check the input device.")
