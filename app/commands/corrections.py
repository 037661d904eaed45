"""`commitment done|dismiss|redate|owner|text ID ...` and `opportunity edit|merge|dismiss ID ...`: the user's
corrections to the ledger and the pipeline (kept across re-scans, audited, learned; engine.insights.corrections).
Ids are the `#N` that `commitments --all` and `opportunities` print."""

from __future__ import annotations

import argparse
from datetime import date

from app.context import AppContext
from engine.insights.corrections import Corrections, OpportunityEdit


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("commitment", help="correct a commitment: done, dismiss, redate, owner, text")
    verbs = c.add_subparsers(dest="commitment_command", metavar="ACTION", required=True)
    for name, help_text in (("done", "mark it done"), ("dismiss", "not a commitment (never proposed again)")):
        p = verbs.add_parser(name, help=help_text)
        p.add_argument("id", type=int)
        p.set_defaults(handler=run_commitment, value=None)
    p = verbs.add_parser("redate", help="change the due date")
    p.add_argument("id", type=int)
    p.add_argument("value", metavar="YYYY-MM-DD|none")
    p.set_defaults(handler=run_commitment)
    for name, meta in (("owner", "EMAIL_OR_NAME"), ("text", "WHAT")):
        p = verbs.add_parser(name, help=f"change the {'owner' if name == 'owner' else 'wording'}")
        p.add_argument("id", type=int)
        p.add_argument("value", metavar=meta)
        p.set_defaults(handler=run_commitment)
    o = sub.add_parser("opportunity", help="correct an opportunity: edit, merge, dismiss")
    verbs = o.add_subparsers(dest="opportunity_command", metavar="ACTION", required=True)
    p = verbs.add_parser("edit", help="change account, kind, stage, amount or close date")
    p.add_argument("id", type=int)
    p.add_argument("--account")
    p.add_argument("--kind", help="new, expansion, renewal or upsell")
    p.add_argument("--stage", help="lead, discovery, trial, proposal, negotiation, at_risk, closed_won, closed_lost")
    p.add_argument("--amount", help="digits, e.g. 480000 (with --currency)")
    p.add_argument("--currency", help="ISO code, e.g. EUR")
    p.add_argument("--close", type=date.fromisoformat, help="expected close date, YYYY-MM-DD")
    p.set_defaults(handler=run_opportunity_edit)
    p = verbs.add_parser("merge", help="one deal seen as two: merge SOURCE into TARGET")
    p.add_argument("id", type=int, metavar="SOURCE")
    p.add_argument("into", type=int, metavar="TARGET")
    p.set_defaults(handler=run_opportunity_merge)
    p = verbs.add_parser("dismiss", help="not an opportunity (its organisation is not read as a buyer again)")
    p.add_argument("id", type=int)
    p.set_defaults(handler=run_opportunity_dismiss)


def run_commitment(args: argparse.Namespace, ctx: AppContext) -> int:
    fix = Corrections(ctx.store)
    action = args.commitment_command
    if action == "done":
        fix.commitment_done(args.id)
    elif action == "dismiss":
        fix.commitment_dismiss(args.id)
    elif action == "redate":
        fix.commitment_redate(args.id, None if args.value.lower() == "none" else date.fromisoformat(args.value))
    elif action == "owner":
        fix.commitment_owner(args.id, args.value)
    else:
        fix.commitment_text(args.id, args.value)
    ctx.emit({"id": args.id, "action": action}, f"Commitment #{args.id}: {action} saved (kept across re-scans).")
    return 0


def run_opportunity_edit(args: argparse.Namespace, ctx: AppContext) -> int:
    Corrections(ctx.store).opportunity_edit(args.id, OpportunityEdit(
        account=args.account, kind=args.kind, stage=args.stage, amount=args.amount, currency=args.currency,
        close=args.close))
    ctx.emit({"id": args.id}, f"Opportunity #{args.id} updated (kept across re-scans).")
    return 0


def run_opportunity_merge(args: argparse.Namespace, ctx: AppContext) -> int:
    Corrections(ctx.store).opportunity_merge(args.id, args.into)
    ctx.emit({"id": args.into, "merged": args.id}, f"Opportunity #{args.id} merged into #{args.into}.")
    return 0


def run_opportunity_dismiss(args: argparse.Namespace, ctx: AppContext) -> int:
    Corrections(ctx.store).opportunity_dismiss(args.id)
    ctx.emit({"id": args.id}, f"Opportunity #{args.id} dismissed; its organisation is no longer read as a buyer.")
    return 0
