"""Settings: models, accounts, cloud, strategic context, memory, privacy (retention, audit log), appearance,
shortcuts, diagnostics.

Values are validated by the typed `Settings` (pydantic) and written to settings.json through `AppFacade.save_settings`;
secrets (cloud API keys) go to the OS keyring only; the strategic context is saved as a new version.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QLabel, QListWidgetItem, QTableWidgetItem, QTabWidget, QVBoxLayout,
    QWidget,
)

from ui.context_editor import StrategicContextEditor
from ui.views.base import View
from ui.views.diagnostics import DiagnosticsPanel
from ui.views.model_gallery import GalleryPanel
from ui.views.notification_settings import NotificationsPanel
from ui.views.settings_accounts import AccountsTab
from ui.views.settings_memory import MemoryTabs
from ui.views.settings_models import ModelsTab
from ui.views.settings_privacy import PrivacyTabs
from ui.widgets import data_table, page_header, when

SHORTCUTS = (
    ("Ctrl+1 … Ctrl+9", "Today, Inbox, Chat, Meetings, People, Tasks, Insights, Decisions, Settings"),
    ("Ctrl+K", "Quick ask (in the app; also in the tray menu)"),
    ("Ctrl+F", "Search your mail, calendar, meetings, documents and tasks (in Chat)"),
    ("Ctrl+Alt+Space", "Quick ask from any application (change it in Notifications)"),
    ("Ctrl+Shift+R", "Start or stop recording a meeting"),
    ("Esc", "Stop the answer being written / close the quick-ask popup"),
    ("Enter", "Ask"),
    ("Ctrl+Q", "Quit Reflex"),
)


class SettingsView(ModelsTab, AccountsTab, PrivacyTabs, MemoryTabs, View):
    title = "Settings"

    theme_changed = Signal(str)
    """system | light | dark — the user picked an appearance (the app applies it)."""
    store_wiped = Signal()
    """Everything was erased (Settings → Privacy): the app has no store any more and must close."""

    def __init__(self, *, shortcut_problem: Callable[[], str] = lambda: "", **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self._shortcut_problem = shortcut_problem
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
        self.notifications = NotificationsPanel(settings=self.services.settings, save=self._save_quietly,
                                                shortcut_problem=self._shortcut_problem)
        self.tabs.addTab(self.notifications, "Notifications")
        self.tabs.addTab(self._appearance_tab(), "Appearance")
        self.tabs.addTab(self._shortcuts_tab(), "Shortcuts")
        self.diagnostics = DiagnosticsPanel(diagnose=self.services.diagnostics, tasks=self.tasks)
        self.tabs.addTab(self.diagnostics, "Diagnostics")
        layout.addWidget(self.tabs, 1)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setAccessibleName("Settings status")
        layout.addWidget(self.status)

    def _pick(self, title: str, chosen: Callable[[str], None], *, folder: bool = False, name_filter: str = "") -> None:
        """A non-blocking file (or folder) dialog; `chosen(path)` runs when the user picks one."""
        dialog = QFileDialog(self, title, "", name_filter)
        dialog.setFileMode(QFileDialog.FileMode.Directory if folder else QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(chosen)
        self.file_dialog = dialog
        dialog.open()

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

    def refresh(self) -> None:
        services = self.services
        self.backups.refresh()
        self.workspace.refresh()

        def fetch() -> tuple:
            return (services.chat_models(), services.chat_model_path(), services.accounts(),
                    services.strategic_context(), services.audit_entries(limit=200), services.memory.items(),
                    services.person_views_allowed(), services.cloud_spend_per_day())

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

    def _save_quietly(self, **changes: object) -> None:
        """For panels that say the outcome themselves: ValueError propagates to them."""
        self.services.save_settings(**changes)

    def _save(self, **changes: object) -> None:
        try:
            self.services.save_settings(**changes)
        except ValueError as exc:  # pydantic ValidationError
            self.status.setText(f"Not saved: {exc}")
            return
        self.status.setText("Saved.")

    def _theme_picked(self) -> None:
        mode = self.theme.currentData()
        self._save(theme=mode)
        self.theme_changed.emit(mode)
