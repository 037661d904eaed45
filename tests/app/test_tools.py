"""The model's tools over the user's data, and `act`: reads answer from the store, writes only file pending actions,
and an instruction becomes a proposal grounded in the store and the instruction (never the model's guess)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.cli import main
from app.context import AppContext
from app.demo import load_demo
from app.services import Services
from engine.assistant.act_grounding import Clarification, Proposal, Workspace, ground
from engine.llm.tools import CreateTaskArgs, FindPersonArgs, GetThreadArgs, ListEventsArgs, TOOLS, ToolCall
from engine.usecases.acting import is_action_request
from models import Contact

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 25, 17, 9, tzinfo=LA)  # a Wednesday


def _tool(name: str):  # noqa: ANN202
    return next(t for t in TOOLS if t.name == name)


def test_instructions_are_told_from_questions() -> None:
    assert is_action_request("Draft a reply to Mark about the pilot")
    assert is_action_request("Schedule a call with Li Wei next Tuesday at 10:00")
    assert is_action_request("Add a task to review the board deck by Friday")
    assert is_action_request("Please remind me to call Dana") and is_action_request("Decline the board meeting")
    assert not is_action_request("What did Harborview ask for?") and not is_action_request("Who is Mark?")
    assert not is_action_request("Write an essay about robots")
    assert is_action_request("Move the board meeting to Friday") and not is_action_request("Push notifications?")


def test_the_instruction_and_the_store_ground_a_proposal() -> None:
    people = [Contact("li.wei@acme.example", "Li Wei"), Contact("li.chen@acme.example", "Li Chen")]
    workspace = Workspace(Contact("me@us.example", "Dana Whitfield"), people)
    event = ground("Schedule a call with Li Wei next Tuesday at 10:00", now=NOW, workspace=workspace)
    assert isinstance(event, Proposal) and event.payload == {
        "title": "Call with Li Wei", "start": "2026-12-01T10:00:00-08:00", "end": "2026-12-01T10:30:00-08:00",
        "attendees": ["li.wei@acme.example"]}
    ask = ground("Schedule a call with Li next Tuesday at 10:00", now=NOW, workspace=workspace)
    assert isinstance(ask, Clarification) and set(ask.candidates) == {p.email for p in people}
    no_time = ground("Schedule a call with Li Wei next Tuesday", now=NOW, workspace=workspace)
    assert isinstance(no_time, Clarification) and no_time.missing == "time"  # never midnight by default
    task = ground("Add a task to review the Q4 board deck by Friday", now=NOW, workspace=workspace)
    assert task.payload == {"title": "Review the Q4 board deck", "due_date": "2026-11-27"}
    mail = ground("Email mark@harborview.example about the pilot dates", now=NOW, workspace=workspace)
    assert mail.payload["to"] == ["mark@harborview.example"] and mail.payload["subject"] == "Pilot dates"


@pytest.fixture
def demo_services(tmp_path):  # noqa: ANN201
    ctx = AppContext(home=tmp_path / "home", log=False)
    load_demo(ctx.create_store())
    ctx.settings.timezone = "America/Los_Angeles"
    services = Services(ctx)
    yield services
    services.close()
    ctx.close()


def test_read_tools_answer_from_the_store_and_writes_only_file_pending_actions(demo_services) -> None:
    registry, store = demo_services.acting.registry, demo_services.store
    run = lambda name, args: registry.execute(ToolCall(_tool(name), args)).data  # noqa: E731
    events = run("list_events", ListEventsArgs(start_date="2026-11-25", days=1))
    assert events and all(e["start"].startswith("2026-11-25") for e in events)
    first_mail = store.messages.recent(limit=1)[0].id
    thread = run("get_thread", GetThreadArgs(thread_id=str(first_mail)))
    assert thread and {"from", "subject", "text"} <= set(thread[0])
    assert run("get_thread", GetThreadArgs(thread_id="not-an-id")) == []
    person = run("find_person", FindPersonArgs(name="Mark Delaney"))
    assert person["email"].startswith("mark.delaney@")
    pending = registry.execute(ToolCall(_tool("create_task"), CreateTaskArgs(title="Call Dana")))
    assert store.pending_actions.pending() == []  # proposing files nothing until the registry's confirm
    action_id = pending.confirm().data
    [(filed, kind, payload)] = store.pending_actions.pending()
    assert (filed, kind, payload["title"]) == (action_id, "create_task", "Call Dana")
    assert all(c.what != "Call Dana" for c in store.commitments.list())  # and nothing was done


def test_act_from_the_cli_files_a_grounded_event_proposal(tmp_path, capsys) -> None:
    home = str(tmp_path / "h")
    assert main(["demo", "--home", home]) == 0
    capsys.readouterr()
    assert main(["act", "Schedule a call with mark.delaney@harborview-logistics.example next Tuesday at 10:00",
                 "--home", home, "--json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["tool"] == "create_event" and outcome["text"].startswith("Proposed: Create “Call with Mark Delaney”")
    assert main(["actions", "list", "--home", home, "--json"]) == 0
    [pending] = [a for a in json.loads(capsys.readouterr().out) if a["id"] == outcome["action_id"]]
    start = datetime.fromisoformat(pending["payload"]["start"])
    assert pending["payload"]["attendees"] == ["mark.delaney@harborview-logistics.example"]
    assert start.hour == 10 and start.weekday() == 1 and start > datetime.now(start.tzinfo) - timedelta(days=1)


@pytest.mark.model
def test_a_question_to_act_only_reads_and_files_nothing(demo_services) -> None:
    """Not an instruction: the model may choose a read tool or answer, never a write (it would carry arguments
    nobody gave it)."""
    outcome = demo_services.acting.act("What meetings are on my calendar on 2026-11-25?")
    assert outcome.text and outcome.action_id is None
    assert outcome.tool in ("", "search_knowledge", "list_events", "get_thread", "find_person")
    assert demo_services.store.pending_actions.pending() == []


@pytest.mark.model
def test_a_capable_model_rewords_a_draft_only_where_the_evidence_holds(demo_services) -> None:
    """At the rephrase tier the model may reword a grounded draft; each sentence passes the answer engine's
    verifier and every date and time must survive, else the evidence-built draft stands (real verifier and
    embedder; scripted model replies)."""
    from engine.usecases.act_drafts import reword_draft

    class Scripted:
        def __init__(self, text: str) -> None:
            self.text = text

        def ask(self, parts, **_):  # noqa: ANN001, ANN003, ANN201
            return type("Answer", (), {"text": self.text})()

    instruction = "Reply to Mark proposing a call on Tuesday at 10:00"
    now = datetime(2026, 11, 25, 17, 9, tzinfo=LA)
    found = ground(instruction, now=now, workspace=Workspace.from_store(demo_services.store, now))
    embedder = demo_services.retrieval.embedder
    good = ("Thanks for your message about Harborview: expanding the fleet in Q1. "
            "Could we have a call on Tuesday 1 Dec at 10:00?")
    reworded = reword_draft(found, llm=Scripted(good), embedder=embedder, instruction=instruction, now=now)
    assert "Could we have a call on Tuesday 1 Dec at 10:00?" in reworded.payload["body"]
    assert reworded.payload["to"] == found.payload["to"] and reworded.payload["subject"] == found.payload["subject"]
    for bad in ("Could we have a call on Wednesday 2 Dec at 15:00? Our price is 40% lower.",  # invented facts
                "Thanks for reaching out."):  # the proposed time is lost
        assert reword_draft(found, llm=Scripted(bad), embedder=embedder, instruction=instruction,
                            now=now) == found
