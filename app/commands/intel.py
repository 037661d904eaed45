"""Executive intelligence on the command line: `inbox`, `commitments`, `opportunities`, `brief`, `dossier`,
`pulse`, `decide`, `free-slots`, `usage`.

Each reads the store through the engine (deterministic extractors, no model needed) and prints text, or JSON with
`--json`. Times are shown in the user's zone (`settings.tzinfo()`).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from app.context import AppContext
from engine.usecases.briefing import build_briefing
from engine.usecases.people import stakeholder_dossier
from engine.assistant.commitments import CommitmentLedger
from engine.assistant.model_reading import MailReader
from engine.assistant.triage import PRIORITIES, TriageEngine
from engine.assistant.scheduling import free_slots, propose_event, proposal_text
from engine.assistant.usage import usage_report
from engine.insights.pulse import TeamPulse, set_person_opt_in
from engine.insights.revenue import RevenueIntel
from engine.usecases.mail_reading import ask_when_capable, kept_reader

if TYPE_CHECKING:
    from app.services import Services


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inbox", help="triaged mail: priority, category, needs-reply, reason")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--waiting", action="store_true", help="only mail waiting on your reply")
    _no_model_flag(p)
    p.set_defaults(handler=run_inbox)
    p = sub.add_parser("commitments", help="who owes what to whom, by when")
    p.add_argument("--all", action="store_true", help="include done and dropped items")
    _no_model_flag(p)
    p.set_defaults(handler=run_commitments)
    p = sub.add_parser("opportunities", help="the pipeline found in mail and meetings")
    _no_model_flag(p)
    p.set_defaults(handler=run_opportunities)
    p = sub.add_parser("brief", help="the daily briefing")
    p.add_argument("--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    p.set_defaults(handler=run_brief)
    p = sub.add_parser("dossier", help="a stakeholder dossier")
    p.add_argument("person", help="name or email")
    p.set_defaults(handler=run_dossier)
    p = sub.add_parser("pulse", help="team sentiment and engagement per week, with flags (aggregates only)")
    p.add_argument("--weeks", type=int, default=8)
    p.add_argument("--person", default=None, help="one person's view (only after the per-person opt-in)")
    p.add_argument("--person-views", choices=("on", "off"), default=None,
                   help="opt in to (or out of) per-person views; aggregates per team are always the default")
    p.set_defaults(handler=run_pulse)
    p = sub.add_parser("decide", help="a decision record scored against the strategic goals")
    p.add_argument("question")
    p.add_argument("--option", action="append", default=[], help="an option (repeat for each)")
    p.add_argument("--review-in", type=int, default=30, help="days until the review reminder")
    p.set_defaults(handler=run_decide)
    p = sub.add_parser("free-slots", help="free times across your calendars, and a proposal to paste")
    p.add_argument("--date", type=date.fromisoformat, default=None, help="first day, YYYY-MM-DD (default: today)")
    p.add_argument("--days", type=int, default=5)
    p.add_argument("--duration", type=int, default=30, help="minutes")
    p.add_argument("--with", dest="attendees", action="append", default=[], help="an attendee's email (repeat)")
    p.add_argument("--book", metavar="TITLE", default="",
                   help="also propose a meeting TITLE in the first free slot (a pending action: "
                        "`reflex-assistant actions confirm ID` creates it and invites the attendees)")
    p.set_defaults(handler=run_free_slots)
    p = sub.add_parser("usage", help="local-only usage metrics and the time-saved estimate")
    p.add_argument("--days", type=int, default=30)
    p.set_defaults(handler=run_usage)


def run_inbox(args: argparse.Namespace, ctx: AppContext) -> int:
    with _mail_reader(args, ctx) as reader:
        results = TriageEngine(ctx.store, model_reader=reader).run(limit=max(args.limit * 4, 200))
    if args.waiting:
        results = [r for r in results if r.needs_reply and r.awaiting_from]
    results = sorted(results, key=lambda r: PRIORITIES.index(r.priority))[: args.limit]
    text = "\n".join(f"[{r.priority:9}] {r.category:10} {'↩' if r.needs_reply and not r.answered else ' '} "
                     f"{r.subject[:50]:50} {r.sender[:24]:24} {r.reason}" for r in results)
    ctx.emit([asdict(r) for r in results], text or "Nothing to triage.")
    return 0


def _no_model_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-model", action="store_true",
                   help="rules only (a chat model measured capable also reads the last two weeks of mail)")


@contextmanager
def _mail_reader(args: argparse.Namespace, ctx: AppContext) -> Iterator[MailReader | None]:
    """The reader `mail_reader` gives, for one command (None with --no-model); the services close after it."""
    from app.services import Services

    services = None if args.no_model else Services(ctx)
    try:
        yield mail_reader(services) if services is not None else None
    finally:
        if services is not None:
            services.close()


def run_commitments(args: argparse.Namespace, ctx: AppContext) -> int:
    with _mail_reader(args, ctx) as reader:
        CommitmentLedger(ctx.store, model_reader=reader).scan()
    items = ctx.store.commitments.list(status=None if args.all else "open")
    text = "\n".join(f"#{c.id:<4} {c.due or '(no date)'}  {c.direction:10} {c.owner} → {c.counterparty}: {c.what} "
                     f"[{c.status}]" for c in items)
    ctx.emit([asdict(c) for c in items], text or "No commitments found.")
    return 0


def mail_reader(services: Services) -> MailReader | None:
    """The chat model in use as a reader of recent mail, when it is measured capable (`model_may_read_mail`);
    None otherwise, and the rules stand alone."""
    ask = ask_when_capable(services.engines.model_tier, lambda: services.llm_service)()
    return kept_reader(services.store, ask) if ask is not None else None


def run_opportunities(args: argparse.Namespace, ctx: AppContext) -> int:
    with _mail_reader(args, ctx) as reader:
        RevenueIntel(ctx.store, model_reader=reader).scan()
    opps = ctx.store.opportunities.list()  # as stored: with the user's corrections, without what they dismissed
    text = "\n".join(f"#{o.id:<4} {o.account:30} {o.kind:9} {o.stage:11} "
                     f"{f'{o.currency} {o.amount:,.0f}' if o.amount else '':>14}  next: {o.next_step}" for o in opps)
    ctx.emit([asdict(o) for o in opps], text or "No opportunities found.")
    return 0


def run_brief(args: argparse.Namespace, ctx: AppContext) -> int:
    tz = ctx.settings.tzinfo()
    briefing = build_briefing(ctx.store, args.date or datetime.now(tz).date(), tz=tz)
    ctx.emit(asdict(briefing), briefing.text(tz))
    return 0


def run_dossier(args: argparse.Namespace, ctx: AppContext) -> int:
    """The People page's dossier (`engine.usecases.people`), as text or JSON (the card's fields, plus meetings,
    commitments split by direction and the user's notes)."""
    d = stakeholder_dossier(ctx.store, args.person)
    card, tz = d.card, ctx.settings.tzinfo()
    lines = [f"{card.name} <{card.email}> {card.role} ({card.relationship})" if d.found
             else f"Nobody called {args.person!r} is known yet."]
    lines += [f"  you owe: {c.title}" for c in d.i_owe] + [f"  they owe: {c.title}" for c in d.they_owe]
    lines += [f"  {'next' if m.upcoming else 'met'}: {m.start.astimezone(tz):%a %d %b %H:%M} {m.title}"
              for m in d.meetings]
    lines += [f"  thread: {t.title} ({t.detail})" for t in d.threads]
    lines += [f"  deal: {o.title}" for o in d.deals] + [f"  note: {n}" for n in d.notes]
    data = {**asdict(card), "found": d.found, "i_owe": [asdict(c) for c in d.i_owe],
            "they_owe": [asdict(c) for c in d.they_owe], "notes": d.notes,
            "meetings": [{"title": m.title, "start": m.start.isoformat(), "link": m.link, "upcoming": m.upcoming}
                         for m in d.meetings]}
    ctx.emit(data, "\n".join(lines))
    return 0


