"""Graph JSON <-> `models` (messages and events). Pure functions, no I/O."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

from models import Attachment, Attendee, Contact, Event, Message

__all__ = ["attachment_bytes", "attachments_from_graph", "event_from_graph", "event_to_graph", "graph_recurrence",
           "message_from_graph", "recipients"]

_RESPONSES = {"accepted": "accepted", "declined": "declined", "tentativelyAccepted": "tentative",
              "organizer": "accepted", "none": "needsAction", "notResponded": "needsAction"}


def _time(value: str | None) -> datetime | None:
    """Graph timestamps: '2026-11-25T10:00:00Z' or '2026-11-25T10:00:00.0000000' (UTC)."""
    if not value:
        return None
    text = value.replace("Z", "")
    if "." in text:
        head, frac = text.split(".", 1)
        text = f"{head}.{frac[:6]}"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _contact(value: dict[str, Any] | None) -> Contact:
    address = (value or {}).get("emailAddress") or {}
    return Contact(email=str(address.get("address", "")).lower(), name=str(address.get("name", "")))


def message_from_graph(item: dict[str, Any], *, account: str, folder: str) -> Message:
    """A delta item (body requested as text via Prefer) -> `Message`; labels = folder + categories."""
    body = item.get("body") or {}
    return Message(
        account=account, provider_id=item["id"], thread_key=item.get("conversationId") or item["id"],
        subject=item.get("subject") or "", sender=_contact(item.get("from") or item.get("sender")),
        to=[_contact(r) for r in item.get("toRecipients", [])],
        cc=[_contact(r) for r in item.get("ccRecipients", [])],
        sent_at=_time(item.get("sentDateTime") or item.get("receivedDateTime")),
        body_text=str(body.get("content", "")), snippet=str(item.get("bodyPreview", ""))[:200],
        labels=[folder, *item.get("categories", [])], is_read=bool(item.get("isRead", True)),
        message_id_header=str(item.get("internetMessageId", "")).strip("<>"),
    )


def attachments_from_graph(items: list[dict[str, Any]]) -> list[Attachment]:
    """A message's `/attachments` listing -> metadata; inline parts (signature logos, pasted images) are left
    out, as the Gmail side leaves out parts without a file name."""
    return [Attachment(str(a.get("name") or "attachment"), str(a.get("contentType") or "application/octet-stream"),
                       int(a.get("size") or 0)) for a in items if not a.get("isInline")]


def attachment_bytes(item: dict[str, Any]) -> bytes:
    """A fileAttachment resource's `contentBytes` (base64) as bytes; b"" when it carries none."""
    try:
        return base64.b64decode(str(item.get("contentBytes") or ""), validate=True)
    except ValueError:  # binascii.Error: damaged content reads as an empty, hence unreadable, file
        return b""


def event_from_graph(item: dict[str, Any], *, account: str) -> Event:
    """A calendarView item (an occurrence when recurring) -> `Event`."""
    attendees = [Attendee(email=str(a.get("emailAddress", {}).get("address", "")).lower(),
                          name=str(a.get("emailAddress", {}).get("name", "")),
                          response=_RESPONSES.get((a.get("status") or {}).get("response", "none"), "needsAction"))
                 for a in item.get("attendees", [])]
    organizer = _contact(item.get("organizer")).email
    for attendee in attendees:
        attendee.organizer = attendee.email == organizer
    online = item.get("onlineMeeting") or {}
    return Event(
        account=account, provider_id=item["id"], title=item.get("subject") or "",
        start=_time((item.get("start") or {}).get("dateTime")) or datetime.now(timezone.utc),
        end=_time((item.get("end") or {}).get("dateTime")) or datetime.now(timezone.utc),
        calendar="outlook", description=str(item.get("bodyPreview", "")),
        location=str((item.get("location") or {}).get("displayName", "")), attendees=attendees,
        organizer=organizer, conference_url=str(online.get("joinUrl") or item.get("onlineMeetingUrl") or ""),
        status="cancelled" if item.get("isCancelled") else
        ("tentative" if item.get("showAs") == "tentative" else "confirmed"),
        recurring_id=str(item.get("seriesMasterId") or ""), all_day=bool(item.get("isAllDay")),
    )


def recipients(contacts: list[Contact]) -> list[dict[str, Any]]:
    return [{"emailAddress": {"address": c.email, **({"name": c.name} if c.name else {})}} for c in contacts]


def event_to_graph(event: Event) -> dict[str, Any]:
    """`Event` -> body of POST/PATCH /me/events (times sent in UTC)."""
    def when(value: datetime) -> dict[str, str]:
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return {"dateTime": aware.astimezone(timezone.utc).replace(tzinfo=None).isoformat(), "timeZone": "UTC"}

    body: dict[str, Any] = {"subject": event.title, "start": when(event.start), "end": when(event.end),
                            "isAllDay": event.all_day}
    if event.description:
        body["body"] = {"contentType": "text", "content": event.description}
    if event.location:
        body["location"] = {"displayName": event.location}
    if event.attendees:
        body["attendees"] = [{**r, "type": "required"}
                             for r in recipients([Contact(a.email, a.name) for a in event.attendees])]
    if event.recurrence:
        zone = getattr(event.start.tzinfo, "key", None)
        if zone:  # a series repeats in local time: send local wall-clock times with the zone's name
            body["start"] = {"dateTime": event.start.replace(tzinfo=None).isoformat(), "timeZone": zone}
            body["end"] = {"dateTime": event.end.replace(tzinfo=None).isoformat(), "timeZone": zone}
        body["recurrence"] = graph_recurrence(event.recurrence[0], event.start)
    return body


_GRAPH_DAYS = {"MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday",
               "SA": "saturday", "SU": "sunday"}


def graph_recurrence(rrule: str, start: datetime) -> dict[str, Any]:
    """An RRULE of the kinds Reflex proposes (daily, weekdays, weekly on days, monthly on a day, yearly; with an
    interval) as Graph's patternedRecurrence, open-ended from `start`'s day. Raises ValueError for others."""
    parts = dict(p.split("=", 1) for p in rrule.removeprefix("RRULE:").split(";"))
    interval = int(parts.get("INTERVAL", "1"))
    days = [_GRAPH_DAYS[d] for d in parts["BYDAY"].split(",")] if "BYDAY" in parts else []
    freq = parts.get("FREQ")
    if freq in ("DAILY", "WEEKLY") and (days or freq == "WEEKLY"):
        pattern = {"type": "weekly", "interval": interval,
                   "daysOfWeek": days or [_GRAPH_DAYS[list(_GRAPH_DAYS)[start.weekday()]]]}
    elif freq == "DAILY":
        pattern = {"type": "daily", "interval": interval}
    elif freq == "MONTHLY":
        pattern = {"type": "absoluteMonthly", "interval": interval,
                   "dayOfMonth": int(parts.get("BYMONTHDAY", start.day))}
    elif freq == "YEARLY":
        pattern = {"type": "absoluteYearly", "interval": interval, "dayOfMonth": start.day, "month": start.month}
    else:
        raise ValueError(f"unsupported repeat {rrule!r}")
    return {"pattern": pattern, "range": {"type": "noEnd", "startDate": start.date().isoformat()}}
