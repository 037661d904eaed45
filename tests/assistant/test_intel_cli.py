"""The intelligence commands over the demo workspace, through the real CLI entry point."""

from __future__ import annotations

import json

import pytest

from app.context import AppContext
from app.demo import load_demo
from app.commands import intel


@pytest.fixture
def demo_ctx(tmp_path):
    ctx = AppContext(home=tmp_path / "home", log=False, json_output=True)
    load_demo(ctx.create_store())
    yield ctx
    ctx.close()


def _run(ctx, argv, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    intel.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    assert args.handler(args, ctx) == 0
    return json.loads(capsys.readouterr().out)


def test_json_outputs(demo_ctx, capsys):
    inbox = _run(demo_ctx, ["inbox", "--limit", "5"], capsys)
    assert len(inbox) == 5 and {"priority", "category", "needs_reply", "reason"} <= set(inbox[0])
    opps = _run(demo_ctx, ["opportunities"], capsys)
    assert any(o["account"] == "Harborview Logistics" and o["amount"] == 480000 for o in opps)
    commitments = _run(demo_ctx, ["commitments"], capsys)
    assert commitments and all(c["status"] == "open" for c in commitments)
    brief = _run(demo_ctx, ["brief", "--date", "2026-11-25"], capsys)
    assert brief["meetings"] and brief["needs_reply"]
    card = _run(demo_ctx, ["dossier", "Mark Delaney"], capsys)
    assert card["email"].startswith("mark.delaney@") and card["recent_threads"]
