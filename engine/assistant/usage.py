"""Usage analytics, local only: what Reflex did for the user and what it cost, per day, in `store.usage`.

Nothing here sends anything anywhere: the figures live in the encrypted store and are read back for the
Insights view and `reflex-assistant usage`. Recording is one small upsert per event (thread-safe through the
store's lock); callers (chat, drafts, recorder, LLM service wiring) call the `UsageTracker` methods.

Time saved is an estimate with stated assumptions (`MINUTES_SAVED`), shown as such, never as a measurement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable

from engine.store import Store

QUESTIONS = "questions_asked"
DRAFTS_CREATED = "drafts_created"
DRAFTS_ACCEPTED = "drafts_accepted"
MEETINGS = "meetings_transcribed"
MEETING_MINUTES = "meeting_minutes_transcribed"
MODEL_CALLS = "model_calls"
MODEL_SECONDS = "model_seconds"
CLOUD_USD = "cloud_spend_usd"

# Assumptions behind the estimate (minutes saved per unit), WHY these: a looked-up answer replaces a few minutes
# of searching mail; an accepted draft replaces writing it; a transcript replaces taking notes (a quarter of
# the meeting) . A created but not accepted draft saves nothing.
MINUTES_SAVED = {QUESTIONS: 3.0, DRAFTS_ACCEPTED: 5.0, MEETING_MINUTES: 0.25}


class UsageTracker:
    """Records usage events for `today()` (the user's local day)."""

    def __init__(self, store: Store, *, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.today = today

    def question_asked(self) -> None:
        self.store.usage.add(self.today(), QUESTIONS)

    def draft_created(self) -> None:
        self.store.usage.add(self.today(), DRAFTS_CREATED)

    def draft_accepted(self) -> None:
        self.store.usage.add(self.today(), DRAFTS_ACCEPTED)

    def meeting_transcribed(self, minutes: float) -> None:
        with self.store.transaction():
            self.store.usage.add(self.today(), MEETINGS)
            self.store.usage.add(self.today(), MEETING_MINUTES, max(minutes, 0.0))

    def model_call(self, seconds: float, *, cost_usd: float = 0.0) -> None:
        """One model call: its wall-clock latency and, for a cloud call, its estimated cost."""
        with self.store.transaction():
            self.store.usage.add(self.today(), MODEL_CALLS)
            self.store.usage.add(self.today(), MODEL_SECONDS, max(seconds, 0.0))
            if cost_usd:
                self.store.usage.add(self.today(), CLOUD_USD, cost_usd)


@dataclass(slots=True)
class UsageReport:
    start: date
    end: date
    totals: dict[str, float]
    per_day: dict[str, dict[str, float]]  # ISO day -> metric -> value
    acceptance_rate: float | None  # drafts accepted / created
    mean_latency_s: float | None
    cloud_spend_per_day: dict[str, float] = field(default_factory=dict)
    time_saved_minutes: float = 0.0
    assumptions: dict[str, float] = field(default_factory=dict)


def usage_report(store: Store, *, end: date | None = None, days: int = 30) -> UsageReport:
    """Totals and per-day figures for the `days` days ending on `end` (inclusive)."""
    end = end or date.today()
    start = end - timedelta(days=days - 1)
    rows = store.usage.between(start, end)
    totals: dict[str, float] = {}
    for metrics in rows.values():
        for name, value in metrics.items():
            totals[name] = totals.get(name, 0.0) + value
    created, accepted = totals.get(DRAFTS_CREATED, 0.0), totals.get(DRAFTS_ACCEPTED, 0.0)
    calls = totals.get(MODEL_CALLS, 0.0)
    return UsageReport(
        start, end, totals, {d.isoformat(): m for d, m in rows.items()},
        acceptance_rate=round(accepted / created, 3) if created else None,
        mean_latency_s=round(totals.get(MODEL_SECONDS, 0.0) / calls, 3) if calls else None,
        cloud_spend_per_day={d.isoformat(): round(m[CLOUD_USD], 4) for d, m in rows.items() if CLOUD_USD in m},
        time_saved_minutes=round(sum(totals.get(k, 0.0) * v for k, v in MINUTES_SAVED.items()), 1),
        assumptions=dict(MINUTES_SAVED),
    )
