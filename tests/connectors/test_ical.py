"""connectors.ical: recurrence expansion, cancellations, all-day events, time zones, attendees, links."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.errors import ConnectorError
from connectors.ical import InvalidCalendar, parse_calendar

LA = ZoneInfo("America/Los_Angeles")
UTC = timezone.utc

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:America/Los_Angeles
BEGIN:STANDARD
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
TZOFFSETFROM:-0700
TZOFFSETTO:-0800
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
TZOFFSETFROM:-0800
TZOFFSETTO:-0700
END:DAYLIGHT
END:VTIMEZONE
"""


def _ics(*events: str, method: str = "") -> bytes:
    head = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + (f"METHOD:{method}\n" if method else "")
    return (head + VTIMEZONE + "".join(events) + "END:VCALENDAR\n").replace("\n", "\r\n").encode()


STANDUP = """BEGIN:VEVENT
UID:standup@northwind
DTSTART;TZID=America/Los_Angeles:20261116T091500
DTEND;TZID=America/Los_Angeles:20261116T093000
RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261204T235959Z
EXDATE;TZID=America/Los_Angeles:20261126T091500
SUMMARY:Engineering standup
ORGANIZER;CN=Marcus Chen:mailto:marcus@northwind-robotics.example
ATTENDEE;CN=Marcus Chen;PARTSTAT=ACCEPTED:mailto:marcus@northwind-robotics.example
ATTENDEE;CN=Dana Whitfield;PARTSTAT=TENTATIVE:mailto:Dana@Northwind-Robotics.example
ATTENDEE;CN=Lee Park;PARTSTAT=DECLINED:mailto:lee@northwind-robotics.example
ATTENDEE;CN=Ana Ruiz:mailto:ana@northwind-robotics.example
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
END:VEVENT
BEGIN:VEVENT
UID:standup@northwind
RECURRENCE-ID;TZID=America/Los_Angeles:20261120T091500
DTSTART;TZID=America/Los_Angeles:20261120T091500
DTEND;TZID=America/Los_Angeles:20261120T093000
SUMMARY:Engineering standup
STATUS:CANCELLED
END:VEVENT
BEGIN:VEVENT
UID:standup@northwind
RECURRENCE-ID;TZID=America/Los_Angeles:20261119T091500
DTSTART;TZID=America/Los_Angeles:20261119T110000
DTEND;TZID=America/Los_Angeles:20261119T111500
SUMMARY:Engineering standup (moved)
END:VEVENT
"""


def test_recurring_series_is_expanded_with_exdate_override_and_cancellation():
    result = parse_calendar(_ics(STANDUP), start=datetime(2026, 11, 16, tzinfo=LA), end=datetime(2026, 11, 28, tzinfo=LA))
    events = sorted(result.events, key=lambda e: e.start)
    days = [e.start.astimezone(LA).date().day for e in events]
    assert days == [16, 17, 18, 19, 20, 23, 24, 25, 27]  # weekdays, 26th excluded by EXDATE
    assert {e.recurring_id for e in events} == {"standup@northwind"}
    assert len({e.provider_id for e in events}) == len(events)
    moved = events[3]
    assert moved.title == "Engineering standup (moved)" and moved.start == datetime(2026, 11, 19, 11, 0, tzinfo=LA)
    assert events[4].status == "cancelled" and events[0].status == "confirmed"
    assert events[0].end - events[0].start == timedelta(minutes=15)
    assert result.skipped == []


def test_attendees_organizer_and_conference_link():
    event = parse_calendar(_ics(STANDUP), start=datetime(2026, 11, 16, tzinfo=UTC), end=datetime(2026, 11, 17, tzinfo=UTC)).events[0]
    assert event.organizer == "marcus@northwind-robotics.example"
    assert [(a.email, a.name, a.response, a.organizer) for a in event.attendees] == [
        ("marcus@northwind-robotics.example", "Marcus Chen", "accepted", True),
        ("dana@northwind-robotics.example", "Dana Whitfield", "tentative", False),
        ("lee@northwind-robotics.example", "Lee Park", "declined", False),
        ("ana@northwind-robotics.example", "Ana Ruiz", "needsAction", False),
    ]
    assert event.conference_url == "https://meet.google.com/abc-defg-hij"
    assert event.start.utcoffset() == timedelta(hours=-8)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ("LOCATION:https://acme.zoom.us/j/123\n", "https://acme.zoom.us/j/123"),
        ("LOCATION:Room 4B\nDESCRIPTION:Agenda https://docs.example/agenda then join https://teams.microsoft.com/l/meetup-join/x\n",
         "https://teams.microsoft.com/l/meetup-join/x"),
        ("DESCRIPTION:Agenda at https://docs.example/agenda\n", ""),
    ],
)
def test_conference_url_sources(props, expected):
    ev = f"BEGIN:VEVENT\nUID:c1\nDTSTART:20261125T170000Z\nDTEND:20261125T180000Z\nSUMMARY:Call\n{props}END:VEVENT\n"
    assert parse_calendar(_ics(ev)).events[0].conference_url == expected


