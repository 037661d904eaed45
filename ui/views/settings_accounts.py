"""Settings > Accounts: connect (browser sign-in), reconnect and disconnect Google and Microsoft accounts (Google
through the guided setup of the user's own OAuth client), the account options, and Slack and Asana."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget

from ui.google_client_guide import GoogleClientGuide
from ui.tasks import IO, human_message
from ui.views.account_options import AccountOptionsPanel
from ui.views.accounts_workspace import WorkspacePanel
from ui.widgets import button_row, data_table


class AccountsTab:
    """A tab of `SettingsView` (a mixin: it uses the view's `services`, `tasks`, `load`, `status`, `_pick`,
    `_save` and `_save_quietly`)."""

    def _accounts_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.accounts_table = data_table(["Account", "State", "Last sync", "Last error"])
        self.accounts_table.setAccessibleName("Connected accounts")
        layout.addWidget(self.accounts_table, 1)
        layout.addLayout(button_row((
            ("Connect Google…", "Connect a Google account", self.connect_google),
            ("Connect Microsoft 365…", "Connect a Microsoft account", lambda: self.connect_account("microsoft")),
            ("Reconnect", "Reconnect the selected account", self._reconnect),
            ("Disconnect", "Disconnect the selected account", self._disconnect))))
        layout.addLayout(button_row((("Set up your Google client…", "Set up your own Google OAuth client",
                                      self.open_google_guide),)))
        workspace = self.services.workspace_accounts
        self.account_options = AccountOptionsPanel(settings=self.services.settings, save=self._save_quietly,
                                                   tasks=self.tasks, google_calendars=workspace.google_calendars,
                                                   outlook_calendars=workspace.outlook_calendars)
        layout.addWidget(self.account_options)
        self.workspace = WorkspacePanel(accounts=workspace, tasks=self.tasks)
        self.workspace.connected.connect(lambda _key: self.refresh())
        layout.addWidget(self.workspace)
        hint = QLabel("Sign-in happens in your browser; tokens stay in the OS keyring. Google needs your own OAuth "
                      "client (the guide shows how to make one); Microsoft 365 needs the client id of an Entra ID "
                      "app (above).")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        scroll = QScrollArea()  # the table, the options and Slack/Asana are taller than a laptop screen
        scroll.setWidgetResizable(True)
        scroll.setWidget(tab)
        return scroll

    def connect_google(self) -> None:
        """Sign in with the Google client kept in the keyring, or walk through setting one up first."""
        services = self.services
        self.load(services.google_client_kept,
                  lambda kept: self.connect_account("google") if kept else self.open_google_guide(),
                  kind="google-client-kept", pool=IO)

    def open_google_guide(self) -> None:
        """The step-by-step guide to the user's own Google OAuth client; once a checked client is kept, connect."""
        services = self.services
        self.google_guide = GoogleClientGuide(tasks=self.tasks, check=services.check_google_client,
                                              keep=services.keep_google_client, scopes=services.google_scopes,
                                              parent=self)
        self.google_guide.client_kept.connect(lambda: self.connect_account("google"))
        self.google_guide.open()

    def connect_account(self, provider: str, *, client_secret: str = "") -> None:
        """Sign in through the browser on the IO pool (it waits for the user), then list the account."""
        services = self.services
        self.status.setText("Finish signing in in your browser…")
        self.load(lambda: services.connect_account(provider, client_secret=client_secret),
                  lambda key: (self.status.setText(f"Connected {key}; syncing now."), self.refresh()),
                  kind="connect", pool=IO, on_failure=lambda exc: self.status.setText(human_message(exc)))

    def _selected_account(self, verb: str) -> str:
        """The key of the account picked in the table, or "" after asking the user to pick one."""
        rows = self.accounts_table.selectionModel().selectedRows()
        if not rows:
            self.status.setText(f"Pick the account to {verb} first.")
            return ""
        return self.accounts_table.item(rows[0].row(), 0).text()

    def _reconnect(self) -> None:
        key = self._selected_account("reconnect")
        if not key:
            return
        provider = key.split(":", 1)[0]
        if provider == "google":
            self.connect_google()
        elif provider == "microsoft":
            self.connect_account("microsoft")
        else:
            self.status.setText(f"Reconnect {key} under Slack and Asana below: paste a new token and Connect.")

    def _disconnect(self) -> None:
        """Ask first (with the choice to delete the account's synced data too), then disconnect on a worker."""
        key = self._selected_account("disconnect")
        if not key:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Disconnect account",
                          f"Disconnect {key}?\nSyncing stops and its sign-in is deleted from the OS keyring.",
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
        box.setAccessibleName("Confirm disconnecting the account")
        box.button(QMessageBox.StandardButton.Ok).setText("Disconnect")
        also_data = QCheckBox("Also delete its synced mail and events from this computer")
        box.setCheckBox(also_data)
        box.finished.connect(lambda result: self.disconnect_account(key, delete_data=also_data.isChecked())
                             if result == QMessageBox.StandardButton.Ok else None)
        self.confirm_box = box
        box.open()

    def disconnect_account(self, key: str, *, delete_data: bool) -> None:
        """Disconnect `key` (called only after the confirmation) and say what was removed."""
        services = self.services

        def done(removed: dict[str, int]) -> None:
            self.status.setText(f"Disconnected {key}" + (f"; deleted {removed['messages']} messages and "
                                                           f"{removed['events']} events." if delete_data else "."))
            self.refresh()

        self.load(lambda: services.disconnect_account(key, delete_data=delete_data), done, kind="disconnect",
                  pool=IO)
