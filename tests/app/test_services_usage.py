"""Usage figures are counted on the user's day (Settings > timezone), the same day the report reads."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from app.context import AppContext
from app.services import Services
from engine.assistant.usage import usage_report
from engine.store import Store


def _zone_on_another_day() -> str:
    """A zone whose date differs from UTC's right now (UTC+14 from 10:00 UTC, UTC-12 before 12:00 UTC)."""
    return "Pacific/Kiritimati" if datetime.now(timezone.utc).hour >= 10 else "Etc/GMT+12"


def test_answers_are_counted_on_the_users_day_not_the_machines(store: Store) -> None:
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    ctx.settings.timezone = _zone_on_another_day()
    services = Services(ctx)
    try:
        assert services.today() != datetime.now(timezone.utc).date()  # the premise: user's day != UTC day
        services.record_answer(SimpleNamespace(ttft_s=0.25, cost_usd=None))
        report = usage_report(store, end=services.today(), days=1)
        assert report.totals.get("questions_asked") == 1 and report.mean_latency_s == 0.25
    finally:
        services.close()
