"""Writes to Google, never automatic: the engine turns each into a pending action the user confirms.

These functions only perform the call when invoked. Drafts are created, never sent; calendar writes
default to `send_updates="none"` so no attendee is e-mailed unless the confirmed action says so.
"""

from __future__ import annotations

import base64
from email.message import EmailMessage
from email.utils import formataddr
from typing import Literal

from connectors.google.client import CALENDAR_UNITS, GMAIL_UNITS, GoogleClient
from connectors.google.mapping import event_from_google, event_to_google
from models import Contact, Event, Message

__all__ = ["create_draft", "create_event", "rsvp", "update_event"]

SendUpdates = Literal["none", "all", "externalOnly"]
Response = Literal["accepted", "declined", "tentative"]


def _mime(to: list[Contact], subject: str, body: str, cc: list[Contact],
          reply_to: Message | None) -> EmailMessage:
    mime = EmailMessage()
    mime["To"] = ", ".join(formataddr((c.name, c.email)) for c in to)
    if cc:
        mime["Cc"] = ", ".join(formataddr((c.name, c.email)) for c in cc)
    if reply_to is not None:
        if not subject:
            subject = reply_to.subject if reply_to.subject.lower().startswith("re:") \
                else f"Re: {reply_to.subject}"
        if reply_to.message_id_header:
            ref = f"<{reply_to.message_id_header.strip('<>')}>"
            mime["In-Reply-To"] = ref
            earlier = reply_to.headers.get("References", "")
            mime["References"] = f"{earlier} {ref}".strip()
    mime["Subject"] = subject
    mime.set_content(body)
    return mime


def create_draft(client: GoogleClient, *, to: list[Contact], subject: str, body: str,
                 cc: list[Contact] | None = None, reply_to: Message | None = None) -> str:
    """Create a Gmail draft (a reply in `reply_to`'s thread when given); returns the draft id."""
    mime = _mime(to, subject, body, cc or [], reply_to)
    payload: dict[str, object] = {"raw": base64.urlsafe_b64encode(mime.as_bytes()).decode("ascii")}
    if reply_to is not None:  # the caller passes a message of this same mailbox
        payload["threadId"] = reply_to.thread_key
    draft = client.execute(client.gmail.users().drafts().create(userId="me", body={"message": payload}),
                           units=GMAIL_UNITS["drafts.create"])
    return str(draft["id"])


def create_event(client: GoogleClient, event: Event, *, send_updates: SendUpdates = "none") -> Event:
    """Insert `event` into `event.calendar`; returns it as Google stored it (with its provider id)."""
    created = client.execute(client.calendar.events().insert(
        calendarId=event.calendar, body=event_to_google(event), sendUpdates=send_updates),
        units=CALENDAR_UNITS)
    return event_from_google(created, account=event.account, calendar=event.calendar)


def update_event(client: GoogleClient, event: Event, *, send_updates: SendUpdates = "none") -> Event:
    """Patch title/time/place/description/attendees of an existing event (`event.provider_id`)."""
    updated = client.execute(client.calendar.events().patch(
        calendarId=event.calendar, eventId=event.provider_id, body=event_to_google(event),
        sendUpdates=send_updates), units=CALENDAR_UNITS)
    return event_from_google(updated, account=event.account, calendar=event.calendar)


def rsvp(client: GoogleClient, event: Event, *, me: str, response: Response,
         send_updates: SendUpdates = "none") -> Event:
    """Set our own attendee response on `event` (identified by our address `me`)."""
    current = client.execute(client.calendar.events().get(
        calendarId=event.calendar, eventId=event.provider_id), units=CALENDAR_UNITS)
    attendees = current.get("attendees", [])
    mine = [a for a in attendees if a.get("email", "").lower() == me.lower() or a.get("self")]
    if not mine:
        raise ValueError(f"{me} is not an attendee of this event")
    for attendee in mine:
        attendee["responseStatus"] = response
    updated = client.execute(client.calendar.events().patch(
        calendarId=event.calendar, eventId=event.provider_id, body={"attendees": attendees},
        sendUpdates=send_updates), units=CALENDAR_UNITS)
    return event_from_google(updated, account=event.account, calendar=event.calendar)
