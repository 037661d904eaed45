"""`slack connect|channels|sync|draft-reply|push-action` and `asana connect|projects|sync|propose|push-action`.

Also the composition of the Slack/Asana connectors (`workspace_coordinator`), so the scheduler and the
CLI reach them through one code path. Tokens are read from stdin or a hidden prompt, never from argv
(shell history), and go to the OS keyring only. What the user picked (channels, projects, workspace) is
non-secret per-account configuration kept in the encrypted store's settings.

Writes are confirmed: `push-action ID` shows the pending action and performs it only with `--yes` or an
interactive "y". Endpoints come from the `slack_api`/`asana_api` settings when present (tests, proxies).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from app.context import AppContext
from connectors.asana import ASANA_TASK, AsanaAuth, AsanaClient, AsanaConnector, AsanaEndpoints, commitment_task_body
from connectors.base import Retrier
from connectors.errors import ConnectorError
from connectors.slack import SLACK_REPLY, SlackAuth, SlackClient, SlackConnector, SlackEndpoints, reply_payload
from engine.events import EventBus
from engine.jobs import SyncCoordinator
from engine.jobs.task_sync import TaskSyncCoordinator
from engine.store import Store
from models import Account, AuditEntry

__all__ = ["Choice", "asana_projects", "connect_asana", "connect_slack", "pick", "register", "slack_conversations",
           "workspace_coordinator"]


def _slack_endpoints(settings: Any) -> SlackEndpoints:
    api = getattr(settings, "slack_api", "") or ""
    return SlackEndpoints(api=api, authorize=api.rstrip("/").rsplit("/api", 1)[0] + "/oauth/v2/authorize") \
        if api else SlackEndpoints()


def _asana_endpoints(settings: Any) -> AsanaEndpoints:
    api = getattr(settings, "asana_api", "") or ""
    return AsanaEndpoints(api=api) if api else AsanaEndpoints()


def _picked(store: Store, account: str, what: str) -> tuple[str, ...]:
    return tuple(store.settings.get(f"{account}.{what}", []) or [])


def workspace_coordinator(account: Account, *, store: Store, settings: Any, bus: EventBus) -> SyncCoordinator:
    """The coordinator that syncs a stored Slack or Asana account (tokens from the keyring)."""
    days = int(getattr(settings, "initial_sync_days", 90) or 90)
    if account.provider == "slack":
        token = SlackAuth(endpoints=_slack_endpoints(settings)).token(account.key)
        connector = SlackConnector(SlackClient(token, endpoints=_slack_endpoints(settings), retrier=Retrier()),
                                   account=account.key, channels=_picked(store, account.key, "channels"),
                                   initial_days=days)
        return SyncCoordinator(store=store, connector=connector, bus=bus)
    if account.provider == "asana":
        token = AsanaAuth(endpoints=_asana_endpoints(settings)).token(account.key)
        connector = AsanaConnector(AsanaClient(token, endpoints=_asana_endpoints(settings)), account=account.key,
                                   projects=_picked(store, account.key, "projects"),
                                   workspace=str(store.settings.get(f"{account.key}.workspace", "") or ""))
        return TaskSyncCoordinator(store=store, connector=connector, bus=bus)
    raise ConnectorError(f"Accounts of type {account.provider!r} are not Slack or Asana accounts.")


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


def _connected(store: Store, key: str, provider: str, address: str, name: str) -> None:
    store.accounts.upsert(Account(key=key, provider=provider, address=address, display_name=name))
    store.audit.add(AuditEntry(action="oauth", target=key, detail={"provider": provider, "event": "connected"}))


# -- shared with the app (Settings → Accounts) -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Choice:
    """A Slack conversation or an Asana project the user may pick to sync."""

    id: str
    name: str
    kind: str  # channel | private | dm | group_dm | project
    picked: bool


def connect_slack(store: Store, settings: Any, *, token: str = "", client_id: str = "", timeout_s: float = 300.0,
                  open_browser: bool = True, show_url: Callable[[str], None] | None = None) -> tuple[str, str]:
    """Connect a Slack workspace: the browser sign-in of the user's Slack app (`client_id`, PKCE) or a pasted user
    token; the token goes to the keyring, the account to the store. Returns (account key, team name). Waits for
    the browser: a worker thread."""
    auth = SlackAuth(endpoints=_slack_endpoints(settings))
    if client_id:
        identity = auth.authorize(client_id=client_id, timeout_s=timeout_s, open_browser=open_browser,
                                  show_url=show_url)
    else:
        identity = auth.connect_token(token)
    me = SlackClient(auth.token(identity.account_key), endpoints=auth.endpoints, limits=None).call(
        "users.info", tier=4, user=identity.user_id)
    email = str(((me.get("user") or {}).get("profile") or {}).get("email") or "").lower()
    _connected(store, identity.account_key, "slack", email or identity.user, identity.team)
    return identity.account_key, identity.team


def connect_asana(store: Store, settings: Any, token: str, *, workspace: str = "") -> tuple[str, str]:
    """Connect Asana with a personal access token (to the keyring); `workspace` defaults to the user's first.
    Returns (account key, the user's name)."""
    identity = AsanaAuth(endpoints=_asana_endpoints(settings)).connect_token(token)
    _connected(store, identity.account_key, "asana", identity.email, identity.name)
    chosen = workspace or (identity.workspaces[0][0] if identity.workspaces else "")
    store.settings.set(f"{identity.account_key}.workspace", chosen)
    return identity.account_key, identity.name


def slack_conversations(store: Store, settings: Any, account: str) -> list[Choice]:
    """The workspace's conversations the user is in (not archived), each marked when picked. Network."""
    listing = slack_client(account, settings).walk("conversations.list", tier=2, key="channels", limit=200,
                                                   exclude_archived=True,
                                                   types="public_channel,private_channel,mpim,im")
    picked = set(_picked(store, account, "channels"))
    return [Choice(c["id"], c.get("name") or c.get("user") or "", "dm" if c.get("is_im") else
                   "group_dm" if c.get("is_mpim") else "private" if c.get("is_private") else "channel",
                   c["id"] in picked) for c in listing]


def asana_projects(store: Store, settings: Any, account: str) -> list[Choice]:
    """The workspace's projects (not archived, first 100), each marked when picked. Network."""
    client = asana_client(account, settings)
    page = client.call(client.projects.get_projects,
                       {"workspace": store.settings.get(f"{account}.workspace", ""), "archived": False, "limit": 100},
                       full_payload=True)
    picked = set(_picked(store, account, "projects"))
    return [Choice(p["gid"], p.get("name", ""), "project", p["gid"] in picked) for p in page.get("data") or []]


def pick(store: Store, account: str, ids: list[str]) -> str:
    """What a Slack (conversations) or Asana (projects) account syncs from now on; returns which ("channels" or
    "projects"). The next sync reads it (a running scheduler must rebuild the account's job)."""
    what = "channels" if account.startswith("slack:") else "projects" if account.startswith("asana:") else ""
    if not what:
        raise ConnectorError(f"{account} is not a Slack or Asana account.")
    store.settings.set(f"{account}.{what}", [i for i in ids if i])
    return what


# -- slack ------------------------------------------------------------------------------------------------

def run_slack_connect(args: argparse.Namespace, ctx: AppContext) -> int:
    key, team = connect_slack(ctx.store, ctx.settings, token="" if args.client_id else
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
    rows = [asdict(c) for c in slack_conversations(ctx.store, ctx.settings, account.key)]
    ctx.emit(rows, "\n".join(f"{'*' if r['picked'] else ' '} {r['id']:12} {r['kind']:9} {r['name']}" for r in rows)
             or "No conversations.")
    return 0


def _run_sync(ctx: AppContext, provider: str, key: str | None) -> int:
    account = _account(ctx, provider, key)
    coordinator = workspace_coordinator(account, store=ctx.store, settings=ctx.settings, bus=EventBus())
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


def _confirmed(args: argparse.Namespace, summary: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin or not sys.stdin.isatty():
        raise ConnectorError("This would write to another service and needs your confirmation.",
                             next_step="Run it in a terminal, or add --yes after reviewing it.")
    return input(f"{summary}\nGo ahead? [y/N] ").strip().lower() == "y"


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
    if not _confirmed(args, f"Post to Slack thread {payload['channel']}/{payload['thread_ts']}:\n{payload['text']}"):
        ctx.emit({"id": args.id, "posted": False}, "Not posted.")
        return 1
    from app.actions import carry_out

    ctx.emit({"id": args.id, "posted": True}, carry_out(ctx.store, ctx.settings, args.id))
    return 0


# -- asana ------------------------------------------------------------------------------------------------

def run_asana_connect(args: argparse.Namespace, ctx: AppContext) -> int:
    key, name = connect_asana(ctx.store, ctx.settings, _read_secret(args, "Asana personal access token: "),
                              workspace=args.workspace)
    workspace = ctx.store.settings.get(f"{key}.workspace", "")
    ctx.emit({"account": key, "workspace": workspace},
             f"Connected Asana as {name}. Pick projects with `reflex-assistant asana projects --pick GID`.")
    return 0


def asana_client(account: str, settings: Any) -> AsanaClient:
    """An Asana client for a connected account (token from the keyring, endpoint from settings)."""
    endpoints = _asana_endpoints(settings)
    return AsanaClient(AsanaAuth(endpoints=endpoints).token(account), endpoints=endpoints)


def slack_client(account: str, settings: Any) -> SlackClient:
    """A Slack Web API client for a connected workspace (token from the keyring, endpoint from settings)."""
    endpoints = _slack_endpoints(settings)
    return SlackClient(SlackAuth(endpoints=endpoints).token(account), endpoints=endpoints)


def run_asana_projects(args: argparse.Namespace, ctx: AppContext) -> int:
    account = _account(ctx, "asana", args.account)
    if args.pick is not None:
        picked = [p for p in args.pick.split(",") if p]
        pick(ctx.store, account.key, picked)
        ctx.emit({"account": account.key, "projects": picked}, f"Syncing {len(picked)} projects.")
        return 0
    rows = [{"gid": c.id, "name": c.name, "picked": c.picked}
            for c in asana_projects(ctx.store, ctx.settings, account.key)]
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
    from app.services import source_link

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
    if not _confirmed(args, f"Create Asana task: {body['name']} (due {body.get('due_on', 'none')})"):
        ctx.emit({"id": args.id, "created": False}, "Not created.")
        return 1
    from app.actions import carry_out

    ctx.emit({"id": args.id, "created": True}, carry_out(ctx.store, ctx.settings, args.id))
    return 0


# -- parser -----------------------------------------------------------------------------------------------

def register(sub: argparse._SubParsersAction) -> None:
    from app.commands.actions import add_confirm_verb  # app.actions builds its clients from this module

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
