"""Google Calendar sync and writes against the fake Calendar API, driven by googleapiclient."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from connectors.base import decode_cursor
from connectors.errors import CursorExpired
from connectors.google import CalendarStream, create_draft, create_event, rsvp, update_event
from models import Attendee, Contact, Event, Message
from tests.connectors.conftest import GOOGLE_ACCOUNT

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def at(hours: float) -> dict:
    return {"dateTime": (NOW + timedelta(hours=hours)).isoformat()}


def seed(fake) -> dict[str, str]:
    return {
        "board": fake.put_event({"summary": "Board prep", "start": at(2), "end": at(3),
                                 "attendees": [{"email": "ceo@northwind.example", "responseStatus": "accepted",
                                                "organizer": True},
                                               {"email": "cfo@northwind.example", "displayName": "CFO",
                                                "responseStatus": "tentative"}],
                                 "organizer": {"email": "ceo@northwind.example"},
                                 "conferenceData": {"entryPoints": [{"entryPointType": "video",
                                                                     "uri": "https://meet.example/abc"}]}}),
        "weekly": fake.put_event({"summary": "Staff", "start": at(24), "end": at(25),
                                  "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3"]}),
        "old": fake.put_event({"summary": "Ancient", "start": at(-24 * 400), "end": at(-24 * 400 + 1)}),
        "allday": fake.put_event({"summary": "Offsite", "start": {"date": (NOW + timedelta(days=3)).date().isoformat()},
                                  "end": {"date": (NOW + timedelta(days=4)).date().isoformat()}}),
    }


def drain(stream, cursor):
    batches = []
    while True:
        batch = stream.sync(cursor)
        batches.append(batch)
        cursor = batch.new_cursor
        if batch.done:
            return batches, cursor


def test_window_sync_expands_recurrences_and_maps_attendees(fake_google, google_client_factory):
    ids = seed(fake_google)
    stream = CalendarStream(google_client_factory(), account=GOOGLE_ACCOUNT, page_size=2)
    batches, cursor = drain(stream, None)
    events = {e.provider_id: e for b in batches for e in b.events}
    assert len(batches) == 3  # 5 instances in the window, pages of 2
    instances = [e for e in events.values() if e.recurring_id == ids["weekly"]]
    assert len(instances) == 3 and all(e.title == "Staff" for e in instances)
    assert ids["old"] not in events  # outside the 90-day window
    board = events[ids["board"]]
    assert board.conference_url == "https://meet.example/abc" and board.organizer == "ceo@northwind.example"
    assert [(a.email, a.response, a.organizer) for a in board.attendees] == [
        ("ceo@northwind.example", "accepted", True), ("cfo@northwind.example", "tentative", False)]
    assert events[ids["allday"]].all_day
    assert decode_cursor(cursor)["phase"] == "sync"


def test_sync_token_brings_changes_and_cancellations(fake_google, google_client_factory):
    ids = seed(fake_google)
    stream = CalendarStream(google_client_factory(), account=GOOGLE_ACCOUNT)
    _, cursor = drain(stream, None)
    fake_google.cancel_event(ids["board"])
    fake_google.put_event({"id": ids["allday"], "summary": "Offsite (moved)", "start": at(30), "end": at(31)})
    batches, cursor = drain(stream, cursor)
    assert batches[-1].deleted_events == [ids["board"]]
    assert [e.title for e in batches[-1].events] == ["Offsite (moved)"]
    assert drain(stream, cursor)[0][-1].change_count == 0


def test_expired_sync_token_410_raises_cursor_expired(fake_google, google_client_factory):
    seed(fake_google)
    stream = CalendarStream(google_client_factory(), account=GOOGLE_ACCOUNT)
    _, cursor = drain(stream, None)
    fake_google.expire_sync_tokens()
    with pytest.raises(CursorExpired):
        stream.sync(cursor)
    assert fake_google.count("/events") == 2  # one full page + one 410, no retry loop


def test_event_writes_and_rsvp_never_notify_by_default(fake_google, google_client_factory):
    client = google_client_factory()
    draft = Event(account=GOOGLE_ACCOUNT, provider_id="", title="1:1 with CFO",
                  start=NOW + timedelta(days=1), end=NOW + timedelta(days=1, hours=1),
                  attendees=[Attendee("cfo@northwind.example")])
    created = create_event(client, draft)
    assert created.provider_id and created.title == "1:1 with CFO"
    created.title = "1:1 with CFO (budget)"
    assert update_event(client, created).title == "1:1 with CFO (budget)"
    fake_google.state.events[created.provider_id].body["attendees"].append(
        {"email": "ceo@northwind.example", "responseStatus": "needsAction"})
    answered = rsvp(client, created, me="ceo@northwind.example", response="accepted")
    assert {a.email: a.response for a in answered.attendees}["ceo@northwind.example"] == "accepted"
    assert fake_google.count("/events", "POST") == 1 and fake_google.count("/events", "PATCH") == 2


def test_reply_draft_threads_into_the_conversation(fake_google, google_client_factory):
    original = Message(account=GOOGLE_ACCOUNT, provider_id="m1", thread_key="t-42", subject="Budget",
                       sender=Contact("cfo@northwind.example"), message_id_header="abc@northwind.example")
    draft_id = create_draft(google_client_factory(), to=[Contact("cfo@northwind.example", "CFO")],
                            subject="", body="Looks good.", reply_to=original)
    stored = fake_google.state.drafts[-1]
    assert draft_id == stored["id"] and stored["message"]["threadId"] == "t-42"
    import base64

    raw = base64.urlsafe_b64decode(stored["message"]["raw"]).decode()
    assert "In-Reply-To: <abc@northwind.example>" in raw and "Subject: Re: Budget" in raw
    assert fake_google.count("/send") == 0  # drafts only, nothing is sent


def test_the_calendar_list_pages_puts_primary_first_and_asks_to_reconnect_without_its_scope(
        fake_google, google_client_factory):
    from connectors.errors import ConnectorError
    from connectors.google import list_calendars

    fake_google.add_calendar("team@group.calendar.google.com", "Team")
    fake_google.add_calendar("ceo@northwind.example", "Dana Reyes", primary=True)
    fake_google.add_calendar("en.usa#holiday@group.v.calendar.google.com", "Holidays")
    client = google_client_factory()
    calendars = list_calendars(client)
    assert [(c.id, c.primary) for c in calendars] == [
        ("ceo@northwind.example", True), ("en.usa#holiday@group.v.calendar.google.com", False),
        ("team@group.calendar.google.com", False)]  # three entries over two pages, primary first, then by name
    fake_google.state.calendar_list_allowed = False
    with pytest.raises(ConnectorError, match="list your calendars") as caught:
        list_calendars(client)
    assert "Reconnect" in caught.value.next_step
