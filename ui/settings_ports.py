"""The narrow ports two Settings panels are given through the facade (`ui.facade.AppFacade.store_care` and
`.workspace_accounts`), and the settings the UI reads (`AppFacade.settings`), kept outside `ui.views` so the
facade protocol can name them without an import circle."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

__all__ = ["AccountSettings", "BackupSettings", "Choice", "NotificationSettings", "Outcome", "StoreCare", "UiSettings",
           "WorkspaceAccountsPort"]

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


class NotificationSettings(Protocol):
    """What Settings → Notifications shows (`ui.views.notification_settings`)."""

    notify_meetings: bool
    notify_urgent_mail: bool
    notify_replies_overdue: bool
    notify_reconnect: bool
    notify_jobs: bool
    meeting_notice_minutes: int
    quiet_hours: str
    quick_ask_shortcut: str


class AccountSettings(Protocol):
    """What Settings → Accounts → Options shows (`ui.views.account_options`)."""

    microsoft_client_id: str
    microsoft_tenant: str
    sync_calendars: str
    outlook_calendars: str
    sync_interval_minutes: int
    briefing_time: str  # "HH:MM"


class BackupSettings(Protocol):
    """What Settings → Privacy → Backups shows (`ui.views.backup_settings`)."""

    backup_folder: str
    backup_every_hours: int
    backup_keep: int


class UiSettings(NotificationSettings, AccountSettings, BackupSettings, Protocol):
    """Every setting the UI reads: `app.settings.Settings` has these fields (the UI cannot import app/)."""

    theme: str  # system | light | dark
    cloud_enabled: bool
    cloud_provider: str
    cloud_model: str
    cloud_base_url: str
    cloud_fallback_on_failure: bool
    cloud_fallback_on_overflow: bool
    llm_threads: int
    whisper_model_path: str
    embedding_model_path: str
    watched_folder: str
    drop_audio_after_transcription: bool
    recording_consent_notice: str
