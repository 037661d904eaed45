"""Commitments: extraction from mail and transcripts, due dates relative to the message, auto-close, drafts."""

from __future__ import annotations

from datetime import date, datetime, timezone

from engine.assistant.commitments import CommitmentLedger, thing
from models import Attachment, Contact, Meeting, TranscriptSegment

from tests.assistant.conftest import ME

PAT = Contact("pat@acme.example", "Pat Lee")
AMY = Contact("amy@globex-corp.example", "Amy Chen")


def test_promise_and_request_in_mail_with_due_dates(company, mail):
    mine = mail(ME, "Deck", "Hi Amy,\n\nI'll send the updated deck by Friday.\n\nBest,\nCasey", to=[AMY])
    ask = mail(ME, "Numbers", "Pat, can you get me the Q1 bookings by Monday?", "2026-03-05T10:00", to=[PAT])
    ledger = CommitmentLedger(company)
    items = ledger.scan()
    by_what = {c.what: c for c in items}
    deck = by_what["send the updated deck"]
    assert (deck.owner, deck.counterparty, deck.direction, deck.due) == (ME.email, AMY.email, "owed_by_me", date(2026, 3, 6))
    assert deck.evidence[0].source_type == "email" and deck.evidence[0].source_id == mine.id
    numbers = by_what["get me the Q1 bookings"]
    assert (numbers.owner, numbers.counterparty, numbers.direction, numbers.due) == (PAT.email, ME.email, "owed_to_me", date(2026, 3, 9))
    assert numbers.evidence[0].source_id == ask.id
    assert len(ledger.scan()) == 2 and len(company.commitments.list()) == 2  # re-scan: no duplicates


def test_quoted_history_is_not_a_new_promise(company, mail):
    mail(AMY, "Re: Deck", "Thanks!\n\nOn Mon, Casey wrote:\n> I'll send the updated deck by Friday.")
    assert CommitmentLedger(company).scan() == []


def test_auto_close_when_the_promised_item_is_sent(company, mail):
    mail(ME, "Deck", "I'll send the updated deck by Friday.", to=[AMY])
    ledger = CommitmentLedger(company)
    ledger.scan()
    assert len(ledger.open()) == 1
    sent = mail(ME, "Updated deck", "Hi Amy, here is the updated deck as promised.", "2026-03-05T16:00", to=[AMY])
    sent.attachments = [Attachment("deck.pdf", "application/pdf", 1000)]
    company.messages.upsert([sent])
    ledger.scan()
    [item] = company.commitments.list()
    assert item.status == "done" and item.evidence[-1].source_id == sent.id


def test_unrelated_later_mail_does_not_close(company, mail):
    mail(ME, "Deck", "I'll send the updated deck by Friday.", to=[AMY])
    mail(ME, "Lunch", "Here is the menu for lunch.", "2026-03-05T16:00", to=[AMY])
    ledger = CommitmentLedger(company)
    ledger.scan()
    assert [c.status for c in company.commitments.list()] == ["open"]


def test_transcript_action_items_and_requests(company):
    started = datetime(2026, 3, 3, 15, 0, tzinfo=timezone.utc)
    meeting = Meeting("Sales weekly", started, attendees=["Casey Jones", "Pat Lee", "Riley Park"], segments=[
        TranscriptSegment(0, 5, "Pat, can you send me the revised Globex proposal by Thursday?", "Casey Jones"),
        TranscriptSegment(5, 9, "Sure. I'll also loop in Riley on the pricing.", "Pat Lee"),
        TranscriptSegment(9, 12, "Can you hear me okay?", "Riley Park"),
    ])
    company.meetings.create(meeting)
    items = CommitmentLedger(company).scan()
    proposal = next(c for c in items if "proposal" in c.what)
    assert (proposal.owner, proposal.counterparty, proposal.direction) == ("pat@acme.example", ME.email, "owed_to_me")
    assert proposal.due == date(2026, 3, 5) and proposal.evidence[0].source_type == "segment"
    loop = next(c for c in items if "loop in Riley" in c.what)
    assert loop.owner == "pat@acme.example"
    assert len(items) == 2


