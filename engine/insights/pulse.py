"""Team pulse: sentiment and engagement per team per week, from the text and timing of mail only.

What is measured (per message written by someone on the strategic-context roster, automated mail excluded):
- sentiment: VADER's compound score (-1..1) of the new text only (no quoted history, no signature), WHY VADER:
  a lexicon model is deterministic, explainable and fast on any machine; it handles "exhausted", "frustrated"
  and negations well enough for trends, and a trend is all we show;
- engagement: response latency (hours from the previous message by someone else in the thread to this reply),
  after-hours and weekend load (local time outside `working_hours` / on Saturday and Sunday), meeting load (hours
  of non-declined calendar events per person), thread participation (distinct threads per person).

Privacy (binding): results are aggregated per team and ISO week; a group with fewer than `min_group_size`
distinct people in a week is suppressed (no figures, only the fact that it was withheld). Per-person views
exist only after the explicit opt-in setting `PERSON_OPT_IN` is true in the store, else `PulseOptInRequired`.
Emotions are never inferred from voice, audio or biometrics: the inputs are written text and timestamps only
(EU AI Act art. 5(1)(f) bans workplace emotion recognition from biometric data); meeting audio is not read.

Thread-safety: a `TeamPulse` is used from one worker at a time; the store serialises its own access.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Callable

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from engine.assistant.context import Relationships
from engine.assistant.identity import resolve_principal
from engine.assistant.scheduling import parse_hours
from engine.assistant.signals import automated_reason
from engine.assistant.text import new_text, quote
from engine.errors import EngineError
from engine.store import Store
from models import AuditEntry, Evidence, Insight, Message

log = logging.getLogger(__name__)

PERSON_OPT_IN = "insights.pulse_per_person"  # store setting: True only after the user explicitly opts in
NEGATIVE = -0.05  # VADER's conventional threshold for a negative text
_analyzer = SentimentIntensityAnalyzer()


def set_person_opt_in(store: Store, allowed: bool) -> None:
    """Record the user's explicit choice about per-person pulse views, and audit it (the choice only)."""
    with store.transaction():
        store.settings.set(PERSON_OPT_IN, bool(allowed))
        store.audit.add(AuditEntry("settings", target=PERSON_OPT_IN, detail={"allowed": bool(allowed)}))


class PulseOptInRequired(EngineError):
    """A per-person view was asked for without the explicit opt-in."""


def sentiment(text: str) -> float:
    """VADER compound score of `text`, -1 (negative) .. 1 (positive). Pure, thread-safe."""
    return float(_analyzer.polarity_scores(text or "")["compound"]) if (text or "").strip() else 0.0


@dataclass(slots=True)
class MessagePulse:
    """The measurements of one message (kept in memory only; never stored per person)."""

    message_id: int
    person: str
    team: str
    week: str  # ISO week, "2026-W47"
    thread_id: int
    sentiment: float
    after_hours: bool
    weekend: bool
    latency_h: float | None
    excerpt: str


@dataclass(slots=True)
class GroupWeek:
    """Aggregates for one team (or, with opt-in, one person) in one ISO week."""

    group: str
    week: str
    people: int
    messages: int
    sentiment: float  # mean compound score
    negative_share: float  # share of messages below NEGATIVE
    after_hours_share: float
    weekend_share: float
    latency_h: float | None  # median reply latency, hours
    meeting_hours_per_person: float
    threads_per_person: float
    evidence: list[Evidence] = field(default_factory=list)  # the most negative messages, worst first
    off_hours_evidence: list[Evidence] = field(default_factory=list)  # messages sent after hours or on weekends


@dataclass(slots=True)
class Anomaly:
    group: str
    week: str
    kind: str  # sentiment_drop | negative_share | after_hours | weekend_load | slow_replies
    detail: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class PulseReport:
    weeks: list[GroupWeek]
    anomalies: list[Anomaly]
    suppressed: list[str]  # "Team W47: fewer than N people" (no figures)
    min_group_size: int


