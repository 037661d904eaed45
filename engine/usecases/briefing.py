"""The daily briefing: today's meetings with dossiers, mail waiting on the user, commitments due, deals at risk.

`build_briefing(store, day)` refreshes the deterministic extractors (triage, commitments, opportunities) and reads
everything else from the store, so it works fully offline and with no model. `schedule_briefing` adds the daily
APScheduler job (the jobs package owns the scheduler; the job function is `run_briefing`, module-level so a
persistent job store can pickle it). Threads: runs on the caller's (worker/scheduler) thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Callable
from zoneinfo import ZoneInfo

from engine.assistant.model_reading import ModelReader
from engine.assistant.commitments import CommitmentLedger, Reminder
from engine.assistant.context import Relationships
from engine.assistant.dossier import Dossiers, MeetingDossier
from engine.assistant.identity import resolve_principal
from engine.assistant.triage import PRIORITIES, TriageEngine, TriageResult
from engine.insights.revenue import RevenueIntel, StaleAlert
from engine.store import Store

log = logging.getLogger(__name__)

BRIEFING_JOB_ID = "daily-briefing"


@dataclass(slots=True)
class MeetingBrief:
    event_id: int
    title: str
    start: datetime
    end: datetime
    attendees: list[str]
    dossier: MeetingDossier


@dataclass(slots=True)
class Briefing:
    day: date
    generated_at: datetime
    context_version: int | None
    meetings: list[MeetingBrief] = field(default_factory=list)
    needs_reply: list[TriageResult] = field(default_factory=list)
    commitments_due: list[Reminder] = field(default_factory=list)
    opportunities_at_risk: list[StaleAlert] = field(default_factory=list)

    def text(self, tz: tzinfo | None = None) -> str:
        """A plain-text rendering (CLI, notifications)."""
        lines = [f"Briefing for {self.day:%A %d %B %Y}"]
        lines.append(f"\nMeetings ({len(self.meetings)})")
        for m in self.meetings:
            lines.append(f"  {m.start.astimezone(tz):%H:%M}-{m.end.astimezone(tz):%H:%M}  {m.title}")
            d = m.dossier
            for a in d.attendees[:6]:
                lines.append(f"    • {a.name or a.email} {f'({a.role})' if a.role else ''}"
                             + (f": {a.recent_threads[0].title}" if a.recent_threads else ""))
            if d.last_meeting:
                lines.append(f"    last: {d.last_meeting}")
            for item in [*d.decisions[:3], *d.open_actions[:3], *d.opportunities[:2], *d.related[:3]]:
                lines.append(f"    - [{item.kind}] {item.title}")
        lines.append(f"\nWaiting on your reply ({len(self.needs_reply)})")
        lines += [f"  [{r.priority}] {r.subject} — {r.sender}: {r.reason}" for r in self.needs_reply[:15]]
        lines.append(f"\nCommitments ({len(self.commitments_due)})")
        lines += [f"  [{r.kind}] {r.commitment.what} ({r.commitment.owner} → {r.commitment.counterparty})"
                  for r in self.commitments_due[:15]]
        lines.append(f"\nOpportunities needing attention ({len(self.opportunities_at_risk)})")
        lines += [f"  {a.opportunity.account}: {a.reason}" for a in self.opportunities_at_risk]
        return "\n".join(lines)


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tz)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)


def build_briefing(store: Store, day: date, *, tz: tzinfo | None = None, refresh: bool = True,
                   reply_window_days: int = 14, model_reader: ModelReader | None = None) -> Briefing:
    """The briefing for `day` in time zone `tz` (default: the machine's local zone). `model_reader`: a capable
    model's reading of recent mail (see `model_may_read_mail`), merged into the verdicts, commitments and
    opportunities the rules find (the app passes what its background reading has read so far)."""
    tz = tz or datetime.now().astimezone().tzinfo or timezone.utc
    principal = resolve_principal(store)
    ctx = store.contexts.latest()
    rel = Relationships(ctx, principal)
    start, end = day_bounds(day, tz)
    triage = TriageEngine(store, principal=principal, relationships=rel, model_reader=model_reader)
    ledger = CommitmentLedger(store, principal=principal, relationships=rel, model_reader=model_reader)
    revenue = RevenueIntel(store, principal=principal, relationships=rel, model_reader=model_reader)
    if refresh:
        triage.run(since=(start - timedelta(days=reply_window_days)).isoformat())
        ledger.scan()
        revenue.scan()
    briefing = Briefing(day=day, generated_at=datetime.now(timezone.utc), context_version=ctx.version if ctx else None)
    dossiers = Dossiers(store, principal, rel)
    for event in store.events.between(start, end):
        mine = next((a for a in event.attendees if principal.is_me(a.email)), None)
        if event.all_day or (mine is not None and mine.response == "declined"):
            continue
        briefing.meetings.append(MeetingBrief(
            event.id or 0, event.title, event.start, event.end,
            [a.name or a.email for a in event.attendees if not principal.is_me(a.email)], dossiers.meeting(event)))
    briefing.needs_reply = _waiting(store, triage, start - timedelta(days=reply_window_days), end)
    briefing.commitments_due = [r for r in ledger.reminders(day + timedelta(days=1))
                                if r.kind != "due_today" or r.commitment.due is None or r.commitment.due <= day + timedelta(days=1)]
    briefing.opportunities_at_risk = revenue.stale(day)
    log.info("briefing: %d meetings, %d replies, %d commitments", len(briefing.meetings), len(briefing.needs_reply),
             len(briefing.commitments_due))
    return briefing


def _waiting(store: Store, triage: TriageEngine, since: datetime, until: datetime) -> list[TriageResult]:
    rows = [r for r in store.triage.all() if r.needs_reply and r.awaiting_from]
    out = []
    for row in rows:
        result = triage.triage(row.message_id)
        if result.sent_at and since <= result.sent_at < until and result.awaiting_from:
            out.append(result)
    return sorted(out, key=lambda r: (PRIORITIES.index(r.priority), -(r.sent_at.timestamp() if r.sent_at else 0)))


def propose_follow_ups(store: Store, day: date) -> list[int]:
    """Follow-up drafts for what has gone quiet: items owed to the user that are overdue, and stale opportunities.
    Pending `draft_email` actions (the user confirms each; nothing is sent), never proposed twice."""
    return CommitmentLedger(store).draft_follow_ups(day) + RevenueIntel(store).draft_follow_ups(day)


def run_briefing(open_store: Callable[[], Store], deliver: Callable[[Briefing], None],
                 tz_name: str = "", model_reader: ModelReader | None = None) -> None:
    """The scheduled job: build today's briefing, propose the day's follow-up drafts, and hand the briefing to
    `deliver` (e.g. an engine event). `model_reader` as for `build_briefing`."""
    tz = ZoneInfo(tz_name) if tz_name else datetime.now().astimezone().tzinfo
    store = open_store()
    day = datetime.now(tz).date()
    briefing = build_briefing(store, day, tz=tz, model_reader=model_reader)
    drafted = propose_follow_ups(store, day)
    log.info("briefing job: %d follow-up drafts proposed", len(drafted))
    deliver(briefing)


def schedule_briefing(scheduler, *, at: str, open_store: Callable[[], Store],  # noqa: ANN001 - APScheduler BaseScheduler
                      deliver: Callable[[Briefing], None], tz_name: str = "",
                      model_reader: ModelReader | None = None) -> None:
    """Add (or replace) the daily briefing job at `at` ("HH:MM", local time); a run missed while the laptop was
    asleep runs once on wake (coalesce, one hour grace)."""
    hour, minute = (int(p) for p in at.split(":"))
    scheduler.add_job(run_briefing, "cron", hour=hour, minute=minute, id=BRIEFING_JOB_ID, name="daily briefing",
                      args=[open_store, deliver, tz_name, model_reader], replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=3600, **({"timezone": tz_name} if tz_name else {}))
