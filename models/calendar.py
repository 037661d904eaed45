"""Calendar domain types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Attendee:
    email: str
    name: str = ""
    response: str = "needsAction"  # accepted | declined | tentative | needsAction
    organizer: bool = False


@dataclass(slots=True)
class Event:
    """One calendar event instance (recurring series are expanded to instances for a window)."""

    account: str
    provider_id: str
    title: str
    start: datetime
    end: datetime
    calendar: str = "primary"
    description: str = ""
    location: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    organizer: str = ""
    conference_url: str = ""
    status: str = "confirmed"  # confirmed | tentative | cancelled
    recurring_id: str = ""
    all_day: bool = False
    recurrence: list[str] = field(default_factory=list)  # RRULE lines of a series Reflex creates (reads expand)
    id: int | None = None
