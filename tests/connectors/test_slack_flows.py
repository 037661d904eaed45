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
    mention = slack.post("C0SALES", "U0JO", "<@U0CEO> can you join the Summit call on Thursday?")
    question = slack.post("C0SALES", "U0PAT", "Can anyone cover the Summit call on Thursday?")
    assert make_coordinator(store, slack).run().status == "ok"
    assert triage.triage(mid("C0SALES", mention)).needs_reply  # a question to the user by @mention in a channel
    assert not triage.triage(mid("C0SALES", question)).needs_reply  # a question to the channel, not to the user

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


def test_slack_messages_count_in_the_team_pulse(store, slack) -> None:  # noqa: F811
    """Team chat is where much of a team's tone shows: Slack messages feed the same weekly aggregates as mail."""
    import time

    from engine.insights import TeamPulse
    from models import StrategicContext, TeamMember

    slack.add_user("U0SAM", "Sam Ortiz", "sam@northwind.example")
    store.contexts.save(StrategicContext(team=[
        TeamMember("Pat Kim", "VP Sales", "pat@northwind.example", team="Sales"),
        TeamMember("Jo Lee", "AE", "jo@northwind.example", team="Sales"),
        TeamMember("Sam Ortiz", "AE", "sam@northwind.example", team="Sales")]))
    now = time.time()
    for n, (user, text) in enumerate([("U0PAT", "Great quarter, thanks everyone!"), ("U0JO", "Love this team."),
                                      ("U0SAM", "Happy with the new pipeline.")]):
        slack.post("C0SALES", user, text, at=now - 3600 + n)
    assert make_coordinator(store, slack).run().status == "ok"
    report = TeamPulse(store, min_group_size=3).report(weeks=2, store_results=False)
    [week] = [w for w in report.weeks if w.group == "Sales"]
    assert week.people == 3 and week.messages >= 3 and week.sentiment > 0
