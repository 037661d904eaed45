"""Link a meeting recording to the calendar event it belongs to.

Pure functions over `models` objects (the caller fetches candidate events for the day from the store).
Time overlap decides; shared attendees break ties between overlapping events (back-to-back meetings,
a recording that started early) and can rescue a weak overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from models import Event, Meeting

MIN_OVERLAP = 0.3
"""Share of the shorter of (recording, event) that must overlap for a link on time alone."""

_ATTENDEE_WEIGHT = 0.5
_OPEN_RECORDING = timedelta(minutes=1)  # a recording still running counts as its first minute


def link_event(meeting: Meeting, events: Sequence[Event], *, min_overlap: float = MIN_OVERLAP) -> Event | None:
    """The event that best matches `meeting`, or None.

    Score = overlap / min(durations) + 0.5 x attendee overlap (Jaccard over lower-cased emails and
    names). Cancelled and all-day events are never linked. An event qualifies with an overlap share
    >= `min_overlap`, or with any overlap when it shares an attendee. Naive datetimes are read as
    local time.
    """
    start = _aware(meeting.started_at)
    end = _aware(meeting.ended_at) if meeting.ended_at else start + _OPEN_RECORDING
    people = {p.strip().lower() for p in meeting.attendees if p.strip()}
    best: tuple[float, Event] | None = None
    for event in events:
        if event.status == "cancelled" or event.all_day:
            continue
        ev_start, ev_end = _aware(event.start), _aware(event.end)
        overlap = (min(end, ev_end) - max(start, ev_start)).total_seconds()
        shortest = max(1.0, min((end - start).total_seconds(), (ev_end - ev_start).total_seconds()))
        share = max(0.0, overlap) / shortest
        shared = _attendee_overlap(people, event)
        if share < min_overlap and not (share > 0 and shared > 0):
            continue
        score = share + _ATTENDEE_WEIGHT * shared
        if best is None or score > best[0]:
            best = (score, event)
    return best[1] if best else None


def apply_event(meeting: Meeting, event: Event) -> Meeting:
    """Copy the event's id, title (only over a default or empty title) and attendees onto `meeting`.

    Attendees are stored as display names (emails for unnamed attendees), merged with any already set.
    Returns the same meeting object for chaining.
    """
    meeting.event_id = event.id
    if not meeting.title or meeting.title.startswith("Meeting "):
        meeting.title = event.title
    names = [a.name or a.email for a in event.attendees if (a.name or a.email)]
    meeting.attendees = list(dict.fromkeys(meeting.attendees + names))
    return meeting


def _attendee_overlap(people: set[str], event: Event) -> float:
    """Jaccard overlap of people: an event attendee matches by email or by name."""
    if not people or not event.attendees:
        return 0.0
    matched = sum(1 for a in event.attendees if {a.email.strip().lower(), a.name.strip().lower()} & people)
    return matched / (len(people) + len(event.attendees) - matched)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()
