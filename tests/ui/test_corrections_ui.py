"""Corrections from the app: a deal edited, merged or dismissed in Insights, a commitment marked done,
re-dated or dismissed in Today; each is kept by the store across the next re-scan."""

from __future__ import annotations

from datetime import date

from engine.insights.corrections import OpportunityEdit


def test_pipeline_corrections_from_insights(qtbot, demo_window, services) -> None:  # noqa: ANN001
    insights = demo_window.page("insights")
    with qtbot.waitSignal(insights.loaded, timeout=30000):
        insights.refresh()
    names = [o.account for o in insights.data.pipeline]
    first, second = names.index("Harborview Logistics"), names.index("Cascade Foods")
    with qtbot.waitSignal(insights.loaded, timeout=30000):
        insights.correct_opportunity(first, "edit", edit=OpportunityEdit(stage="negotiation", amount="500000",
                                                                          currency="USD"))
    fixed = next(o for o in insights.data.pipeline if o.account == "Harborview Logistics")
    assert (fixed.stage, fixed.amount) == ("negotiation", 500000)
    with qtbot.waitSignal(insights.loaded, timeout=30000):
        insights.correct_opportunity([o.account for o in insights.data.pipeline].index("Cascade Foods"), "dismiss")
    assert "Cascade Foods" not in [o.account for o in insights.data.pipeline]
    assert second >= 0 and services.store.audit.since(action="correction")


def test_commitment_corrections_from_today(qtbot, demo_window, services) -> None:  # noqa: ANN001
    today = demo_window.page("today")
    with qtbot.waitSignal(today.loaded, timeout=30000):
        today.refresh()
    assert len(today._commitment_ids) >= 2  # noqa: SLF001 - the rows the menu acts on
    done, later = today._commitment_ids[:2]  # noqa: SLF001
    with qtbot.waitSignal(today.loaded, timeout=30000):
        today.correct_commitment(0, "done")
    with qtbot.waitSignal(today.loaded, timeout=30000):
        today.correct_commitment(today._commitment_ids.index(later), "redate", due=date(2027, 1, 15))  # noqa: SLF001
    stored = {c.id: c for c in services.store.commitments.list()}
    assert stored[done].status == "done" and stored[later].due == date(2027, 1, 15)
    assert done not in today._commitment_ids and later not in today._commitment_ids  # noqa: SLF001
