"""The model's tools over the user's data, and `act`: reads answer from the store, writes only file pending actions,
and what an instruction states outright (addresses, dates, wording) beats a small model's guess."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.cli import main
from app.context import AppContext
from app.demo import load_demo
from app.services import Services
from app.tools import _grounded, intended_tool, is_action_request
from engine.llm.tools import (CreateEventArgs, CreateTaskArgs, DraftEmailArgs, FindPersonArgs, GetThreadArgs,
                              ListEventsArgs, TOOLS, ToolCall)

LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 25, 17, 9, tzinfo=LA)  # a Wednesday


def _tool(name: str):  # noqa: ANN202
    return next(t for t in TOOLS if t.name == name)


def test_instructions_are_told_from_questions_and_mapped_to_a_write_tool() -> None:
    assert is_action_request("Draft a reply to Mark about the pilot") and intended_tool("Draft a reply to Mark") == \
        "draft_email"
    assert intended_tool("Schedule a call with Li Wei next Tuesday at 10:00") == "create_event"
    assert intended_tool("Add a task to review the board deck by Friday") == "create_task"
    assert intended_tool("Please remind me to call Dana") == "create_task"
    assert not is_action_request("What did Harborview ask for?") and intended_tool("Who is Mark?") == ""


def test_the_instruction_grounds_what_a_small_model_guesses() -> None:
    event = _grounded(ToolCall(_tool("create_event"), CreateEventArgs(title="Create a calendar event YYYY",
                                                                      start="2026-11-25T17:09")),
                      "Schedule a call with li.wei@acme.example next Tuesday at 10:00", NOW)
    assert event.arguments.model_dump() == {"title": "Call with li.wei@acme.example", "start": "2026-12-01T10:00",
                                            "duration_minutes": 30, "attendees": ["li.wei@acme.example"]}
    task = _grounded(ToolCall(_tool("create_task"), CreateTaskArgs(title="Create a task for Q4 2026")),
                     "Add a task to review the Q4 board deck by Friday", NOW)
    assert (task.arguments.title, task.arguments.due_date) == ("Review the Q4 board deck", "2026-11-27")
    mail = _grounded(ToolCall(_tool("draft_email"), DraftEmailArgs(to=["items"], subject="Pilot", body="Hi")),
                     "Email mark@harborview.example about the pilot dates", NOW)
    assert mail.arguments.to == ["mark@harborview.example"] and mail.arguments.body == "Hi"  # the model's words stay


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
    registry, store = demo_services.tool_registry, demo_services.store
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


@pytest.mark.model
def test_act_from_the_cli_files_a_grounded_event_proposal(tmp_path, capsys) -> None:
    home = str(tmp_path / "h")
    assert main(["demo", "--home", home]) == 0
    capsys.readouterr()
    assert main(["act", "Schedule a call with mark.delaney@harborview-logistics.example next Tuesday at 10:00",
                 "--home", home, "--json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["tool"] == "create_event" and outcome["text"].startswith("Proposed: Create a calendar event")
    assert main(["actions", "list", "--home", home, "--json"]) == 0
    [pending] = [a for a in json.loads(capsys.readouterr().out) if a["id"] == outcome["action_id"]]
    start = datetime.fromisoformat(pending["payload"]["start"])
    assert pending["payload"]["attendees"] == ["mark.delaney@harborview-logistics.example"]
    assert start.hour == 10 and start.weekday() == 1 and start > datetime.now(start.tzinfo) - timedelta(days=1)
