"""`actions [list]`, `actions confirm ID [--yes]`, `actions reject ID`, `rsvp EVENT_ID accepted|declined|tentative`.

What Reflex proposes to do outside this computer (a mail draft, a calendar event, an RSVP, a Slack reply, an Asana
task) waits as a pending action until the user confirms it, here or in the app's Chat page; `confirm` shows it
and carries it out only with `--yes` or an interactive "y" (`engine.usecases.carrying_out`, the desktop's path too).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from app.context import AppContext
from app.providers import Providers
from engine.assistant.scheduling import propose_rsvp
from engine.errors import EngineError
from engine.usecases.carrying_out import carry_out


def register(sub: argparse._SubParsersAction) -> None:
    actions = sub.add_parser("actions", help="pending actions Reflex proposed: list, confirm or reject them")
    verbs = actions.add_subparsers(dest="actions_command", metavar="ACTION")
    actions.set_defaults(handler=run_list)
    verbs.add_parser("list", help="what waits for your confirmation").set_defaults(handler=run_list)
    add_confirm_verb(verbs, "confirm", "carry out a pending action (asks first unless --yes)", run_confirm)
    reject = verbs.add_parser("reject", help="drop a pending action; nothing is done")
    reject.add_argument("id", type=int)
    reject.set_defaults(handler=run_reject)
    rsvp = sub.add_parser("rsvp", help="propose an answer to an invitation (confirm it with `actions confirm`)")
    rsvp.add_argument("event", type=int, help="event id (see `brief` or `dossier`)")
    rsvp.add_argument("response", choices=("accepted", "declined", "tentative"))
    rsvp.add_argument("--note", default="", help="a note to the organizer")
    rsvp.set_defaults(handler=run_rsvp)


def add_confirm_verb(verbs: argparse._SubParsersAction, name: str, help_text: str,
                     handler: Callable[[argparse.Namespace, AppContext], int]) -> None:
    """A verb that carries out pending action ID after showing it (`--yes` skips the question)."""
    verb = verbs.add_parser(name, help=help_text)
    verb.add_argument("id", type=int)
    verb.add_argument("--yes", action="store_true", help="do it without asking (after reviewing it)")
    verb.set_defaults(handler=handler)


def _pending(ctx: AppContext, action_id: int) -> tuple[str, dict]:
    action = ctx.store.pending_actions.get(action_id)
    if action is None:
        raise EngineError(f"No pending action #{action_id}.", next_step="See `reflex-assistant actions`.")
    return action.kind, action.payload


def _describe(kind: str, payload: dict) -> str:
    shown = {k: v for k, v in payload.items() if k not in ("origin", "ref")}
    return f"{kind.replace('_', ' ')}: {json.dumps(shown, ensure_ascii=False, default=str)}"


def run_list(args: argparse.Namespace, ctx: AppContext) -> int:
    rows = [action._asdict() for action in ctx.store.pending_actions.pending()]
    ctx.emit(rows, "\n".join(f"#{r['id']:<5} {_describe(r['kind'], r['payload'])}" for r in rows)
             or "Nothing waits for your confirmation.")
    return 0


def run_confirm(args: argparse.Namespace, ctx: AppContext) -> int:
    kind, payload = _pending(ctx, args.id)
    if not ctx.confirm(_describe(kind, payload), yes=args.yes):
        ctx.emit({"id": args.id, "done": False}, "Nothing was done; the action still waits.")
        return 1
    ctx.emit({"id": args.id, "done": True}, carry_out(ctx.store, Providers(ctx.settings), args.id))
    return 0


def run_reject(args: argparse.Namespace, ctx: AppContext) -> int:
    _pending(ctx, args.id)
    ctx.store.pending_actions.decide(args.id, "rejected")
    ctx.emit({"id": args.id, "rejected": True}, f"Dropped action #{args.id}; nothing was done.")
    return 0


def run_rsvp(args: argparse.Namespace, ctx: AppContext) -> int:
    try:
        action = propose_rsvp(ctx.store, args.event, args.response, note=args.note)
    except KeyError:
        raise EngineError(f"No event #{args.event}.", next_step="See `reflex-assistant brief`.") from None
    ctx.emit({"id": action}, f"Proposed answering {args.response} as action #{action}: "
             f"`reflex-assistant actions confirm {action}` sends it.")
    return 0
