"""Google Calendar JSON <-> `models.Event`. Pure functions, no I/O."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any

from models import Attendee, Event

__all__ = ["event_from_google", "event_to_google"]


def _when(value: dict[str, Any]) -> tuple[datetime, bool]:
    """A Google start/end object -> (aware datetime, all_day)."""
    if "dateTime" in value:
        parsed = datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)), False
    day = date.fromisoformat(value["date"])
    return datetime.combine(day, time(0), tzinfo=timezone.utc), True


def _conference_url(item: dict[str, Any]) -> str:
    for entry in (item.get("conferenceData") or {}).get("entryPoints", []):
        if entry.get("entryPointType") == "video" and entry.get("uri"):
            return str(entry["uri"])
    return str(item.get("hangoutLink", ""))


def event_from_google(item: dict[str, Any], *, account: str, calendar: str) -> Event:
    """One `events.list` item (not cancelled) -> `Event`. Recurring instances keep their series id."""
    start, all_day = _when(item["start"])
    end, _ = _when(item.get("end") or item["start"])
    attendees = [
        Attendee(email=a.get("email", ""), name=a.get("displayName", ""),
                 response=a.get("responseStatus", "needsAction"), organizer=bool(a.get("organizer")))
        for a in item.get("attendees", []) if a.get("email")
    ]
    return Event(
        account=account, provider_id=item["id"], title=item.get("summary", ""), start=start, end=end,
        calendar=calendar, description=item.get("description", ""), location=item.get("location", ""),
        attendees=attendees, organizer=(item.get("organizer") or {}).get("email", ""),
        conference_url=_conference_url(item), status=item.get("status", "confirmed"),
        recurring_id=item.get("recurringEventId", ""), all_day=all_day,
    )


def _google_when(value: datetime, all_day: bool) -> dict[str, str]:
    if all_day:
        return {"date": value.date().isoformat()}
    aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    zone = getattr(aware.tzinfo, "key", None)  # a named zone keeps a series at the same local time across DST
    return {"dateTime": aware.isoformat(), **({"timeZone": zone} if zone else {})}


def event_to_google(event: Event) -> dict[str, Any]:
    """`Event` -> the body of `events.insert`/`events.patch` (only fields Reflex edits)."""
    body: dict[str, Any] = {
        "summary": event.title,
        "start": _google_when(event.start, event.all_day),
        "end": _google_when(event.end, event.all_day),
    }
    if event.description:
        body["description"] = event.description
    if event.location:
        body["location"] = event.location
    if event.attendees:
        body["attendees"] = [{"email": a.email, **({"displayName": a.name} if a.name else {})}
                             for a in event.attendees]
    if event.recurrence:
        body["recurrence"] = list(event.recurrence)
    return body
