"""First-run wizard: create the encrypted store, choose the model, load the demo workspace (or connect
accounts later), and set the strategic context (optional; when the demo is loaded and none was typed, the one
proposed from its mail is offered in a non-modal window once the wizard closes).

The store key goes to the OS keyring when a secure one exists; otherwise the user picks a passphrase, and
the page explains why and what losing it means. Everything the wizard decides is applied on a worker when
the user presses Finish (store creation, model check, demo import), with the wizard showing progress; the
wizard closes only when that succeeded, so a failure never leaves a half-configured app behind.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton, QScrollArea,
    QVBoxLayout, QWizard, QWizardPage,
)

from engine.assistant.bootstrap import ContextProposal
from engine.store import secure_keyring_available
from ui.context_editor import StrategicContextEditor
from ui.context_proposal_dialog import ContextProposalDialog
from ui.facade import AppFacade
from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import recovery_key_box

MIN_PASSPHRASE = 8


class StorePage(QWizardPage):
    def __init__(self, *, keyring_ok: bool) -> None:
        super().__init__()
        self.keyring_ok = keyring_ok
        self.setTitle("Your private, encrypted store")
        layout = QVBoxLayout(self)
        if keyring_ok:
            text = ("Reflex keeps your mail, calendar, meetings and notes in one encrypted database on this "
                    "computer (SQLCipher, AES-256). Its random key is kept in your system keyring, so you will not "
                    "need a password to open Reflex.")
        else:
            text = ("Reflex keeps your data in one encrypted database on this computer (SQLCipher, AES-256). "
                    "This system has no secure keyring, so the key comes from a passphrase you choose now. "
                    "You will enter it each time Reflex starts. If you lose it, the data cannot be recovered — "
                    "not even by us.")
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.passphrase = QLineEdit()
        self.confirm = QLineEdit()
        for edit, name in ((self.passphrase, "Passphrase"), (self.confirm, "Repeat the passphrase")):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(name)
            edit.setAccessibleName(name)
            edit.setVisible(not keyring_ok)
            edit.textChanged.connect(self.completeChanged)
            layout.addWidget(edit)
        self.hint = QLabel("" if keyring_ok else f"At least {MIN_PASSPHRASE} characters.")
        self.hint.setObjectName("hint")
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        if self.keyring_ok:
            return True
        text = self.passphrase.text()
        return len(text) >= MIN_PASSPHRASE and text == self.confirm.text()


class ModelPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("The assistant's model")
        layout = QVBoxLayout(self)
        self.bundled = QRadioButton("Use the bundled model (SmolLM2 135M: small and fast, runs on any laptop)")
        self.custom = QRadioButton("Use a GGUF model file I already have (e.g. Llama, Qwen, Mistral)")
        self.bundled.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.bundled, self.custom):
            group.addButton(button)
            layout.addWidget(button)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("Path to a .gguf file")
        self.path.setAccessibleName("GGUF model file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        note = QLabel("Models run on this computer; nothing is sent anywhere. You can change this later in Settings.")
        note.setObjectName("hint")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)
        self.custom.toggled.connect(self.completeChanged)
        self.path.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        dialog = QFileDialog(self, "Choose a GGUF model", "", "GGUF models (*.gguf)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda p: (self.path.setText(p), self.custom.setChecked(True)))
        dialog.open()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.bundled.isChecked() or bool(self.path.text().strip())

    def model_path(self) -> str:
        return self.path.text().strip() if self.custom.isChecked() else ""


class DataPage(QWizardPage):
    def __init__(self, *, prefer_demo: bool, demo_available: bool) -> None:
        super().__init__()
        self.setTitle("Your data")
        layout = QVBoxLayout(self)
        self.demo = QRadioButton("Explore with the demo workspace (a fictional company: mail, calendar, meetings)")
        self.later = QRadioButton("Start empty; I will connect Google or Microsoft 365 in Settings > Accounts")
        self.demo.setEnabled(demo_available)
        (self.demo if prefer_demo and demo_available else self.later).setChecked(True)
        group = QButtonGroup(self)
        for button in (self.demo, self.later):
            group.addButton(button)
            layout.addWidget(button)
        layout.addStretch(1)


class ContextPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("What matters to you (optional)")
        self.setSubTitle("Reflex weighs answers, triage and briefings by these. Skip it now if you like.")
        layout = QVBoxLayout(self)
        self.editor = StrategicContextEditor()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        layout.addWidget(scroll)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Setup status")
        layout.addWidget(self.status)


class FirstRunWizard(QWizard):
    completed = Signal()
    """The store exists and the choices were applied; the app can open its main window."""

    def __init__(self, *, services: AppFacade, tasks: TaskRunner,
                 demo_loader: Callable[[object], object] | None = None, prefer_demo: bool = False,
                 keyring_ok: bool | None = None) -> None:
        super().__init__()
        self.services, self.tasks, self._demo_loader = services, tasks, demo_loader
        self.setWindowTitle("Welcome to Reflex")
        self.setAccessibleName("First-run setup")
        self.store_page = StorePage(keyring_ok=secure_keyring_available() if keyring_ok is None else keyring_ok)
        self.model_page = ModelPage()
        self.data_page = DataPage(prefer_demo=prefer_demo, demo_available=demo_loader is not None)
        self.context_page = ContextPage()
        for page in (self.store_page, self.model_page, self.data_page, self.context_page):
            self.addPage(page)
        self.resize(680, 560)

    def accept(self) -> None:  # noqa: D102 - runs setup, closes only on success
        if self.tasks.running("setup", self):
            return
        passphrase = "" if self.store_page.keyring_ok else self.store_page.passphrase.text()
        model_path = self.model_page.model_path()
        load_demo = self._demo_loader if self.data_page.demo.isChecked() else None
        context = None if self.context_page.editor.is_empty() else self.context_page.editor.value()
        services = self.services

        def setup() -> ContextProposal | None:
            return services.first_run(passphrase=passphrase, model_path=model_path, context=context,
                                      load_demo=load_demo)

        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.context_page.status.setText("Setting up… (creating the store" + (", loading the demo" if load_demo else "")
                                         + ")")
        self.tasks.run(setup, kind="setup", owner=self, pool=IO, on_success=self._done, on_failure=self._failed)

    def _done(self, proposal: ContextProposal | None) -> None:
        recovery = self.services.take_recovery_key()  # shown once, then forgotten
        if proposal is not None and proposal.proposals:
            self.proposal_dialog = ContextProposalDialog(proposal, services=self.services, tasks=self.tasks)
            self.proposal_dialog.show()  # outlives the wizard, like the recovery key
        if recovery:
            self.recovery_box = recovery_key_box(recovery)
            self.recovery_box.show()  # outlives the wizard: the user writes it down at their pace
        super().accept()
        self.completed.emit()

    def _failed(self, error: BaseException) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.context_page.status.setText(human_message(error))
