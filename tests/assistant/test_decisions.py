"""Decision support: goal-weighted scoring, pros/cons, stakeholders and cultural impact from the pulse, the journal."""

from __future__ import annotations

from datetime import date

import pytest

from engine.assistant.decisions import MAX_RULE_CONFIDENCE, DecisionAnalyst, DecisionError, ProsCons
from models import Insight

TODAY = date(2026, 3, 4)


def _analyst(store, **kw) -> DecisionAnalyst:  # noqa: ANN001
    return DecisionAnalyst(store, today=lambda: TODAY, **kw)


def test_criteria_are_the_goals_weighted_by_priorities(company) -> None:  # noqa: ANN001
    weights = _analyst(company).criteria()
    assert set(weights) == {"Grow ARR to $10M", "Expand into Europe", "Improve customer retention"}
    assert sum(weights.values()) == pytest.approx(1.0, abs=0.01)


def test_record_scores_options_against_goals(company, mail) -> None:  # noqa: ANN001
    ref = mail("pat@acme.example", "Europe expansion plan", "Draft plan for opening a Berlin office to expand into Europe.")
    d = _analyst(company).analyze(
        "Where should Sales focus next quarter?",
        ["Expand into Europe with a Berlin sales office", "Repaint the office lobby"])
    good, bad = d.options
    assert d.recommendation == good and 0.5 < d.confidence <= MAX_RULE_CONFIDENCE
    assert d.alignment[good]["Expand into Europe"] > 0.5 and d.alignment[bad]["Expand into Europe"] == 0
    assert any("Expand into Europe" in p for p in d.pros[good])
    assert "Does not clearly advance any stated goal." in d.cons[bad]
    assert ref.id in {e.source_id for e in d.evidence}
    assert "Pat Lee (VP Sales, Sales)" in d.stakeholders  # the team named, through its lead
    assert d.review_on == date(2026, 4, 3) and d.context_version is not None
    stored = company.decisions.list()
    assert stored[0].id == d.id and stored[0].alignment == d.alignment and stored[0].pros == d.pros


def test_no_aligned_option_means_low_confidence_and_default_options(company) -> None:  # noqa: ANN001
    d = _analyst(company).analyze("Should we repaint the lobby?", save=False)
    assert d.options == ["Yes: Should we repaint the lobby", "No / not now"]
    assert d.confidence == 0.2 and d.id is None and company.decisions.list() == []
    with pytest.raises(DecisionError):
        _analyst(company).analyze("  ")


def test_risk_words_work_against_a_goal_and_pulse_feeds_cultural_impact(company) -> None:  # noqa: ANN001
    company.insights.put(Insight("pulse.sentiment", "team:Engineering", "2026-W09", -0.3, "Mean VADER sentiment -0.30"))
    company.insights.put(Insight("pulse.anomaly.after_hours", "team:Engineering", "2026-W09", 1.0,
                                 "Engineering: 50% of messages sent outside working hours in 2026-W09."))
    d = _analyst(company).analyze("How do we keep customer retention up during the Engineering crunch?", [
        "Improve customer retention with a dedicated support rotation",
        "Cut customer retention programs to save budget"])
    assert d.recommendation == d.options[0]
    assert d.alignment[d.options[1]]["Improve customer retention"] < 0
    assert any(c.startswith("Works against goal") for c in d.cons[d.options[1]])
    assert any("Engineering (3 people)" in c and "-0.30" in c and "outside working hours" in c
               for c in d.cultural_impact)
    assert any("Engineering already shows strain" in r for r in d.risks)


def test_journal_reviews_and_outcomes(company) -> None:  # noqa: ANN001
    analyst = _analyst(company)
    d = analyst.analyze("Expand into Europe this year?", review_in_days=7)
    assert analyst.due_reviews(date(2026, 3, 10)) == []
    assert [x.id for x in analyst.due_reviews(date(2026, 3, 11))] == [d.id]
    updated = analyst.record_outcome(d.id, "Opened Berlin; first two hires made.")
    assert "2026-03-04: Opened Berlin" in updated.outcome and analyst.due_reviews(date(2026, 6, 1)) == []
    again = analyst.record_outcome(d.id, "Check pipeline.", review_again_in_days=30)
    assert again.review_on == date(2026, 4, 3) and again.outcome.count("\n") == 1
    with pytest.raises(DecisionError):
        analyst.record_outcome(999, "x")


@pytest.mark.model
def test_model_pros_and_cons_are_marked_and_never_change_the_verdict(company) -> None:  # noqa: ANN001
    """Behaviour, not words (a 135M model's greedy output differs across CPUs): the bundled model is asked once per
    option; whatever it adds is marked "(model)" and sits beside the rules' items; the recommendation, confidence
    and scores are the rules' alone."""
    from engine.llm.catalogue import bundled_model_path
    from engine.llm.runtime import LocalRuntime
    from engine.llm.service import LLMService

    question, options = "Expand into Europe?", ["Open a Berlin office", "Wait a year"]
    rules = _analyst(company).analyze(question, options, save=False)
    runtime = LocalRuntime(bundled_model_path(), n_ctx=2048, n_threads=1)
    runtime.load().result()
    calls: list[str] = []
    try:
        service = LLMService(runtime=runtime, audit=lambda entry: None)
        original = service.structured

        def counted(request, schema, **kwargs):  # noqa: ANN001, ANN003, ANN202 - observes the real calls
            calls.append(str(request))
            return original(request, schema, **kwargs)

        service.structured = counted
        d = _analyst(company, llm=service).analyze(question, options, save=False)
    finally:
        runtime.close()
    assert len(calls) == len(options) and all(o in c for o, c in zip(options, calls))
    assert (d.recommendation, d.confidence, d.criteria, d.alignment) == (
        rules.recommendation, rules.confidence, rules.criteria, rules.alignment)
    for option in options:
        for mine, theirs in ((d.pros[option], rules.pros[option]), (d.cons[option], rules.cons[option])):
            assert mine[:len(theirs)] == theirs and all(p.startswith("(model) ") for p in mine[len(theirs):])
    assert ProsCons.model_validate({"pros": ["a"], "cons": []}).pros == ["a"]
