"""The app side of Settings → Accounts for Slack and Asana: connect (browser sign-in or a pasted token), list what
could sync and save what the user picked — the same functions as `reflex-assistant slack|asana …`
(`app.providers`), with the app's store and settings filled in, and the account's sync job rebuilt when
what it syncs changes. Also the Google and Outlook calendars the connected accounts can read, for choosing which
sync.

Threads: `connect_workspace` (waits for the browser), `workspace_choices` and the calendar lists (network) run on
the IO pool; `workspace_accounts` and `pick_workspace` on the store worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.providers import Choice, Providers, pick
from connectors.errors import ConnectorError
from connectors import google, microsoft

if TYPE_CHECKING:
    from app.settings import Settings
    from engine.store import Store

__all__ = ["WorkspaceAccounts"]

PROVIDERS = ("slack", "asana")


class WorkspaceAccounts:
    def __init__(self, *, store: Callable[[], "Store"], settings: Callable[[], "Settings"],
                 resync: Callable[[str], None]) -> None:
        """`resync(account_key)`: rebuild the account's sync job from what is stored now and sync it soon."""
        self._store, self._settings, self._resync = store, settings, resync

    def workspace_accounts(self) -> list[str]:
        """Keys of the connected Slack and Asana accounts."""
        return [a.key for a in self._store().accounts.all() if a.provider in PROVIDERS]

    def connect_workspace(self, provider: str, *, token: str = "", client_id: str = "") -> str:
        """Connect (or reconnect) a Slack workspace or an Asana user; returns the account key. The account syncs
        nothing until something is picked (Slack) or syncs its tasks (Asana) — its job starts either way."""
        if provider == "slack":
            key, _ = Providers(self._settings()).connect_slack(self._store(), token=token, client_id=client_id)
        elif provider == "asana":
            key, _ = Providers(self._settings()).connect_asana(self._store(), token)
        else:
            raise ConnectorError(f"Reflex cannot connect {provider} accounts here.")
        self._resync(key)
        return key

    def workspace_choices(self, account: str) -> list[Choice]:
        """Conversations (Slack) or projects (Asana) of `account`, marked when picked."""
        if account.startswith("slack:"):
            return Providers(self._settings()).slack_conversations(self._store(), account)
        return Providers(self._settings()).asana_projects(self._store(), account)

    def pick_workspace(self, account: str, ids: list[str]) -> str:
        """Save what `account` syncs and rebuild its job; returns "channels" or "projects"."""
        what = pick(self._store(), account, ids)
        self._resync(account)
        return what

    def google_calendars(self) -> list[Choice]:
        """Every calendar the connected Google accounts can read (once per id), ticked when `sync_calendars` names
        it. The primary calendar's id is "primary", as the setting names it for every account."""
        return self._calendars("google")

    def outlook_calendars(self) -> list[Choice]:
        """The connected Outlook mailboxes' calendars, ticked when `outlook_calendars` names them (empty: the
        default one). The default calendar's id is its feed name, "calendarView", for every mailbox."""
        return self._calendars("microsoft")

    def _calendars(self, provider: str) -> list[Choice]:
        providers = Providers(self._settings())
        wanted = set(providers.calendar_ids(provider))
        seen: dict[str, Choice] = {}
        for account in self._store().accounts.all():
            if account.provider != provider or account.state != "connected":
                continue
            if provider == "google":
                listed = [("primary" if c.primary else c.id, c.name, c.primary)
                          for c in google.list_calendars(providers.google_client(account))]
            else:
                listed = [(c.feed, c.name, c.default)
                          for c in microsoft.list_calendars(providers.graph_client(account))]
            for cid, name, own in listed:
                label = f"{name} (your own, {account.address})" if own else name
                seen.setdefault(cid, Choice(cid, label, "calendar", cid in wanted))
        if not seen:
            raise ConnectorError(f"No connected {'Google' if provider == 'google' else 'Microsoft 365'} account to "
                                 "list calendars from.", next_step="Connect one first.")
        return list(seen.values())