def test_all_day_and_floating_times_use_default_zone():
    ev = ("BEGIN:VEVENT\nUID:offsite\nDTSTART;VALUE=DATE:20261203\nDTEND;VALUE=DATE:20261205\nSUMMARY:Offsite\nEND:VEVENT\n"
          "BEGIN:VEVENT\nUID:float\nDTSTART:20261125T100000\nDURATION:PT45M\nSUMMARY:Floating\nEND:VEVENT\n"
          "BEGIN:VEVENT\nUID:noend\nDTSTART;VALUE=DATE:20261201\nSUMMARY:Reminder\nEND:VEVENT\n")
    events = {e.provider_id: e for e in parse_calendar(_ics(ev), default_tz=LA).events}
    offsite = events["offsite"]
    assert offsite.all_day and offsite.start == datetime(2026, 12, 3, tzinfo=LA) and offsite.end == datetime(2026, 12, 5, tzinfo=LA)
    assert events["float"].start == datetime(2026, 11, 25, 10, tzinfo=LA) and not events["float"].all_day
    assert events["float"].end - events["float"].start == timedelta(minutes=45)
    assert events["noend"].end - events["noend"].start == timedelta(days=1)


def test_window_filters_single_events_and_default_window_takes_all():
    evs = "".join(f"BEGIN:VEVENT\nUID:e{d}\nDTSTART:202611{d:02d}T150000Z\nDTEND:202611{d:02d}T160000Z\nSUMMARY:E{d}\nEND:VEVENT\n"
                  for d in (2, 15, 28))
    assert len(parse_calendar(_ics(evs)).events) == 3
    win = parse_calendar(_ics(evs), start=datetime(2026, 11, 10, tzinfo=UTC), end=datetime(2026, 11, 20, tzinfo=UTC))
    assert [e.provider_id for e in win.events] == ["e15"]


def test_method_cancel_marks_events_cancelled_and_status_maps():
    ev = "BEGIN:VEVENT\nUID:x1\nDTSTART:20261125T150000Z\nDTEND:20261125T160000Z\nSUMMARY:Call\nEND:VEVENT\n"
    assert parse_calendar(_ics(ev, method="CANCEL")).events[0].status == "cancelled"
    tentative = ev.replace("SUMMARY:Call", "SUMMARY:Call\nSTATUS:TENTATIVE")
    assert parse_calendar(_ics(tentative)).events[0].status == "tentative"


def test_broken_components_are_skipped_not_fatal_and_missing_uid_is_stable():
    evs = ("BEGIN:VEVENT\nUID:bad\nSUMMARY:No start\nEND:VEVENT\n"
           "BEGIN:VEVENT\nDTSTART:20261125T150000Z\nSUMMARY:No uid\nEND:VEVENT\n")
    first, second = parse_calendar(_ics(evs)), parse_calendar(_ics(evs))
    assert [e.title for e in first.events] == ["No uid"]
    assert first.events[0].provider_id == second.events[0].provider_id
    assert first.skipped == ["bad: missing or invalid DTSTART"]


@pytest.mark.parametrize("data", [b"", b"   ", b"hello", b"BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n", "text".encode("utf-16")])
def test_invalid_files_raise_invalid_calendar(data):
    with pytest.raises(InvalidCalendar) as info:
        parse_calendar(data)
    assert isinstance(info.value, ConnectorError) and info.value.next_step


def test_empty_calendar_has_no_events():
    assert parse_calendar(_ics()).events == []


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=1500))
def test_arbitrary_bytes_never_raise_anything_but_invalid_calendar(data):
    try:
        result = parse_calendar(data)
    except InvalidCalendar:
        return
    assert all(e.start.tzinfo is not None for e in result.events)


_PROPS = ["DTSTART:20261125T150000Z", "DTSTART;VALUE=DATE:20261125", "DTSTART;TZID=America/Los_Angeles:20261125T090000",
          "DTSTART;TZID=Nowhere/Land:20261125T090000", "DTSTART:garbage", "DTEND:20261125T160000Z", "DTEND:20261101T000000Z",
          "DURATION:PT1H", "DURATION:nonsense", "RRULE:FREQ=DAILY;COUNT=5", "RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
          "RRULE:FREQ=BOGUS", "RRULE:FREQ=DAILY;UNTIL=20261101", "EXDATE:20261126T150000Z", "RDATE:20261230T150000Z",
          "RECURRENCE-ID:20261126T150000Z", "STATUS:CANCELLED", "ATTENDEE;PARTSTAT=WEIRD:mailto:a@b", "ATTENDEE:",
          "ORGANIZER:mailto:o@x", "LOCATION:https://zoom.us/j/1", "UID:u1", "UID:u2", "SUMMARY:Hi"]


@FUZZ
@given(st.lists(st.lists(st.sampled_from(_PROPS), max_size=8), max_size=4), st.text(max_size=40))
def test_generated_calendars_never_raise(events, noise):
    body = "".join("BEGIN:VEVENT\n" + "\n".join(props) + f"\nDESCRIPTION:{noise}\nEND:VEVENT\n" for props in events)
    try:
        result = parse_calendar(_ics(body), start=datetime(2026, 11, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))
    except InvalidCalendar:
        return
    for e in result.events:
        assert e.end >= e.start and e.start.tzinfo is not None and isinstance(e.start, datetime)
        assert not isinstance(e.start, date) or isinstance(e.start, datetime)


def test_series_with_unreadable_rule_is_dropped_and_the_rest_kept():
    evs = ("BEGIN:VEVENT\nUID:bad-rule\nDTSTART:20261125T150000Z\nRRULE:FREQ=BOGUS\nSUMMARY:Bad\nEND:VEVENT\n"
           "BEGIN:VEVENT\nUID:good\nDTSTART:20261125T170000Z\nSUMMARY:Good\nEND:VEVENT\n")
    assert [e.title for e in parse_calendar(_ics(evs)).events] == ["Good"]
