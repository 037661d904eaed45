"""Settings > Cloud and Settings > Privacy: cloud models (keys in the OS keyring), retention, the audit log,
per-person pulse views, automatic backups, exporting everything and store care (restore, change the key, wipe)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QScrollArea,
    QSpinBox, QVBoxLayout, QWidget,
)

from ui.tasks import IO, human_message
from ui.views.backup_settings import BackupPanel
from ui.views.privacy_care import StoreCarePanel
from ui.widgets import button_row, data_table, when


class PrivacyTabs:
    """A tab of `SettingsView` (a mixin: it uses the view's `services`, `tasks`, `load`, `status`, `_pick` and
    `_save`)."""

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

    def save_cloud(self) -> None:
        self._save(cloud_enabled=self.cloud_enabled.isChecked(), cloud_provider=self.cloud_provider.currentText(),
                   cloud_model=self.cloud_model.text().strip(), cloud_base_url=self.cloud_base_url.text().strip(),
                   cloud_fallback_on_failure=self.fallback_failure.isChecked(),
                   cloud_fallback_on_overflow=self.fallback_overflow.isChecked())
        key, provider = self.cloud_key.text().strip(), self.cloud_provider.currentText()
        self.cloud_key.clear()
        services = self.services

        def persist() -> None:
            services.save_cloud_key(provider, key)

        self.load(persist, lambda _: self.status.setText("Cloud settings saved."), kind="cloud", pool=IO)

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
        title = QLabel("Automatic encrypted backups")
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        care = self.services.care
        self.backups = BackupPanel(settings=s, save=self._save_quietly, tasks=self.tasks, backup_now=care.backup_now,
                                   check_recovery_key=care.check_backup_recovery_key, backup_status=care.backup_status)
        layout.addWidget(self.backups)
        self.export_redacted = QCheckBox("Redact personal details (names, addresses, numbers) in the export")
        self.export_redacted.setAccessibleName("Redact the export")
        layout.addWidget(self.export_redacted)
        layout.addLayout(button_row((("Export everything…", "Export all my data", self._choose_export_folder),)))
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
                      "not encrypted.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.store_care = StoreCarePanel(care=self.services.store_care, tasks=self.tasks)
        self.store_care.store_reopened.connect(self.refresh)
        self.store_care.wiped.connect(self.store_wiped)
        layout.addWidget(self.store_care)
        scroll = QScrollArea()  # taller than a laptop screen once store care is in: scroll, never squeeze
        scroll.setWidgetResizable(True)
        scroll.setWidget(tab)
        return scroll

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
        services = self.services
        self.load(lambda: services.allow_person_views(allowed),
                  lambda _: (self.status.setText("Per-person pulse views " + ("allowed." if allowed else "off.")),
                             self.refresh()), kind="person-views")
