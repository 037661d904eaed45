"""`slack connect|channels|sync|draft-reply|push-action` and `asana connect|projects|sync|propose|push-action`.

Argument parsing and printing only: connecting, listing, picking, clients and coordinators come from the provider
registry (`app.providers`), the one code path Settings → Accounts and the scheduler use too. Tokens are read from stdin or a hidden prompt, never from argv
(shell history), and go to the OS keyring only. What the user picked (channels, projects, workspace) is
non-secret per-account configuration kept in the encrypted store's settings.

Writes are confirmed: `push-action ID` shows the pending action and performs it only with `--yes` or an
interactive "y". Endpoints come from the `slack_api`/`asana_api` settings when present (tests, proxies).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict
from typing import Any

from app.commands.actions import add_confirm_verb
from app.context import AppContext
from app.providers import Providers, pick
from connectors.asana import ASANA_TASK, commitment_task_body
from connectors.errors import ConnectorError
from connectors.slack import SLACK_REPLY, reply_payload
from engine.events import EventBus
from engine.jobs.task_sync import TaskSyncCoordinator
from engine.usecases.carrying_out import carry_out
from engine.usecases.links import source_link
from models import Account, AuditEntry

__all__ = ["register"]


def _read_secret(args: argparse.Namespace, prompt: str) -> str:
    if args.token_stdin:
        return sys.stdin.readline().strip()
    return getpass.getpass(prompt)


def _account(ctx: AppContext, provider: str, key: str | None) -> Account:
    accounts = [a for a in ctx.store.accounts.all() if a.provider == provider and (key is None or a.key == key)]
    if not accounts:
        raise ConnectorError(f"No {provider} account is connected.",
                             next_step=f"Run `reflex-assistant {provider} connect` first.")
    return accounts[0]


# -- slack ------------------------------------------------------------------------------------------------

def run_slack_connect(args: argparse.Namespace, ctx: AppContext) -> int:
    key, team = Providers(ctx.settings).connect_slack(ctx.store, token="" if args.client_id else
                              _read_secret(args, "Slack user token (xoxp-...): "), client_id=args.client_id,
                              timeout_s=args.timeout, open_browser=not args.no_browser,
                              show_url=lambda url: print(f"Open this URL to connect Slack:\n{url}", file=sys.stderr))
    ctx.emit({"account": key, "team": team},
             f"Connected Slack workspace {team} as {key}. "
             "Pick conversations with `reflex-assistant slack channels --pick ID,ID`.")
    return 0


def run_slack_channels(args: argparse.Namespace, ctx: AppContext) -> int:
    account = _account(ctx, "slack", args.account)
    if args.pick is not None:
        picked = [c for c in args.pick.split(",") if c]
        pick(ctx.store, account.key, picked)
        ctx.emit({"account": account.key, "channels": picked}, f"Syncing {len(picked)} conversations.")
        return 0
    rows = [asdict(c) for c in Providers(ctx.settings).slack_conversations(ctx.store, account.key)]
    ctx.emit(rows, "\n".join(f"{'*' if r['picked'] else ' '} {r['id']:12} {r['kind']:9} {r['name']}" for r in rows)
             or "No conversations.")
    return 0


def _run_sync(ctx: AppContext, provider: str, key: str | None) -> int:
    account = _account(ctx, provider, key)
    coordinator = Providers(ctx.settings).coordinator(account, store=ctx.store, bus=EventBus())
    outcome = coordinator.run()
    detail = {"status": outcome.status, "added": outcome.added, "deleted": outcome.deleted}
    if isinstance(coordinator, TaskSyncCoordinator):
        detail.update(tasks=coordinator.task_counts)
    ctx.audit(AuditEntry(action="sync", target=account.key, detail=detail))
    ctx.emit({"account": account.key, **detail, "error": outcome.error},
             f"{account.key}: {outcome.status} {detail}" + (f"\n    {outcome.error}" if outcome.error else ""))
    return 0 if outcome.status in ("ok", "cancelled") else 1


def run_slack_sync(args: argparse.Namespace, ctx: AppContext) -> int:
    return _run_sync(ctx, "slack", args.account)


def _pending(ctx: AppContext, action_id: int, kind: str) -> dict[str, Any]:
    action = ctx.store.pending_actions.get(action_id)
    if action is not None and action.kind == kind:
        return action.payload
    raise ConnectorError(f"No pending {kind} action #{action_id}.", next_step="It may be done or rejected already.")


def run_slack_draft(args: argparse.Namespace, ctx: AppContext) -> int:
    message = ctx.store.messages.get(args.message)
    if message is None:
        raise ConnectorError(f"No message #{args.message}.")
    payload = {**reply_payload(message, args.text), "origin": "slack", "ref": message.provider_id}
    action = ctx.store.pending_actions.add(SLACK_REPLY, payload)
    ctx.emit({"id": action, **payload}, f"Drafted reply #{action}. Post it with "
             f"`reflex-assistant slack push-action {action}`.")
    return 0


def run_slack_push(args: argparse.Namespace, ctx: AppContext) -> int:
    payload = _pending(ctx, args.id, SLACK_REPLY)
    if not ctx.confirm(f"Post to Slack thread {payload['channel']}/{payload['thread_ts']}:\n{payload['text']}",
                       yes=args.yes, needs="This would write to another service"):
        ctx.emit({"id": args.id, "posted": False}, "Not posted.")
        return 1
    ctx.emit({"id": args.id, "posted": True}, carry_out(ctx.store, Providers(ctx.settings), args.id))
    return 0


# -- asana ------------------------------------------------------------------------------------------------

def run_asana_connect(args: argparse.Namespace, ctx: AppContext) -> int:
    key, name = Providers(ctx.settings).connect_asana(ctx.store, _read_secret(args, "Asana personal access token: "),
                                                      workspace=args.workspace)
    workspace = ctx.store.settings.get(f"{key}.workspace", "")
    ctx.emit({"account": key, "workspace": workspace},
             f"Connected Asana as {name}. Pick projects with `reflex-assistant asana projects --pick GID`.")
    return 0


def run_asana_projects(args: argparse.Namespace, ctx: AppContext) -> int:
    account = _account(ctx, "asana", args.account)
    if args.pick is not None:
        picked = [p for p in args.pick.split(",") if p]
        pick(ctx.store, account.key, picked)
        ctx.emit({"account": account.key, "projects": picked}, f"Syncing {len(picked)} projects.")
        return 0
    rows = [{"gid": c.id, "name": c.name, "picked": c.picked}
            for c in Providers(ctx.settings).asana_projects(ctx.store, account.key)]
    ctx.emit(rows, "\n".join(f"{'*' if r['picked'] else ' '} {r['gid']:20} {r['name']}" for r in rows) or "No projects.")
    return 0


def run_asana_sync(args: argparse.Namespace, ctx: AppContext) -> int:
    return _run_sync(ctx, "asana", args.account)


def run_asana_propose(args: argparse.Namespace, ctx: AppContext) -> int:
    account = _account(ctx, "asana", args.account)
    found = [c for c in ctx.store.commitments.list() if c.id == args.commitment]
    if not found:
        raise ConnectorError(f"No commitment #{args.commitment}.", next_step="See `reflex-assistant commitments`.")
    workspace = ctx.store.settings.get(f"{account.key}.workspace", "")
    body = commitment_task_body(found[0], workspace=workspace, project=args.project or "",
                                link=lambda ev: source_link(ctx.store, ev.source_type, ev.source_id))
    action = ctx.store.pending_actions.add(ASANA_TASK, {"account": account.key, "body": body,
                                                        "commitment_id": found[0].id, "origin": "commitment",
                                                        "ref": str(found[0].id)})
    ctx.emit({"id": action, "body": body}, f"Proposed Asana task #{action}: {body['name']}. "
             f"Create it with `reflex-assistant asana push-action {action}`.")
    return 0


def run_asana_push(args: argparse.Namespace, ctx: AppContext) -> int:
    payload = _pending(ctx, args.id, ASANA_TASK)
    body = payload["body"]
    if not ctx.confirm(f"Create Asana task: {body['name']} (due {body.get('due_on', 'none')})", yes=args.yes,
                       needs="This would write to another service"):
        ctx.emit({"id": args.id, "created": False}, "Not created.")
        return 1
    ctx.emit({"id": args.id, "created": True}, carry_out(ctx.store, Providers(ctx.settings), args.id))
    return 0


# -- parser -----------------------------------------------------------------------------------------------

def register(sub: argparse._SubParsersAction) -> None:
    slack = sub.add_parser("slack", help="connect Slack, pick conversations, sync, post confirmed replies")
    verbs = slack.add_subparsers(dest="slack_command", metavar="ACTION")
    connect = verbs.add_parser("connect", help="connect a workspace (browser sign-in, or paste a user token)")
    connect.add_argument("--client-id", default="", help="your Slack app's client id (PKCE enabled): browser sign-in")
    connect.add_argument("--token-stdin", action="store_true", help="read a pasted xoxp- token from stdin")
    connect.add_argument("--no-browser", action="store_true", help="print the sign-in URL instead of opening it")
    connect.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the browser")
    connect.set_defaults(handler=run_slack_connect)
    channels = verbs.add_parser("channels", help="list conversations, or pick the ones to sync")
    channels.add_argument("--pick", default=None, help="comma-separated conversation ids to sync")
    channels.add_argument("--account", default=None)
    channels.set_defaults(handler=run_slack_channels)
    sync = verbs.add_parser("sync", help="sync the picked conversations now")
    sync.add_argument("--account", default=None)
    sync.set_defaults(handler=run_slack_sync)
    draft = verbs.add_parser("draft-reply", help="draft a reply into a stored Slack message's thread (pending)")
    draft.add_argument("message", type=int, help="stored message id")
    draft.add_argument("text")
    draft.set_defaults(handler=run_slack_draft)
    add_confirm_verb(verbs, "push-action", "post a pending drafted reply after confirmation", run_slack_push)

    asana = sub.add_parser("asana", help="connect Asana, pick projects, sync, create confirmed tasks")
    verbs = asana.add_subparsers(dest="asana_command", metavar="ACTION")
    connect = verbs.add_parser("connect", help="connect with a personal access token (hidden prompt or stdin)")
    connect.add_argument("--token-stdin", action="store_true", help="read the token from stdin")
    connect.add_argument("--workspace", default="", help="workspace gid (default: your first workspace)")
    connect.set_defaults(handler=run_asana_connect)
    projects = verbs.add_parser("projects", help="list projects, or pick the ones to sync")
    projects.add_argument("--pick", default=None, help="comma-separated project gids to sync")
    projects.add_argument("--account", default=None)
    projects.set_defaults(handler=run_asana_projects)
    sync = verbs.add_parser("sync", help="sync the picked projects now")
    sync.add_argument("--account", default=None)
    sync.set_defaults(handler=run_asana_sync)
    propose = verbs.add_parser("propose", help="propose an Asana task for a commitment (pending action)")
    propose.add_argument("commitment", type=int, help="commitment id")
    propose.add_argument("--project", default="", help="project gid to file it in")
    propose.add_argument("--account", default=None)
    propose.set_defaults(handler=run_asana_propose)
    add_confirm_verb(verbs, "push-action", "create a pending proposed task in Asana after confirmation",
                     run_asana_push)
