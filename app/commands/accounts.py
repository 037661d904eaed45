"""`accounts add google|microsoft`, `accounts list`, `accounts remove KEY [--delete-data]`, `sync [--account X]`.

Argument parsing and printing only: connectors, sign-in and disconnecting come from the provider registry
(`app.providers`), the one code path the desktop app uses too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.context import AppContext
from app.providers import Providers
from connectors.errors import ConnectorError
from engine.events import EventBus
from engine.jobs import SyncCoordinator
from models import AuditEntry

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    accounts = sub.add_parser("accounts", help="connect, list and remove Google and Microsoft accounts")
    verbs = accounts.add_subparsers(dest="accounts_command", metavar="ACTION")
    add = verbs.add_parser("add", help="connect an account (opens the browser)")
    providers = add.add_subparsers(dest="provider", metavar="PROVIDER")
    google = providers.add_parser("google", help="Gmail + Google Calendar with your own OAuth client")
    google.add_argument("--client-secret", type=Path, default=None,
                        help="client_secret.json of a Desktop OAuth client from Google Cloud Console (kept in the "
                             "OS keyring afterwards; default: the one kept there)")
    google.add_argument("--no-browser", action="store_true", help="print the sign-in URL instead of opening it")
    google.add_argument("--timeout", type=int, default=300, help="seconds to wait for the browser (default 300)")
    google.set_defaults(handler=run_add_google)
    microsoft = providers.add_parser("microsoft", help="Outlook mail + calendar (work, school or personal)")
    microsoft.add_argument("--client-id", default="", help="Entra ID application (client) id")
    microsoft.add_argument("--tenant", default="", help="tenant id or domain (default: common)")
    microsoft.add_argument("--device-code", action="store_true", help="sign in on another device with a code")
    microsoft.add_argument("--timeout", type=int, default=300, help="seconds to wait for sign-in (default 300)")
    microsoft.set_defaults(handler=run_add_microsoft)
    listing = verbs.add_parser("list", help="accounts with state, last sync and last error")
    listing.set_defaults(handler=run_list)
    remove = verbs.add_parser("remove", help="disconnect an account and delete its tokens")
    remove.add_argument("account", help="account key, e.g. google:you@example.com")
    remove.add_argument("--delete-data", action="store_true", help="also delete its synced mail and events")
    remove.set_defaults(handler=run_remove)
    sync = sub.add_parser("sync", help="sync connected accounts now")
    sync.add_argument("--account", default=None, help="only this account key")
    sync.set_defaults(handler=run_sync)


def _connected(ctx: AppContext, key: str) -> int:
    ctx.emit({"account": key, "state": "connected"}, f"Connected {key}. Run `reflex-assistant sync` to fetch mail.")
    return 0


def run_add_google(args: argparse.Namespace, ctx: AppContext) -> int:
    return _connected(ctx, Providers(ctx.settings).connect_google(ctx.store, args.client_secret,
                                                                  timeout_s=args.timeout,
                                                                  open_browser=not args.no_browser))


def run_add_microsoft(args: argparse.Namespace, ctx: AppContext) -> int:
    show = (lambda text: print(text, file=sys.stderr)) if args.device_code else None
    return _connected(ctx, Providers(ctx.settings).connect_microsoft(
        ctx.store, client_id=args.client_id, tenant=args.tenant, device_code=show, timeout_s=args.timeout))


def run_list(args: argparse.Namespace, ctx: AppContext) -> int:
    rows = [{"account": a.key, "provider": a.provider, "state": a.state,
             "last_sync": a.last_sync_at.isoformat() if a.last_sync_at else None, "last_error": a.last_error}
            for a in ctx.store.accounts.all()]
    text = "\n".join(f"{r['account']:45} {r['state']:17} last sync {r['last_sync'] or 'never'}"
                     + (f"\n    {r['last_error']}" if r["last_error"] else "") for r in rows) or "No accounts."
    ctx.emit(rows, text)
    return 0


def run_remove(args: argparse.Namespace, ctx: AppContext) -> int:
    account = ctx.store.accounts.get(args.account)
    if account is None:
        raise ConnectorError(f"No account {args.account}.", next_step="See `reflex-assistant accounts list`.")
    removed = Providers(ctx.settings).disconnect(ctx.store, account, delete_data=args.delete_data)
    ctx.emit({"account": account.key, "removed": True, **removed},
             f"Removed {account.key}" + (f" and {removed['messages']} messages, {removed['events']} events."
                                         if args.delete_data else "; its synced data stays until you delete it."))
    return 0


def run_sync(args: argparse.Namespace, ctx: AppContext) -> int:
    accounts = [a for a in ctx.store.accounts.all() if a.provider in ("google", "microsoft")
                and (args.account is None or a.key == args.account)]
    if args.account and not accounts:
        raise ConnectorError(f"No account {args.account}.", next_step="See `reflex-assistant accounts list`.")
    results, failed, providers = [], 0, Providers(ctx.settings)
    for account in accounts:
        if account.state == "reconnect_needed":
            results.append({"account": account.key, "status": "reconnect_needed"})
            failed += 1
            continue
        try:
            connector = providers.connector(account)
        except ConnectorError as err:  # e.g. no token in the keyring: this account only
            ctx.store.accounts.record_sync(account.key, error=str(err), state="reconnect_needed")
            results.append({"account": account.key, "status": "auth", "error": str(err)})
            failed += 1
            continue
        outcome = SyncCoordinator(store=ctx.store, connector=connector, bus=EventBus()).run()
        ctx.audit(AuditEntry(action="sync", target=account.key,
                             detail={"status": outcome.status, "added": outcome.added,
                                     "updated": outcome.updated, "deleted": outcome.deleted}))
        results.append({"account": account.key, "status": outcome.status, "added": outcome.added,
                        "updated": outcome.updated, "deleted": outcome.deleted, "error": outcome.error,
                        "skipped": outcome.skipped})
        failed += outcome.status not in ("ok", "cancelled")
    text = "\n".join(f"{r['account']}: {r['status']}" + (f" (+{r['added']} ~{r['updated']} -{r['deleted']})"
                                                         if "added" in r else "")
                     + (f"\n    {r['error']}" if r.get("error") else "")
                     + "".join(f"\n    skipped (unreadable, not retried): {s}" for s in r.get("skipped", []))
                     for r in results) or "No accounts."
    ctx.emit(results, text)
    return 1 if failed else 0
