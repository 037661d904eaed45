"""Executive intelligence on the command line: `inbox`, `commitments`, `opportunities`, `brief`, `dossier`.

Each reads the store through the engine (deterministic extractors, no model needed) and prints text, or JSON with
`--json`. Not yet here: `pulse` and `decide` (their engines are not written yet).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date, datetime

from app.context import AppContext
from engine.assistant.briefing import build_briefing
from engine.assistant.commitments import CommitmentLedger
from engine.assistant.dossier import Dossiers
from engine.assistant.context import Relationships
from engine.assistant.identity import resolve_principal
from engine.assistant.triage import PRIORITIES, TriageEngine
from engine.insights.revenue import RevenueIntel


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inbox", help="triaged mail: priority, category, needs-reply, reason")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--waiting", action="store_true", help="only mail waiting on your reply")
    p.set_defaults(handler=run_inbox)
    p = sub.add_parser("commitments", help="who owes what to whom, by when")
    p.add_argument("--all", action="store_true", help="include done and dropped items")
    p.set_defaults(handler=run_commitments)
    p = sub.add_parser("opportunities", help="the pipeline found in mail and meetings")
    p.set_defaults(handler=run_opportunities)
    p = sub.add_parser("brief", help="the daily briefing")
    p.add_argument("--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    p.set_defaults(handler=run_brief)
    p = sub.add_parser("dossier", help="a stakeholder dossier")
    p.add_argument("person", help="name or email")
    p.set_defaults(handler=run_dossier)


def run_inbox(args: argparse.Namespace, ctx: AppContext) -> int:
    results = TriageEngine(ctx.store).run(limit=max(args.limit * 4, 200))
    if args.waiting:
        results = [r for r in results if r.needs_reply and r.awaiting_from]
    results = sorted(results, key=lambda r: PRIORITIES.index(r.priority))[: args.limit]
    text = "\n".join(f"[{r.priority:9}] {r.category:10} {'↩' if r.needs_reply and not r.answered else ' '} "
                     f"{r.subject[:50]:50} {r.sender[:24]:24} {r.reason}" for r in results)
    ctx.emit([asdict(r) for r in results], text or "Nothing to triage.")
    return 0


def run_commitments(args: argparse.Namespace, ctx: AppContext) -> int:
    ledger = CommitmentLedger(ctx.store)
    ledger.scan()
    items = ctx.store.commitments.list(status=None if args.all else "open")
    text = "\n".join(f"{c.due or '(no date)'}  {c.direction:10} {c.owner} → {c.counterparty}: {c.what} [{c.status}]"
                     for c in items)
    ctx.emit([asdict(c) for c in items], text or "No commitments found.")
    return 0


def run_opportunities(args: argparse.Namespace, ctx: AppContext) -> int:
    opps = RevenueIntel(ctx.store).scan()
    text = "\n".join(f"{o.account:30} {o.kind:9} {o.stage:11} "
                     f"{f'{o.currency} {o.amount:,.0f}' if o.amount else '':>14}  next: {o.next_step}" for o in opps)
    ctx.emit([asdict(o) for o in opps], text or "No opportunities found.")
    return 0


def run_brief(args: argparse.Namespace, ctx: AppContext) -> int:
    tz = ctx.settings.tzinfo()
    briefing = build_briefing(ctx.store, args.date or datetime.now(tz).date(), tz=tz)
    ctx.emit(asdict(briefing), briefing.text(tz))
    return 0


def run_dossier(args: argparse.Namespace, ctx: AppContext) -> int:
    principal = resolve_principal(ctx.store)
    card = Dossiers(ctx.store, principal, Relationships(ctx.store.contexts.latest(), principal)).person(args.person)
    lines = [f"{card.name} <{card.email}> {card.role} ({card.relationship})"]
    lines += [f"  thread: {t.title} ({t.detail})" for t in card.recent_threads]
    lines += [f"  owes/owed: {c.title}" for c in card.open_commitments]
    lines += [f"  deal: {o.title}" for o in card.opportunities]
    ctx.emit(asdict(card), "\n".join(lines))
    return 0
