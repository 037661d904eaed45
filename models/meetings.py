"""Meeting and transcript domain types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class TranscriptSegment:
    """A span of recognised speech; times are seconds from the start of the recording."""

    start: float
    end: float
    text: str
    speaker: str = ""
    meeting_id: int | None = None
    id: int | None = None


@dataclass(slots=True)
class Meeting:
    title: str
    started_at: datetime
    ended_at: datetime | None = None
    event_id: int | None = None
    source: str = "recording"  # recording | import | demo
    language: str = ""
    model: str = ""
    status: str = "new"  # new | recording | transcribing | transcribed | summarized | failed
    attendees: list[str] = field(default_factory=list)
    summary: str = ""
    segments: list[TranscriptSegment] = field(default_factory=list)
    id: int | None = None
