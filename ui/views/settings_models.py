"""Settings > Models: local chat models (GGUF) and the gallery, threads, the watched folder, the speech and
embedding models."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QListWidget, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from ui.tasks import IO, human_message
from ui.widgets import button_row


class ModelsTab:
    """A tab of `SettingsView` (a mixin: it uses the view's `services`, `tasks`, `load`, `status`, `_pick` and
    `_save`)."""

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
        remove = QPushButton("Remove from the list")
        remove.setAccessibleName("Remove the selected model from the list")
        remove.setToolTip("Reflex forgets the model; the file stays where it is. The bundled model stays.")
        remove.clicked.connect(self.remove_model)
        row.addWidget(add)
        row.addWidget(default)
        row.addWidget(remove)
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
        form.addRow("Watched folder", button_row((
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

    def _choose_model(self) -> None:
        self._pick("Add a GGUF model", self.add_model, name_filter="GGUF models (*.gguf)")

    def add_model(self, path: str) -> None:
        """Validate and add a GGUF file (on the IO pool: it reads the header and checks llama.cpp loads it)."""
        self.status.setText("Checking the model…")
        services = self.services
        self.load(lambda: services.add_chat_model(path), lambda info: (self.status.setText(f"Added {info.title}."),
                                                           self.refresh()), kind="add-model", pool=IO)

    def remove_model(self) -> None:
        """Forget the selected model (IO pool: the default may be swapped back to the bundled one)."""
        item = self.models_list.currentItem()
        if item is None:
            self.status.setText("Select a model to remove.")
            return
        path, services = item.data(Qt.ItemDataRole.UserRole), self.services
        self.load(lambda: services.remove_chat_model(path),
                  lambda info: (self.status.setText(f"Removed {info.title} from the list; the file is untouched."),
                                self.refresh()),
                  kind="remove-model", pool=IO, on_failure=lambda exc: self.status.setText(human_message(exc)))

    def _set_default_model(self) -> None:
        item = self.models_list.currentItem()
        if item is None:
            return
        path = item.data(Qt.ItemDataRole.UserRole)
        services = self.services

        def apply() -> str:
            return services.make_default_model(path).title

        self.load(apply, lambda title: (self.status.setText(f"{title} is now the default model."), self.refresh()),
                  kind="default-model", pool=IO)
