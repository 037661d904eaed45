"""Starting a meeting recording: the user's first acknowledgement of the recording notice is kept (Settings shows
when), and a `RecordingSession` records into the encrypted store, transcribing live when a speech model is given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from engine.speech import RecordingSession, Transcriber
from engine.store import Store
from models import TranscriptSegment

__all__ = ["CONSENT_KEY", "acknowledge_recording", "start_recording"]

#: Store setting: when and with which notice the user first acknowledged recording.
CONSENT_KEY = "recording.consent"


def acknowledge_recording(store: Store, notice: str) -> None:
    """Remember the first acknowledgement of `notice` (later ones change nothing)."""
    if not store.settings.get(CONSENT_KEY):
        store.settings.set(CONSENT_KEY, {"at": datetime.now().astimezone().isoformat(), "notice": notice})


def start_recording(store: Store, *, title: str, notice: str, transcriber: Transcriber | None,
                    on_segments: Callable[[list[TranscriptSegment]], None]) -> RecordingSession:
    """A recording session; `transcriber` None records without live transcription."""
    return RecordingSession(store, title=title, transcriber=transcriber, on_segments=on_segments,
                            consent_notice=notice)
