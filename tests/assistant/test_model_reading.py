"""A capable model helps when there is one (#15 item 5): through the production path (LLMService -> ServerEngine
-> the openai SDK) against a scripted local server, the model's commitments, opportunities and priority reason
are kept only when they quote the mail; a bad reply (not JSON, twice) costs nothing; invented items are dropped;
the model's commitments merge with the rules' (one item when both found it). Which tier may read is one function."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from engine.assistant.commitments import CommitmentLedger, merge_duplicates
from engine.assistant.model_reading import MailReader, MailReading, Verified, model_may_read_mail, read_mail
from engine.llm.capability import Tier
from engine.llm.service import LLMService
from models import Contact, Message
from tests.fakes.ollama_server import FakeOllama, llm_on

SENT = datetime.now(timezone.utc) - timedelta(days=1)
BODY = ("Hi Ines,\n\nOur board approved a budget of CHF 1.2 million for the warehouse scanners. "
        "Could you get us the signed order form back before the end of next week? "
        "I will send the site survey on Monday. The redlined contract is on my plate for Thursday."
        "\n\nBest, Rafael")
PORTO = "Lovely to see you in Lisbon. The Porto team could use your platform from January, around EUR 80k a year."
HEADS_UP = "Quick note from the facilities side. The auditors arrive at 8 tomorrow and the server room is locked."
HALLUCINATED = {"commitments": [{"owner": "writer", "what": "pay the invoice", "due": "",
                                 "quote": "We will pay the invoice of EUR 90,000 tomorrow."}],
                "opportunities": [{"account": "Globex", "kind": "expansion", "amount": "$3.4m",
                                   "quote": "Globex wants to expand to 40 sites."}],
                "priority": {"level": "urgent", "quote": "This is a legal emergency."}}
GOOD = {"commitments": [{"owner": "reader", "what": "return the signed order form", "due": "before the end of next week",
                         "quote": "Could you get us the signed order form back before the end of next week?"},
                        {"owner": "writer", "what": "send the site survey", "due": "Monday",
                         "quote": "I will send the site survey on Monday."},
                        {"owner": "writer", "what": "send the redlined contract", "due": "Thursday",
                         "quote": "The redlined contract is on my plate for Thursday."}],
        "opportunities": [{"account": "Verano Foods", "kind": "new", "amount": "CHF 1.2 million",
                           "quote": "Our board approved a budget of CHF 1.2 million for the warehouse scanners."}],
        "priority": {"level": "important",
                     "quote": "Could you get us the signed order form back before the end of next week?"}}


def scripted(body: dict) -> str:
    """Good on the mail whose subject says so, invented quotes on 'Rumours', not JSON on 'Garbled'."""
    prompt = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
    if "Subject: Garbled" in prompt:
        return "Sure! Here are the items you asked for: the order form and the survey."
    if "Subject: Rumours" in prompt:
        return json.dumps(HALLUCINATED)
    if "Subject: Heads-up" in prompt:
        return json.dumps({"priority": {"level": "urgent", "quote": HEADS_UP.split(". ")[1]}})
    if "Subject: Calm" in prompt:
        return json.dumps({"priority": {"level": "low", "quote": GOOD["priority"]["quote"]}})
    if "Subject: Porto" in prompt:
        return json.dumps({"opportunities": [{"account": "Verano Foods", "kind": "expansion", "amount": "EUR 80k",
                                              "quote": PORTO.split(". ")[1]}]})
    return json.dumps(GOOD)


@pytest.fixture()
def server():
    fake = FakeOllama(reply=scripted, chunk_size=64, chunk_delay_s=0.0)
    yield fake
    fake.stop()


@pytest.fixture()
def llm(server):
    with llm_on(server) as service:
        yield service


def ask(llm: LLMService):  # noqa: ANN201
    return lambda prompt, schema: llm.structured(prompt, schema, feature="mail_reading")


def mail(subject: str, *, mid: int = 7, to: int = 1) -> Message:
    return Message(account="a", provider_id=f"p{mid}", thread_key=f"t{mid}", subject=subject, id=mid,
                   sender=Contact("rafael@veranofoods.example", "Rafael Ortiz"), sent_at=SENT, body_text=BODY,
                   to=[Contact("ines@tidewater.example", "Ines Carvalho")] * to)


def test_only_a_model_measured_for_it_reads_mail():
    assert not model_may_read_mail(Tier.EVIDENCE_ONLY)
    assert model_may_read_mail(Tier.REPHRASE) and model_may_read_mail(Tier.SYNTHESISE)


def test_good_items_that_quote_the_mail_are_kept(llm):
    found = read_mail(mail("Order form"), ask(llm))
    assert [c.what for c in found.commitments] == ["return the signed order form", "send the site survey",
                                                   "send the redlined contract"]
    assert [(o.account, o.amount) for o in found.opportunities] == [("Verano Foods", "CHF 1.2 million")]
    assert found.priority is not None and found.priority.level == "important" and found.dropped == 0


def test_invented_items_are_dropped_and_a_bad_reply_costs_nothing(llm):
    invented = read_mail(mail("Rumours"), ask(llm))
    assert (invented.commitments, invented.opportunities, invented.priority, invented.dropped) == ([], [], None, 3)
    garbled = read_mail(mail("Garbled"), ask(llm))
    assert (garbled.commitments, garbled.opportunities, garbled.priority) == ([], [], None)
    assert garbled.failed and not invented.failed  # a failed reading is never kept (it is read again later)
    kept: list = []
    reader = MailReader(ask(llm), remember=lambda key, found: kept.append((key, found.dump())))
    reader(mail("Garbled", mid=1)), reader(mail("Rumours", mid=2))
    assert [key[0] for key, _ in kept] == [2] and Verified.load(kept[0][1]).items == 0


def test_the_ledger_merges_the_models_commitments_with_the_rules(store, llm):
    message = mail("Order form")
    rules = CommitmentLedger(store)
    rules_only = merge_duplicates(rules.from_message(message), rules.mentions)
    ledger = CommitmentLedger(store, model_reader=MailReader(ask(llm)))
    merged = merge_duplicates(ledger.from_message(message), ledger.mentions)
    assert {c.what for _, c in rules_only} == {"get us the signed order form back", "send the site survey"}
    # what both found is one item, in the rules' words; what only the model found is added
    assert [c.what for _, c in merged] == [c.what for _, c in rules_only] + ["send the redlined contract"]
    contract = merged[-1][1]
    assert contract.owner == "rafael@veranofoods.example"
    assert contract.due is not None and contract.due.weekday() == 3  # Thursday, resolved against the mail's date
    assert contract.evidence[0].quote == "The redlined contract is on my plate for Thursday."


def test_the_reader_asks_once_per_mail_and_never_about_old_mail(llm, server):
    reader = MailReader(ask(llm))
    first = reader(mail("Order form"))
    assert reader(mail("Order form")) is first and len(server.bodies) == 1
    old = mail("Order form", mid=8)
    old.sent_at = SENT - timedelta(days=60)
    assert reader(old).commitments == [] and len(server.bodies) == 1


def test_the_pipeline_counts_a_buyer_only_the_model_read(store, llm):
    from engine.insights.revenue import RevenueIntel

    message = mail("Porto")
    message.body_text = PORTO
    store.messages.upsert([message])
    assert RevenueIntel(store).detect() == []  # the rules do not read this as buying
    [opportunity] = RevenueIntel(store, model_reader=MailReader(ask(llm))).detect()
    assert (opportunity.kind, opportunity.amount, opportunity.currency) == ("expansion", 80_000.0, "EUR")
    assert opportunity.evidence[0].quote == PORTO.split(". ")[1]


def test_triage_takes_the_models_quoted_reason_and_never_lowers_a_verdict(store, llm):
    from engine.assistant.triage import TriageEngine

    def verdicts(subject: str, mid: int, body: str = BODY):  # noqa: ANN202 - (rules alone, with the model)
        message = mail(subject, mid=mid)
        message.body_text = body
        store.messages.upsert([message])
        stored = store.messages.get(store.messages.id_for("a", f"p{mid}"))
        return (TriageEngine(store).triage_message(stored),
                TriageEngine(store, model_reader=MailReader(ask(llm))).triage_message(stored))

    rules, agreed = verdicts("Order form", 7)
    assert rules.priority == agreed.priority == "important"  # the model agrees: its sentence joins the why
    assert agreed.reason == rules.reason + f'; the model read "{GOOD["priority"]["quote"]}"'
    assert any(e.quote == GOOD["priority"]["quote"] for e in agreed.evidence)
    rules, raised = verdicts("Heads-up", 8, HEADS_UP)
    assert rules.priority != "urgent" and raised.priority == "urgent" and "auditors arrive" in raised.reason
    rules, calm = verdicts("Calm", 9)
    assert rules.priority == "important" and (calm.priority, calm.reason) == (rules.priority, rules.reason)  # not lowered
    rules, invented = verdicts("Rumours", 10)
    assert (invented.priority, invented.reason) == (rules.priority, rules.reason)
