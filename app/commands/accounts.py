"""`accounts add google|microsoft`, `accounts list`, `accounts remove KEY [--delete-data]`, `sync [--account X]`.

Also the composition of connectors from settings (`build_connector`), shared with the desktop app, so
the CLI and the GUI reach providers through exactly one code path. Endpoints come from settings when
present (tests and proxies point them at other servers), otherwise the providers' production URLs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import requests

from app.context import AppContext
from connectors.base import Connector, QuotaBudget, Retrier
from connectors.errors import ConnectorError
from connectors.secrets import TokenVault
from connectors.google import GMAIL_UNITS, GoogleAuth, GoogleClient, GoogleConnector, GoogleEndpoints, \
    read_client_file, remember_client
from connectors.google import create_draft as gmail_draft
from connectors.microsoft import GraphClient, MicrosoftAuth, MicrosoftConnector, MicrosoftEndpoints
from connectors.microsoft import create_draft as outlook_draft
from engine.events import EventBus
from engine.jobs import SyncCoordinator, remove_account
from engine.retrieval.extract import is_document_name
from engine.store import Store
from models import Account, AuditEntry, Contact, Message

__all__ = ["build_connector", "connect_google", "connect_microsoft", "disconnect", "forget_sign_in", "google_auth", "google_client", "graph_client",
           "microsoft_auth", "register", "save_mail_draft"]

log = logging.getLogger(__name__)

#: Gmail quota for projects created after 2026-05: 6,000 units/min/user (setting: gmail_quota_units_per_minute).
GMAIL_QUOTA_DEFAULT = 6000


def _setting(ctx_settings: Any, name: str, default: Any = None) -> Any:
    value = getattr(ctx_settings, name, None)
    return default if value in (None, "") else value


def _endpoints(settings: Any, cls: type, prefix: str) -> Any:
    """`GoogleEndpoints`/`MicrosoftEndpoints` with any `<prefix>_<field>` setting applied."""
    overrides = {f.name: _setting(settings, f"{prefix}_{f.name}") for f in fields(cls)}
    return cls(**{k: v for k, v in overrides.items() if v})


def google_auth(settings: Any) -> GoogleAuth:
    return GoogleAuth(endpoints=_endpoints(settings, GoogleEndpoints, "google"))


def microsoft_auth(settings: Any, *, client_id: str = "", tenant: str = "",
                   session: requests.Session | None = None) -> MicrosoftAuth:
    client = client_id or _setting(settings, "microsoft_client_id")
    if not client:
        raise ConnectorError("No Microsoft client id is configured.",
                             next_step="Register a public client app in Entra ID and pass --client-id "
                                       "(or set REFLEX_MICROSOFT_CLIENT_ID).")
    return MicrosoftAuth(client_id=client, tenant=tenant or _setting(settings, "microsoft_tenant", "common"),
                         endpoints=_endpoints(settings, MicrosoftEndpoints, "microsoft"), session=session)


def google_client(account: Account, settings: Any) -> GoogleClient:
    """A paced Gmail/Calendar client for a connected account (tokens from the keyring, endpoints from settings)."""
    auth = google_auth(settings)
    quota = float(_setting(settings, "gmail_quota_units_per_minute", GMAIL_QUOTA_DEFAULT))
    return GoogleClient(auth.credentials(account.key), endpoints=auth.endpoints,
                        budget=QuotaBudget(quota if quota > 0 else None), retrier=Retrier())


def graph_client(account: Account, settings: Any, session: requests.Session | None = None) -> GraphClient:
    """A Graph client for a connected Microsoft account (token cache in the keyring, endpoints from settings)."""
    ms = microsoft_auth(settings, session=session)
    return GraphClient(base_url=ms.endpoints.graph, session=ms.session, retrier=Retrier(),
                       token_provider=lambda force: ms.token(account.key, force_refresh=force))


def build_connector(account: Account, settings: Any, *, session: requests.Session | None = None) -> Connector:
    """The configured connector for a stored account (tokens from the keyring). Mail connectors bring the
    bytes of document attachments (the kinds `engine.retrieval` reads), which the sync reads as documents."""
    days = int(_setting(settings, "initial_sync_days", 90))
    if account.provider == "google":
        calendars = tuple(str(_setting(settings, "sync_calendars", "primary")).split(","))
        return GoogleConnector(google_client(account, settings), account=account.key, calendars=calendars,
                               initial_days=days, wants_attachment=is_document_name)
    if account.provider == "microsoft":
        return MicrosoftConnector(graph_client(account, settings, session), account=account.key, initial_days=days,
                                  wants_attachment=is_document_name)
    raise ConnectorError(f"Accounts of type {account.provider!r} cannot sync.")


def save_mail_draft(account: Account, settings: Any, *, to: list[Contact], subject: str, body: str,
                    reply_to: Message | None = None, session: requests.Session | None = None) -> str:
    """Save a draft (a threaded reply to `reply_to` when given) in a Gmail or Outlook mailbox; never sends.
    Returns the provider's draft id. Callers ask the user first and audit it."""
    if account.provider == "google":
        return gmail_draft(google_client(account, settings), to=to, subject=subject, body=body, reply_to=reply_to)
    if account.provider == "microsoft":
        return outlook_draft(graph_client(account, settings, session), to=to, subject=subject, body=body,
                             reply_to=reply_to)
    raise ConnectorError(f"{account.key} has no mailbox to save a draft in.",
                         next_step="Connect a Google or Microsoft account in Settings > Accounts.")


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


