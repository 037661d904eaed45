"""The provider registry: every connector, client, writer and sync coordinator for Google, Microsoft, Slack and
Asana, built from the settings and the OS keyring in one place with one retry policy, for the desktop app, the
scheduler and the CLI alike.

Endpoints come from settings when present (tests and proxies point them at other servers), otherwise the
providers' production URLs. Tokens live in the keyring only. `Providers` also implements the engine's
`ProviderWrites` port, so confirmed actions (`engine.usecases.carrying_out`) reach providers through it.
Threads: every method may do network IO (a worker or a scheduler thread), except the builders, which only read
the keyring.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import keyring
import requests

from connectors import google, microsoft
from connectors.asana import AsanaAuth, AsanaClient, AsanaConnector, AsanaEndpoints, create_task
from connectors.base import Connector, QuotaBudget, Retrier
from connectors.errors import ConnectorError
from connectors.google import (GMAIL_UNITS, GoogleAuth, GoogleClient, GoogleConnector, GoogleEndpoints,
                               read_client_file, remember_client)
from connectors.microsoft import GraphClient, MicrosoftAuth, MicrosoftConnector, MicrosoftEndpoints
from connectors.secrets import TokenVault
from connectors.slack import SlackAuth, SlackClient, SlackConnector, SlackEndpoints, post_reply
from engine.events import EventBus
from engine.jobs import SyncCoordinator, remove_account
from engine.jobs.task_sync import TaskSyncCoordinator
from engine.llm.cloud import KEYRING_SERVICE as CLOUD_KEYRING_SERVICE
from engine.llm.cloud import PROVIDERS as CLOUD_PROVIDERS
from engine.retrieval.qdrant_index import QDRANT_KEYRING_SERVICE
from engine.retrieval.extract import is_document_name
from engine.errors import StoreError
from engine.store import Store
from models import Account, AuditEntry, Contact, Event, Message
from models.tasks import Task

if TYPE_CHECKING:
    from app.settings import Settings

__all__ = ["Choice", "Providers", "forget_keyring_entries", "pick", "picked", "remember"]

log = logging.getLogger(__name__)

#: Providers whose accounts sync through the registry's coordinators.
SYNCED = ("google", "microsoft", "slack", "asana")

_E = TypeVar("_E", GoogleEndpoints, MicrosoftEndpoints)


class Providers:
    """Builds provider objects from `settings` (read at each call, so a changed endpoint applies at once).
    `retrier` is the one retry policy: a fresh one per client (it counts that client's retries)."""

    def __init__(self, settings: Settings, *, retrier: Callable[[], Retrier] = Retrier) -> None:
        self.settings = settings
        self.retrier = retrier

    # -- Google and Microsoft ---------------------------------------------------------------------------
    def google_endpoints(self) -> GoogleEndpoints:
        s = self.settings
        return _overridden(GoogleEndpoints, api=s.google_api, calendar=s.google_calendar,
                           token_uri=s.google_token_uri, auth_uri=s.google_auth_uri)

    def microsoft_endpoints(self) -> MicrosoftEndpoints:
        return _overridden(MicrosoftEndpoints, authority_host=self.settings.microsoft_authority_host,
                           graph=self.settings.microsoft_graph)

    def calendar_ids(self, provider: str) -> tuple[str, ...]:
        """The ids of the calendars that sync for a Google or Outlook account: `sync_calendars` or
        `outlook_calendars` (comma-separated, spaces around commas ignored), else the default calendar."""
        if provider == "google":
            ids, default = self.settings.sync_calendars, "primary"
        else:
            ids, default = self.settings.outlook_calendars, microsoft.DEFAULT_CALENDAR
        return tuple(part.strip() for part in ids.split(",") if part.strip()) or (default,)

    def google_auth(self) -> GoogleAuth:
        return GoogleAuth(endpoints=self.google_endpoints())

    def microsoft_auth(self, *, client_id: str = "", tenant: str = "",
                       session: requests.Session | None = None) -> MicrosoftAuth:
        client = client_id or self.settings.microsoft_client_id
        if not client:
            raise ConnectorError("No Microsoft client id is configured.",
                                 next_step="Register a public client app in Entra ID and pass --client-id "
                                           "(or set REFLEX_MICROSOFT_CLIENT_ID).")
        return MicrosoftAuth(client_id=client, tenant=tenant or self.settings.microsoft_tenant or "common",
                             endpoints=self.microsoft_endpoints(), session=session)

    def google_client(self, account: Account) -> GoogleClient:
        """A paced Gmail/Calendar client for a connected account."""
        auth = self.google_auth()
        quota = float(self.settings.gmail_quota_units_per_minute)
        return GoogleClient(auth.credentials(account.key), endpoints=auth.endpoints,
                            budget=QuotaBudget(quota if quota > 0 else None), retrier=self.retrier())

    def graph_client(self, account: Account, session: requests.Session | None = None) -> GraphClient:
        """A Graph client for a connected Microsoft account (token cache in the keyring)."""
        ms = self.microsoft_auth(session=session)
        return GraphClient(base_url=ms.endpoints.graph, session=ms.session, retrier=self.retrier(),
                           token_provider=lambda force: ms.token(account.key, force_refresh=force))

    # -- Slack and Asana ------------------------------------------------------------------------------------
    def slack_endpoints(self) -> SlackEndpoints:
        api = self.settings.slack_api
        return SlackEndpoints(api=api, authorize=api.rstrip("/").rsplit("/api", 1)[0] + "/oauth/v2/authorize") \
            if api else SlackEndpoints()

    def asana_endpoints(self) -> AsanaEndpoints:
        api = self.settings.asana_api
        return AsanaEndpoints(api=api) if api else AsanaEndpoints()

    def slack_auth(self) -> SlackAuth:
        return SlackAuth(endpoints=self.slack_endpoints())

    def asana_auth(self) -> AsanaAuth:
        return AsanaAuth(endpoints=self.asana_endpoints())

    def slack_client(self, account: str = "", *, token: str = "", paced: bool = True) -> SlackClient:
        """A Slack Web API client for a connected workspace (or for `token` while connecting one); `paced` False
        skips the per-tier pacing (a single call)."""
        endpoints = self.slack_endpoints()
        return SlackClient(token or SlackAuth(endpoints=endpoints).token(account), endpoints=endpoints,
                           retrier=self.retrier(), **({} if paced else {"limits": None}))

    def asana_client(self, account: str) -> AsanaClient:
        endpoints = self.asana_endpoints()
        return AsanaClient(AsanaAuth(endpoints=endpoints).token(account), endpoints=endpoints, retrier=self.retrier())

    # -- sync --------------------------------------------------------------------------------------------
    def connector(self, account: Account, *, store: Store | None = None,
                  session: requests.Session | None = None) -> Connector:
        """The configured connector for a stored account. Mail connectors bring the bytes of document
        attachments (the kinds `engine.retrieval` reads); Slack and Asana read what the user picked from `store`."""
        days = self.settings.initial_sync_days
        if account.provider == "google":
            return GoogleConnector(self.google_client(account), account=account.key,
                                   calendars=self.calendar_ids("google"), initial_days=days,
                                   wants_attachment=is_document_name)
        if account.provider == "microsoft":
            return MicrosoftConnector(self.graph_client(account, session), account=account.key, initial_days=days,
                                      wants_attachment=is_document_name,
                                      calendars=self.calendar_ids("microsoft"))
        if store is not None and account.provider == "slack":
            return SlackConnector(self.slack_client(account.key), account=account.key,
                                  channels=picked(store, account.key, "channels"), initial_days=days)
        if store is not None and account.provider == "asana":
            return AsanaConnector(self.asana_client(account.key), account=account.key,
                                  projects=picked(store, account.key, "projects"),
                                  workspace=str(store.settings.get(f"{account.key}.workspace", "") or ""))
        raise ConnectorError(f"Accounts of type {account.provider!r} cannot sync.")

    def coordinator(self, account: Account, *, store: Store, bus: EventBus) -> SyncCoordinator:
        """The coordinator that syncs a stored account (Asana's also keeps its task links)."""
        connector = self.connector(account, store=store)
        cls = TaskSyncCoordinator if account.provider == "asana" else SyncCoordinator
        return cls(store=store, connector=connector, bus=bus)

    # -- writes (engine.usecases.carrying_out.ProviderWrites) ----------------------------------------------------
    def save_mail_draft(self, account: Account, *, to: list[Contact], subject: str, body: str,
                        reply_to: Message | None = None, session: requests.Session | None = None) -> str:
        """Save a draft (a threaded reply to `reply_to` when given) in a Gmail or Outlook mailbox; never sends.
        Returns the provider's draft id. Callers ask the user first and audit it."""
        if account.provider == "google":
            return google.create_draft(self.google_client(account), to=to, subject=subject, body=body,
                                       reply_to=reply_to)
        if account.provider == "microsoft":
            return microsoft.create_draft(self.graph_client(account, session), to=to, subject=subject, body=body,
                                          reply_to=reply_to)
        raise ConnectorError(f"{account.key} has no mailbox to save a draft in.",
                             next_step="Connect a Google or Microsoft account in Settings > Accounts.")

    def write_event(self, account: Account, event: Event, *, new: bool) -> Event:
        if account.provider == "google":
            write = google.create_event if new else google.update_event
            return write(self.google_client(account), event, send_updates="all" if event.attendees else "none")
        return (microsoft.create_event if new else microsoft.update_event)(self.graph_client(account), event)

    def rsvp(self, account: Account, event: Event, *, response: Literal["accepted", "declined", "tentative"],
             note: str = "") -> None:
        if account.provider == "google":
            google.rsvp(self.google_client(account), event, me=account.address, response=response, send_updates="all")
        else:
            microsoft.rsvp(self.graph_client(account), event, response=response, comment=note, send_response=True)

    def post_slack_reply(self, account: str, *, channel: str, thread_ts: str, text: str) -> str:
        return str(post_reply(self.slack_client(account), channel=channel, thread_ts=thread_ts, text=text))

    def create_asana_task(self, account: str, body: dict[str, Any]) -> Task:
        return create_task(self.asana_client(account), body, account=account)

    # -- connecting and forgetting accounts ----------------------------------------------------------------
    def connect_google(self, store: Store, client_secret: Path | None = None, *, timeout_s: int = 300,
                       open_browser: bool = True) -> str:
        """Browser consent with the user's own OAuth client (loopback + PKCE), then remember the account (connected,
        or reconnected: a new token replaces the old one). Returns the account key. `client_secret`: the client file
        (checked, then kept in the keyring for reconnecting), or None for the client kept there. Blocks until the
        browser returns (worker thread); raises `AuthError` when the user denies or nothing arrives in time."""
        auth = self.google_auth()
        credentials = auth.authorize(client_secret, timeout_s=timeout_s, open_browser=open_browser,
                                     prompt_message="Open this URL to connect Google:\n{url}")
        if client_secret is not None:
            remember_client(read_client_file(client_secret))
        client = GoogleClient(credentials, endpoints=auth.endpoints, budget=QuotaBudget(None), retrier=self.retrier())
        profile = client.execute(client.gmail.users().getProfile(userId="me"), units=GMAIL_UNITS["getProfile"])
        address = str(profile["emailAddress"]).lower()
        key = f"google:{address}"
        auth.store(key, credentials)
        return remember(store, key, "google", address)

    def connect_microsoft(self, store: Store, *, client_id: str = "", tenant: str = "",
                          device_code: Callable[[str], None] | None = None, timeout_s: int = 300) -> str:
        """Microsoft sign-in (browser on a loopback redirect, or the device-code flow when `device_code` shows the
        code), then remember the account. Returns the account key. Worker thread."""
        auth = self.microsoft_auth(client_id=client_id, tenant=tenant)
        if device_code is not None:
            key = auth.sign_in_device_code(device_code, timeout_s=timeout_s)
        else:
            key = auth.sign_in_interactive(timeout_s=timeout_s)
        return remember(store, key, "microsoft", key.split(":", 1)[1])

    def connect_slack(self, store: Store, *, token: str = "", client_id: str = "", timeout_s: float = 300.0,
                      open_browser: bool = True, show_url: Callable[[str], None] | None = None) -> tuple[str, str]:
        """Connect a Slack workspace: the browser sign-in of the user's Slack app (`client_id`, PKCE) or a pasted
        user token; the token goes to the keyring, the account to the store. Returns (account key, team name).
        Waits for the browser: a worker thread."""
        auth = self.slack_auth()
        if client_id:
            identity = auth.authorize(client_id=client_id, timeout_s=timeout_s, open_browser=open_browser,
                                      show_url=show_url)
        else:
            identity = auth.connect_token(token)
        me = self.slack_client(token=auth.token(identity.account_key), paced=False).call(
            "users.info", tier=4, user=identity.user_id)
        email = str(((me.get("user") or {}).get("profile") or {}).get("email") or "").lower()
        remember(store, identity.account_key, "slack", email or identity.user, identity.team)
        return identity.account_key, identity.team

    def connect_asana(self, store: Store, token: str, *, workspace: str = "") -> tuple[str, str]:
        """Connect Asana with a personal access token (to the keyring); `workspace` defaults to the user's first.
        Returns (account key, the user's name)."""
        identity = self.asana_auth().connect_token(token)
        remember(store, identity.account_key, "asana", identity.email, identity.name)
        chosen = workspace or (identity.workspaces[0][0] if identity.workspaces else "")
        store.settings.set(f"{identity.account_key}.workspace", chosen)
        return identity.account_key, identity.name

    def slack_conversations(self, store: Store, account: str) -> list[Choice]:
        """The workspace's conversations the user is in (not archived), each marked when picked. Network."""
        listing = self.slack_client(account).walk("conversations.list", tier=2, key="channels", limit=200,
                                                  exclude_archived=True, types="public_channel,private_channel,mpim,im")
        chosen = set(picked(store, account, "channels"))
        return [Choice(c["id"], c.get("name") or c.get("user") or "", "dm" if c.get("is_im") else
                       "group_dm" if c.get("is_mpim") else "private" if c.get("is_private") else "channel",
                       c["id"] in chosen) for c in listing]

    def asana_projects(self, store: Store, account: str) -> list[Choice]:
        """The workspace's projects (not archived, first 100), each marked when picked. Network."""
        client = self.asana_client(account)
        page = client.call(client.projects.get_projects,
                           {"workspace": store.settings.get(f"{account}.workspace", ""), "archived": False,
                            "limit": 100}, full_payload=True)
        chosen = set(picked(store, account, "projects"))
        return [Choice(p["gid"], p.get("name", ""), "project", p["gid"] in chosen) for p in page.get("data") or []]

    def forget_sign_in(self, account_key: str) -> bool:
        """Revoke the sign-in of `provider:address` at the provider where it can be (Google, Slack), then delete
        every keyring entry it left (idempotent; needs no client id). Revocation is best effort (offline, it is
        skipped); the local entries are deleted whatever happens. True when the provider confirmed it."""
        revoked = False
        try:
            if account_key.startswith("google:"):
                revoked = self.google_auth().revoke(account_key)
            elif account_key.startswith("slack:"):
                revoked = self.slack_auth().revoke(account_key)
        except Exception as exc:  # noqa: BLE001 - revoking is best effort; forgetting locally must happen regardless
            log.warning("could not revoke the sign-in of an account at its provider: %s", type(exc).__name__)
        if account_key.startswith("microsoft:"):
            MicrosoftAuth(client_id="").forget(account_key)  # msal's token cache spans several entries
        else:
            TokenVault().forget(account_key)  # Google, Slack and Asana keep one entry under the account key
        return revoked

    def disconnect(self, store: Store, account: Account, *, delete_data: bool) -> dict[str, int]:
        """Forget an account everywhere: its sign-in revoked at the provider where possible, every keyring entry it
        left, its row and cursors, and with `delete_data` its synced mail and events (one transaction). Audited
        with counts. Returns the counts."""
        revoked = self.forget_sign_in(account.key)
        removed = remove_account(store, account.key, delete_data=delete_data)
        store.audit.add(AuditEntry(action="delete", target=account.key,
                                   detail={"kind": "account", "revoked_at_provider": revoked, **removed}))
        return removed


@dataclass(frozen=True, slots=True)
class Choice:
    """A Slack conversation or an Asana project the user may pick to sync."""

    id: str
    name: str
    kind: str  # channel | private | dm | group_dm | project
    picked: bool


def _overridden(cls: type[_E], **overrides: str) -> _E:
    """`cls` (a provider's production URLs) with the endpoint settings that are not empty applied."""
    return cls(**{name: url for name, url in overrides.items() if url})


def pick(store: Store, account: str, ids: list[str]) -> str:
    """What a Slack (conversations) or Asana (projects) account syncs from now on; returns which ("channels" or
    "projects"). The next sync reads it (a running scheduler must rebuild the account's job)."""
    what = "channels" if account.startswith("slack:") else "projects" if account.startswith("asana:") else ""
    if not what:
        raise ConnectorError(f"{account} is not a Slack or Asana account.")
    store.settings.set(f"{account}.{what}", [i for i in ids if i])
    return what


def picked(store: Store, account: str, what: str) -> tuple[str, ...]:
    """What the user picked to sync for `account` ("channels", "projects")."""
    return tuple(store.settings.get(f"{account}.{what}", []) or [])


def remember(store: Store, key: str, provider: str, address: str, display_name: str = "") -> str:
    """Store a connected account and audit the connection; returns its key."""
    with store.transaction():
        store.accounts.upsert(Account(key=key, provider=provider, address=address, state="connected",
                                      display_name=display_name))
        store.audit.add(AuditEntry(action="oauth", target=key, detail={"provider": provider, "event": "connected"}))
    return key


def forget_keyring_entries(store: Store | None, settings: Settings) -> int:
    """Delete every keyring entry Reflex made besides the store key (for `wipe`): each account's sign-in (the
    accounts the store lists, and those in the keyring's own sign-in index, so this works when the store will
    not open), the cloud API keys and the Qdrant server key. Returns how many sign-ins were forgotten."""
    keys = set(TokenVault().known())
    if store is not None:
        with contextlib.suppress(StoreError):
            keys |= {account.key for account in store.accounts.all()}
    forgotten, providers = 0, Providers(settings)
    for key in sorted(keys):
        with contextlib.suppress(Exception):  # one broken keyring entry must not stop the wipe
            providers.forget_sign_in(key)
            forgotten += 1
    entries = [(CLOUD_KEYRING_SERVICE, f"{p}-api-key") for p in CLOUD_PROVIDERS]
    entries += [(QDRANT_KEYRING_SERVICE, settings.qdrant_url)] if settings.qdrant_url else []
    for service, name in entries:
        with contextlib.suppress(Exception):  # absent entries raise PasswordDeleteError
            keyring.delete_password(service, name)
    return forgotten
