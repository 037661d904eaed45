"""`context propose|confirm|show` through the CLI handlers, on another company's mailbox (no context yet)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from app.commands import strategy
from app.context import AppContext

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
import mailbox_eval  # noqa: E402


@pytest.fixture
def ctx(tmp_path):
    app = AppContext(home=tmp_path / "home", log=False, json_output=True)
    mailbox_eval.load(app.create_store(), mailbox_eval.corpus("fernhill"))  # the tuning mailbox
    yield app
    app.close()


def _run(ctx: AppContext, argv: list[str], capsys) -> object:  # noqa: ANN001
    parser = argparse.ArgumentParser()
    strategy.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    assert args.handler(args, ctx) == 0
    return json.loads(capsys.readouterr().out)


def test_propose_then_confirm_with_a_drop(ctx: AppContext, capsys) -> None:  # noqa: ANN001
    proposals = _run(ctx, ["context", "propose"], capsys)
    kinds = {p["kind"] for p in proposals}
    assert {"own_org", "team", "key_account", "investor", "vendor"} <= kinds
    accounts = [p for p in proposals if p["kind"] == "key_account"]
    assert len(accounts) >= 20 and all(p["why"] and p["samples"] for p in accounts)
    assert ctx.store.contexts.latest() is None  # proposing saves nothing
    dropped = accounts[0]["name"]
    saved = _run(ctx, ["context", "confirm", "--drop", dropped], capsys)
    current = ctx.store.contexts.get(saved["version"])
    assert dropped not in current.key_accounts and accounts[1]["name"] in current.key_accounts
    assert "marcus@larkspur.vc" in current.board and "Cloudline Hosting" in current.vendors
    assert _run(ctx, ["context", "confirm", "--drop", dropped], capsys)["version"] == saved["version"]  # no churn
    shown = _run(ctx, ["context", "show"], capsys)
    assert shown["version"] == saved["version"]
