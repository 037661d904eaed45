"""The recorder window with a generated audio source (no sound card here): consent, level meter, live
transcript, markers, pause, stop -> saved meeting; the consent acknowledgement is audited."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from engine.speech import SAMPLE_RATE, decode_audio
from engine.usecases.recording import CONSENT_KEY
from ui.audio_input import level_of
from ui.recorder import RecorderWindow

BLOCK = SAMPLE_RATE // 10  # 100 ms, as a device would deliver


class GeneratedInput(QObject):
    """Pushes prepared 16 kHz audio in 100 ms blocks from a timer, like QAudioSource's readyRead."""

    level_changed = Signal(float)
    failed = Signal(str)

    def __init__(self, audio: np.ndarray, *, interval_ms: int = 10) -> None:
        super().__init__()
        self.pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
        self.offset = 0
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._push)
        self.sink = None

    def start(self, sink) -> None:  # noqa: ANN001
        self.sink = sink
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _push(self) -> None:
        block = self.pcm[self.offset: self.offset + BLOCK * 2]
        if not block:
            self.timer.stop()
            return
        self.offset += len(block)
        self.sink.push(block)
        self.level_changed.emit(level_of(block))


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> np.ndarray:  # noqa: ANN001
    wav = tmp_path_factory.mktemp("audio") / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "The quarterly budget was approved. "
                    "We will hire two engineers next month."], check=True)
    audio = decode_audio(wav)
    return np.concatenate([audio, np.zeros(SAMPLE_RATE, dtype=np.float32)])  # trailing silence ends the phrase


@pytest.mark.model
def test_record_with_consent_live_transcript_markers_and_stop(qtbot, services, facade, tasks, speech):  # noqa: ANN001
    source = GeneratedInput(speech)
    window = RecorderWindow(services=facade, tasks=tasks, input_factory=lambda device: source)
    qtbot.addWidget(window)
    window.show()
    assert window.windowFlags() & window.windowFlags().WindowStaysOnTopHint
    window.record_button.click()
    qtbot.waitUntil(lambda: getattr(window, "consent_dialog", None) is not None and window.consent_dialog.isVisible(),
                    timeout=5000)
    assert services.settings.recording_consent_notice in window.consent_dialog.findChild(type(window.status)).text()
    with qtbot.waitSignal(window.recording_changed, timeout=30000) as started:
        window.consent_dialog.accept_button.click()
    assert started.args == [True] and window.state == "recording"
    assert services.store.settings.get(CONSENT_KEY)["notice"] == services.settings.recording_consent_notice
    [first] = services.store.audit.since(action="consent")
    assert first.target == f"meeting:{window.session.meeting_id}"  # audited for this meeting
    qtbot.waitUntil(lambda: window.level.value() > 0, timeout=5000)
    qtbot.waitUntil(lambda: not source.timer.isActive(), timeout=20000)  # all speech pushed
    window.mark("action item")
    window.toggle_pause()  # pausing commits and transcribes what was captured so far
    assert window.state == "paused" and window.pause_button.text() == "Resume"
    window.toggle_pause()
    assert window.state == "recording"
    with qtbot.waitSignal(window.finished, timeout=30000) as done:
        window.stop_button.click()
    meeting = done.args[0]
    text = " ".join(s.text for s in meeting.segments).lower()
    assert "budget" in text and "engineers" in text
    live = [window.transcript.item(i).text() for i in range(window.transcript.count())]
    assert any("action item" in line for line in live)
    assert services.store.meetings.markers(meeting.id)[0][1] == "action item"
    assert window.open_button.isVisible() and not window.recording
    # The next meeting asks again (its participants must hear the notice too), and is audited on its own.
    window.record_button.click()
    qtbot.waitUntil(lambda: window.consent_dialog.isVisible(), timeout=5000)
    assert window.state == "starting" and window.session is None
    with qtbot.waitSignal(window.recording_changed, timeout=30000):
        window.consent_dialog.accept_button.click()
    second = window.session.meeting_id
    assert sorted(e.target for e in services.store.audit.since(action="consent")) == sorted(
        [first.target, f"meeting:{second}"])
    with qtbot.waitSignal(window.finished, timeout=30000):
        window.stop()


def test_declining_consent_does_not_record(qtbot, services, facade, tasks):  # noqa: ANN001
    window = RecorderWindow(services=facade, tasks=tasks, input_factory=lambda device: GeneratedInput(np.zeros(10)))
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: getattr(window, "consent_dialog", None) is not None and window.consent_dialog.isVisible(),
                    timeout=5000)
    window.consent_dialog.reject()
    assert window.state == "idle" and window.session is None
    assert services.store.meetings.all() == [] and services.store.settings.get(CONSENT_KEY) is None


def test_level_meter_scale():
    silence = np.zeros(1600, dtype="<i2").tobytes()
    loud = (np.sin(np.arange(1600) / 5) * 30000).astype("<i2").tobytes()
    assert level_of(silence) == 0.0 and level_of(loud) > 0.9


@pytest.mark.model
def test_mic_plus_system_audio_are_mixed_into_one_recording(qtbot, services, facade, tasks, speech):  # noqa: ANN001
    t = np.arange(len(speech), dtype=np.float32) / SAMPLE_RATE
    tone = (0.2 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)  # "the other side of the call"
    sources = {"mic": GeneratedInput(speech), "monitor": GeneratedInput(tone)}
    window = RecorderWindow(services=facade, tasks=tasks,
                            input_factory=lambda device: sources["monitor" if device == "monitor" else "mic"])
    qtbot.addWidget(window)
    window.monitor_device = "monitor"  # as if PulseAudio offered "Monitor of Built-in Audio"
    window.system_audio.setChecked(True)
    window.record_button.click()
    qtbot.waitUntil(lambda: window.consent_dialog.isVisible(), timeout=5000)
    with qtbot.waitSignal(window.recording_changed, timeout=30000):
        window.consent_dialog.accept_button.click()
    qtbot.waitUntil(lambda: not sources["mic"].timer.isActive() and not sources["monitor"].timer.isActive(),
                    timeout=20000)
    with qtbot.waitSignal(window.finished, timeout=30000) as done:
        window.stop_button.click()
    meeting = done.args[0]
    from engine.speech import load_audio

    audio = load_audio(services.store.meetings, meeting.id)
    assert len(audio) >= 0.9 * len(speech)
    spectrum = np.abs(np.fft.rfft(audio[: SAMPLE_RATE * 2]))
    freqs = np.fft.rfftfreq(SAMPLE_RATE * 2, 1 / SAMPLE_RATE)
    assert freqs[np.argmax(spectrum)] == pytest.approx(440.0, abs=5)  # the system audio is in the recording
    assert "budget" in " ".join(s.text for s in meeting.segments).lower()  # ... and so is the microphone
