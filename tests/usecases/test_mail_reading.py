"""The app's background mail reading (#15 item 5) through the production path (LLMService -> ServerEngine -> the
openai SDK) against a scripted local server: a capable model's quoted commitments, opportunities and priority
reasons land in the same stores the rules write (so Today, the Inbox and Insights show them), the reading runs on
its own thread (request returns at once), stops on cancel, never asks about old mail twice or at all, and a model
measured evidence-only (the bundled one) is never asked."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from engine.events import MODEL_DID_MEASURE, STORE_DID_CHANGE, SYNC_DID_FINISH, EventBus
from engine.insights.revenue import RevenueIntel
from engine.llm.capability import Tier
from engine.usecases.briefing import build_briefing
from engine.usecases.mail_reading import BackgroundMailReading, ask_when_capable, kept_reader
from models import Contact, Message
from tests.fakes.ollama_server import FakeOllama, llm_on

SENT = datetime.now(timezone.utc) - timedelta(days=1)
PORTO = "Lovely to see you in Lisbon. The Porto team could use your platform from January, around EUR 80k a year."
HEADS_UP = "Quick note from the facilities side. The auditors arrive at 8 tomorrow and the server room is locked."
CONTRACT = "Thanks for the call today. The redlined contract is on my plate for Thursday."
READINGS = {
    "Porto": {"opportunities": [{"account": "Porto Retail", "kind": "expansion", "amount": "EUR 80k",
                                 "quote": PORTO.split(". ")[1]}]},
    "Heads-up": {"priority": {"level": "urgent", "quote": HEADS_UP.split(". ")[1]}},
    "Contract": {"commitments": [{"owner": "writer", "what": "send the redlined contract", "due": "Thursday",
                                  "quote": CONTRACT.split(". ")[1]}]},
}


def scripted(body: dict) -> str:
    return json.dumps(READINGS.get(_subject(body), {}))


@pytest.fixture()
def server():
    fake = FakeOllama(reply=scripted, chunk_size=64, chunk_delay_s=0.0)
    yield fake
    fake.stop()


@pytest.fixture()
def llm(server):
    with llm_on(server) as service:
        yield service


@pytest.fixture()
def mailbox(store):
    """Three recent mails whose point only the model reads, and one two months old."""
    def one(mid: int, subject: str, body: str, sender: str, sent: datetime = SENT) -> Message:
        return Message(account="a", provider_id=f"p{mid}", thread_key=f"t{mid}", subject=subject, body_text=body,
                       sender=Contact(sender, sender.split("@")[0].title()), sent_at=sent,
                       to=[Contact("ines@tidewater.example", "Ines Carvalho")])

    store.messages.upsert([one(1, "Porto", PORTO, "ana@portoretail.example"),
                           one(2, "Heads-up", HEADS_UP, "facilities@harbourhall.example"),
                           one(3, "Contract", CONTRACT, "rafael@veranofoods.example"),
                           one(4, "Porto", PORTO, "old@portoretail.example", SENT - timedelta(days=60))])
    named = {"p1": "Porto", "p2": "Heads-up", "p3": "Contract", "p4": "old"}
    return {name: store.messages.get(store.messages.id_for("a", pid)) for pid, name in named.items()}


def reading_with(store, asker, events: list, bus: EventBus | None = None) -> BackgroundMailReading:
    bus = bus or EventBus()
    bus.subscribe(STORE_DID_CHANGE, lambda name, payload: events.append(payload))
    return BackgroundMailReading(store, asker, bus)


def wait(reading: BackgroundMailReading) -> None:
    assert reading.finished.wait(60), "the reading did not finish"


def test_a_capable_models_findings_land_in_the_stores_the_rules_write(store, llm, server, mailbox):
    from engine.assistant.triage import TriageEngine

    TriageEngine(store).run()
    rules_priority = store.triage.get(mailbox["Heads-up"].id).priority
    assert rules_priority != "urgent" and RevenueIntel(store).scan() == []
    events: list = []
    reading = reading_with(store, ask_when_capable(lambda: Tier.REPHRASE, lambda: llm), events)
    reading.request()
    wait(reading)

    assert (reading.last.read, reading.last.found) == (3, 3) and len(server.bodies) == 3  # the old mail is not read
    assert events == [{"tables": ["triage", "commitments", "opportunities"]}]
    triage = store.triage.get(mailbox["Heads-up"].id)
    assert triage.priority == "urgent" and "auditors arrive" in triage.reason
    [deal] = store.opportunities.list()
    assert (deal.kind, deal.amount, deal.currency) == ("expansion", 80_000.0, "EUR")
    assert deal.evidence[0].quote == PORTO.split(". ")[1]
    contract = next(c for c in store.commitments.list() if c.what == "send the redlined contract")
    assert contract.evidence[0].source_id == mailbox["Contract"].id and contract.due is not None

    # The app's own scans (the briefing on the store worker) take `known`: what was read stays, nothing is asked
    # again; a scan by the rules alone would lower the verdict again.
    build_briefing(store, datetime.now(timezone.utc).date(), tz=timezone.utc, model_reader=reading.known)
    assert store.triage.get(mailbox["Heads-up"].id).priority == "urgent"
    assert [o.amount for o in store.opportunities.list()] == [80_000.0]
    build_briefing(store, datetime.now(timezone.utc).date(), tz=timezone.utc)
    assert store.triage.get(mailbox["Heads-up"].id).priority == rules_priority
    assert reading.known(mailbox["old"]).opportunities == []
    reading.request()
    wait(reading)
    assert reading.last.read == 0 and len(server.bodies) == 3 and len(events) == 1
    reading.close()

    # After a restart, now with the bundled model: the kept readings are merged again, nothing is asked.
    again = reading_with(store, ask_when_capable(lambda: Tier.EVIDENCE_ONLY, lambda: llm), events)
    again.request()
    wait(again)
    assert (again.last.recalled, again.last.read, again.last.skipped) == (3, 0, True) and len(server.bodies) == 3
    assert store.triage.get(mailbox["Heads-up"].id).priority == "urgent" and len(events) == 2
    cli = kept_reader(store, ask_when_capable(lambda: Tier.REPHRASE, lambda: llm)())  # a CLI command's reader
    assert cli(mailbox["Porto"]).opportunities[0].amount == "EUR 80k" and len(server.bodies) == 3  # not asked again
    again.forget()  # the store was restored from a backup: what was held is dropped, the store's taken back
    assert again.known(mailbox["Heads-up"]).priority is None
    again.request()
    wait(again)
    assert again.last.recalled == 3 and again.known(mailbox["Heads-up"]).priority.level == "urgent"
    again.close()


def test_an_evidence_only_model_is_never_asked(store, llm, server, mailbox):
    events: list = []
    reading = reading_with(store, ask_when_capable(lambda: Tier.EVIDENCE_ONLY, lambda: llm), events)
    reading.request()
    wait(reading)
    assert reading.last.skipped and server.bodies == [] and events == []
    assert store.opportunities.list() == [] and store.triage.all() == []
    reading.close()


def test_the_reading_never_blocks_its_caller_and_stops_on_cancel(store, llm, server, mailbox):
    server.chunk_size, server.chunk_delay_s = 4, 0.02  # a slow model: a reading takes a while
    events: list = []
    asked = threading.Event()
    reading: BackgroundMailReading

    def ask(prompt, schema):  # noqa: ANN001, ANN202 - the user stops the reading while the first mail is read
        asked.set()
        reading.cancel()
        return llm.structured(prompt, schema, feature="mail_reading")

    reading = reading_with(store, lambda: ask, events)
    started = time.perf_counter()
    reading.request()
    assert time.perf_counter() - started < 0.2 and reading.running
    assert asked.wait(30)
    wait(reading)
    assert reading.last.cancelled and reading.last.read == 1 and len(server.bodies) == 1
    assert events == [] and store.opportunities.list() == []  # a cancelled run merges nothing
    reading.close()
    reading.request()  # closed: nothing starts
    assert not reading.running


def test_it_reads_again_after_a_sync_or_a_measured_model_but_not_after_its_own_merge(store, llm, server, mailbox):
    bus, events, runs = EventBus(), [], []
    reading = reading_with(store, lambda: runs.append(1) or None, events, bus)  # counts runs; reads nothing
    unfollow = reading.follow()
    for name, payload in [(SYNC_DID_FINISH, {"account": "a", "added": 1, "updated": 0, "deleted": 0}),
                          (MODEL_DID_MEASURE, {"model": "m", "tier": "rephrase", "score": 0.8}),
                          (STORE_DID_CHANGE, {"tables": ["messages"]})]:
        bus.emit(name, **payload)
        wait(reading)
    assert len(runs) == 3
    bus.emit(STORE_DID_CHANGE, tables=["triage", "commitments", "opportunities"])  # what a merge announces
    wait(reading)  # (a request clears `finished` before emit returns, so a run would be waited for here)
    unfollow()
    bus.emit(SYNC_DID_FINISH, account="a", added=1, updated=0, deleted=0)
    wait(reading)
    assert len(runs) == 3
    reading.close()


def test_a_question_never_waits_for_a_mail_reading(store, llm, server, mailbox):
    """The reading gives way: a question asked while a mail is being read is answered at once, and the mail is
    read again behind it (nothing is lost, nothing is read twice into the store)."""
    padded = {subject: json.dumps(reading, indent=100) for subject, reading in READINGS.items()}  # long replies
    server.reply = lambda body: (padded.get(_subject(body), "{}") if _subject(body) else "Four.")
    server.chunk_size, server.chunk_delay_s = 4, 0.02  # a reading streams for 4 s or more
    events: list = []
    reading = reading_with(store, ask_when_capable(lambda: Tier.REPHRASE, lambda: llm), events)
    reading.request()
    assert _wait_for(lambda: len(server.bodies) == 1)  # the first mail is being read
    started = time.perf_counter()
    answer = llm.ask("What is two plus two?", feature="chat")
    waited = time.perf_counter() - started
    server.chunk_delay_s = 0.0  # the rest of the reading need not take long
    wait(reading)
    assert answer.text == "Four." and waited < 1.5  # not behind seconds of reading
    assert (reading.last.read, reading.last.found) == (3, 3) and len(events) == 1  # every mail read all the same
    reading.close()


def _subject(body: dict) -> str:
    prompt = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
    return next((line.removeprefix("Subject: ") for line in prompt.splitlines() if line.startswith("Subject: ")), "")


def _wait_for(condition, timeout: float = 30.0) -> bool:  # noqa: ANN001
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            return False
        time.sleep(0.01)
    return True
