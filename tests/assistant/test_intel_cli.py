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
    assert card["email"].startswith("mark.delaney@") and card["recent_threads"] and card["found"]
    assert card["meetings"] and all(m["link"].startswith("reflex://") for m in card["meetings"])


def test_pulse_decide_free_slots_usage(demo_ctx, capsys):
    pulse = _run(demo_ctx, ["pulse", "--weeks", "520"], capsys)
    assert pulse["weeks"] and all(w["people"] >= 3 for w in pulse["weeks"])
    assert any(s.startswith("Executive") for s in pulse["suppressed"])  # the CEO alone is never shown
    with pytest.raises(Exception) as err:
        _run(demo_ctx, ["pulse", "--person", "marcus@northwind-robotics.example"], capsys)
    assert "opt-in" in getattr(err.value, "next_step", "")
    person = _run(demo_ctx, ["pulse", "--weeks", "520", "--person-views", "on", "--person",
                             "marcus@northwind-robotics.example"], capsys)  # the explicit opt-in, then the view
    assert person["weeks"] and all(w["group"] == "marcus@northwind-robotics.example" for w in person["weeks"])
    assert [e.detail for e in demo_ctx.store.audit.since(action="settings")] == [{"allowed": True}]
    _run(demo_ctx, ["pulse", "--person-views", "off"], capsys)
    with pytest.raises(Exception):
        _run(demo_ctx, ["pulse", "--person", "marcus@northwind-robotics.example"], capsys)
    decision = _run(demo_ctx, ["decide", "Should we freeze the Fleet OS 5.0 scope?", "--option",
                               "Freeze 5.0 scope and add a second on-call rotation", "--option",
                               "Keep the scope and ask engineering to work weekends"], capsys)
    assert decision["recommendation"].startswith("Freeze") and decision["id"]
    slots = _run(demo_ctx, ["free-slots", "--date", "2026-11-30", "--duration", "45", "--with",
                            "marcus@northwind-robotics.example"], capsys)
    assert slots["slots"] and "45-minute" in slots["proposal"]
    usage = _run(demo_ctx, ["usage"], capsys)
    assert usage["totals"] == {} and usage["time_saved_minutes"] == 0
