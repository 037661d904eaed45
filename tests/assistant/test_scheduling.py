"""Scheduling: free slots honour working hours, buffers, travel, focus blocks and attendees' known events;
event creation and RSVPs only ever become pending actions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from engine.assistant.scheduling import Slot, free_slots, parse_hours, proposal_text, propose_event, propose_rsvp
from models import Attendee, Event

MON = date(2026, 3, 2)
HOUR = timedelta(hours=1)


def _starts(slots):  # noqa: ANN001, ANN202
    return [s.start.strftime("%a %H:%M") for s in slots]


def test_working_hours_weekends_and_spread(company) -> None:  # noqa: ANN001
    slots = free_slots(company, start=date(2026, 3, 6), days=3, duration=HOUR, working_hours="09:00-12:00")
    # Friday only (Sat/Sun skipped); choices are spread an hour apart and end inside working hours
    assert _starts(slots) == ["Fri 09:00", "Fri 11:00"]
    assert all(s.end.time() <= time(12) for s in slots)
    with pytest.raises(ValueError):
        free_slots(company, start=MON, duration=timedelta(0))
    with pytest.raises(ValueError):
        parse_hours("9-5")


def test_busy_buffer_travel_focus_and_declines(company, event) -> None:  # noqa: ANN001
    event("Board prep", "2026-03-02T09:00", "2026-03-02T10:00")
    slots = free_slots(company, start=MON, days=1, duration=timedelta(minutes=30), working_hours="09:00-12:00",
                       per_day=1)
    assert _starts(slots) == ["Mon 10:30"]  # 10:00 + 10-minute buffer, aligned to the half hour
    onsite = Event(account="test", provider_id="site", title="Site visit", location="1 Harbor Way, Kent",
                   start=datetime(2026, 3, 3, 10, tzinfo=timezone.utc), end=datetime(2026, 3, 3, 11, tzinfo=timezone.utc))
    declined = Event(account="test", provider_id="dec", title="Optional sync",
                     start=datetime(2026, 3, 4, 9, tzinfo=timezone.utc), end=datetime(2026, 3, 4, 12, tzinfo=timezone.utc),
                     attendees=[Attendee("ceo@acme.example", response="declined")])
    focus = Event(account="test", provider_id="f", title="Focus time",
                  start=datetime(2026, 3, 5, 9, tzinfo=timezone.utc), end=datetime(2026, 3, 5, 11, tzinfo=timezone.utc))
    company.events.upsert([onsite, declined, focus])
    day = lambda d: free_slots(company, start=d, days=1, duration=HOUR, working_hours="09:00-13:00", per_day=4)  # noqa: E731
    assert _starts(day(date(2026, 3, 3))) == ["Tue 11:30"]  # 30 min travel before and after the site visit
    assert _starts(day(date(2026, 3, 4)))[0] == "Wed 09:00"  # declined: not busy
    assert _starts(day(date(2026, 3, 5))) == ["Thu 11:30"]  # focus block + buffer
    # a daily focus window from settings is protected too
    assert _starts(free_slots(company, start=MON, days=1, duration=HOUR, working_hours="09:00-13:00",
                              focus=[(time(9), time(12))])) == ["Mon 12:00"]


def test_attendees_known_busy_times(company) -> None:  # noqa: ANN001
    # the user declined, but Pat attends: Pat is busy then
    company.events.upsert([Event(
        account="test", provider_id="pat", title="Sales QBR",
        start=datetime(2026, 3, 2, 9, tzinfo=timezone.utc), end=datetime(2026, 3, 2, 11, tzinfo=timezone.utc),
        attendees=[Attendee("ceo@acme.example", response="declined"), Attendee("pat@acme.example", response="accepted")])])
    alone = free_slots(company, start=MON, days=1, duration=HOUR, working_hours="09:00-13:00", per_day=1)
    with_pat = free_slots(company, start=MON, days=1, duration=HOUR, working_hours="09:00-13:00", per_day=1,
                          attendees=["pat@acme.example"])
    assert _starts(alone) == ["Mon 09:00"] and _starts(with_pat) == ["Mon 11:30"]


def test_local_zone_and_proposal_text(company) -> None:  # noqa: ANN001
    tz = ZoneInfo("America/Los_Angeles")
    slots = free_slots(company, start=MON, days=1, duration=timedelta(minutes=45), tz=tz, per_day=2)
    assert slots[0].start.tzinfo is tz and slots[0].start.hour == 9
    text = proposal_text(slots, timedelta(minutes=45))
    assert "45-minute" in text and "Mon 02 Mar, 09:00–09:45 PST" in text
    assert "suggest" in proposal_text([], HOUR)


def test_event_and_rsvp_are_only_pending_actions(company, event) -> None:  # noqa: ANN001
    slot = Slot(datetime(2026, 3, 2, 10, tzinfo=timezone.utc), datetime(2026, 3, 2, 11, tzinfo=timezone.utc))
    before = len(company.events.between(datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 3, 3, tzinfo=timezone.utc)))
    action = propose_event(company, slot, title="Intro", attendees=["x@other.example"])
    ev = event("Offsite", "2026-03-10T09:00", "2026-03-10T17:00")
    rsvp = propose_rsvp(company, ev.id, "tentative")
    pending = {aid: (kind, payload) for aid, kind, payload in company.pending_actions.pending()}
    assert pending[action][0] == "create_event" and pending[action][1]["start"] == slot.start.isoformat()
    assert pending[rsvp] == ("rsvp", pending[rsvp][1]) and pending[rsvp][1]["response"] == "tentative"
    after = len(company.events.between(datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 3, 3, tzinfo=timezone.utc)))
    assert before == after  # nothing was created
    with pytest.raises(ValueError):
        propose_rsvp(company, ev.id, "maybe")
