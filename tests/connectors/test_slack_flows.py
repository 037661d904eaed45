"""Synced Slack messages take the same engine paths as mail: knowledge base, triage and commitments."""

from __future__ import annotations

from engine.assistant import CommitmentLedger, TriageEngine
from tests.connectors.test_slack import ACCOUNT, make_coordinator, slack  # noqa: F401 - fixture reuse


def test_slack_dm_needs_a_reply_and_its_promise_becomes_a_commitment(store, slack) -> None:  # noqa: F811
    store.settings.set("assistant.me", {"emails": ["dana@northwind.example"], "name": "Dana Reyes"})
    ask = slack.post("D0PAT", "U0PAT", "Can you approve the Harborview discount today?")
    chatter = slack.post("C0SALES", "U0JO", "lunch is in the kitchen")
    promise = slack.post("C0SALES", "U0JO", "<@U0CEO> I'll send you the Q3 pipeline numbers by Friday")
    assert make_coordinator(store, slack).run().status == "ok"

    def mid(channel: str, ts: str) -> int:
        return store.messages.id_for(ACCOUNT, f"{channel}:{ts}")

    triage = TriageEngine(store)
    assert triage.triage(mid("D0PAT", ask)).needs_reply  # a direct question in a DM
    assert not triage.triage(mid("C0SALES", chatter)).needs_reply  # channel chatter not addressed to the user

    ledger = CommitmentLedger(store)
    ledger.scan()
    owed = [c for c in store.commitments.list() if "Q3 pipeline" in c.what]
    assert owed and owed[0].evidence[0].source_id == mid("C0SALES", promise)


def test_slack_messages_are_searchable_in_the_knowledge_base(store, slack) -> None:  # noqa: F811
    from engine.retrieval import Filters, RetrievalService

    slack.post("C0SALES", "U0PAT", "Summit Outdoor wants a pilot of twelve robots in March")
    assert make_coordinator(store, slack).run().status == "ok"
    retrieval = RetrievalService.open(store)
    retrieval.index_now()
    hits = retrieval.search("Summit pilot robots", filters=Filters(types=("email",)))
    assert hits and "twelve robots" in hits[0].chunk.text
