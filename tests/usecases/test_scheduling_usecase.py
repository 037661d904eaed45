"""Scheduling in the app: who a meeting is with (a person, a thread, a commitment), free slots from now, and
proposals and RSVPs that are only ever pending actions; invitations waiting on the user's answer."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from engine.usecases.scheduling import MeetingTarget, Scheduling
from models import Attendee, Commitment, Contact, Event
from tests.assistant.conftest import ME

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # a Monday, before working hours


def _scheduling(store) -> Scheduling:  # noqa: ANN001
    return Scheduling(store, tz=timezone.utc, working_hours="09:00-12:00", now=lambda: NOW)


def test_a_thread_meeting_invites_everyone_on_it_but_me(company, mail) -> None:  # noqa: ANN001
    first = mail(Contact("li@globex.example", "Li Wei"), "Globex renewal", "Can we talk?", thread="g",
                 cc=[Contact("pat@acme.example")])
    mail(ME, "Re: Globex renewal", "Sure.", thread="g", to=[Contact("li@globex.example")])
    message_id = company.messages.id_for("test", first.provider_id)
    target = _scheduling(company).for_thread(message_id)
    assert target.title == "Globex renewal"
    assert set(target.attendees) == {"li@globex.example", "pat@acme.example"}  # never the user
    assert (target.origin, target.ref) == ("thread", str(message_id))
    with pytest.raises(KeyError):
        _scheduling(company).for_thread(99999)


def test_a_commitment_meeting_is_with_the_other_side(company) -> None:  # noqa: ANN001
    company.commitments.upsert("k1", Commitment(owner=ME.email, counterparty="li@globex.example",
                                                what="Send the revised quote", direction="owed_by_me"))
    cid = company.commitments.list()[0].id
    target = _scheduling(company).for_commitment(cid)
    assert target.attendees == ("li@globex.example",) and "revised quote" in target.title
    assert "Send the revised quote" in target.note and target.origin == "commitment"


def test_suggestions_start_after_now_and_avoid_busy_time(company, event) -> None:  # noqa: ANN001
    event("Board prep", "2026-03-02T09:00", "2026-03-02T10:00")
    s = _scheduling(company).suggest(["pat@acme.example"], minutes=30, days=2)
    assert s.slots and all(slot.start >= NOW for slot in s.slots)
    monday = [slot for slot in s.slots if slot.start.date() == NOW.date()]
    assert monday[0].start.hour == 10 and monday[0].start.minute == 30  # after the event and its buffer
    assert "30-minute" in s.proposal and s.slots[0].label() in s.proposal


def test_a_proposed_meeting_is_pending_until_confirmed(company) -> None:  # noqa: ANN001
    sched = _scheduling(company)
    target = sched.for_person("li@globex.example", "Li Wei")
    slot = sched.suggest(target.attendees, minutes=45).slots[0]
    before = company.events.between(NOW - timedelta(days=1), NOW + timedelta(days=7))
    action_id = sched.propose_meeting(target, slot, title="Renewal terms")
    action = company.pending_actions.get(action_id)
    assert action.kind == "create_event"
    assert action.payload["title"] == "Renewal terms" and action.payload["attendees"] == ["li@globex.example"]
    assert action.payload["origin"] == "person" and action.payload["start"] == slot.start.isoformat()
    assert company.events.between(NOW - timedelta(days=1), NOW + timedelta(days=7)) == before  # nothing created
    with pytest.raises(ValueError):
        sched.propose_meeting(MeetingTarget("", ()), slot, title="  ")


def _invite(store, title: str, start: datetime, response: str = "needsAction", organizer: str = "li@globex.example",
            provider_id: str = "inv") -> int:  # noqa: ANN001
    return store.events.upsert([Event(
        account="test", provider_id=provider_id, title=title, start=start, end=start + timedelta(hours=1),
        organizer=organizer, attendees=[Attendee(organizer, "Li Wei", "accepted", True),
                                        Attendee(ME.email, ME.name, response)])])[0]


def test_invitations_waiting_on_me_and_the_mail_that_carries_one(company, mail) -> None:  # noqa: ANN001
    waiting = _invite(company, "Globex QBR", NOW + timedelta(days=1))
    _invite(company, "Answered", NOW + timedelta(days=2), response="accepted", provider_id="a")
    _invite(company, "Mine", NOW + timedelta(days=2), organizer=ME.email, provider_id="m")
    _invite(company, "Long past", NOW - timedelta(days=3), provider_id="p")
    sched = _scheduling(company)
    found = sched.invitations()
    assert [i.event_id for i in found] == [waiting] and found[0].organizer == "li@globex.example"
    invite_mail = mail(Contact("li@globex.example", "Li Wei"), "Invitation: Globex QBR @ Tue 3 Mar", "Join us")
    other_mail = mail(Contact("li@globex.example", "Li Wei"), "Lunch?", "Free Tuesday?")
    ids = {m.provider_id: company.messages.id_for("test", m.provider_id) for m in (invite_mail, other_mail)}
    assert sched.invitation_for_message(ids[invite_mail.provider_id]).event_id == waiting
    assert sched.invitation_for_message(ids[other_mail.provider_id]) is None


def test_an_rsvp_is_a_pending_action_and_only_three_answers_exist(company) -> None:  # noqa: ANN001
    event_id = _invite(company, "Globex QBR", NOW + timedelta(days=1))
    sched = _scheduling(company)
    action = company.pending_actions.get(sched.rsvp(event_id, "tentative", note="May be late"))
    assert action.kind == "rsvp" and action.payload["response"] == "tentative"
    assert action.payload["note"] == "May be late" and action.payload["event_id"] == event_id
    with pytest.raises(ValueError):
        sched.rsvp(event_id, "maybe")
    with pytest.raises(KeyError):
        sched.rsvp(123456, "accepted")
