"""Usage analytics: recorded per local day in the store, summarised with a stated time-saved estimate."""

from __future__ import annotations

from datetime import date

import pytest

from engine.assistant.usage import MINUTES_SAVED, UsageTracker, usage_report


def test_records_and_reports(store) -> None:  # noqa: ANN001
    day = {"d": date(2026, 3, 2)}
    tracker = UsageTracker(store, today=lambda: day["d"])
    for _ in range(4):
        tracker.question_asked()
    tracker.draft_created()
    tracker.draft_created()
    tracker.draft_accepted()
    tracker.meeting_transcribed(40)
    tracker.model_call(1.5)
    tracker.model_call(0.5, cost_usd=0.012)
    day["d"] = date(2026, 3, 3)
    tracker.model_call(2.0, cost_usd=0.02)
    report = usage_report(store, end=date(2026, 3, 3), days=7)
    assert report.totals["questions_asked"] == 4 and report.totals["meetings_transcribed"] == 1
    assert report.acceptance_rate == 0.5
    assert report.mean_latency_s == pytest.approx(4.0 / 3, abs=1e-3)
    assert report.cloud_spend_per_day == {"2026-03-02": 0.012, "2026-03-03": 0.02}
    assert report.time_saved_minutes == 4 * 3 + 1 * 5 + 40 * 0.25 and report.assumptions == MINUTES_SAVED
    assert set(report.per_day) == {"2026-03-02", "2026-03-03"}
    # outside the window: nothing
    empty = usage_report(store, end=date(2026, 2, 1), days=7)
    assert empty.totals == {} and empty.acceptance_rate is None and empty.mean_latency_s is None
