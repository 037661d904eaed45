"""Team pulse: VADER sentiment, engagement, weekly trends, anomaly flags, and the privacy rules."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine.assistant.scheduling import parse_hours
from engine.insights.pulse import PERSON_OPT_IN, PulseOptInRequired, TeamPulse, sentiment
from models import Contact

NOW = datetime(2026, 3, 20, 12, tzinfo=timezone.utc)
SALES = [Contact("pat@acme.example", "Pat Lee"), Contact("riley@acme.example", "Riley Park"),
         Contact("sam@acme.example", "Sam Ito")]
ENG = [Contact("alex@acme.example", "Alex Kim"), Contact("jo@acme.example", "Jo Diaz")]


def _pulse(store, **kw) -> TeamPulse:  # noqa: ANN001
    return TeamPulse(store, now=lambda: NOW, **kw)


def test_sentiment_reads_text_polarity() -> None:
    assert sentiment("Great week, really proud of this team!") > 0.5
    assert sentiment("I'm exhausted and frustrated, the team is running on fumes.") < -0.3
    assert sentiment("") == 0.0
    assert parse_hours("08:30-17:00")[0].hour == 8
    with pytest.raises(ValueError):
        parse_hours("18:00-09:00")


def test_teams_are_aggregated_and_small_groups_suppressed(company, mail) -> None:  # noqa: ANN001
    for i, who in enumerate(SALES):
        mail(who, "Pipeline", "Great week, bookings are up. Thanks all!", f"2026-03-1{i + 6}T10:00")
    for i, who in enumerate(ENG):
        mail(who, "Release", "Rough week, exhausted and worried.", f"2026-03-1{i + 6}T10:00")
    report = _pulse(company).report()
    groups = {w.group for w in report.weeks}
    assert groups == {"Sales"}  # Engineering has only two writers this week
    assert any(s.startswith("Engineering") and "fewer than 3" in s for s in report.suppressed)
    sales = report.weeks[0]
    assert sales.people == 3 and sales.messages == 3 and sales.sentiment > 0.3
    # a stricter setting hides Sales too
    assert _pulse(company, min_group_size=4).report(store_results=False).weeks == []
    with pytest.raises(ValueError):
        _pulse(company, min_group_size=2)


def test_results_are_stored_with_explanations(company, mail) -> None:  # noqa: ANN001
    for i, who in enumerate(SALES):
        mail(who, "Pipeline", "Great week, thanks all!", f"2026-03-1{i + 6}T10:00")
    _pulse(company).report()
    stored = {(i.kind, i.subject) for i in company.insights.list()}
    assert ("pulse.sentiment", "team:Sales") in stored and ("pulse.after_hours", "team:Sales") in stored
    row = next(i for i in company.insights.list("pulse.sentiment"))
    assert "VADER" in row.explanation and row.period == "2026-W12"
    assert not any("Engineering" in i.subject for i in company.insights.list())


def test_after_hours_weekend_latency_and_meeting_load(company, mail, event) -> None:  # noqa: ANN001
    first = mail(SALES[0], "Deal", "Can you look at this?", "2026-03-16T10:00", thread="d")
    mail(SALES[1], "Re: Deal", "Looked at it late, fine.", "2026-03-16T22:30", thread="d")  # after hours
    mail(SALES[2], "Re: Deal", "Weekend note: all good.", "2026-03-14T11:00", thread="e")  # Saturday
    mail(SALES[2], "Re: Deal", "Monday follow-up.", "2026-03-16T11:00", thread="f")
    event("Pipeline review", "2026-03-17T10:00", "2026-03-17T12:00", [p.email for p in SALES])
    weeks = {w.week: w for w in _pulse(company).report().weeks}
    w12 = weeks["2026-W12"]
    assert w12.after_hours_share == pytest.approx(1 / 3, abs=0.01)
    assert w12.latency_h == pytest.approx(12.5)
    assert w12.meeting_hours_per_person == pytest.approx(2.0)
    assert "2026-W11" not in weeks  # one writer that week: suppressed
    assert first.id


def test_sentiment_drop_is_flagged_with_evidence(company, mail) -> None:  # noqa: ANN001
    for day in ("02", "03", "04"):
        for who in SALES:
            mail(who, "Weekly", "Great progress, happy with the wins.", f"2026-03-{day}T10:00")
    bad = [mail(who, "Weekly", "Terrible week. I'm exhausted, angry and worried we will fail.", "2026-03-17T10:00")
           for who in SALES]
    report = _pulse(company).report()
    flags = [a for a in report.anomalies if a.week == "2026-W12"]
    assert {a.kind for a in flags} >= {"sentiment_drop", "negative_share"}
    drop = next(a for a in flags if a.kind == "sentiment_drop")
    assert {e.source_id for e in drop.evidence} <= {m.id for m in bad} and drop.evidence
    assert not [a for a in report.anomalies if a.week == "2026-W10"]


def test_person_view_needs_explicit_opt_in(company, mail) -> None:  # noqa: ANN001
    mail(SALES[0], "Note", "Thanks, great work.", "2026-03-16T10:00")
    pulse = _pulse(company)
    with pytest.raises(PulseOptInRequired) as err:
        pulse.person("pat@acme.example")
    assert "opt-in" in err.value.next_step
    company.settings.set(PERSON_OPT_IN, True)
    view = pulse.person("Pat Lee")
    assert [w.group for w in view.weeks] == ["pat@acme.example"] and view.weeks[0].messages == 1
    company.settings.set(PERSON_OPT_IN, False)
    with pytest.raises(PulseOptInRequired):
        pulse.person("pat@acme.example")
