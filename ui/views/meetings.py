"""Meetings: list, transcript with search and click-to-seek, notes (summary, decisions, action items, open
questions from `engine.assistant.meeting_notes`, built by "Summarize" on the store worker; each item links to
the transcript moment it came from) and flagged moments, Record and Import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QProgressBar, QPushButton,
    QSplitter, QTabWidget, QVBoxLayout, QWidget,
)

from models import Meeting
from ui.playback import PcmPlayer
from ui.tasks import IO, human_message
from ui.views.base import View
from ui.widgets import SafeTextBrowser, mmss, page_header, plain_to_html, when

#: How the summary was made (`MeetingNotes.summary_source`), said above it so nobody mistakes one for the other.
_SUMMARY_SOURCE = {"model": "Written by the model and checked against the transcript.",
                   "extractive": "Key sentences from the transcript."}
_AUDIO_FILTER = "Audio or video (*.wav *.mp3 *.m4a *.ogg *.flac *.webm *.mp4 *.mkv *.mov);;All files (*)"


class MeetingsView(View):
    title = "Meetings"

    summarized = Signal(int)
    """meeting id — its notes were built and stored (and are shown)."""
    meeting_shown = Signal(int)
    """meeting id — its transcript and notes are on screen (after any requested seek)."""

    def __init__(self, *, open_recorder: Callable[[], None] | None = None, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self._meetings: list[Meeting] = []
        self.meeting: Meeting | None = None
        self.notes: Any = None  # engine.assistant.meeting_notes.MeetingNotes of the open meeting
        self._markers: list[tuple[float, str, str]] = []
        self.player = PcmPlayer(self)
        self._audio_for: int | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(page_header("Meetings", "Recorded and imported meetings, transcribed on this computer."), 1)
        self.record_button = QPushButton("Record")
        self.record_button.setObjectName("primary")
        self.record_button.setAccessibleName("Record a meeting")
        self.record_button.setEnabled(open_recorder is not None)
        if open_recorder is not None:
            self.record_button.clicked.connect(open_recorder)
        self.import_button = QPushButton("Import audio…")
        self.import_button.setAccessibleName("Import an audio file")
        self.import_button.clicked.connect(self._choose_file)
        top.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel transcribing")
        self.cancel_button.clicked.connect(lambda: self.tasks.cancel_task("MeetingsView.import", self)
                                           and self._import_done(None))
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        self.progress_box.setVisible(False)
        layout.addWidget(self.progress_box)

        split = QSplitter()
        self.list = QListWidget()
        self.list.setAccessibleName("Meetings")
        self.list.setMinimumWidth(240)
        self.list.currentItemChanged.connect(self._selected)
        split.addWidget(self.list)
        right = QWidget()
        rlayout = QVBoxLayout(right)
        rlayout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel("")
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        rlayout.addWidget(self.heading)
        self.tabs = QTabWidget()
        transcript = QWidget()
        tlayout = QVBoxLayout(transcript)
        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the transcript")
        self.search.setAccessibleName("Search the transcript")
        self.search.textChanged.connect(self._filter_segments)
        self.playback_label = QLabel("Click a line to play from there.")
        self.playback_label.setObjectName("hint")
        self.player.state_changed.connect(self.playback_label.setText)
        self.speaker_button = QPushButton("Name a speaker…")
        self.speaker_button.setAccessibleName("Name a speaker")
        self.speaker_button.setToolTip("Turn “Speaker 1” into a name (the meeting's attendees are offered)")
        self.speaker_button.setEnabled(False)
        self.speaker_button.clicked.connect(self.name_speaker)
        self.turns_button = QPushButton("Fix speakers…")
        self.turns_button.setAccessibleName("Fix speakers turn by turn")
        self.turns_button.setToolTip("Turns are guessed from pauses: set one turn's speaker, split or merge turns")
        self.turns_button.setEnabled(False)
        self.turns_button.clicked.connect(self.fix_turns)
        self.transcribe_button = QPushButton("Transcribe")
        self.transcribe_button.setAccessibleName("Transcribe the recording")
        self.transcribe_button.setToolTip("Transcribe the recorded audio now (again with the speech model chosen in "
                                          "Settings, e.g. a bigger one)")
        self.transcribe_button.setEnabled(False)
        self.transcribe_button.clicked.connect(self.transcribe)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.transcribe_button)
        search_row.addWidget(self.speaker_button)
        search_row.addWidget(self.turns_button)
        search_row.addWidget(self.playback_label)
        tlayout.addLayout(search_row)
        self.segments = QListWidget()
        self.segments.setAccessibleName("Transcript")
        self.segments.setWordWrap(True)
        self.segments.itemClicked.connect(self._seek_item)
        self.segments.itemActivated.connect(self._seek_item)
        tlayout.addWidget(self.segments, 1)
        self.tabs.addTab(transcript, "Transcript")
        notes = QWidget()
        nlayout = QVBoxLayout(notes)
        notes_row = QHBoxLayout()
        self.summarize_button = QPushButton("Summarize")
        self.summarize_button.setAccessibleName("Summarize the meeting")
        self.summarize_button.setToolTip("Summary, decisions, action items and open questions from the transcript; "
                                         "action items go to your commitments, the follow-up email waits in Chat "
                                         "for your confirmation")
        self.summarize_button.setEnabled(False)
        self.summarize_button.clicked.connect(self.summarize)
        self.notes_status = QLabel("Click an item to jump to that moment of the transcript.")
        self.notes_status.setObjectName("hint")
        notes_row.addWidget(self.summarize_button)
        notes_row.addWidget(self.notes_status, 1)
        nlayout.addLayout(notes_row)
        self.summary = SafeTextBrowser(accessible_name="Summary and action items")
        self.summary.anchorClicked.connect(self._notes_link)
        nlayout.addWidget(self.summary, 1)
        self.tabs.addTab(notes, "Summary && actions")
        rlayout.addWidget(self.tabs, 1)
        split.addWidget(right)
        split.setSizes([300, 700])
        layout.addWidget(split, 1)

    # -- list -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.load(self.services.meetings, self._render)

    def _render(self, meetings: list[Meeting]) -> None:
        current = self.meeting.id if self.meeting else None
        self._meetings = meetings
        self.list.blockSignals(True)  # rebuilding the list is not the user picking a meeting
        self.list.clear()
        for m in meetings:
            item = QListWidgetItem(f"{m.title}\n{when(m.started_at, self.services.tz)} · {m.status}")
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            self.list.addItem(item)
            if m.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if not meetings:
            self.heading.setText("No meetings yet. Press Record, or import an audio file.")
        self.loaded.emit()

    def select_target(self, kind: str, ident: int, query: dict[str, str]) -> None:
        """Open meeting `ident`; with `t=<seconds>` select the line at that moment and play from it."""
        seek = float(query["t"]) if "t" in query else None
        self._open(ident, seek)

    def _selected(self, item: QListWidgetItem | None) -> None:
        if item is not None and (self.meeting is None or item.data(Qt.ItemDataRole.UserRole) != self.meeting.id):
            self._open(int(item.data(Qt.ItemDataRole.UserRole)), None)

    def _open(self, meeting_id: int, seek: float | None) -> None:
        services = self.services
        self.load(lambda: services.meeting_page(meeting_id), lambda data: self._show(data, seek), kind="open")

    # -- one meeting ------------------------------------------------------------------------------------
    def _show(self, data: tuple[Meeting | None, list, Any, bool], seek: float | None) -> None:
        meeting, self._markers, self.notes, has_audio = data
        if meeting is None:
            return
        self.meeting = meeting
        self.player.set_audio(b"")
        self._audio_for = None
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == meeting.id:
                self.list.blockSignals(True)
                self.list.setCurrentRow(row)
                self.list.blockSignals(False)
        self.heading.setText(f"{meeting.title} — {when(meeting.started_at, self.services.tz)}"
                             + (f" · {', '.join(meeting.attendees)}" if meeting.attendees else ""))
        self.segments.clear()
        for seg in meeting.segments:
            item = QListWidgetItem(f"[{mmss(seg.start)}] {seg.speaker + ': ' if seg.speaker else ''}{seg.text}")
            item.setData(Qt.ItemDataRole.UserRole, seg.start)
            self.segments.addItem(item)
        self._filter_segments()
        self.summarize_button.setEnabled(bool(meeting.segments))
        self.speaker_button.setEnabled(any(seg.speaker for seg in meeting.segments))
        self.turns_button.setEnabled(bool(meeting.segments))
        self.transcribe_button.setEnabled(has_audio and not self.progress_box.isVisible())
        self.transcribe_button.setText("Re-transcribe" if meeting.segments else "Transcribe")
        self.summarize_button.setText("Summarize again" if self.notes is not None else "Summarize")
        self._render_notes()
        if seek is not None:
            self.seek(seek)
        self.loaded.emit()
        self.meeting_shown.emit(meeting.id)

    def _render_notes(self) -> None:
        meeting, notes = self.meeting, self.notes
        if meeting is None:
            return
        actions = [m for m in self._markers if m[1] == "action item"]
        flagged = [m for m in self._markers if m[1] != "action item"]
        if notes is None:
            body = (f"<h3>Summary</h3><p>{plain_to_html(meeting.summary) or '<i>Not summarized yet: press Summarize.</i>'}</p>")
        else:
            body = (f"<h3>Summary</h3><p><i>{_SUMMARY_SOURCE.get(notes.summary_source, '')}</i></p>"
                    f"<p>{plain_to_html(notes.summary) or '<i>Nothing to summarize.</i>'}</p>"
                    + _notes_list("Key points", [(k.at, k.speaker, k.text) for k in notes.key_points])
                    + _notes_list("Decisions", [(d.at, d.speaker, d.text) for d in notes.decisions])
                    + _notes_list("Action items", [(a.at, a.owner, a.what + (f" (due {a.due:%a %d %b})" if a.due else ""))
                                                   for a in notes.action_items])
                    + _notes_list("Open questions", [(q.at, q.speaker, q.text) for q in notes.open_questions])
                    + (f"<h3>Follow-up draft</h3><p><i>To {plain_to_html(', '.join(notes.follow_up.to))}: "
                       f"{plain_to_html(notes.follow_up.subject)}</i><br>{plain_to_html(notes.follow_up.body)}</p>"
                       "<p><i>Waiting for your confirmation in Chat; never sent by Reflex.</i></p>"
                       if notes.follow_up.body else ""))
        self.summary.setHtml(body + _marker_list("Action items flagged during the meeting", actions)
                             + _marker_list("Important moments", flagged))

    def summarize(self) -> None:
        """Build and store this meeting's notes on a worker (the model writes the summary), then show them."""
        if self.meeting is None or self.meeting.id is None:
            return
        meeting_id, services = self.meeting.id, self.services
        self.summarize_button.setEnabled(False)
        self.notes_status.setText("Summarizing…")
        self.tasks.run(lambda task: services.summarize_meeting(meeting_id, on_progress=task.progress,
                                                               cancel=task.cancel),
                       kind="MeetingsView.summarize", owner=self, pool=IO, on_success=self._summarized,
                       on_failure=self._summarize_failed)

    def name_speaker(self) -> None:
        """Ask which speaker is who (attendees offered), then rename them across the meeting."""
        from engine.speech import speaker_choices
        from ui.speaker_dialog import SpeakerDialog

        meeting = self.meeting
        if meeting is None or meeting.id is None:
            return
        speakers = list(dict.fromkeys(seg.speaker for seg in meeting.segments if seg.speaker))
        self.speaker_dialog = SpeakerDialog(speakers, speaker_choices(meeting.attendees), self)
        self.speaker_dialog.accepted.connect(lambda: self.rename_speaker(self.speaker_dialog.old,
                                                                         self.speaker_dialog.new))
        self.speaker_dialog.open()

    def fix_turns(self) -> None:
        """Open the turn editor on this meeting's turns (read on the store worker); edits reload the transcript."""
        from engine.speech import speaker_choices
        from ui.turn_editor import TurnEditor

        meeting, care = self.meeting, self.services.care
        if meeting is None or meeting.id is None:
            return
        mid = meeting.id

        def opened(turns: list) -> None:
            names = speaker_choices([*meeting.attendees, *(t.speaker for t in turns)])
            self.turn_editor = TurnEditor(turns=turns, names=names, tasks=self.tasks,
                                          fix=lambda t, n: care.fix_turn(mid, t, n),
                                          split=lambda t, at, n: care.split_turn(mid, t, at, n),
                                          merge=lambda t: care.merge_turn(mid, t), parent=self)
            self.turn_editor.changed.connect(lambda: self._open(mid, None))
            self.turn_editor.open()

        self.load(lambda: care.turns(mid), opened, kind="turns",
                  on_failure=lambda exc: self.notes_status.setText(human_message(exc)))

    def rename_speaker(self, old: str, new: str) -> None:
        meeting_id, services = self.meeting.id if self.meeting else None, self.services
        if meeting_id is None:
            return
        self.load(lambda: services.rename_speaker(meeting_id, old, new), lambda _: self._open(meeting_id, None),
                  kind="rename-speaker", on_failure=lambda exc: self.notes_status.setText(human_message(exc)))

    def _summarized(self, notes: Any) -> None:
        self.summarize_button.setEnabled(True)
        self.summarize_button.setText("Summarize again")
        if self.meeting is not None and notes.meeting_id == self.meeting.id:
            self.notes = notes
            self._render_notes()
        self.notes_status.setText(f"{len(notes.decisions)} decisions, {len(notes.action_items)} action items, "
                                  f"{len(notes.open_questions)} open questions. Click one to hear it.")
        self.summarized.emit(notes.meeting_id)

    def _summarize_failed(self, error: BaseException) -> None:
        from ui.tasks import human_message

        self.summarize_button.setEnabled(True)
        self.notes_status.setText(human_message(error).splitlines()[0])

    def _notes_link(self, url: QUrl) -> None:
        if url.scheme() == "seek":
            self.tabs.setCurrentIndex(0)
            self.seek(float(url.path()))

    def _filter_segments(self) -> None:
        needle = self.search.text().strip().lower()
        for row in range(self.segments.count()):
            item = self.segments.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def _seek_item(self, item: QListWidgetItem) -> None:
        self.seek(float(item.data(Qt.ItemDataRole.UserRole)))

    def seek(self, seconds: float) -> None:
        """Select the line spoken at `seconds` and play the recording from there (audio loads once)."""
        best = None
        for row in range(self.segments.count()):
            if float(self.segments.item(row).data(Qt.ItemDataRole.UserRole)) <= seconds + 0.01:
                best = row
        if best is not None:
            self.segments.setCurrentRow(best)
            self.segments.scrollToItem(self.segments.item(best))
        self.seek_position = seconds
        if self.meeting is None:
            return
        if self._audio_for == self.meeting.id:
            self.player.play_from(seconds)
            return
        meeting_id, services = self.meeting.id, self.services
        self.load(lambda: services.meeting_audio(meeting_id),
                  lambda pcm: self._play(meeting_id, pcm, seconds), kind="audio")

    def _play(self, meeting_id: int, pcm: bytes, seconds: float) -> None:
        self._audio_for = meeting_id
        if not pcm:
            self.playback_label.setText(f"At {mmss(seconds)} · no audio was kept for this meeting")
            return
        self.player.set_audio(pcm)
        self.player.play_from(seconds)

    # -- import -----------------------------------------------------------------------------------------
    def _choose_file(self) -> None:
        dialog = QFileDialog(self, "Import a meeting recording", "", _AUDIO_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.import_file)
        dialog.open()

    def import_file(self, path: str) -> None:
        """Transcribe `path` into a new meeting on a worker, with progress and Cancel."""
        services = self.services
        self._speech_work(lambda task: services.import_meeting(path, on_progress=task.progress, cancel=task.cancel))

    def transcribe(self) -> None:
        """Transcribe (or re-transcribe) the open meeting's recorded audio, with progress and Cancel."""
        if self.meeting is None or self.meeting.id is None:
            return
        meeting_id, services = self.meeting.id, self.services
        self.transcribe_button.setEnabled(False)
        self._speech_work(lambda task: services.transcribe_meeting(meeting_id, on_progress=task.progress,
                                                                   cancel=task.cancel))

    def _speech_work(self, work: Callable[[Any], Meeting]) -> None:
        """One transcription at a time (import or recording) on the IO pool, shown in the progress row."""
        self.progress.setValue(0)
        self.progress_box.setVisible(True)
        self.import_button.setEnabled(False)
        self.tasks.run(work, kind="MeetingsView.import", owner=self, pool=IO,
                       on_progress=lambda f: self.progress.setValue(int(f * 1000)),
                       on_success=self._import_done, on_failure=self._import_failed)

    def _import_done(self, meeting: Meeting | None) -> None:
        self.progress_box.setVisible(False)
        self.import_button.setEnabled(True)
        self.refresh()
        if meeting is not None and meeting.id is not None:
            self._open(meeting.id, None)

    def _import_failed(self, error: BaseException) -> None:
        from ui.tasks import human_message, show_error

        self._import_done(None)
        show_error(self, human_message(error))


def _marker_list(title: str, markers: list[tuple[float, str, str]]) -> str:
    if not markers:
        return ""
    rows = "".join(f"<li>[{mmss(at)}] {plain_to_html(note or kind)}</li>" for at, kind, note in markers)
    return f"<h3>{title}</h3><ul>{rows}</ul>"


def _notes_list(title: str, items: list[tuple[float, str, str]]) -> str:
    """A section of notes; each line links (`seek:<seconds>`) to the transcript moment it came from."""
    if not items:
        return f"<h3>{title}</h3><p><i>None found.</i></p>"
    rows = "".join(f'<li><a href="seek:{at:.2f}">[{mmss(at)}]</a> '
                   f"{'<b>' + plain_to_html(who) + '</b>: ' if who else ''}{plain_to_html(text)}</li>"
                   for at, who, text in items)
    return f"<h3>{title}</h3><ul>{rows}</ul>"