def _remember(store: Store, key: str, provider: str, address: str) -> str:
    store.accounts.upsert(Account(key=key, provider=provider, address=address, state="connected"))
    store.audit.add(AuditEntry(action="oauth", target=key, detail={"provider": provider, "event": "connected"}))
    return key


def connect_google(store: Store, settings: Any, client_secret: Path | None = None, *, timeout_s: int = 300,
                   open_browser: bool = True) -> str:
    """Browser consent with the user's own OAuth client (loopback + PKCE), then remember the account (connected,
    or reconnected: a new token replaces the old one). Returns the account key. `client_secret`: the client file
    (checked, then kept in the keyring for reconnecting), or None for the client kept there. Blocks until the
    browser returns (worker thread); raises `AuthError` when the user denies or nothing arrives in time."""
    auth = google_auth(settings)
    credentials = auth.authorize(client_secret, timeout_s=timeout_s, open_browser=open_browser,
                                 prompt_message="Open this URL to connect Google:\n{url}")
    if client_secret is not None:
        remember_client(read_client_file(client_secret))
    client = GoogleClient(credentials, endpoints=auth.endpoints, budget=QuotaBudget(None), retrier=Retrier())
    profile = client.execute(client.gmail.users().getProfile(userId="me"), units=GMAIL_UNITS["getProfile"])
    address = str(profile["emailAddress"]).lower()
    key = f"google:{address}"
    auth.store(key, credentials)
    return _remember(store, key, "google", address)


def connect_microsoft(store: Store, settings: Any, *, client_id: str = "", tenant: str = "",
                      device_code: Callable[[str], None] | None = None, timeout_s: int = 300) -> str:
    """Microsoft sign-in (browser on a loopback redirect, or the device-code flow when `device_code` shows the
    code), then remember the account. Returns the account key. Worker thread."""
    auth = microsoft_auth(settings, client_id=client_id, tenant=tenant)
    if device_code is not None:
        key = auth.sign_in_device_code(device_code, timeout_s=timeout_s)
    else:
        key = auth.sign_in_interactive(timeout_s=timeout_s)
    return _remember(store, key, "microsoft", key.split(":", 1)[1])


def run_add_google(args: argparse.Namespace, ctx: AppContext) -> int:
    return _connected(ctx, connect_google(ctx.store, ctx.settings, args.client_secret, timeout_s=args.timeout,
                                          open_browser=not args.no_browser))


