"""Settings → Accounts → Slack and Asana: connect a Slack workspace (your Slack app's browser sign-in, or a pasted
user token) or Asana (a personal access token), then pick the conversations or projects that sync.

Connecting and listing reach the network (IO pool); reading the accounts and saving a choice use the store (store
worker). A pasted token leaves the widget as soon as it is submitted and goes to the OS keyring only. Disconnecting
is the accounts table's Disconnect (the same for every provider). GUI thread only.
"""

from __future__ import annotations


from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from ui.settings_ports import Choice, WorkspaceAccountsPort
from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import ChoiceList, button_row, hint_label, secret_field, section_title, status_label

__all__ = ["WorkspacePanel"]

TOKEN_HINT = {
    "slack": "xoxp-… (User OAuth Token from your Slack app's OAuth & Permissions page)",
    "asana": "Personal access token (Asana → My settings → Apps → Developer apps)",
}


class WorkspacePanel(QWidget):
    connected = Signal(str)
    """account key — a Slack or Asana account was connected (the accounts table should refresh)."""

    def __init__(self, *, accounts: WorkspaceAccountsPort, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts, self._tasks = accounts, tasks
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addSpacing(12)
        layout.addWidget(section_title("Slack and Asana"))
        form = QFormLayout()
        self.provider = QComboBox()
        self.provider.addItem("Slack", "slack")
        self.provider.addItem("Asana", "asana")
        self.provider.setAccessibleName("Service to connect")
        self.provider.currentIndexChanged.connect(self._provider_changed)
        form.addRow("Service", self.provider)
        self.token = secret_field(TOKEN_HINT["slack"], "Token to connect with")
        form.addRow("Token", self.token)
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText("Or your Slack app's client id, to sign in in the browser instead")
        self.client_id.setAccessibleName("Slack app client id")
        self.client_id_label = QLabel("Slack app client id")
        form.addRow(self.client_id_label, self.client_id)
        self.connect_button = QPushButton("Connect")
        self.connect_button.setAccessibleName("Connect the service")
        self.connect_button.clicked.connect(self.connect_service)
        self.token.returnPressed.connect(self.connect_service)
        row = QHBoxLayout()
        row.addWidget(self.connect_button)
        row.addStretch(1)
        form.addRow("", row)
        self.account = QComboBox()
        self.account.setAccessibleName("Slack or Asana account")
        self.account.currentIndexChanged.connect(lambda _: self.load_choices())
        form.addRow("Account", self.account)
        layout.addLayout(form)
        self.choices = ChoiceList()
        self.choices.setAccessibleName("Conversations or projects to sync")
        layout.addWidget(self.choices, 1)
        self.save_button = QPushButton("Sync the ticked ones")
        self.save_button.setAccessibleName("Sync the ticked conversations or projects")
        self.save_button.clicked.connect(self.save_choice)
        self.save_button.setEnabled(False)
        row = button_row((("Reload", "Reload the list", self.load_choices),))
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.status = status_label("Slack and Asana status")
        layout.addWidget(self.status)
        layout.addWidget(hint_label("Slack syncs only the conversations you tick; Asana the ticked projects' tasks. "
                                    "Disconnect in the table above."))

    def _provider_changed(self) -> None:
        slack = self.provider.currentData() == "slack"
        self.token.setPlaceholderText(TOKEN_HINT[self.provider.currentData()])
        self.client_id.setVisible(slack)
        self.client_id_label.setVisible(slack)

    # -- connect --------------------------------------------------------------------------------------------
    def connect_service(self) -> None:
        provider, token = self.provider.currentData(), self.token.text().strip()
        client_id = self.client_id.text().strip() if provider == "slack" else ""
        self.token.clear()  # never kept in the widget once submitted
        if not token and not client_id:
            self.status.setText("Paste a token first" + (", or give your Slack app's client id." if provider == "slack"
                                                         else "."))
            return
        self.connect_button.setEnabled(False)
        self.status.setText("Finish signing in in your browser…" if client_id else "Connecting…")

        def done(key: str) -> None:
            self.connect_button.setEnabled(True)
            self.status.setText(f"Connected {key}. Tick what to sync below.")
            self.connected.emit(key)
            self.refresh(select=key)

        def failed(exc: BaseException) -> None:
            self.connect_button.setEnabled(True)
            self.status.setText(human_message(exc))

        accounts = self._accounts
        self._tasks.run(lambda: accounts.connect_workspace(provider, token=token, client_id=client_id),
                        kind="workspace-connect", owner=self, pool=IO, on_success=done, on_failure=failed)

    # -- accounts and choices -------------------------------------------------------------------------------
    def refresh(self, select: str = "") -> None:
        """Re-read the connected Slack/Asana accounts (store worker); keeps or selects `select`."""
        keep = select or self.account.currentText()

        def fill(keys: list[str]) -> None:
            before = self.account.currentText()
            self.account.blockSignals(True)
            self.account.clear()
            self.account.addItems(keys)
            self.account.setCurrentIndex(max(0, self.account.findText(keep)))
            self.account.blockSignals(False)
            if self.account.currentText() != before or not self.choices.count():
                self.load_choices()  # asks the provider: only when the account shown changed or nothing is listed

        self._tasks.run(self._accounts.workspace_accounts, kind="workspace-accounts", owner=self, on_success=fill)

    def load_choices(self) -> None:
        account = self.account.currentText()
        self.choices.clear()
        self.save_button.setEnabled(False)
        if not account:
            return
        self.status.setText(f"Listing what {account} can sync…")

        def show(choices: list[Choice]) -> None:
            self.choices.set_choices(choices)
            self.save_button.setEnabled(True)
            picked = sum(c.picked for c in choices)
            self.status.setText(f"{account}: {picked} of {len(choices)} syncing." if choices else
                                f"{account} has nothing to sync yet.")

        self._tasks.run(lambda: self._accounts.workspace_choices(account), kind="workspace-choices", owner=self,
                        pool=IO, on_success=show, on_failure=lambda exc: self.status.setText(human_message(exc)))

    def save_choice(self) -> None:
        account, ids = self.account.currentText(), self.choices.ticked()
        self._tasks.run(lambda: self._accounts.pick_workspace(account, ids), kind="workspace-pick", owner=self,
                        on_success=lambda what: self.status.setText(
                            f"{account} now syncs {len(ids)} {'conversations' if what == 'channels' else 'projects'}"
                            "; the next sync starts shortly."),
                        on_failure=lambda exc: self.status.setText(human_message(exc)))
