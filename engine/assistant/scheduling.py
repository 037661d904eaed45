"""Scheduling: free slots across the user's calendars, a proposal for a reply, and confirmed event creation.

Busy time = every stored event (all the user's calendars) that is not cancelled and not declined by the user,
widened by a buffer on both sides, plus travel time around events held at a physical place (a location that is
not a video link); focus blocks (events titled focus / deep work / no meetings, and the daily `focus` windows
given by the caller) are busy too. Attendees' known busy times are the stored events they attend and did not
decline (we only know what the user's calendars show). Free slots lie inside working hours on weekdays, in the
user's zone, aligned to `step` minutes; at most `per_day` per day so a proposal spans several days.

Nothing is created here: `propose_event` / `propose_rsvp` add a pending action the user confirms in the UI
(`store.pending_actions`), and the connector performs it after confirmation. Pure functions apart from the store
reads; thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Iterable, Sequence

from engine.assistant.identity import resolve_principal
from engine.store import Store
from models import Event

_FOCUS = re.compile(r"\b(?:focus|deep work|no meetings?|heads?[- ]down|do not book|blocked)\b", re.I)
_VIRTUAL = re.compile(r"https?://|\b(?:zoom|teams|meet|webex|video|phone|call|virtual|online)\b", re.I)


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime  # timezone-aware (the user's zone)
    end: datetime

    def label(self) -> str:
        return f"{self.start:%a %d %b}, {self.start:%H:%M}–{self.end:%H:%M} {self.start.tzname() or ''}".rstrip()


Interval = tuple[datetime, datetime]


def parse_hours(spec: str) -> tuple[time, time]:
    """"09:00-18:00" -> (09:00, 18:00). Raises ValueError for anything else."""
    start, _, end = (spec or "").partition("-")
    begin, finish = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    if finish <= begin:
        raise ValueError(f"working hours {spec!r} must end after they start")
    return begin, finish


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def busy_intervals(events: Iterable[Event], *, me: frozenset[str], attendees: Sequence[str] = (),
                   buffer: timedelta = timedelta(minutes=10), travel: timedelta = timedelta(minutes=30)
                   ) -> list[Interval]:
    """Merged busy time of the user (and `attendees`) from `events`, with buffer and travel time added."""
    others = {a.lower() for a in attendees}
    out = []
    for ev in events:
        if ev.status == "cancelled" or ev.all_day and not _FOCUS.search(ev.title):
            continue
        responses = {a.email.lower(): a.response for a in ev.attendees}
        # every stored event is on one of the user's calendars: busy unless the user declined it
        mine = not any(responses.get(e) == "declined" for e in me)
        theirs = any(o in responses and responses[o] != "declined" for o in others)
        if not (mine or theirs):
            continue
        pad = buffer
        if ev.location and not _VIRTUAL.search(ev.location):
            pad = max(buffer, travel)
        out.append((ev.start - pad, ev.end + pad))
    return _merge(out)


def free_slots(store: Store, *, start: date, days: int = 5, duration: timedelta = timedelta(minutes=30),
               tz: tzinfo = timezone.utc, working_hours: str = "09:00-18:00", attendees: Sequence[str] = (),
               focus: Sequence[tuple[time, time]] = (), buffer: timedelta = timedelta(minutes=10),
               travel: timedelta = timedelta(minutes=30), step: timedelta = timedelta(minutes=30),
               per_day: int = 3, not_before: datetime | None = None) -> list[Slot]:
    """Free slots of `duration` over `days` days from `start` (weekdays only), earliest first.

    Raises ValueError for malformed `working_hours` or a non-positive duration."""
    if duration <= timedelta(0):
        raise ValueError("duration must be positive")
    open_at, close_at = parse_hours(working_hours)
    first = datetime.combine(start, time.min, tz)
    last = first + timedelta(days=days)
    me = resolve_principal(store).emails
    events = store.events.between((first - timedelta(days=1)).astimezone(timezone.utc),
                                  (last + timedelta(days=1)).astimezone(timezone.utc))
    busy = busy_intervals(events, me=me, attendees=attendees, buffer=buffer, travel=travel)
    out: list[Slot] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        day_busy = _merge([*busy, *((datetime.combine(day, a, tz), datetime.combine(day, b, tz)) for a, b in focus)])
        cursor = datetime.combine(day, open_at, tz)
        close = datetime.combine(day, close_at, tz)
        found = 0
        while cursor + duration <= close and found < per_day:
            end = cursor + duration
            clash = next((b for b in day_busy if b[0] < end and cursor < b[1]), None)
            if clash is not None:
                cursor = _align(max(clash[1], cursor + step), datetime.combine(day, open_at, tz), step)
                continue
            if not_before is None or cursor >= not_before:
                out.append(Slot(cursor, end))
                found += 1
                cursor = end + max(step, timedelta(hours=1))  # spread the choices over the day
                cursor = _align(cursor, datetime.combine(day, open_at, tz), step)
            else:
                cursor += step
    return out


def _align(moment: datetime, origin: datetime, step: timedelta) -> datetime:
    """The first step boundary (counted from `origin`) at or after `moment`."""
    steps = -(-(moment - origin) // step)
    return origin + steps * step


def proposal_text(slots: Sequence[Slot], duration: timedelta, *, limit: int = 3) -> str:
    """The paragraph to paste into a reply, offering up to `limit` slots."""
    if not slots:
        return "I don't have a free slot in that window; could you suggest a few times that work for you?"
    minutes = int(duration.total_seconds() // 60)
    lines = "\n".join(f"- {s.label()}" for s in slots[:limit])
    return f"Would one of these work for a {minutes}-minute meeting?\n{lines}\nHappy to adjust if none suits."


def propose_event(store: Store, slot: Slot, *, title: str, attendees: Sequence[str], description: str = "",
                  location: str = "", calendar: str = "primary", origin: str = "", ref: str = "") -> int:
    """A pending `create_event` action (created only after the user confirms it). Returns the action id.
    `origin`/`ref` record where it was proposed from (person, thread, commitment and its id)."""
    payload = {"title": title, "start": slot.start.isoformat(), "end": slot.end.isoformat(),
               "attendees": list(attendees), "description": description, "location": location, "calendar": calendar}
    if origin:
        payload.update(origin=origin, ref=ref)
    return store.pending_actions.add("create_event", payload)


def propose_rsvp(store: Store, event_id: int, response: str, *, note: str = "") -> int:
    """A pending `rsvp` action (accepted | declined | tentative) for a stored event."""
    if response not in ("accepted", "declined", "tentative"):
        raise ValueError("response must be accepted, declined or tentative")
    event = store.events.get(event_id)
    if event is None:
        raise KeyError(event_id)
    return store.pending_actions.add("rsvp", {"event_id": event_id, "provider_id": event.provider_id,
                                              "account": event.account, "response": response, "note": note})
