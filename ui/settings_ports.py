"""The narrow ports two Settings panels are given through the facade (`ui.facade.AppFacade.store_care` and
`.workspace_accounts`), kept outside `ui.views` so the facade protocol can name them without an import circle."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

__all__ = ["Choice", "Outcome", "StoreCare", "WorkspaceAccountsPort"]

Progress = Callable[[float], None]


class Outcome(Protocol):
    def summary(self) -> str: ...


class StoreCare(Protocol):
    """The store-care calls the panel needs (the app's implementation pauses, closes, operates and reopens).
    `restore`, `change_unlock` and `wipe` run on a worker thread; the others are cheap reads."""

    def key_mode(self) -> str:
        """"keyring" or "passphrase": how the store unlocks now."""

    def keyring_available(self) -> bool: ...

    def restore(self, src: str, *, recovery_key: str, new_passphrase: str, on_progress: Progress,
                cancel: threading.Event) -> Outcome: ...

    def change_unlock(self, *, mode: str, new_passphrase: str, current_passphrase: str, on_progress: Progress,
                      cancel: threading.Event) -> Outcome: ...

    def new_recovery_key(self, *, current_passphrase: str) -> str:
        """A new printable recovery key (shown once); the old one stops opening the store."""

    def wipe(self, *, on_progress: Progress, cancel: threading.Event) -> Outcome: ...


class Choice(Protocol):
    id: str
    name: str
    kind: str
    picked: bool


class WorkspaceAccountsPort(Protocol):
    """What the panel asks of the app (`app.workspace_accounts.WorkspaceAccounts`)."""

    def workspace_accounts(self) -> list[str]:
        """Connected Slack and Asana account keys. Store worker."""

    def connect_workspace(self, provider: str, *, token: str = "", client_id: str = "") -> str:
        """Connect; the account key. IO pool (may wait for the browser)."""

    def workspace_choices(self, account: str) -> list[Choice]:
        """Conversations or projects, marked when picked. IO pool."""

    def pick_workspace(self, account: str, ids: list[str]) -> str:
        """Save what syncs ("channels" | "projects"). Store worker."""

    def google_calendars(self) -> list[Choice]:
        """The connected Google accounts' calendars, ticked when they sync. IO pool."""

    def outlook_calendars(self) -> list[Choice]:
        """The connected Outlook mailboxes' calendars, ticked when they sync. IO pool."""
