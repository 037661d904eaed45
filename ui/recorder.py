"""The meeting recorder: a compact, always-on-top window with an input picker, level meter, elapsed time,
live transcript, pause/resume, markers, and Stop -> a short summary of what was captured.

Before the first recording it shows the consent notice from Settings; the acknowledgement is saved and
audited, and recording starts only after it. Capture goes through an `AudioInput` (the microphone by default,
any generated source in tests) into the speech engine's `RecordingSession`, which stores encrypted audio
and transcribes live on its own threads. Starting and stopping (model load, final transcription) run on the
task runner, never on the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QProgressBar,
    QPushButton,
    QVBoxLayout, QWidget,
)

from models import Meeting, TranscriptSegment
from ui.audio_input import AudioInput, MicrophoneInput
from ui.facade import AppFacade
from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import mmss

InputFactory = Callable[[QAudioDevice | None], AudioInput]


class ConsentDialog(QDialog):
    def __init__(self, notice: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you record")
        self.setAccessibleName("Recording consent")
        layout = QVBoxLayout(self)
        text = QLabel(f"{notice}\n\nTell everyone in the meeting before you start. Audio and transcript stay "
                      "encrypted on this computer.")
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton("I have told the participants", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class RecorderWindow(QWidget):
    recording_changed = Signal(bool)
    """Recording started (True) or ended (False): the tray and main window follow it."""
    finished = Signal(object)
    """The stopped `Meeting` with its transcript (the summary view is showing)."""
    open_meeting = Signal(int)
    """The user wants to see meeting <id> in the main window."""
    _segments_arrived = Signal(object)

    def __init__(self, *, services: AppFacade, tasks: TaskRunner, input_factory: InputFactory | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.services, self.tasks = services, tasks
        self._custom_input = input_factory is not None
        self._input_factory = input_factory or (lambda device: MicrophoneInput(device))  # type: ignore[arg-type]
        self.session = None
        self.input: AudioInput | None = None
        self.system_input: AudioInput | None = None
        self.meeting: Meeting | None = None
        self._started = 0.0
        self._paused_total = 0.0
        self._paused_at = 0.0
        self.setWindowTitle("Reflex recorder")
        self.setAccessibleName("Meeting recorder")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLineEdit()
        self.title.setPlaceholderText(f"Meeting {datetime.now():%Y-%m-%d %H:%M}")
        self.title.setAccessibleName("Meeting title")
        top.addWidget(self.title, 1)
        self.devices = QComboBox()
        self.devices.setAccessibleName("Input device")
        top.addWidget(self.devices)
        layout.addLayout(top)
        self.live = QCheckBox("Transcribe live (otherwise record now, transcribe later from the Meetings page)")
        self.live.setAccessibleName("Transcribe live")
        self.live.setChecked(True)
        layout.addWidget(self.live)
        self.system_audio = QCheckBox("Also record system audio (the other side of a call)")
        self.system_audio.setAccessibleName("Also record system audio")
        self.system_audio.setVisible(False)  # shown when the OS offers a monitor/loopback input
        layout.addWidget(self.system_audio)
        meter = QHBoxLayout()
        self.level = QProgressBar()
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.level.setAccessibleName("Input level")
        self.elapsed = QLabel("00:00")
        self.elapsed.setAccessibleName("Elapsed time")
        meter.addWidget(self.level, 1)
        meter.addWidget(self.elapsed)
        layout.addLayout(meter)
        self.transcript = QListWidget()
        self.transcript.setAccessibleName("Live transcript")
        self.transcript.setWordWrap(True)
        layout.addWidget(self.transcript, 1)
        buttons = QHBoxLayout()
        self.record_button = QPushButton("Record")
        self.record_button.setObjectName("primary")
        self.record_button.setAccessibleName("Start recording")
        self.record_button.clicked.connect(self.start)
        self.pause_button = QPushButton("Pause")
        self.pause_button.setAccessibleName("Pause or resume")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.important_button = QPushButton("★ Important")
        self.important_button.setAccessibleName("Mark an important moment")
        self.important_button.clicked.connect(lambda: self.mark("important"))
        self.action_button = QPushButton("✓ Action item")
        self.action_button.setAccessibleName("Mark an action item")
        self.action_button.clicked.connect(lambda: self.mark("action item"))
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop recording")
        self.stop_button.clicked.connect(self.stop)
        for b in (self.record_button, self.pause_button, self.important_button, self.action_button, self.stop_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Recorder status")
        layout.addWidget(self.status)
        self.open_button = QPushButton("Open in Meetings")
        self.open_button.setAccessibleName("Open the meeting in the main window")
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(lambda: self.meeting and self.open_meeting.emit(self.meeting.id))
        layout.addWidget(self.open_button)
        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._tick)
        self._segments_arrived.connect(self._add_segments)
        self.reload_devices()
        self._set_state("idle")
        self.resize(460, 380)

    # -- devices ------------------------------------------------------------------------------------------
    def reload_devices(self) -> None:
        self.devices.clear()
        for device in QMediaDevices.audioInputs():
            self.devices.addItem(device.description(), device)
        default = QMediaDevices.defaultAudioInput()
        if not default.isNull():
            self.devices.setCurrentIndex(max(0, self.devices.findText(default.description())))
        if self.devices.count() == 0:
            self.devices.addItem("No microphone found", None)
            if not self._custom_input:
                self.status.setText("No microphone found. Connect one, or import a recording in Meetings.")
        self.monitor_device = next((d for d in QMediaDevices.audioInputs() if _is_monitor(d)), None)
        self.system_audio.setVisible(self.monitor_device is not None)

    @property
    def recording(self) -> bool:
        return self.session is not None

    # -- start --------------------------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Start recording after the consent notice, which the user acknowledges for every meeting (the people in
        the room must hear it each time); the acknowledgement is audited per meeting by the recording session."""
        if self.session is not None or self.tasks.running("recorder", self):
            return
        self._set_state("starting")
        self.consent_dialog = ConsentDialog(self.services.settings.recording_consent_notice, self)
        self.consent_dialog.accepted.connect(self._consented)
        self.consent_dialog.rejected.connect(lambda: self._set_state("idle"))
        self.consent_dialog.open()

    def _consented(self) -> None:
        services, notice = self.services, self.services.settings.recording_consent_notice
        # when the user first acknowledged recording at all (shown in Settings)
        self.tasks.run(lambda: services.acknowledge_recording(notice), kind="recorder", owner=self, on_success=lambda _: self._begin(notice),
                       on_failure=self._start_failed)

    def _begin(self, notice: str) -> None:
        services, title = self.services, self.title.text().strip() or self.title.placeholderText()
        live = self.live.isChecked()
        self.status.setText("Preparing the speech model…" if live else "Starting…")
        self.tasks.run(lambda: services.start_recording(title=title, live=live, notice=notice,
                                                        on_segments=self._segments_arrived.emit),
                       kind="recorder", owner=self, pool=IO, on_success=self._recording, on_failure=self._start_failed)

    def _recording(self, session: object) -> None:
        self.session = session
        self.transcript.clear()
        self.input = self._input_factory(self.devices.currentData())
        self.input.level_changed.connect(self._level)
        self.input.failed.connect(self._input_failed)
        if self.system_audio.isChecked() and self.monitor_device is not None:
            # Microphone + system audio, mixed in the engine onto one timeline before it reaches the session.
            from engine.speech.capture import AudioMixer

            mixer = AudioMixer(session)  # type: ignore[arg-type]
            self.system_input = self._input_factory(self.monitor_device)
            self.system_input.failed.connect(self._input_failed)
            self.input.start(mixer.input())
            self.system_input.start(mixer.input())
        else:
            self.input.start(session)  # type: ignore[arg-type]
        self._started, self._paused_total, self._paused_at = time.monotonic(), 0.0, 0.0
        self._clock.start()
        self._set_state("recording")
        self.status.setText("Recording. Audio and transcript are saved encrypted as you go.")
        self.recording_changed.emit(True)

    def _start_failed(self, error: BaseException) -> None:
        self._set_state("idle")
        self.status.setText(human_message(error))

    # -- while recording -------------------------------------------------------------------------------------
    def toggle_pause(self) -> None:
        if self.session is None:
            return
        if self.session.state == "recording":
            self.session.pause()
            self._paused_at = time.monotonic()
            self._set_state("paused")
        else:
            self.session.resume()
            self._paused_total += time.monotonic() - self._paused_at
            self._set_state("recording")

    def mark(self, kind: str) -> None:
        if self.session is not None:
            marker = self.session.mark(kind)
            self.transcript.addItem(f"[{mmss(marker.at)}] — {kind} —")
            self.transcript.scrollToBottom()

    @Slot(object)
    def _add_segments(self, segments: list[TranscriptSegment]) -> None:
        for seg in segments:
            self.transcript.addItem(f"[{mmss(seg.start)}] {seg.text}")
        self.transcript.scrollToBottom()

    @Slot(float)
    def _level(self, value: float) -> None:
        self.level.setValue(int(value * 100))

    @Slot(str)
    def _input_failed(self, message: str) -> None:
        self.status.setText(message)
        self.stop()

    def _tick(self) -> None:
        paused = (time.monotonic() - self._paused_at) if self._paused_at and self.session and \
            self.session.state == "paused" else 0.0
        self.elapsed.setText(mmss(time.monotonic() - self._started - self._paused_total - paused))

    # -- stop ------------------------------------------------------------------------------------------------
    @Slot()
    def stop(self) -> None:
        """Stop capture, let the engine finish the transcript (on a worker), then show the summary."""
        session = self.session
        if session is None or self.tasks.running("recorder-stop", self):
            return
        for source in (self.input, self.system_input):
            if source is not None:
                source.stop()
        self._clock.stop()
        self.level.setValue(0)
        self._set_state("stopping")
        self.status.setText("Finishing the transcript…")
        self.tasks.run(session.stop, kind="recorder-stop", owner=self, pool=IO, on_success=self._stopped,
                       on_failure=self._stop_failed)

    def _stopped(self, meeting: Meeting) -> None:
        self.session, self.input, self.system_input, self.meeting = None, None, None, meeting
        self._set_state("idle")
        words = sum(len(s.text.split()) for s in meeting.segments)
        self.status.setText(f"Saved “{meeting.title}”: {mmss(meeting.segments[-1].end if meeting.segments else 0)} "
                            f"transcribed, {len(meeting.segments)} segments, {words} words.")
        self.open_button.setVisible(True)
        self.recording_changed.emit(False)
        self.finished.emit(meeting)

    def _stop_failed(self, error: BaseException) -> None:
        self.session, self.input, self.system_input = None, None, None
        self._set_state("idle")
        self.status.setText(human_message(error))
        self.recording_changed.emit(False)

    def toggle(self) -> None:
        """Start or stop (tray menu, Ctrl+Shift+R)."""
        self.show()
        self.raise_()
        if self.session is None:
            self.start()
        else:
            self.stop()

    def _set_state(self, state: str) -> None:
        recording = state in ("recording", "paused")
        self.record_button.setEnabled(state == "idle" and (self._custom_input or self.devices.currentData() is not None))
        self.pause_button.setEnabled(recording)
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.important_button.setEnabled(recording)
        self.action_button.setEnabled(recording)
        self.stop_button.setEnabled(recording)
        self.devices.setEnabled(state == "idle")
        self.system_audio.setEnabled(state == "idle")
        if state != "idle":
            self.open_button.setVisible(False)
        self.state = state

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if self.session is not None:  # closing the window must not lose a recording: stop and save it
            self.stop()
        super().closeEvent(event)


def _is_monitor(device: QAudioDevice) -> bool:
    """PulseAudio/PipeWire expose what the speakers play as "Monitor of …" inputs (id ending in .monitor)."""
    ident = bytes(device.id().data()).decode(errors="ignore").lower()
    return ident.endswith(".monitor") or device.description().lower().startswith("monitor of")
