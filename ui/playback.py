"""Plays a meeting's recorded audio from memory (16 kHz mono int16), starting at any second.

Audio never touches disk unencrypted: the PCM comes from the store into a QBuffer and plays through a
QAudioSink. Without an output device (headless machines), `play_from` reports that in `state_changed`
instead of failing.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal
from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSink, QMediaDevices

SAMPLE_RATE = 16000
_BYTES_PER_SECOND = SAMPLE_RATE * 2


class PcmPlayer(QObject):
    state_changed = Signal(str)
    """A human line: 'Playing from 01:23', 'Stopped', 'No audio output device'."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pcm = QByteArray()
        self._buffer: QBuffer | None = None
        self._sink: QAudioSink | None = None
        self.position_s = 0.0

    def set_audio(self, pcm: bytes) -> None:
        self.stop()
        self._pcm = QByteArray(pcm)

    @property
    def duration_s(self) -> float:
        return self._pcm.size() / _BYTES_PER_SECOND

    def play_from(self, seconds: float) -> None:
        """Start playback at `seconds` (clamped to the recording)."""
        self.stop()
        self.position_s = max(0.0, min(seconds, self.duration_s))
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self.state_changed.emit("No audio output device")
            return
        fmt = QAudioFormat()
        fmt.setSampleRate(SAMPLE_RATE)
        fmt.setChannelCount(1)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        offset = int(self.position_s * SAMPLE_RATE) * 2
        self._buffer = QBuffer(self)
        self._buffer.setData(self._pcm.mid(offset))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(device, fmt, self)
        self._sink.stateChanged.connect(self._sink_state)
        self._sink.start(self._buffer)
        self.state_changed.emit(f"Playing from {int(self.position_s) // 60:02d}:{int(self.position_s) % 60:02d}")

    def stop(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None

    def _sink_state(self, state: QAudio.State) -> None:
        if state == QAudio.State.IdleState:
            self.stop()
            self.state_changed.emit("Stopped")
