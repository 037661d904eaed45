"""Bring your own Google OAuth client, step by step: what to click in Google Cloud Console, which scopes to add,
and where the downloaded JSON goes — checked before it is kept.

Gmail's restricted scopes mean each user makes a Desktop-app OAuth client in their own Google Cloud project. The
guide lists the steps with links, copies the scopes, then checks the file the user picks (`check(path)`, on the IO
pool: a Desktop-app client, its client id, loopback redirect URIs) and says what is wrong before anything uses it.
"Keep and connect" is enabled only after a file passed; `keep(path)` checks it again and keeps it in the OS keyring
(never in a file of ours). GUI thread only; a non-modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTextBrowser, \
    QVBoxLayout, QWidget

from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import button_row, hint_label, section_title, status_label, with_button

__all__ = ["GoogleClientGuide"]

CONSOLE = "https://console.cloud.google.com"
STEPS = f"""
<ol>
<li><b>Create a project.</b> Open <a href="{CONSOLE}/projectcreate">Google Cloud Console → New project</a>,
name it (e.g. "Reflex") and create it. Keep it selected for the next steps.</li>
<li><b>Turn on the two APIs.</b> Enable the <a href="{CONSOLE}/apis/library/gmail.googleapis.com">Gmail API</a>
and the <a href="{CONSOLE}/apis/library/calendar-json.googleapis.com">Google Calendar API</a>.</li>
<li><b>Consent screen.</b> In <a href="{CONSOLE}/apis/credentials/consent">APIs &amp; Services → OAuth consent
screen</a> choose <i>Internal</i> (Google Workspace) or <i>External</i>, fill in the app name and your email, add
the scopes below, and add your own address under <i>Test users</i> (External only).</li>
<li><b>The client.</b> In <a href="{CONSOLE}/apis/credentials">Credentials</a> click <i>Create credentials → OAuth
client ID</i>, choose application type <b>Desktop app</b> (not Web application), create it, then click
<i>Download JSON</i>.</li>
<li><b>Give it to Reflex.</b> Choose the downloaded file below. Reflex checks it, keeps it in your OS keyring and
opens Google's sign-in in your browser; you may delete the download afterwards.</li>
</ol>
"""


class GoogleClientGuide(QDialog):
    client_kept = Signal()
    """A checked client was kept (the caller connects the account with it next)."""

    def __init__(self, *, tasks: TaskRunner, check: Callable[[str], Any], keep: Callable[[str], Any],
                 scopes: Sequence[str], parent: QWidget | None = None) -> None:
        """`check(path)` -> an object with `summary()`, raising with a human message; `keep(path)` checks again
        and keeps the client. Both run on the IO pool."""
        super().__init__(parent)
        self.setWindowTitle("Set up your Google client")
        self.setAccessibleName("Google client setup guide")
        self._tasks, self._check, self._keep = tasks, check, keep
        self._checked = ""  # the path that passed the check; "" until one did
        layout = QVBoxLayout(self)
        layout.addWidget(section_title("Connect Gmail and Google Calendar with your own Google client"))
        steps = QTextBrowser()
        steps.setOpenExternalLinks(True)
        steps.setHtml(STEPS)
        steps.setAccessibleName("Steps in Google Cloud Console")
        layout.addWidget(steps, 1)
        layout.addWidget(QLabel("Scopes to add on the consent screen:"))
        self.scopes = QPlainTextEdit("\n".join(scopes))
        self.scopes.setReadOnly(True)
        self.scopes.setAccessibleName("Scopes to add")
        self.scopes.setMaximumHeight(self.fontMetrics().lineSpacing() * (len(scopes) + 2))
        layout.addWidget(self.scopes)
        layout.addLayout(button_row((("Copy the scopes", "Copy the scopes", self.copy_scopes),)))
        self.path = QLineEdit()
        self.path.setPlaceholderText("client_secret_….json from step 4")
        self.path.setAccessibleName("Google client file")
        self.path.editingFinished.connect(self.check_file)
        layout.addLayout(with_button(self.path, "Choose…", "Choose the downloaded client file", self._choose))
        self.verdict = status_label("Client file check")
        layout.addWidget(self.verdict)
        layout.addWidget(hint_label("Reflex asks Google for: reading mail, saving drafts (never sending), your "
                                    "calendars' events and which calendars you have. Tokens stay in the OS keyring."))
        self.keep_button = QPushButton("Keep and connect")
        self.keep_button.setAccessibleName("Keep this client and connect Google")
        self.keep_button.setEnabled(False)
        self.keep_button.clicked.connect(self.keep_client)
        close = QPushButton("Close")
        close.setAccessibleName("Close the guide")
        close.clicked.connect(self.reject)
        row = button_row(())
        row.addWidget(self.keep_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(640, 640)

    def copy_scopes(self) -> None:
        QGuiApplication.clipboard().setText(self.scopes.toPlainText())
        self.verdict.setText("Scopes copied: paste them on the consent screen's scope list.")

    def _choose(self) -> None:
        dialog = QFileDialog(self, "The downloaded Google client file", "", "OAuth client (*.json)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.set_file)
        self.file_dialog = dialog
        dialog.open()

    def set_file(self, path: str) -> None:
        self.path.setText(path)
        self.check_file()

    def check_file(self) -> None:
        """Check the file named in the field (IO pool); "Keep and connect" follows the verdict."""
        path = self.path.text().strip()
        self._checked = ""
        self.keep_button.setEnabled(False)
        if not path:
            return
        self.verdict.setText("Checking…")

        def passed(client: Any) -> None:
            self._checked = path
            self.keep_button.setEnabled(True)
            self.verdict.setText(f"✓ {client.summary()}")

        self._tasks.run(lambda: self._check(path), kind="google-client-check", owner=self, pool=IO,
                        on_success=passed, on_failure=lambda exc: self.verdict.setText(human_message(exc)))

    def keep_client(self) -> None:
        path = self._checked
        if not path or path != self.path.text().strip():
            return
        self.keep_button.setEnabled(False)

        def kept(_: Any) -> None:
            self.verdict.setText("Kept in the OS keyring. Finish signing in in your browser.")
            self.client_kept.emit()
            self.accept()

        def failed(exc: BaseException) -> None:
            self.keep_button.setEnabled(True)
            self.verdict.setText(human_message(exc))

        self._tasks.run(lambda: self._keep(path), kind="google-client-keep", owner=self, pool=IO, on_success=kept,
                        on_failure=failed)
