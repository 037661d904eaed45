"""`free-slots --book`, `rsvp` and `actions list|confirm|reject` through the real CLI entry point."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.demo import load_demo
from app.context import AppContext


@pytest.fixture
def home(tmp_path):
    ctx = AppContext(home=tmp_path / "home", log=False)
    load_demo(ctx.create_store())
    ctx.close()
    return str(tmp_path / "home")


def _json(capsys, *argv: str):  # noqa: ANN202
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_book_a_free_slot_then_confirm_or_reject_from_the_cli(home, capsys, monkeypatch) -> None:
    code, found = _json(capsys, "free-slots", "--date", "2026-12-01", "--duration", "30", "--with",
                        "mark.delaney@harborview-logistics.example", "--book", "Harborview check-in", "--home", home)
    assert code == 0 and found["slots"] and isinstance(found["action"], int)
    code, listed = _json(capsys, "actions", "list", "--home", home)
    [pending] = [a for a in listed if a["id"] == found["action"]]
    assert pending["kind"] == "create_event" and pending["payload"]["title"] == "Harborview check-in"
    assert pending["payload"]["start"] == found["slots"][0]["start"]
    # Without a terminal and without --yes nothing is done.
    monkeypatch.setattr("sys.stdin", None)
    assert main(["actions", "confirm", str(found["action"]), "--home", home]) != 0
    assert "needs your confirmation" in capsys.readouterr().err
    # With --yes but no connected calendar: a clear error, and it still waits.
    assert main(["actions", "confirm", str(found["action"]), "--yes", "--home", home]) != 0
    assert "No connected Google or Microsoft account" in capsys.readouterr().err
    code, rejected = _json(capsys, "actions", "reject", str(found["action"]), "--home", home)
    assert rejected["rejected"] and _json(capsys, "actions", "list", "--home", home)[1] == []


def test_rsvp_is_a_pending_action_and_an_unknown_event_is_a_clear_error(home, capsys) -> None:
    assert main(["rsvp", "999999", "declined", "--home", home]) != 0
    assert "No event #999999" in capsys.readouterr().err
    code, proposed = _json(capsys, "rsvp", "1", "tentative", "--note", "Running late", "--home", home)
    assert code == 0
    [pending] = _json(capsys, "actions", "list", "--home", home)[1]
    assert pending["id"] == proposed["id"] and pending["kind"] == "rsvp" and pending["payload"]["response"] == "tentative"
