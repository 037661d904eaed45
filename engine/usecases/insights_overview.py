"""The Insights page's overview: revenue pipeline and stale deals, the team pulse and local usage analytics.

Opportunities are re-scanned first, so the pipeline matches the mail. Threads: the store worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from engine.assistant.model_reading import ModelReader
from engine.assistant.usage import UsageReport, usage_report
from engine.insights.pulse import PulseReport, TeamPulse
from engine.insights.revenue import RevenueIntel, StaleAlert
from engine.store import Store
from models import Opportunity

__all__ = ["InsightsData", "insights_overview"]


@dataclass(slots=True)
class InsightsData:
    """Everything the Insights page shows."""

    pipeline: list[Opportunity]
    stale: list[StaleAlert]
    pulse: PulseReport
    usage: UsageReport


def insights_overview(store: Store, *, today: date, tz: tzinfo, working_hours: str,
                      min_group_size: int, model_reader: ModelReader | None = None) -> InsightsData:
    """The pipeline (after a re-scan), stale alerts as of `today`, the team pulse (aggregated per team; groups
    under `min_group_size` withheld) and usage up to `today`. `model_reader`: a capable model's readings of
    recent mail, merged into the pipeline (as in `build_briefing`)."""
    revenue = RevenueIntel(store, model_reader=model_reader)
    revenue.scan()
    pulse = TeamPulse(store, tz=tz, working_hours=working_hours, min_group_size=min_group_size).report()
    return InsightsData(revenue.pipeline(), revenue.stale(today), pulse, usage_report(store, end=today))
