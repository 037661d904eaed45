"""Recurrence bombs (issue #16 item 5): a tiny .ics that asks for millions of instances is expanded only
within the limits, and each cut is reported. The limits are asserted (rule steps, instances per series and
per file, expansion span), never wall time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import connectors.ical as ical
from connectors.files import ImportFailure, ImportItem, iter_import
from connectors.ical import (MAX_EXPANSION_SPAN, MAX_INSTANCES_PER_SERIES, MAX_RULE_STEPS, parse_calendar)
from tests.fuzz.hostile import recurrence_bomb

_SERIES = (b"BEGIN:VEVENT\r\nUID:%s\r\nDTSTART:%s\r\nRRULE:%s\r\nSUMMARY:s\r\nEND:VEVENT\r\n")


def _calendar(*events: bytes) -> bytes:
    return b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + b"".join(events) + b"END:VCALENDAR\r\n"


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY"])
def test_a_recurrence_bomb_is_cut_at_the_per_series_cap(freq):
    result = parse_calendar(recurrence_bomb(freq))
    bombs = [e for e in result.events if e.recurring_id == "bomb"]
    assert len(bombs) == MAX_INSTANCES_PER_SERIES
    assert any(e.provider_id == "old" for e in result.events)  # the single 1970 event survives
    assert any("only the first" in s for s in result.skipped)


def test_rule_steps_are_bounded_before_dateutil_walks_them(monkeypatch):
    walked = []
    real = ical._rule_steps  # noqa: SLF001

    def spy(rule, dtstart, end):
        steps = real(rule, dtstart, end)
        walked.append(steps)
        return steps

    monkeypatch.setattr(ical, "_rule_steps", spy)
    # a secondly rule from 1970 in a window 56 years later: no step budget reaches the window
    data = _calendar(_SERIES % (b"s", b"19700101T000000Z", b"FREQ=SECONDLY"),
                     b"BEGIN:VEVENT\r\nUID:late\r\nDTSTART:20260101T000000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\n")
    result = parse_calendar(data)
    assert max(walked) > MAX_RULE_STEPS
    assert [e.provider_id for e in result.events] == ["late"]
    assert any(s.startswith("s: the series repeats too often") for s in result.skipped)


def test_a_dense_series_is_expanded_only_as_far_as_the_step_budget_reaches():
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    data = _calendar(_SERIES % (b"m", b"20260101T000000Z", b"FREQ=MINUTELY;INTERVAL=2"))
    result = parse_calendar(data, start=start, end=start + timedelta(days=365))
    last = max(e.start for e in result.events)
    assert last <= start + timedelta(minutes=2 * MAX_RULE_STEPS)
    assert any("expanded only until" in s for s in result.skipped)


def test_series_expand_over_at_most_the_expansion_span_but_single_events_keep_their_dates():
    data = _calendar(_SERIES % (b"weekly", b"20100104T090000Z", b"FREQ=WEEKLY"),
                     b"BEGIN:VEVENT\r\nUID:2011\r\nDTSTART:20110301T090000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\n")
    start, end = datetime(2010, 1, 1, tzinfo=timezone.utc), datetime(2026, 1, 1, tzinfo=timezone.utc)
    result = parse_calendar(data, start=start, end=end)
    weekly = [e for e in result.events if e.recurring_id == "weekly"]
    assert min(e.start for e in weekly) >= end - MAX_EXPANSION_SPAN
    assert len(weekly) <= MAX_EXPANSION_SPAN.days // 7 + 1
    assert any(e.provider_id == "2011" for e in result.events)


def test_the_file_wide_instance_cap(monkeypatch):
    monkeypatch.setattr(ical, "MAX_INSTANCES_PER_FILE", 25)
    data = _calendar(*(_SERIES % (b"d%d" % i, b"20260101T090000Z", b"FREQ=DAILY;COUNT=10") for i in range(5)))
    result = parse_calendar(data)
    assert len(result.events) == 30  # three whole series, then the budget is spent
    assert any("more than 25 events" in s for s in result.skipped)


def test_importing_a_bomb_yields_the_capped_events_and_one_failure_per_cut(tmp_path: Path):
    path = tmp_path / "invite.ics"
    path.write_bytes(recurrence_bomb("SECONDLY", old_event=False))
    results = list(iter_import([path]))
    assert sum(isinstance(r, ImportItem) for r in results) == MAX_INSTANCES_PER_SERIES
    assert any(isinstance(r, ImportFailure) and "only the first" in r.reason for r in results)
