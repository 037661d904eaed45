"""Rules that know business, not the demo: a first day in another company's mailbox (no strategic context)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from engine.assistant.bootstrap import propose_context
from engine.assistant.commitments import CommitmentLedger
from engine.assistant.dates import find_due
from engine.assistant.organisations import name_from_domain, name_from_signature, organisation_name
from engine.assistant.promises import find_promises
from engine.assistant.triage import TriageEngine
from engine.insights.revenue import RevenueIntel
from engine.store import Store
from models import Contact, Message

ROOT = Path(__file__).resolve().parents[2]
ME = Contact("ines@tidewater.example", "Ines Carvalho")
TEAM = Contact("omar@tidewater.example", "Omar Haddad")
_n = iter(range(1, 10_000))


def _mail(store: Store, sender: Contact, body: str, *, when: str = "2026-03-04T09:00", to: list[Contact] | None = None,
          cc: list[Contact] | None = None, subject: str = "Hello", thread: str = "", headers: dict | None = None) -> Message:
    n = next(_n)
    msg = Message(account="test", provider_id=f"b{n}", thread_key=thread or f"bt{n}", subject=subject, sender=sender,
                  to=to if to is not None else [ME], cc=cc or [], body_text=body, headers=headers or {},
                  sent_at=datetime.fromisoformat(when).replace(tzinfo=timezone.utc))
    store.messages.upsert([msg])
    return msg


@pytest.fixture
def mailbox(store: Store) -> Store:
    """A first day: the user is whoever most mail is addressed to; nothing is configured."""
    for i in range(3):
        _mail(store, TEAM, f"Lunch at {12 + i}?", subject="Lunch")
    return store


@pytest.mark.parametrize("text,written,due", [
    ("Could you send it by Wednesday 11 March?", date(2026, 3, 2), date(2026, 3, 11)),  # the date, not the weekday
    ("We hope to receive it before the end of March.", date(2026, 3, 17), date(2026, 3, 31)),
    ("I will send you an update within the hour.", date(2026, 3, 25), date(2026, 3, 25)),
    ("We need them by the 25th of this month.", date(2026, 9, 8), date(2026, 9, 25)),
    ("Please submit no later than 16.09.2026.", date(2026, 9, 4), date(2026, 9, 16)),
    ("Can you give me your decision by 3pm?", date(2026, 3, 26), date(2026, 3, 26)),
    ("by 3pm on Friday", date(2026, 3, 2), date(2026, 3, 6)),
    ("We would appreciate a response within a week.", date(2026, 3, 5), date(2026, 3, 12)),
])
def test_due_dates_from_the_phrase_that_names_the_day(text: str, written: date, due: date) -> None:
    assert find_due(text, written).due == due


def test_requests_in_business_forms_and_a_second_named_owner() -> None:
    day = date(2026, 3, 4)
    assert find_promises("Kindly sign and return it by Friday.", day)[0].owner == "reader"
    need = find_promises("I need a plan from you today.", day)[0]
    assert (need.kind, need.due) == ("request", day)
    both = find_promises("I will send the proposal by Friday, and Tom will set up a session with your IT team.", day)
    assert [(p.owner, p.kind) for p in both] == [("writer", "promise"), ("Tom", "action_item")]
    assert find_promises("Please make sure it reaches me so I can share it with Mark.", day)[0].kind == "request"


def test_organisation_names_from_signatures_and_domains() -> None:
    assert name_from_signature("Kind regards,\nClaire Dubois\nDirectrice Revenue, Maison Lumière Hotels",
                               "Claire Dubois") == "Maison Lumière Hotels"
    assert name_from_signature("Thanks,\nTom\nSent from my iPhone", "Tom Reyes") == ""
    assert name_from_domain("maisonlumiere-hotels.fr") == "Maisonlumiere Hotels"
    assert name_from_domain("tanholdings.com.sg") == "Tanholdings"
    assert organisation_name("someone@gmail.com", "Acme Ltd") == ""  # consumer mail is nobody's organisation


def test_cold_start_finds_a_deal_and_ranks_it_important(mailbox: Store) -> None:
    lead = Contact("k.watanabe@sakurastay.example", "Kenji Watanabe")
    deal = _mail(mailbox, lead, "Dear Ms Carvalho,\n\nWe operate 18 hotels and our budget is JPY 45,000,000 for the "
                 "first year. Could you please send us a proposal? We hope to receive it before the end of March.\n\n"
                 "Best regards,\nKenji Watanabe\nDirector, International, Sakura Stay", when="2026-03-17T02:30")
    vendor = _mail(mailbox, Contact("derek@cloudline.example", "Derek Holt"), "Hi Ines,\n\nYour hosting contract "
                   "renews on 1 May. Attached is the renewal quote for £96,000 per year.\n\nBest,\nDerek",
                   subject="Your renewal quote")
    opps = RevenueIntel(mailbox).detect()
    assert [(o.account, o.kind, o.amount, o.currency) for o in opps] == [("Sakura Stay", "new", 45_000_000, "JPY")]
    verdicts = {r.message_id: r for r in TriageEngine(mailbox).run()}
    assert verdicts[deal.id].priority == "important" and verdicts[deal.id].needs_reply
    assert "revenue" in verdicts[deal.id].reason.lower()  # every verdict says why
    assert verdicts[vendor.id].category == "vendor" and verdicts[vendor.id].priority == "normal"
    owed = CommitmentLedger(mailbox).scan(meetings=False)
    assert [(c.owner, c.due) for c in owed] == [(ME.email, date(2026, 3, 31))]  # a dated request to the user


@pytest.mark.parametrize("body,why", [
    ("Omar told me he has an offer from a competitor and is thinking of leaving. Can we talk?", "people risk"),
    ("Rates have not updated since 5am. This is critical, please escalate immediately.", "escalation"),
])
def test_urgent_from_general_signals(mailbox: Store, body: str, why: str) -> None:
    sender = TEAM if why == "people risk" else Contact("ben@northgate.example", "Ben Harlow")
    msg = _mail(mailbox, sender, body)
    result = TriageEngine(mailbox).triage(msg.id)
    assert result.priority == "urgent" and why in result.reason.lower()


def test_a_same_day_ask_is_urgent_but_not_in_family_mail(mailbox: Store) -> None:
    work = _mail(mailbox, TEAM, "We need to decide on the credit line. Can you give me your decision by 3pm?")
    home = _mail(mailbox, Contact("kid@gmail.com", "Sam Carvalho"), "hi mom can you sign my form tonight?")
    engine = TriageEngine(mailbox)
    assert engine.triage(work.id).priority == "urgent"
    assert engine.triage(home.id).priority != "urgent"


def test_proposed_context_from_the_mailbox_says_why(mailbox: Store) -> None:
    buyer = Contact("anna@vistula.example", "Anna Kowalski")
    _mail(mailbox, buyer, "Dear Ines,\n\nWe would like to add our two new hotels to the contract, €95k a year. "
          "Please send an amended order form.\n\nKind regards,\nAnna Kowalski\nHead of Distribution, Vistula Hotels",
          subject="Two more hotels")
    _mail(mailbox, Contact("marcus@larkspur.example", "Marcus Hale"), "Hi Ines, could you send the Q1 KPIs for our "
          "LP report?\n\nBest,\nMarcus Hale\nPartner, Larkspur Ventures", subject="LP report")
    _mail(mailbox, ME, "Omar, can you send me the forecast by Monday?", to=[TEAM])
    _mail(mailbox, ME, "Omar, please update the pricing sheet by Friday.", to=[TEAM])
    proposal = propose_context(mailbox)
    assert [p.name for p in proposal.of("key_account")] == ["Vistula Hotels"]
    assert "buying" in proposal.of("key_account")[0].why and proposal.of("key_account")[0].samples == ("Two more hotels",)
    assert [p.email for p in proposal.of("direct_report")] == [TEAM.email]
    assert [p.email for p in proposal.of("investor")] == ["marcus@larkspur.example"]
    assert [p.name for p in proposal.of("own_org")] == ["tidewater.example"]
    mailbox.contexts.save(proposal.context)  # confirmed: the account is now a key account
    assert RevenueIntel(mailbox).detect()[0].account == "Vistula Hotels"


DEMO_WORDS = re.compile(r"\b(?:robots?|warehouses?|lidar|amrs?|fleet|units|sites?|dc|nw-\d+|pick rates?)\b", re.I)
RULE_FILES = ["engine/assistant/lexicon.py", "engine/assistant/triage.py", "engine/assistant/signals.py",
              "engine/assistant/commitments.py", "engine/assistant/promises.py", "engine/insights/revenue.py",
              "engine/assistant/money.py"]


@pytest.mark.parametrize("path", RULE_FILES)
def test_no_demo_vocabulary_in_rules(path: str) -> None:
    code = [line for line in (ROOT / path).read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("#") and 'r"' in line]  # the patterns, not prose
    assert not [line for line in code if DEMO_WORDS.search(line)]
