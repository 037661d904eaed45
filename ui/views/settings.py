"""Settings: models, accounts, cloud, strategic context, memory, privacy (retention, audit log), appearance,
shortcuts.

Values are validated by the typed `Settings` (pydantic) and written to settings.json by `Services`;
secrets (cloud API keys) go to the OS keyring only; the strategic context is saved as a new version.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QMessageBox,
    QListWidgetItem, QProgressBar, QPushButton, QScrollArea, QSpinBox, QTableWidgetItem, QTabWidget, QVBoxLayout,
    QWidget,
)

from engine.assistant.bootstrap import ContextProposal, propose_context
from engine.assistant.usage import usage_report
from engine.insights import PERSON_OPT_IN, set_person_opt_in
from models import AuditEntry
from ui.context_editor import StrategicContextEditor
from ui.tasks import IO, human_message
from ui.views.base import View
from ui.views.model_gallery import GalleryPanel
from ui.widgets import data_table, page_header, when

SHORTCUTS = (
    ("Ctrl+1 … Ctrl+7", "Today, Inbox, Chat, Meetings, Insights, Decisions, Settings"),
    ("Ctrl+K", "Quick ask (in the app; also in the tray menu)"),
    ("Ctrl+Shift+R", "Start or stop recording a meeting"),
    ("Esc", "Stop the answer being written / close the quick-ask popup"),
    ("Enter", "Ask"),
    ("Ctrl+Q", "Quit Reflex"),
)


class SettingsView(View):
    title = "Settings"

    theme_changed = Signal(str)
    """system | light | dark — the user picked an appearance (the app applies it)."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("Settings"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._models_tab(), "Models")
        self.gallery = GalleryPanel(choices=self.services, tasks=self.tasks)
        self.gallery.changed.connect(self.refresh)
        self.tabs.addTab(self.gallery, "Model gallery")
        self.tabs.currentChanged.connect(lambda i: self.gallery.refresh() if self.tabs.widget(i) is self.gallery
                                         else None)
        self.tabs.addTab(self._accounts_tab(), "Accounts")
        self.tabs.addTab(self._cloud_tab(), "Cloud")
        self.context_editor = StrategicContextEditor()
        self.tabs.addTab(self._context_tab(), "Strategic context")
        self.tabs.addTab(self._memory_tab(), "Memory")
        self.tabs.addTab(self._privacy_tab(), "Privacy")
        self.tabs.addTab(self._appearance_tab(), "Appearance")
        self.tabs.addTab(self._shortcuts_tab(), "Shortcuts")
        layout.addWidget(self.tabs, 1)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setAccessibleName("Settings status")
        layout.addWidget(self.status)

    def show_gallery(self, download: str = "") -> None:
        """Open the Model gallery tab; with `download`, start downloading that model once the list is shown."""
        if download:
            def start() -> None:
                self.gallery.loaded.disconnect(start)
                self.gallery.select(download)
                self.gallery.download_selected()
            self.gallery.loaded.connect(start)
        if self.tabs.currentWidget() is self.gallery:
            self.gallery.refresh()
        self.tabs.setCurrentWidget(self.gallery)

    # -- tabs -------------------------------------------------------------------------------------------
    def _models_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(QLabel("Local chat models (GGUF). The default answers chat, quick-ask and drafts."))
        self.models_list = QListWidget()
        self.models_list.setAccessibleName("Local models")
        layout.addWidget(self.models_list, 1)
        row = QHBoxLayout()
        add = QPushButton("Add GGUF model…")
        add.setAccessibleName("Add a GGUF model")
        add.clicked.connect(self._choose_model)
        default = QPushButton("Use as default")
        default.setAccessibleName("Use the selected model as default")
        default.clicked.connect(self._set_default_model)
        row.addWidget(add)
        row.addWidget(default)
        row.addStretch(1)
        layout.addLayout(row)
        form = QFormLayout()
        s = self.services.settings
        self.threads = QSpinBox()
        self.threads.setRange(0, 64)
        self.threads.setSpecialValueText("automatic (cores − 1)")
        self.threads.setValue(s.llm_threads)
        self.threads.setAccessibleName("Model threads")
        self.threads.valueChanged.connect(lambda v: self._save(llm_threads=v))
        form.addRow("Threads", self.threads)
        self.watched_folder = QLabel(s.watched_folder or "none")
        self.watched_folder.setAccessibleName("Watched folder")
        form.addRow("Watched folder", _button_row((
            ("Choose…", "Choose a folder to watch", self._choose_watched_folder),
            ("Stop watching", "Stop watching the folder", lambda: self.set_watched_folder(""))),
            lead=self.watched_folder))
        self.speech_model = QLabel(s.whisper_model_path or "bundled Whisper tiny.en")
        self.embedding_model = QLabel(s.embedding_model_path or "bundled all-MiniLM-L6-v2 (int8)")
        for label, shown, kind in (("Speech model", self.speech_model, "speech"),
                                   ("Embedding model", self.embedding_model, "embedding")):
            row = QHBoxLayout()
            row.addWidget(shown, 1)
            choose = QPushButton("Choose…")
            choose.setAccessibleName(f"Choose the {kind} model")
            choose.clicked.connect(lambda _=False, k=kind: self._choose_aux_model(k))
            bundled = QPushButton("Bundled")
            bundled.setAccessibleName(f"Use the bundled {kind} model")
            bundled.clicked.connect(lambda _=False, k=kind: self.set_aux_model(k, ""))
            row.addWidget(choose)
            row.addWidget(bundled)
            form.addRow(label, row)
        layout.addLayout(form)
        return tab

    def _pick(self, title: str, chosen: Callable[[str], None], *, folder: bool = False, name_filter: str = "") -> None:
        """A non-blocking file (or folder) dialog; `chosen(path)` runs when the user picks one."""
        dialog = QFileDialog(self, title, "", name_filter)
        dialog.setFileMode(QFileDialog.FileMode.Directory if folder else QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(chosen)
        self.file_dialog = dialog
        dialog.open()

    def _choose_watched_folder(self) -> None:
        self._pick("A folder whose documents Reflex keeps searchable", self.set_watched_folder, folder=True)

    def set_watched_folder(self, folder: str) -> None:
        """Watch `folder` ("" = none): its documents are added now and kept in step every 10 minutes."""
        self._save(watched_folder=folder)
        self.watched_folder.setText(folder or "none")
        if folder:
            services = self.services
            self.status.setText(f"Adding the documents in {folder}…")
            self.load(services.sync_watched_folder, lambda n: self.status.setText(
                f"Watching {folder}: {n} documents added or updated."), kind="watch", pool=IO,
                on_failure=lambda exc: self.status.setText(human_message(exc)))

    def _choose_aux_model(self, kind: str) -> None:
        """A CTranslate2 Whisper folder for speech; an ONNX model folder (or a .gguf file) for embeddings."""
        self._pick("Choose the speech model folder" if kind == "speech" else "Choose an ONNX embedding model folder",
                   lambda path: self.set_aux_model(kind, path), folder=True)

    def set_aux_model(self, kind: str, path: str) -> None:
        """Check that the model loads (IO pool), then use it; a new embedding model re-indexes in the background."""
        services = self.services
        self.status.setText("Checking the model…")

        def done(name: str) -> None:
            (self.speech_model if kind == "speech" else self.embedding_model).setText(path or name)
            self.status.setText(f"Now using {name}" + (" — re-indexing in the background." if kind == "embedding"
                                                        else "."))

        self.load(lambda: services.set_model(kind, path), done, kind=f"model-{kind}", pool=IO,
                  on_failure=lambda exc: self.status.setText(human_message(exc)))

    def _accounts_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.accounts_table = data_table(["Account", "State", "Last sync", "Last error"])
        self.accounts_table.setAccessibleName("Connected accounts")
        layout.addWidget(self.accounts_table, 1)
        layout.addLayout(_button_row((
            ("Connect Google…", "Connect a Google account", self._choose_google_client),
            ("Connect Microsoft 365…", "Connect a Microsoft account", lambda: self.connect_account("microsoft")),
            ("Reconnect", "Reconnect the selected account", self._reconnect),
            ("Disconnect", "Disconnect the selected account", self._disconnect))))
        hint = QLabel("Sign-in happens in your browser; tokens stay in the OS keyring. Google needs your own OAuth "
                      "client (client_secret.json of a Desktop app from Google Cloud Console); Microsoft 365 needs "
                      "an Entra ID client id (REFLEX_MICROSOFT_CLIENT_ID or settings.json). Slack and Asana: "
                      "`reflex-assistant slack connect` / `asana connect`.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        return tab

    def _cloud_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        s = self.services.settings
        self.cloud_enabled = QCheckBox("Allow cloud models (off by default; every call is audited)")
        self.cloud_enabled.setChecked(s.cloud_enabled)
        self.cloud_provider = QComboBox()
        self.cloud_provider.addItems(["openai", "azure", "anthropic", "openai-compatible"])
        self.cloud_provider.setCurrentText(s.cloud_provider)
        self.cloud_model = QLineEdit(s.cloud_model)
        self.cloud_base_url = QLineEdit(s.cloud_base_url)
        self.cloud_key = QLineEdit()
        self.cloud_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.cloud_key.setPlaceholderText("stored in the OS keyring; leave empty to keep the current key")
        self.fallback_failure = QCheckBox("Use the cloud when the local model fails")
        self.fallback_failure.setChecked(s.cloud_fallback_on_failure)
        self.fallback_overflow = QCheckBox("Use the cloud when a prompt is too long for the local model")
        self.fallback_overflow.setChecked(s.cloud_fallback_on_overflow)
        for label, widget in (("", self.cloud_enabled), ("Provider", self.cloud_provider),
                              ("Model / deployment", self.cloud_model), ("Base URL", self.cloud_base_url),
                              ("API key", self.cloud_key), ("", self.fallback_failure),
                              ("", self.fallback_overflow)):
            widget.setAccessibleName(label or widget.text())
            form.addRow(label, widget)
        save = QPushButton("Save cloud settings")
        save.setAccessibleName("Save cloud settings")
        save.clicked.connect(self.save_cloud)
        form.addRow("", save)
        self.cloud_spend = QLabel("")
        self.cloud_spend.setAccessibleName("Cloud spend")
        self.cloud_spend.setObjectName("hint")
        form.addRow("Spend", self.cloud_spend)
        return tab

    def _context_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.context_editor)
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.context_version = QLabel("")
        self.context_version.setObjectName("hint")
        save = QPushButton("Save as new version")
        save.setObjectName("primary")
        save.setAccessibleName("Save the strategic context")
        save.clicked.connect(self.save_context)
        propose = QPushButton("Propose from my mail")
        propose.setAccessibleName("Propose a strategic context from your mail")
        propose.clicked.connect(self.propose_context)
        row.addWidget(self.context_version, 1)
        row.addWidget(propose)
        row.addWidget(save)
        layout.addLayout(row)
        return tab

    def _memory_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        hint = QLabel("Facts Reflex keeps in mind when they matter to a question (your EA, when the board meets). "
                      "Say “remember that …” in Chat, or add and edit them here.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.memory_list = QListWidget()
        self.memory_list.setAccessibleName("Remembered facts")
        self.memory_list.currentItemChanged.connect(
            lambda item, _: self.memory_text.setText(item.text() if item is not None else ""))
        layout.addWidget(self.memory_list, 1)
        self.memory_text = QLineEdit()
        self.memory_text.setAccessibleName("Fact to remember")
        self.memory_text.setPlaceholderText("e.g. My EA is Jane Park")
        layout.addWidget(self.memory_text)
        layout.addLayout(_button_row((("Add", "Add this fact", self.add_memory),
                                      ("Save changes", "Save the edited fact", self.update_memory),
                                      ("Forget", "Forget the selected fact", self.forget_memory))))
        return tab

    def _privacy_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        s = self.services.settings
        self.retention: dict[str, QSpinBox] = {}
        for field, label in (("retention_days_audio", "Delete meeting audio after (days)"),
                             ("retention_days_transcripts", "Delete transcripts after (days)"),
                             ("retention_days_mail", "Delete mail bodies after (days)"),
                             ("retention_days_chat", "Delete chat history after (days)"),
                             ("retention_days_logs", "Keep logs for (days)")):
            spin = QSpinBox()
            spin.setRange(1 if field == "retention_days_logs" else 0, 3650)
            if field != "retention_days_logs":
                spin.setSpecialValueText("keep")
            spin.setValue(getattr(s, field))
            spin.setAccessibleName(label)
            spin.valueChanged.connect(lambda v, f=field: self._save(**{f: v}))
            self.retention[field] = spin
            form.addRow(label, spin)
        self.drop_audio = QCheckBox("Delete a meeting's recording once it is transcribed (the transcript stays)")
        self.drop_audio.setAccessibleName("Delete recordings after transcription")
        self.drop_audio.setChecked(s.drop_audio_after_transcription)
        self.drop_audio.clicked.connect(lambda on: self._save(drop_audio_after_transcription=on))
        form.addRow("", self.drop_audio)
        layout.addLayout(form)
        self.person_views = QCheckBox("Allow per-person team pulse views (otherwise only team aggregates of 3+ people)")
        self.person_views.setAccessibleName("Allow per-person team pulse views")
        self.person_views.setToolTip("An explicit opt-in, recorded in the audit log. Emotions are never read from "
                                     "voice; the pulse uses written text and timestamps only.")
        self.person_views.clicked.connect(self._person_views_changed)
        layout.addWidget(self.person_views)
        title = QLabel("Audit log (what left this computer or changed: kinds and counts, never content)")
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        self.audit_table = data_table(["When", "Action", "Target", "Detail"])
        self.audit_table.setAccessibleName("Audit log")
        layout.addWidget(self.audit_table, 1)
        self.export_redacted = QCheckBox("Redact personal details (names, addresses, numbers) in the export")
        self.export_redacted.setAccessibleName("Redact the export")
        layout.addWidget(self.export_redacted)
        layout.addLayout(_button_row((("Export everything…", "Export all my data", self._choose_export_folder),)))
        self.export_bar = QProgressBar()
        self.export_bar.setRange(0, 1000)
        self.export_bar.setAccessibleName("Export progress")
        self.export_cancel = QPushButton("Cancel export")
        self.export_cancel.setAccessibleName("Cancel the export")
        self.export_cancel.clicked.connect(self._cancel_export)
        self.export_row = QWidget()
        row = QHBoxLayout(self.export_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.export_bar, 1)
        row.addWidget(self.export_cancel)
        self.export_row.setVisible(False)
        layout.addWidget(self.export_row)
        hint = QLabel("The export is a plain folder (mail as .eml, calendar as .ics, the rest as JSON/Markdown) and is "
                      "not encrypted. Erase everything with `reflex-assistant wipe` after quitting Reflex.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        return tab

    def _appearance_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.theme = QComboBox()
        for label, value in (("Follow the system", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme.addItem(label, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self.services.settings.theme)))
        self.theme.setAccessibleName("Appearance")
        self.theme.currentIndexChanged.connect(self._theme_picked)
        form.addRow("Appearance", self.theme)
        return tab

    def _shortcuts_tab(self) -> QWidget:
        table = data_table(["Keys", "Action"])
        table.setAccessibleName("Keyboard shortcuts")
        table.setRowCount(len(SHORTCUTS))
        for row, (keys, action) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(action))
        return table

    # -- data -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        services = self.services

        def fetch() -> tuple:
            store = services.store
            return (services.chat_models(), services.chat_model_path(), store.accounts.all(),
                    store.contexts.latest(), store.audit.since(limit=200), services.memory.items(),
                    store.settings.get(PERSON_OPT_IN) is True,
                    usage_report(store, end=services.today()).cloud_spend_per_day)

        self.load(fetch, self._render)

    def _render(self, data: tuple) -> None:
        models, default_path, accounts, context, audit, memories, person_views, spend = data
        today = spend.get(self.services.today().isoformat(), 0.0)
        self.cloud_spend.setText(f"${today:.2f} today, ${sum(spend.values()):.2f} in the last 30 days "
                                 "(estimated from token counts; local answers cost nothing)")
        self.person_views.setChecked(person_views)
        self.models_list.clear()
        for info, measured in models:
            mark = "  ✓ default" if info.path == default_path else ""
            tier = f"  tier: {measured.summary()}" if measured else "  tier: measuring when loaded"
            item = QListWidgetItem(f"{info.summary()}{tier}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, str(info.path))
            self.models_list.addItem(item)
        self.accounts_table.setRowCount(len(accounts))
        for row, a in enumerate(accounts):
            for col, text in enumerate((a.key, a.state, when(a.last_sync_at), a.last_error)):
                self.accounts_table.setItem(row, col, QTableWidgetItem(text))
        self.context_editor.set_value(context)
        self.context_version.setText(f"Current version: {context.version}" if context else "Not set yet.")
        self._render_memory(memories)
        self.audit_table.setRowCount(len(audit))
        for row, e in enumerate(audit):
            detail = ", ".join(f"{k}={v}" for k, v in e.detail.items())
            for col, text in enumerate((when(e.at), e.action, e.target, detail)):
                self.audit_table.setItem(row, col, QTableWidgetItem(text))
        self.loaded.emit()

    def _save(self, **changes: object) -> None:
        try:
            self.services.save_settings(**changes)
        except ValueError as exc:  # pydantic ValidationError
            self.status.setText(f"Not saved: {exc}")
            return
        self.status.setText("Saved.")

    def save_cloud(self) -> None:
        self._save(cloud_enabled=self.cloud_enabled.isChecked(), cloud_provider=self.cloud_provider.currentText(),
                   cloud_model=self.cloud_model.text().strip(), cloud_base_url=self.cloud_base_url.text().strip(),
                   cloud_fallback_on_failure=self.fallback_failure.isChecked(),
                   cloud_fallback_on_overflow=self.fallback_overflow.isChecked())
        key, provider = self.cloud_key.text().strip(), self.cloud_provider.currentText()
        self.cloud_key.clear()
        services = self.services

        def persist() -> None:
            if key:
                services.set_cloud_key(provider, key)
            services.store.audit.add(AuditEntry("settings", target="cloud",
                                                detail={"enabled": services.settings.cloud_enabled,
                                                        "provider": provider, "key_changed": bool(key)}))

        self.load(persist, lambda _: self.status.setText("Cloud settings saved."), kind="cloud", pool=IO)

    def save_context(self) -> None:
        context = self.context_editor.value()
        store = self.services.store
        self.load(lambda: store.contexts.save(context),
                  lambda version: (self.context_version.setText(f"Saved as version {version}."),
                                   self.status.setText(f"Strategic context saved (version {version}).")),
                  kind="context")

    def propose_context(self) -> None:
        """What the mailbox suggests (on the store worker), added to the editor for the user to confirm."""
        store = self.services.store

        def shown(proposal: ContextProposal) -> None:
            reasons = [f"{p.name}: {p.why}" for p in proposal.proposals if p.kind != "own_org"]
            self.context_editor.add_proposal(proposal.context, reasons)
            self.status.setText("Proposed from your mail: review it, then save as a new version.")

        self.load(lambda: propose_context(store), shown, kind="context")

    def _choose_export_folder(self) -> None:
        self._pick("Export everything into…", self.export_everything, folder=True)

    def export_everything(self, folder: str) -> None:
        """Export on the IO pool with progress in the status line; the result names the (unencrypted) folder."""
        services, redacted = self.services, self.export_redacted.isChecked()
        self.status.setText("Exporting…")
        self.export_bar.setValue(0)
        self.export_row.setVisible(True)

        def done(text: str) -> None:
            self.export_row.setVisible(False)
            self.status.setText(text)

        self.tasks.run(lambda task: services.export_everything(folder, redacted=redacted, on_progress=task.progress,
                                                               cancel=task.cancel),
                       kind="SettingsView.export", owner=self, pool=IO,
                       on_progress=lambda f: self.export_bar.setValue(int(f * 1000)),
                       on_success=lambda report: done(
                           f"{report.summary()} Not encrypted: keep it safe or delete it when done."),
                       on_failure=lambda exc: done(human_message(exc)))

    def _cancel_export(self) -> None:
        if self.tasks.cancel_task("SettingsView.export", self):
            self.export_row.setVisible(False)
            self.status.setText("Export cancelled; the partial folder is marked incomplete — delete it.")

    def _person_views_changed(self, allowed: bool) -> None:
        store = self.services.store
        self.load(lambda: set_person_opt_in(store, allowed),
                  lambda _: (self.status.setText("Per-person pulse views " + ("allowed." if allowed else "off.")),
                             self.refresh()), kind="person-views")

    # -- memory ---------------------------------------------------------------------------------------
    def _render_memory(self, items: list) -> None:  # list[engine.assistant.memory.MemoryItem]
        self.memory_list.clear()
        for memory in items:
            item = QListWidgetItem(memory.text)
            item.setData(Qt.ItemDataRole.UserRole, memory.id)
            self.memory_list.addItem(item)
        self.memory_text.clear()

    def _change_memory(self, change: Callable[[], object], done: str) -> None:
        """Run `change` on the store worker, then show the list again; a refused fact (empty, too long) is
        explained in the status line and the text stays for editing."""
        memory = self.services.memory

        def apply() -> list:
            change()
            return memory.items()

        self.load(apply, lambda items: (self._render_memory(items), self.status.setText(done)), kind="memory",
                  on_failure=lambda exc: self.status.setText(human_message(exc)))

    def add_memory(self) -> None:
        text, memory = self.memory_text.text(), self.services.memory
        self._change_memory(lambda: memory.remember(text), "Remembered.")

    def update_memory(self) -> None:
        item = self.memory_list.currentItem()
        if item is None:
            self.status.setText("Pick the fact to change first.")
            return
        memory_id, text, memory = int(item.data(Qt.ItemDataRole.UserRole)), self.memory_text.text(), self.services.memory
        self._change_memory(lambda: memory.update(memory_id, text), "Saved.")

    def forget_memory(self) -> None:
        item = self.memory_list.currentItem()
        if item is None:
            self.status.setText("Pick the fact to forget first.")
            return
        memory_id, memory = int(item.data(Qt.ItemDataRole.UserRole)), self.services.memory
        self._change_memory(lambda: memory.forget(memory_id), "Forgotten.")

    def _choose_model(self) -> None:
        self._pick("Add a GGUF model", self.add_model, name_filter="GGUF models (*.gguf)")

    def add_model(self, path: str) -> None:
        """Validate and add a GGUF file (on the IO pool: it reads the header and checks llama.cpp loads it)."""
        self.status.setText("Checking the model…")
        models = self.services.models
        self.load(lambda: models.add(path), lambda info: (self.status.setText(f"Added {info.title}."),
                                                           self.refresh()), kind="add-model", pool=IO)

    def _set_default_model(self) -> None:
        item = self.models_list.currentItem()
        if item is None:
            return
        path = item.data(Qt.ItemDataRole.UserRole)
        services = self.services

        def apply() -> str:
            info = services.models.set_default(path)
            if services.built("llm_runtime"):
                services.llm_runtime.swap_model(info.path)
            return info.title

        self.load(apply, lambda title: (self.status.setText(f"{title} is now the default model."), self.refresh()),
                  kind="default-model", pool=IO)

    def _choose_google_client(self) -> None:
        self._pick("Your Google OAuth client (client_secret.json)",
                   lambda path: self.connect_account("google", client_secret=path), name_filter="OAuth client (*.json)")

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
            self._choose_google_client()
        elif provider == "microsoft":
            self.connect_account("microsoft")
        else:
            self.status.setText(f"Reconnect {key} with `reflex-assistant {provider} connect`.")

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

    def _theme_picked(self) -> None:
        mode = self.theme.currentData()
        self._save(theme=mode)
        self.theme_changed.emit(mode)


def _button_row(buttons: tuple[tuple[str, str, Callable[[], object]], ...], *,
                lead: QWidget | None = None) -> QHBoxLayout:
    """A row of (text, accessible name, slot) buttons: left-aligned, or after `lead` (a label that stretches)."""
    row = QHBoxLayout()
    if lead is not None:
        row.addWidget(lead, 1)
    for text, name, slot in buttons:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        row.addWidget(button)
    if lead is None:
        row.addStretch(1)
    return row
