"""Meeting intake: what happens to every new or re-transcribed meeting (a recording that stopped, an imported
audio file, a transcription from the kept audio) before the user sees it.

Adopting a meeting links the calendar event it overlaps (title, attendees), splits an unnamed transcript into
pause-based turns ("Speaker 1/2" until the user names them; names the user gave are never replaced), drops the
audio when the retention settings say so, counts it in the local usage figures and announces it on the bus (so
it gets indexed). Threads: a worker (transcription blocks for as long as the audio takes).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from engine.assistant.meeting_notes import link_calendar_event
from engine.assistant.usage import UsageTracker
from engine.errors import EngineError
from engine.events import MEETING_DID_UPDATE, EventBus
from engine.speech import Transcriber, import_file, segment_turns, transcribe_meeting
from engine.store import Store
from models import Meeting

__all__ = ["MeetingIntake"]

Progress = Callable[[float], None]


class MeetingIntake:
    """`transcriber` and `drop_audio` are looked up per meeting, so a speech model or retention setting changed in
    Settings applies to the next one."""

    def __init__(self, *, store: Store, bus: EventBus, usage: UsageTracker, transcriber: Callable[[], Transcriber],
                 drop_audio: Callable[[], bool], busy: Callable[[], AbstractContextManager[object]] = nullcontext,
                 ) -> None:
        self.store, self.bus, self.usage = store, bus, usage
        self._transcriber, self._drop_audio = transcriber, drop_audio
        self._busy = busy  # around each transcription: background work (the embedding backlog) gives way

    def adopt_recorded(self, meeting_id: int) -> None:
        """After a recording stops: adopt it like any new meeting (a meeting already gone is skipped)."""
        meeting = self.store.meetings.get(meeting_id, with_segments=False)
        if meeting is not None:
            self.adopt(meeting)

    def import_file(self, path: str, *, on_progress: Progress | None = None,
                    cancel: threading.Event | None = None) -> Meeting:
        """Transcribe an audio/video file into a new meeting, then adopt it. Raises the speech engine's errors
        (unsupported, silent, cancelled: nothing is kept)."""
        with self._busy():
            meeting = import_file(self.store, self._transcriber(), path, on_progress=on_progress, cancel=cancel)
        self.adopt(meeting)
        return meeting

    def transcribe(self, meeting_id: int, *, on_progress: Progress | None = None,
                   cancel: threading.Event | None = None) -> Meeting:
        """Transcribe (or re-transcribe, e.g. with a bigger model) a recorded meeting from its encrypted audio, then
        adopt it."""
        with self._busy():
            meeting = transcribe_meeting(self.store, self._transcriber(), meeting_id, on_progress=on_progress,
                                         cancel=cancel)
        self.adopt(meeting)
        return meeting

    def adopt(self, meeting: Meeting) -> None:
        link_calendar_event(self.store, meeting)
        segments = [s for s in self.store.meetings.segments(meeting.id) if s.id is not None]
        if segments and not any(s.speaker for s in segments):  # names the user gave are never replaced
            segment_turns(segments)
            self.store.meetings.set_speakers({s.id: s.speaker for s in segments if s.id is not None})
        if segments and self._drop_audio():
            self.store.meetings.drop_audio(meeting.id)  # retention: the transcript stays, the recording goes
        if meeting.ended_at is not None:
            self.usage.meeting_transcribed((meeting.ended_at - meeting.started_at).total_seconds() / 60)
        self.bus.emit(MEETING_DID_UPDATE, meeting_id=meeting.id, status=meeting.status)

    def rename_speaker(self, meeting_id: int, old: str, new: str) -> None:
        """Give a speaker label ("Speaker 2") a name (usually an attendee's) across the meeting, and announce it so
        search and citations use the name. Raises EngineError for an empty name."""
        if not new.strip():
            raise EngineError("A speaker name cannot be empty.", next_step="Type the person's name.")
        self.store.meetings.rename_speaker(meeting_id, old, new.strip())
        self.bus.emit(MEETING_DID_UPDATE, meeting_id=meeting_id, status="renamed")
