"""The demo workspace loads through the import path, meets the issue's minimums and reloads idempotently."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.cli import main
from app.demo import load_demo, reference_date
from engine.store import Store


def test_demo_loads_and_reloads_without_duplicates(store: Store) -> None:
    first = load_demo(store)
    assert first.failures == []
    assert first.messages >= 200 and first.events >= 40 and first.meetings == 3 and first.documents == 5
    counts = store.counts()
    second = load_demo(store)
    assert second.meetings == 0 and store.counts() == counts
    assert store.counts()["threads"] >= 25
    assert store.contexts.latest() is not None and len(store.contexts.latest().team) >= 9


def test_demo_calendar_is_placed_in_the_demo_timezone(store: Store) -> None:
    load_demo(store)
    tz = ZoneInfo("America/Los_Angeles")
    day = reference_date()
    start = datetime.combine(day, datetime.min.time(), tz)
    today = store.events.between(start, start + timedelta(days=1))
    assert len([e for e in today if not e.all_day]) >= 3


def test_demo_then_status_shows_counts(tmp_path, capsys) -> None:
    home = str(tmp_path / "h")
    assert main(["demo", "--home", home]) == 0
    capsys.readouterr()
    assert main(["status", "--home", home, "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts["messages"] >= 200 and counts["events"] >= 40 and counts["meetings"] == 3
