"""Settings > Models > Gallery: curated models with what this computer can run, downloads with progress and
cancel, models on local servers (Ollama, LM Studio, llama-server), and "use as default" for any of them; plus
the first-run offer of the recommended model.

Everything slow (reading the machine, asking local servers, downloading, switching engines) runs on the task
runner's IO pool; this module only renders and reacts. It talks to the narrow `ui.facade.ModelChoices` protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.facade import ModelChoices
from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import secret_field, with_button

DOWNLOAD = "gallery-download"


class GalleryPanel(QWidget):
    """The gallery table, the local servers list and their buttons."""

    changed = Signal()
    """The chat or speech model in use changed, or a model was downloaded (the Models tab re-reads its list)."""
    loaded = Signal()
    """The gallery and the server list are on screen (tests wait on it)."""

    def __init__(self, *, choices: ModelChoices, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices, self.tasks = choices, tasks
        self._items: list[Any] = []
        self._servers: list[Any] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Gallery: models to download, checked against this computer. "
                                "★ recommended · ~ slow here · ✗ does not fit."))
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Model", "Size", "Licence", "On this computer", ""])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Model gallery")
        layout.addWidget(self.table, 2)
        row = QHBoxLayout()
        self.download_button = QPushButton("Download")
        self.download_button.setAccessibleName("Download the selected model")
        self.download_button.clicked.connect(self.download_selected)
        self.cancel_button = QPushButton("Stop")
        self.cancel_button.setAccessibleName("Stop the download")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.use_button = QPushButton("Use as default")
        self.use_button.setAccessibleName("Use the selected downloaded model")
        self.use_button.clicked.connect(self.use_selected)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setVisible(False)
        for w in (self.download_button, self.cancel_button, self.use_button):
            row.addWidget(w)
        row.addWidget(self.progress, 1)
        layout.addLayout(row)
        self.hub_token = secret_field("Hugging Face token, for gated models (kept in the OS keyring)",
                                      "Hugging Face token")
        self.hub_token.returnPressed.connect(self.save_hub_token)
        layout.addLayout(with_button(self.hub_token, "Keep token", "Keep the Hugging Face token",
                                     self.save_hub_token))
        layout.addWidget(QLabel("Local model servers on this computer (Ollama, LM Studio, llama-server):"))
        self.servers = QListWidget()
        self.servers.setAccessibleName("Models on local servers")
        layout.addWidget(self.servers, 1)
        srow = QHBoxLayout()
        self.use_server_button = QPushButton("Use as default")
        self.use_server_button.setAccessibleName("Use the selected server model")
        self.use_server_button.clicked.connect(self.use_selected_server)
        rescan = QPushButton("Look again")
        rescan.setAccessibleName("Look for local servers again")
        rescan.clicked.connect(self.refresh)
        srow.addWidget(self.use_server_button)
        srow.addWidget(rescan)
        srow.addStretch(1)
        layout.addLayout(srow)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    def save_hub_token(self) -> None:
        """Keep the typed token in the OS keyring ("" forgets it); the field is cleared at once."""
        token, choices = self.hub_token.text().strip(), self.choices
        self.hub_token.clear()
        self.tasks.run(lambda: choices.save_hub_token(token), kind="hub-token", owner=self, pool=IO,
                       on_success=lambda _: self.status.setText("Hugging Face token kept in the OS keyring; gated "
                                                                "models can be downloaded." if token else
                                                                "Hugging Face token forgotten."),
                       on_failure=lambda exc: self.status.setText(human_message(exc)))

    # -- data -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        choices = self.choices
        def fetch() -> tuple[list[Any], list[tuple[Any, Any]]]:
            servers = choices.local_servers()
            return choices.gallery_items(), [(m, choices.capability_of(m.capability_id)) for m in servers]

        self.tasks.run(fetch, kind="gallery", owner=self, pool=IO, on_success=self._render)

    def _render(self, data: tuple[list[Any], list[tuple[Any, Any]]]) -> None:
        self._items, measured = data
        self._servers = [server for server, _ in measured]
        marks = {"recommended": "★ ", "slow": "~ ", "too-big": "✗ ", "no-disk": "✗ "}
        self.table.setRowCount(len(self._items))
        for row, item in enumerate(self._items):
            entry, verdict = item.entry, item.verdict
            cells = (f"{marks.get(verdict.status, '')}{entry.title}", f"{entry.size_mb / 1000:.1f} GB", entry.licence,
                     f"{verdict.status}: {verdict.reason}", "downloaded" if item.installed else "")
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.servers.clear()
        for server, result in measured:
            tier = f"tier: {result.summary()}" if result else "tier: measured once it is in use"
            entry = QListWidgetItem(f"{server.id}  ({server.base_url})  {tier}")
            entry.setData(Qt.ItemDataRole.UserRole, server.id)
            self.servers.addItem(entry)
        if not self._servers:
            self.servers.addItem(QListWidgetItem("No local server answered. Start Ollama or LM Studio, then "
                                                 "Look again."))
        self.loaded.emit()

    def select(self, name: str) -> None:
        """Select the gallery row of model `name` (the first-run offer uses it)."""
        for row, item in enumerate(self._items):
            if item.entry.name == name:
                self.table.selectRow(row)

    def _selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows else None

    # -- actions ----------------------------------------------------------------------------------------
    def download_selected(self) -> None:
        item = self._selected()
        if item is None:
            self.status.setText("Choose a model in the gallery first.")
            return
        if not item.verdict.usable:
            self.status.setText(f"{item.entry.title} does not fit this computer: {item.verdict.reason}.")
            return
        name, choices = item.entry.name, self.choices
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.download_button.setEnabled(False)
        self.status.setText(f"Downloading {item.entry.title} ({item.entry.size_mb / 1000:.1f} GB)…")
        self.tasks.run(lambda task: choices.download_model(name, on_progress=task.progress, cancel=task.cancel),
                       kind=DOWNLOAD, owner=self, pool=IO, on_success=self._downloaded,
                       on_failure=self._download_failed,
                       on_progress=lambda f: self.progress.setValue(int(f * 1000)))

    def cancel_download(self) -> None:
        if self.tasks.cancel_task(DOWNLOAD, owner=self):
            self._download_ended("Stopped. Download again to continue where it stopped.")

    def _downloaded(self, got: Any) -> None:
        kind = "chat" if got.entry.kind == "chat" else "speech"
        self._download_ended(f"{got.entry.title} is ready and verified"
                             + (" — its capability is being measured in the background." if kind == "chat" else ".")
                             + " Select it and press Use as default.")
        self.changed.emit()
        self.refresh()

    def _download_failed(self, error: BaseException) -> None:
        self._download_ended(human_message(error))

    def _download_ended(self, message: str) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.download_button.setEnabled(True)
        self.status.setText(message)

    def use_selected(self) -> None:
        item = self._selected()
        if item is None or item.installed is None:
            self.status.setText("Download the model first, then make it the default.")
            return
        path, choices = str(item.installed), self.choices
        use = (lambda: choices.use_chat_model(path)) if item.entry.kind == "chat" else (
            lambda: choices.set_model("speech", path))
        self._switch(use)

    def use_selected_server(self) -> None:
        current = self.servers.currentItem()
        ident = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        if not ident:
            self.status.setText("Choose a model on a local server first.")
            return
        choices = self.choices
        self._switch(lambda: choices.use_chat_model(ident))

    def _switch(self, use: Callable[[], str]) -> None:
        self.status.setText("Switching…")
        self.tasks.run(use, kind="gallery-use", owner=self, pool=IO,
                       on_success=lambda name: (self.status.setText(f"{name} is now in use (no restart needed)."),
                                                self.changed.emit()),
                       on_failure=lambda error: self.status.setText(human_message(error)))


class ModelOffer(QWidget):
    """The first-run offer of the recommended model, shown once the app is usable (after the demo loaded).
    "Not now" is remembered by the app; "Download" hands the model's name to whoever shows the gallery."""

    accepted = Signal(str)
    """The user wants the offered model downloaded (its gallery name)."""
    dismissed = Signal()
    """The user said "Not now" (the app remembers it and does not offer again)."""

    def __init__(self, item: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = item.entry.name
        layout = QHBoxLayout(self)
        minutes = max(1, round(item.verdict.download_minutes))
        self.text = QLabel(f"A better model fits this computer: {item.entry.title} "
                           f"({item.entry.size_mb / 1000:.1f} GB, about {minutes} min to download on a fast "
                           f"connection; {item.entry.licence}). Answers stay on this computer.")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        get = QPushButton("Download")
        get.setAccessibleName("Download the recommended model")
        get.clicked.connect(lambda: self.accepted.emit(self.name))
        later = QPushButton("Not now")
        later.setAccessibleName("Not now")
        later.clicked.connect(self.dismissed.emit)
        layout.addWidget(get)
        layout.addWidget(later)
