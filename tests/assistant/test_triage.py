"""Triage: signals, rules and learning from corrections, over a real encrypted store."""

from __future__ import annotations

from engine.assistant.triage import TriageEngine
from models import Contact

from tests.assistant.conftest import ME

GLOBEX = Contact("amy@globex-corp.example", "Amy Chen")
PAT = Contact("pat@acme.example", "Pat Lee")
NEWS = Contact("news@weekly.example", "Weekly Digest")


def test_key_account_question_with_deadline_is_important_and_needs_reply(company, mail):
    m = mail(GLOBEX, "Renewal paperwork",
             "Hi Casey,\n\nCould you confirm the renewal terms by Friday? Our legal team is waiting.\n\nThanks,\nAmy")
    r = TriageEngine(company).triage(m.id)
    assert (r.category, r.priority, r.needs_reply) == ("customer", "important", True)
    assert r.awaiting_from == ME.email
    assert "Key account Globex Corporation" in r.reason and "Fri 06 Mar" in r.reason
    assert r.evidence[0].source_id == m.id and "confirm the renewal" in r.evidence[0].quote


def test_outage_from_customer_is_urgent(company, mail):
    m = mail(GLOBEX, "Line is down", "Casey, our picking line is down since 6am. We need help immediately - can you call me?")
    r = TriageEngine(company).triage(m.id)
    assert r.priority == "urgent" and r.needs_reply


def test_list_headers_make_a_newsletter_low_without_reply(company, mail):
    m = mail(NEWS, "This week in robotics", "Top stories this week. What will AI do next?",
             headers={"List-Unsubscribe": "<mailto:u@weekly.example>"})
    r = TriageEngine(company).triage(m.id)
    assert (r.category, r.priority, r.needs_reply) == ("newsletter", "low", False)
    assert "List-Unsubscribe" in r.reason


def test_direct_report_fyi_needs_no_reply(company, mail):
    m = mail(PAT, "Pipeline notes", "FYI - the weekly pipeline sheet is updated. No action needed.")
    r = TriageEngine(company).triage(m.id)
    assert r.category == "team" and not r.needs_reply


def test_a_later_reply_by_me_answers_the_ask(company, mail):
    ask = mail(PAT, "Offer approval", "Can you approve the offer for the new AE?", thread="t-offer")
    mail(ME, "Re: Offer approval", "Approved.", "2026-03-04T10:00", to=[PAT], thread="t-offer")
    engine = TriageEngine(company)
    r = engine.triage(ask.id)
    assert r.needs_reply and r.answered and r.awaiting_from == ""  # asked, but nothing is waiting on the user


def test_my_unanswered_question_awaits_the_recipient(company, mail):
    mine = mail(ME, "Q1 numbers", "Pat, can you send me the Q1 bookings by Monday?", to=[PAT])
    r = TriageEngine(company).triage(mine.id)
    assert not r.needs_reply and r.awaiting_from == PAT.email


def test_a_correction_changes_a_later_similar_result(company, mail):
    """The user re-files a sender's mail; the next similar message from them follows the correction."""
    club = Contact("events@rotary-club.example", "Rotary Club")
    first = mail(club, "Spring gala tickets", "Your tickets for the spring gala are attached. See you there!")
    later = mail(club, "Gala seating plan", "The seating plan for the spring gala is attached.", "2026-03-05T09:00")
    engine = TriageEngine(company)
    before = engine.triage(later.id)
    assert before.category != "personal"
    engine.correct(first.id, "category", "personal")
    after = engine.triage(later.id)
    assert after.category == "personal" and after.source == "learned"
    assert engine.triage(first.id).source == "corrected"
    # An unrelated message is not dragged along.
    other = mail(GLOBEX, "Pilot results", "Can you review the pilot results before our call?")
    assert engine.triage(other.id).category == "customer"


def test_run_persists_verdicts(company, mail):
    mail(GLOBEX, "Question", "Can you call me?")
    mail(NEWS, "Digest", "Read more", headers={"Precedence": "bulk"})
    results = TriageEngine(company).run()
    stored = {row.message_id: row for row in company.triage.all()}
    assert {r.message_id for r in results} == set(stored)
    assert all(stored[r.message_id].priority == r.priority for r in results)


def test_priority_judges_the_conversation(company, mail):
    """A report that mentions a key account in passing stays normal; money on the table with a key account is
    important; a short closing note ranks below its thread; an ask to approve today is urgent."""
    weekly = mail(PAT, "Sales weekly: Mar 4", "Good week. Globex trial starts Monday and the team is upbeat.")
    assert TriageEngine(company).triage(weekly.id).priority == "normal"
    deal = mail(PAT, "Globex expansion", "Globex wants 40 more units, about $480K a year. Draft attached.", thread="g")
    thanks = mail(ME, "Re: Globex expansion", "Perfect, thank you!\n\nCasey", "2026-03-04T10:00", to=[PAT], thread="g")
    engine = TriageEngine(company)
    assert engine.triage(deal.id).priority == "important"
    assert engine.triage(thanks.id).priority == "normal"
    po = mail(PAT, "Globex PO", "The supplier needs the PO. Can you approve the $30,000 PO today?", "2026-03-04T11:00")
    assert TriageEngine(company).triage(po.id).priority == "urgent"
    booked = mail(PAT, "Re: Lunch", "Booked.", thread="l")
    assert TriageEngine(company).triage(booked.id).priority == "low"


def test_a_short_reply_that_settles_a_time_is_scheduling_not_an_acknowledgement(company, mail):
    """Scheduling is routine work (normal); a bare acknowledgement is low."""
    mail(PAT, "Team lunch", "Would Thursday or Friday work for the team lunch?", thread="lunch")
    settles = mail(ME, "Re: Team lunch", "Friday at 12 works.", "2026-03-04T10:00", to=[PAT], thread="lunch")
    noted = mail(ME, "Re: Team lunch", "Noted, thanks.", "2026-03-04T11:00", to=[PAT], thread="lunch")
    engine = TriageEngine(company)
    assert engine.triage(settles.id).priority == "normal"
    assert engine.triage(noted.id).priority == "low"