def run_pulse(args: argparse.Namespace, ctx: AppContext) -> int:
    if args.person_views is not None:
        set_person_opt_in(ctx.store, args.person_views == "on")
        if args.person is None:
            ctx.emit({"person_views": args.person_views}, f"Per-person pulse views are {args.person_views}.")
            return 0
    pulse = TeamPulse(ctx.store, tz=ctx.settings.tzinfo(), working_hours=ctx.settings.working_hours,
                      min_group_size=ctx.settings.team_min_group_size)
    report = pulse.person(args.person, weeks=args.weeks) if args.person else pulse.report(weeks=args.weeks)
    lines = [f"{w.group:22} {w.week}  people {w.people:2}  msgs {w.messages:3}  sentiment {w.sentiment:+.2f}  "
             f"negative {w.negative_share:.0%}  after-hours {w.after_hours_share:.0%}  weekend {w.weekend_share:.0%}  "
             f"meetings {w.meeting_hours_per_person:.1f} h/person" for w in report.weeks]
    lines += [f"FLAG {a.detail} (evidence: {', '.join(f'mail {e.source_id}' for e in a.evidence)})"
              for a in report.anomalies]
    lines += [f"withheld: {s}" for s in report.suppressed]
    ctx.emit(asdict(report), "\n".join(lines) or "No team mail to measure yet.")
    return 0