def run_add_microsoft(args: argparse.Namespace, ctx: AppContext) -> int:
    show = (lambda text: print(text, file=sys.stderr)) if args.device_code else None
    return _connected(ctx, connect_microsoft(ctx.store, ctx.settings, client_id=args.client_id, tenant=args.tenant,
                                             device_code=show, timeout_s=args.timeout))


def run_list(args: argparse.Namespace, ctx: AppContext) -> int:
    rows = [{"account": a.key, "provider": a.provider, "state": a.state,
             "last_sync": a.last_sync_at.isoformat() if a.last_sync_at else None, "last_error": a.last_error}
            for a in ctx.store.accounts.all()]
    text = "\n".join(f"{r['account']:45} {r['state']:17} last sync {r['last_sync'] or 'never'}"
                     + (f"\n    {r['last_error']}" if r["last_error"] else "") for r in rows) or "No accounts."
    ctx.emit(rows, text)
    return 0


def forget_sign_in(account: Account, settings: Any = None) -> bool:
    """Revoke the account's sign-in at the provider where it can be (with `settings`: Google, Slack), then delete every
    keyring entry it left (idempotent; needs no client id). True when the provider confirmed the revocation."""
    return forget_sign_in_key(account.key, settings)


def forget_sign_in_key(account_key: str, settings: Any = None) -> bool:
    """`forget_sign_in` by account key (`provider:address`), for when the store cannot say more. Revocation is
    best effort (offline, it is skipped): the local entries are deleted whatever happens."""
    revoked = False
    try:
        if settings is not None and account_key.startswith("google:"):
            revoked = google_auth(settings).revoke(account_key)
        elif settings is not None and account_key.startswith("slack:"):
            from app.commands.workspace import _slack_endpoints
            from connectors.slack import SlackAuth

            revoked = SlackAuth(endpoints=_slack_endpoints(settings)).revoke(account_key)
    except Exception as exc:  # noqa: BLE001 - revoking is best effort; forgetting locally must happen regardless
        log.warning("could not revoke the sign-in of an account at its provider: %s", type(exc).__name__)
    if account_key.startswith("microsoft:"):
        MicrosoftAuth(client_id="").forget(account_key)  # msal's token cache spans several entries
    else:
        TokenVault().forget(account_key)  # Google, Slack and Asana keep one entry under the account key
    return revoked


def disconnect(store: Store, account: Account, *, delete_data: bool, settings: Any = None) -> dict[str, int]:
    """Forget an account everywhere: its sign-in revoked at the provider where possible (with `settings`), every
    keyring entry its sign-in left, its row and cursors, and with `delete_data` its synced mail and events (one
    transaction). Audited with counts. Returns the counts."""
    revoked = forget_sign_in(account, settings)
    removed = remove_account(store, account.key, delete_data=delete_data)
    store.audit.add(AuditEntry(action="delete", target=account.key,
                               detail={"kind": "account", "revoked_at_provider": revoked, **removed}))
    return removed


def run_remove(args: argparse.Namespace, ctx: AppContext) -> int:
    account = ctx.store.accounts.get(args.account)
    if account is None:
        raise ConnectorError(f"No account {args.account}.", next_step="See `reflex-assistant accounts list`.")
    removed = disconnect(ctx.store, account, delete_data=args.delete_data, settings=ctx.settings)
    ctx.emit({"account": account.key, "removed": True, **removed},
             f"Removed {account.key}" + (f" and {removed['messages']} messages, {removed['events']} events."
                                         if args.delete_data else "; its synced data stays until you delete it."))
    return 0


def run_sync(args: argparse.Namespace, ctx: AppContext) -> int:
    accounts = [a for a in ctx.store.accounts.all() if a.provider in ("google", "microsoft")
                and (args.account is None or a.key == args.account)]
    if args.account and not accounts:
        raise ConnectorError(f"No account {args.account}.", next_step="See `reflex-assistant accounts list`.")
    results, failed = [], 0
    for account in accounts:
        if account.state == "reconnect_needed":
            results.append({"account": account.key, "status": "reconnect_needed"})
            failed += 1
            continue
        try:
            connector = build_connector(account, ctx.settings)
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