def test_reminders_and_follow_up_drafts_are_pending_actions(company, mail):
    mail(ME, "Numbers", "Pat, can you get me the Q1 bookings by Monday?", to=[PAT])
    mail(ME, "Deck", "I'll send the board deck tomorrow.", to=[AMY])
    ledger = CommitmentLedger(company)
    ledger.scan()
    kinds = {r.kind: r for r in ledger.reminders(date(2026, 3, 10))}
    assert kinds["nudge"].days_overdue == 1 and kinds["overdue"].commitment.owner == ME.email
    ids = ledger.draft_follow_ups(date(2026, 3, 10))
    assert len(ids) == 1
    [(action_id, kind, payload)] = company.pending_actions.pending()
    assert kind == "draft_email" and payload["to"] == [PAT.email] and "the Q1 bookings" in payload["body"]
    assert ledger.draft_follow_ups(date(2026, 3, 10)) == []  # still pending: not proposed twice


def test_thing():
    assert thing("get me the Q1 numbers") == "the Q1 numbers"
    assert thing("follow up on the pricing question") == "the pricing question"


def test_a_request_and_its_acceptance_are_one_commitment(company, mail):
    from engine.assistant.commitments import CommitmentLedger
    from tests.assistant.conftest import ME

    pat = "pat@acme.example"
    mail(ME, "Q1 numbers", "Pat, can you send me the Q1 bookings by Friday?", to=[Contact(pat, "Pat Lee")], thread="q")
    mail(Contact(pat, "Pat Lee"), "Re: Q1 numbers", "Yes, I'll have them to you by Friday.", "2026-03-04T10:00",
         thread="q")
    items = CommitmentLedger(company).scan()
    assert len(items) == 1 and items[0].owner == pat and len(items[0].evidence) == 2
    assert "Q1 bookings" in items[0].what  # the accepted request names the thing


def test_loose_group_and_vague_asks_are_not_commitments(company, mail):
    from engine.assistant.commitments import CommitmentLedger

    team = [Contact("pat@acme.example"), Contact("alex@acme.example")]
    mail("pat@acme.example", "Idea", "Could you review the draft?")  # no date, never accepted
    mail("ceo@acme.example", "Offsite", "Please confirm dietary needs by Friday.", to=team)  # several readers
    mail("pat@acme.example", "Sync", "Let me confirm and come back to you.")  # nothing deliverable
    mail("pat@acme.example", "PO", "Hi Casey, if the PO reaches us by Monday we can ship on the 20th.")
    assert CommitmentLedger(company).scan() == []


def test_a_merged_promise_closes_in_place_and_keeps_its_proof_across_scans(company, mail):
    """An ask and the promise that answers it are one item; delivering it closes that item (no twin), and a
    re-scan keeps the delivery as evidence."""
    mail(AMY, "References", "Could you send two customer references?", to=[ME], thread="refs")
    mail(ME, "Re: References", "I'll send you two references by Friday.", "2026-03-04T10:00", to=[AMY], thread="refs")
    ledger = CommitmentLedger(company)
    ledger.scan()
    assert len(company.commitments.list()) == 1
    sent = mail(ME, "Re: References", "Amy, as promised, two references: Pat Lee and Riley Park.", "2026-03-05T16:00",
                to=[AMY], thread="refs")
    for _ in range(2):
        ledger.scan()
        [item] = company.commitments.list()
        assert item.status == "done" and item.evidence[-1].source_id == sent.id


def test_the_daily_briefing_job_proposes_follow_up_drafts_once(company, mail):
    from engine.usecases.briefing import run_briefing

    mail(ME, "Numbers", "Pat, can you get me the Q1 bookings by Monday?", to=[PAT])  # long overdue by now
    CommitmentLedger(company).scan()
    delivered: list = []
    run_briefing(lambda: company, delivered.append)
    [(_, kind, payload)] = company.pending_actions.pending()
    assert delivered and kind == "draft_email" and payload["origin"] == "commitments" and payload["to"] == [PAT.email]
    run_briefing(lambda: company, delivered.append)  # the next morning: still pending, not proposed again
    assert len(company.pending_actions.pending()) == 1
