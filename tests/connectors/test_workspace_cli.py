"""`slack ...` and `asana ...` CLI commands end to end: real handlers, fake servers, real store."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from app.commands import workspace
from app.context import AppContext
from app.settings import Settings
from models import Commitment
from tests.fakes.asana_server import USER, FakeAsana
from tests.fakes.slack_server import ME, TEAM, FakeSlack


class EndpointSettings(Settings):
    slack_api: str = ""
    asana_api: str = ""


def cli(ctx: AppContext, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    workspace.register(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    return args.handler(args, ctx)


@pytest.fixture
def servers():
    with FakeSlack() as slack, FakeAsana() as asana:
        yield slack, asana


@pytest.fixture
def ctx(store, servers, tmp_path):
    slack, asana = servers
    settings = EndpointSettings(slack_api=slack.endpoints().api, asana_api=asana.endpoints().api)
    context = AppContext(home=tmp_path / "home", settings=settings, json_output=True, log=False)
    context._store = store  # noqa: SLF001 - the test's already-open store
    yield context
    context._store = None  # noqa: SLF001 - the fixture closes it


def test_slack_connect_pick_sync_and_confirmed_reply(ctx, servers, monkeypatch, capsys, memory_keyring):
    slack, _ = servers
    slack.add_user("U0PAT", "Pat Kim", "pat@northwind.example")
    slack.add_channel("D0PAT", "", kind="dm", members=[ME, "U0PAT"])
    slack.add_channel("C0RANDOM", "random")
    root = slack.post("D0PAT", "U0PAT", "Can we meet Tuesday?")
    slack.post("C0RANDOM", "U0PAT", "lunch?")
    monkeypatch.setattr("sys.stdin", io.StringIO("xoxp-good\n"))
    assert cli(ctx, "slack", "connect", "--token-stdin") == 0
    account = ctx.store.accounts.get(f"slack:{TEAM}")
    assert account.address == "dana@northwind.example"  # triage knows which Slack user is "me"
    assert memory_keyring.secrets[("reflex-assistant", f"slack:{TEAM}")]  # the token lives in the keyring
    capsys.readouterr()
    assert cli(ctx, "slack", "channels") == 0
    assert {r["id"] for r in json.loads(capsys.readouterr().out)} == {"D0PAT", "C0RANDOM"}
    assert cli(ctx, "slack", "channels", "--pick", "D0PAT") == 0
    assert cli(ctx, "slack", "sync") == 0
    ids = [m.provider_id for m in (ctx.store.messages.get(s.id) for s in ctx.store.messages.recent())]
    assert ids == [f"D0PAT:{root}"]  # only the picked conversation
    capsys.readouterr()
    message_id = ctx.store.messages.id_for(f"slack:{TEAM}", f"D0PAT:{root}")
    assert cli(ctx, "slack", "draft-reply", str(message_id), "Tuesday works.") == 0
    action = json.loads(capsys.readouterr().out)["id"]
    assert slack.posted == []  # drafting posts nothing
    with pytest.raises(Exception, match="confirmation"):
        cli(ctx, "slack", "push-action", str(action))  # no terminal, no --yes: refused
    assert cli(ctx, "slack", "push-action", str(action), "--yes") == 0
    assert slack.posted[-1]["thread_ts"] == root and slack.posted[-1]["text"] == "Tuesday works."
    assert ctx.store.pending_actions.pending() == []


def test_asana_connect_sync_propose_and_push(ctx, servers, monkeypatch, capsys):
    _, asana = servers
    launch = asana.add_project("Launch")
    asana.add_task("Existing", launch)
    monkeypatch.setattr("sys.stdin", io.StringIO("pat-good\n"))
    assert cli(ctx, "asana", "connect", "--token-stdin") == 0
    assert cli(ctx, "asana", "projects", "--pick", launch) == 0
    assert cli(ctx, "asana", "sync") == 0
    assert [t.title for t in ctx.store.tasks.list()] == ["Existing"]
    promise = Commitment(owner="me", counterparty="Pat", what="Share the hiring plan")
    ctx.store.commitments.upsert("fp-hiring", promise)
    capsys.readouterr()
    assert cli(ctx, "asana", "propose", str(promise.id), "--project", launch) == 0
    action = json.loads(capsys.readouterr().out)["id"]
    assert asana.created == []
    assert cli(ctx, "asana", "push-action", str(action), "--yes") == 0
    created = ctx.store.tasks.for_commitment(promise.id)
    assert [t.title for t in created] == ["Share the hiring plan"] and created[0].source == f"commitment:{promise.id}"
    asana.update_task(created[0].provider_id, completed=True)
    assert cli(ctx, "asana", "sync") == 0
    assert [c.status for c in ctx.store.commitments.list() if c.id == promise.id] == ["done"]
    assert ctx.store.accounts.get(f"asana:{USER}").provider == "asana"