class TeamPulse:
    """Computes the pulse from the store. `tz` is the user's zone (after-hours is judged in local time)."""

    def __init__(self, store: Store, *, tz: tzinfo = timezone.utc, working_hours: str = "09:00-18:00",
                 min_group_size: int = 3, now: Callable[[], datetime] | None = None) -> None:
        if min_group_size < 3:
            raise ValueError("min_group_size must be at least 3")
        self.store = store
        self.tz = tz
        self.hours = parse_hours(working_hours)
        self.min_group_size = min_group_size
        principal = resolve_principal(store)
        self.rel = Relationships(store.contexts.latest(), principal)
        self._team_of = {m.email.lower(): (m.team or "Unassigned") for m in self.rel.ctx.team if m.email}
        self._now = now or (lambda: datetime.now(timezone.utc))

    # -- measuring ---------------------------------------------------------------------------------------------
    def measure(self, *, weeks: int = 8) -> list[MessagePulse]:
        """Per-message measurements for roster members' mail of the last `weeks` weeks (memory only)."""
        since = (self._now() - timedelta(weeks=weeks)).isoformat()
        summaries = self.store.messages.recent(limit=100_000, since=since)
        threads: dict[int, list[Message]] = {}
        for s in summaries:
            m = self.store.messages.get(s.id)
            if m is not None and m.sent_at is not None:
                threads.setdefault(s.thread_id, []).append(m)
        out = []
        for thread_id, msgs in threads.items():
            msgs.sort(key=lambda m: m.sent_at)
            for i, m in enumerate(msgs):
                person = m.sender.email.lower()
                team = self._team_of.get(person)
                if team is None or automated_reason(m):
                    continue
                local = m.sent_at.astimezone(self.tz)
                prev = next((p for p in reversed(msgs[:i]) if p.sender.email.lower() != person), None)
                latency = (m.sent_at - prev.sent_at).total_seconds() / 3600 if prev is not None else None
                text = new_text(m)
                iso = local.isocalendar()
                out.append(MessagePulse(
                    m.id or 0, person, team, f"{iso[0]}-W{iso[1]:02d}", thread_id, sentiment(text),
                    after_hours=not (self.hours[0] <= local.time() < self.hours[1]), weekend=local.weekday() >= 5,
                    latency_h=latency, excerpt=quote(text, 120)))
        return out

    def _meeting_hours(self, weeks: int) -> dict[tuple[str, str], float]:
        """(person, ISO week) -> hours in calendar events they did not decline (the user's calendars only)."""
        end = self._now()
        hours: dict[tuple[str, str], float] = {}
        for ev in self.store.events.between(end - timedelta(weeks=weeks), end):
            if ev.all_day or ev.status == "cancelled":
                continue
            iso = ev.start.astimezone(self.tz).isocalendar()
            week = f"{iso[0]}-W{iso[1]:02d}"
            length = (ev.end - ev.start).total_seconds() / 3600
            for a in ev.attendees:
                if a.response != "declined" and a.email.lower() in self._team_of:
                    key = (a.email.lower(), week)
                    hours[key] = hours.get(key, 0.0) + length
        return hours

    # -- reports -----------------------------------------------------------------------------------------------
    def report(self, *, weeks: int = 8, store_results: bool = True) -> PulseReport:
        """Weekly trends per team with anomaly flags; small groups suppressed. Stores insights when asked."""
        rows = self.measure(weeks=weeks)
        meetings = self._meeting_hours(weeks)
        result = self._aggregate(rows, meetings, key=lambda r: r.team)
        if store_results:
            self._store(result)
        log.info("pulse: %d messages, %d group-weeks, %d suppressed", len(rows), len(result.weeks),
                 len(result.suppressed))
        return result

    def person(self, email: str, *, weeks: int = 8) -> PulseReport:
        """One person's weekly figures; only with the explicit opt-in (`PULSE_OPT_IN` setting true)."""
        if self.store.settings.get(PERSON_OPT_IN) is not True:
            raise PulseOptInRequired(
                "Per-person pulse is off.",
                next_step="Turn on per-person views in Settings > Privacy, or run `reflex-assistant pulse "
                          "--person-views on` (an explicit opt-in), to see one person.")
        email = email.strip().lower()
        member = self.rel.member(email)
        email = member.email.lower() if member and member.email else email
        rows = [r for r in self.measure(weeks=weeks) if r.person == email]
        meetings = {k: v for k, v in self._meeting_hours(weeks).items() if k[0] == email}
        return self._aggregate(rows, meetings, key=lambda r: r.person, min_people=1)

    def _aggregate(self, rows: list[MessagePulse], meetings: dict[tuple[str, str], float],
                   key: Callable[[MessagePulse], str], min_people: int | None = None) -> PulseReport:
        floor = self.min_group_size if min_people is None else min_people
        groups: dict[tuple[str, str], list[MessagePulse]] = {}
        for r in rows:
            groups.setdefault((key(r), r.week), []).append(r)
        weeks, suppressed = [], []
        for (group, week), items in sorted(groups.items()):
            people = {r.person for r in items}
            if len(people) < floor:
                suppressed.append(f"{group} {week}: fewer than {floor} people")
                continue
            latencies = [r.latency_h for r in items if r.latency_h is not None]
            worst = sorted((r for r in items if r.sentiment < NEGATIVE), key=lambda r: r.sentiment)[:3]
            weeks.append(GroupWeek(
                group, week, len(people), len(items), round(statistics.fmean(r.sentiment for r in items), 3),
                round(sum(r.sentiment < NEGATIVE for r in items) / len(items), 3),
                round(sum(r.after_hours for r in items) / len(items), 3),
                round(sum(r.weekend for r in items) / len(items), 3),
                round(statistics.median(latencies), 1) if latencies else None,
                round(sum(meetings.get((p, week), 0.0) for p in people) / len(people), 1),
                round(len({r.thread_id for r in items}) / len(people), 2),
                [Evidence("email", r.message_id, r.excerpt) for r in worst],
                [Evidence("email", r.message_id, "") for r in items if r.after_hours or r.weekend][:5],
            ))
        return PulseReport(weeks, flag_anomalies(weeks), suppressed, floor)

    def _store(self, report: PulseReport) -> None:
        with self.store.transaction():
            for w in report.weeks:
                subject = f"team:{w.group}"
                self.store.insights.put(Insight(
                    "pulse.sentiment", subject, w.week, w.sentiment,
                    f"Mean VADER sentiment {w.sentiment:+.2f} over {w.messages} messages by {w.people} people; "
                    f"{w.negative_share:.0%} negative.", w.evidence))
                self.store.insights.put(Insight(
                    "pulse.after_hours", subject, w.week, w.after_hours_share,
                    f"{w.after_hours_share:.0%} of messages outside working hours, {w.weekend_share:.0%} on weekends.",
                    []))
                self.store.insights.put(Insight(
                    "pulse.meeting_load", subject, w.week, w.meeting_hours_per_person,
                    f"{w.meeting_hours_per_person:.1f} meeting hours per person (from calendar events).", []))
            for a in report.anomalies:
                self.store.insights.put(Insight(f"pulse.anomaly.{a.kind}", f"team:{a.group}", a.week, 1.0,
                                                a.detail, a.evidence))


