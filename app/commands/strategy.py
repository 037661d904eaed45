"""`context propose|confirm|show`: the strategic context Reflex proposes from the mailbox, and the user's OK.

After the first import or sync nothing is configured; `propose` shows what the mail suggests (own organisation,
team and direct reports, key accounts ranked, investors/board, vendors), each with why; `confirm` saves it as a
new context version, leaving out what `--drop` names.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from app.context import AppContext
from engine.assistant.bootstrap import confirm, propose_context

_TITLES = (("own_org", "Your organisation"), ("direct_report", "Direct reports"), ("team", "Team"),
           ("key_account", "Key accounts (ranked)"), ("board", "Board"), ("investor", "Investors"),
           ("vendor", "Vendors"))


def register(sub: argparse._SubParsersAction) -> None:
    context = sub.add_parser("context", help="the strategic context: propose it from your mail, confirm, show")
    verbs = context.add_subparsers(dest="context_command", metavar="ACTION", required=True)
    verbs.add_parser("propose", help="what your mail suggests, with why (saves nothing)").set_defaults(handler=run_propose)
    ok = verbs.add_parser("confirm", help="save the proposed context as yours")
    ok.add_argument("--drop", action="append", default=[], metavar="NAME",
                    help="leave out an account, person (name or address) or vendor (repeat)")
    ok.set_defaults(handler=run_confirm)
    verbs.add_parser("show", help="the current strategic context").set_defaults(handler=run_show)


def run_propose(args: argparse.Namespace, ctx: AppContext) -> int:
    proposal = propose_context(ctx.store)
    lines = []
    for kind, title in _TITLES:
        items = proposal.of(kind)
        if items:
            lines.append(f"{title}:")
            for p in items:
                who = f"{p.name} <{p.email}>" if p.email and p.email != p.name else p.name
                sample = f"  e.g. \"{p.samples[0]}\"" if p.samples else ""
                lines.append(f"  {who} - {p.why}{sample}")
    text = "\n".join(lines) or "Nothing to propose yet: import or sync some mail first."
    ctx.emit([asdict(p) for p in proposal.proposals],
             text + "\nKeep it with `reflex-assistant context confirm` (leave entries out with --drop NAME).")
    return 0


def run_confirm(args: argparse.Namespace, ctx: AppContext) -> int:
    version = confirm(ctx.store, propose_context(ctx.store), drop=tuple(args.drop))
    saved = ctx.store.contexts.get(version)
    ctx.emit({"version": version}, f"Saved strategic context version {version}: "
             f"{len(saved.key_accounts)} key accounts, {len(saved.team)} people, {len(saved.board)} board/investors, "
             f"{len(saved.vendors)} vendors.")
    return 0


def run_show(args: argparse.Namespace, ctx: AppContext) -> int:
    current = ctx.store.contexts.latest()
    if current is None:
        ctx.emit(None, "No strategic context yet: `reflex-assistant context propose` suggests one from your mail.")
        return 0
    text = "\n".join(f"{k}: {', '.join(v) if v else '-'}" for k, v in (
        ("key accounts", current.key_accounts), ("board/investors", current.board), ("vendors", current.vendors),
        ("team", [f"{m.name} <{m.email}>" for m in current.team]), ("priorities", current.priorities)))
    ctx.emit(asdict(current), f"Version {current.version}\n{text}")
    return 0
