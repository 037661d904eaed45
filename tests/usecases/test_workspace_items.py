"""Slack replies from the Inbox are pending actions (posted only after confirmation); Asana tasks are listed
and searched."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from connectors.slack import SLACK_REPLY
from engine.errors import EngineError
from engine.usecases.workspace_items import find_tasks, is_slack, propose_slack_reply
from models import Contact, Message
from models.tasks import Task


def _slack_message(store) -> int:  # noqa: ANN001
    return store.messages.upsert([Message(
        "slack:T1", "C1:1700000000.000100", "C1:1700000000.000100", "#deals", Contact("li@globex.example", "Li"),
        [], sent_at=datetime(2026, 3, 2, 9, tzinfo=timezone.utc), body_text="Can you send the quote?",
        headers={"X-Slack-Channel": "C1", "X-Slack-Ts": "1700000000.000100"})])[0]


def test_a_slack_reply_waits_for_confirmation(store) -> None:  # noqa: ANN001
    mid = _slack_message(store)
    assert is_slack(store.messages.get(mid))
    action = store.pending_actions.get(propose_slack_reply(store, mid, "  On its way.  "))
    assert action.kind == SLACK_REPLY and store.pending_actions.status(action.id)[0] == "pending"
    assert action.payload["channel"] == "C1" and action.payload["thread_ts"] == "1700000000.000100"
    assert action.payload["text"] == "On its way."
    with pytest.raises(EngineError):
        propose_slack_reply(store, mid, "   ")


def test_mail_is_not_replied_to_through_slack(store) -> None:  # noqa: ANN001
    mid = store.messages.upsert([Message("demo", "m1", "t1", "Hello", Contact("a@b.example"), [],
                                         sent_at=datetime(2026, 3, 2, tzinfo=timezone.utc), body_text="Hi")])[0]
    assert not is_slack(store.messages.get(mid))
    with pytest.raises(EngineError):
        propose_slack_reply(store, mid, "Hi back")
    assert store.pending_actions.pending() == []


def test_tasks_are_searched_by_every_word(store) -> None:  # noqa: ANN001
    store.tasks.upsert([
        Task("asana:1", "1", "Send Globex quote", notes="pricing v2", due=date(2026, 3, 5), projects=["Sales"]),
        Task("asana:1", "2", "Hire VP Marketing", assignee_name="Pat Lee", projects=["Hiring"]),
        Task("asana:1", "3", "Old task", completed=True),
    ])
    assert [t.title for t in find_tasks(store)] == ["Send Globex quote", "Hire VP Marketing"]
    assert [t.title for t in find_tasks(store, "pricing SALES")] == ["Send Globex quote"]
    assert [t.title for t in find_tasks(store, "pat")] == ["Hire VP Marketing"]
    assert [t.title for t in find_tasks(store, "old", open_only=False)] == ["Old task"]
    assert find_tasks(store, "nothing-like-this") == []