def flag_anomalies(weeks: list[GroupWeek]) -> list[Anomaly]:
    """Flags per group-week against the group's own earlier weeks (and absolute bounds when there is no
    history). Thresholds are deliberately coarse: a flag asks the user to look, it does not judge anyone."""
    out: list[Anomaly] = []
    by_group: dict[str, list[GroupWeek]] = {}
    for w in weeks:
        by_group.setdefault(w.group, []).append(w)
    for group, series in by_group.items():
        series.sort(key=lambda w: w.week)
        for i, w in enumerate(series):
            before = series[:i]
            base = statistics.fmean(b.sentiment for b in before) if before else None
            if base is not None and base - w.sentiment >= 0.25:
                out.append(Anomaly(group, w.week, "sentiment_drop",
                                   f"{group}: sentiment fell from {base:+.2f} to {w.sentiment:+.2f} in {w.week}.",
                                   w.evidence))
            if w.negative_share >= 0.4 and w.messages >= 3:
                out.append(Anomaly(group, w.week, "negative_share",
                                   f"{group}: {w.negative_share:.0%} of {w.messages} messages read negative in "
                                   f"{w.week}.", w.evidence))
            if w.after_hours_share >= 0.4 and w.messages >= 3:
                out.append(Anomaly(group, w.week, "after_hours",
                                   f"{group}: {w.after_hours_share:.0%} of messages sent outside working hours in "
                                   f"{w.week}.", w.off_hours_evidence))
            if w.weekend_share >= 0.25 and w.messages >= 3:
                out.append(Anomaly(group, w.week, "weekend_load",
                                   f"{group}: {w.weekend_share:.0%} of messages sent on the weekend in {w.week}.",
                                   w.off_hours_evidence))
    return out