def run_decide(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.facade import Facade
    from app.services import Services

    services = Services(ctx)  # the app's composition: a capable chat model also proposes pros and cons
    try:
        d = Facade(services).decide(args.question, args.option, review_in_days=args.review_in)
    finally:
        services.close()
    lines = [f"Decision #{d.id}: {d.question}", f"Recommendation: {d.recommendation} (confidence {d.confidence:.0%})",
             d.rationale]
    for option in d.options:
        lines.append(f"- {option}")
        lines += [f"    + {p}" for p in d.pros.get(option, [])] + [f"    - {c}" for c in d.cons.get(option, [])]
    lines += [f"Risk: {r}" for r in d.risks] + [f"Culture: {c}" for c in d.cultural_impact]
    lines += [f"Stakeholders: {', '.join(d.stakeholders)}"] if d.stakeholders else []
    lines += [f"Evidence: mail {e.source_id} ({e.quote})" for e in d.evidence]
    lines.append(f"Review on {d.review_on}")
    ctx.emit(asdict(d), "\n".join(lines))
    return 0


def run_free_slots(args: argparse.Namespace, ctx: AppContext) -> int:
    tz = ctx.settings.tzinfo()
    now = datetime.now(tz)
    duration = timedelta(minutes=args.duration)
    slots = free_slots(ctx.store, start=args.date or now.date(), days=args.days, duration=duration, tz=tz,
                       working_hours=ctx.settings.working_hours, attendees=args.attendees,
                       not_before=None if args.date else now)
    data: dict = {"slots": [{"start": s.start.isoformat(), "end": s.end.isoformat()} for s in slots],
                  "proposal": proposal_text(slots, duration)}
    text = "\n".join(s.label() for s in slots) + f"\n\n{data['proposal']}"
    if args.book and slots:
        data["action"] = propose_event(ctx.store, slots[0], title=args.book, attendees=args.attendees)
        text += (f"\n\nProposed “{args.book}” at {slots[0].label()} as action #{data['action']}: "
                 f"`reflex-assistant actions confirm {data['action']}` creates it.")
    ctx.emit(data, text)
    return 0


def run_usage(args: argparse.Namespace, ctx: AppContext) -> int:
    report = usage_report(ctx.store, end=datetime.now(ctx.settings.tzinfo()).date(), days=args.days)
    t = report.totals
    text = (f"{report.start} – {report.end} (local only, never sent)\n"
            f"questions asked {t.get('questions_asked', 0):.0f}, drafts created {t.get('drafts_created', 0):.0f}, "
            f"accepted {t.get('drafts_accepted', 0):.0f}, meetings transcribed {t.get('meetings_transcribed', 0):.0f}\n"
            f"mean model latency {report.mean_latency_s if report.mean_latency_s is not None else '-'} s, "
            f"cloud spend ${sum(report.cloud_spend_per_day.values()):.2f}\n"
            f"estimated time saved {report.time_saved_minutes:.0f} min (assumptions: {report.assumptions})")
    ctx.emit(asdict(report), text)
    return 0
