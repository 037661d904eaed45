"""Chat: conversations, streaming answers with Stop, numbered citations that open their source, the model
in use, and pending assistant actions as confirm/reject cards."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSplitter, QVBoxLayout,
    QWidget,
)

from ui.action_card import action_card
from ui.conversation import ConversationSession, render_turns, target_of
from ui.llm_worker import LlmWorker
from ui.search_dialog import SearchDialog
from ui.tasks import IO, human_message
from ui.views.base import View
from ui.widgets import SafeTextBrowser, page_header, when


class ChatView(View):
    title = "Chat"

    action_executed = Signal(str)
    """A confirmed pending action was carried out (what happened, in words)."""

    def __init__(self, *, llm: LlmWorker, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.llm = llm
        self.search_dialog: SearchDialog | None = None
        self.session = ConversationSession(services=self.services, tasks=self.tasks, parent=self)
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("Chat", "Answers come from your own mail, calendar, meetings and documents; "
                                             "click a [n] to open its source."))
        split = QSplitter()
        left = QWidget()
        llayout = QVBoxLayout(left)
        llayout.setContentsMargins(0, 0, 0, 0)
        self.new_button = QPushButton("New chat")
        self.new_button.setAccessibleName("New chat")
        self.new_button.clicked.connect(self.session.new)
        llayout.addWidget(self.new_button)
        self.add_files_button = QPushButton("Add files…")
        self.add_files_button.setAccessibleName("Add documents, mail files or recordings")
        self.add_files_button.setToolTip("PDF, Word, Markdown, text, HTML, .eml/.mbox/.ics and recordings; they are "
                                         "searchable once indexed. You can also drop files onto the window.")
        self.add_files_button.clicked.connect(self._choose_files)
        llayout.addWidget(self.add_files_button)
        self.search_button = QPushButton("Search…")
        self.search_button.setAccessibleName("Search your mail, calendar, meetings, documents and tasks")
        self.search_button.setToolTip("Find sources by words, kind and date (Ctrl+F); a result opens in Reflex.")
        self.search_button.setShortcut(QKeySequence.StandardKey.Find)
        self.search_button.clicked.connect(self.open_search)
        llayout.addWidget(self.search_button)
        self.conversations = QListWidget()
        self.conversations.setAccessibleName("Conversations")
        self.conversations.setMinimumWidth(200)
        self.conversations.setWordWrap(True)  # a long question wraps instead of hiding behind a scroll bar
        self.conversations.itemActivated.connect(self._open_item)
        self.conversations.itemClicked.connect(self._open_item)
        llayout.addWidget(self.conversations, 1)
        split.addWidget(left)

        right = QWidget()
        rlayout = QVBoxLayout(right)
        rlayout.setContentsMargins(0, 0, 0, 0)
        status = QHBoxLayout()
        self.model_label = QLabel("")
        self.model_label.setAccessibleName("Model in use")
        self.model_label.setObjectName("hint")
        status.addWidget(self.model_label, 1)
        self.cloud_button = QPushButton("Ask cloud for this one")
        self.cloud_button.setAccessibleName("Ask a cloud model for this question")
        self.cloud_button.setVisible(False)  # shown only when the user allowed cloud models (Settings > Cloud)
        self.cloud_button.clicked.connect(self.send_to_cloud)
        status.addWidget(self.cloud_button)
        rlayout.addLayout(status)
        self.transcript = SafeTextBrowser(accessible_name="Conversation")
        self.transcript.anchorClicked.connect(self._link)
        rlayout.addWidget(self.transcript, 1)
        self.actions_box = QVBoxLayout()
        rlayout.addLayout(self.actions_box)
        self.action_status = QLabel("")
        self.action_status.setObjectName("hint")
        self.action_status.setWordWrap(True)
        self.action_status.setAccessibleName("Action result")
        rlayout.addWidget(self.action_status)
        ask_row = QHBoxLayout()
        self.input = QLineEdit()
        self.input.setPlaceholderText("Ask about your mail, meetings, calendar or documents…")
        self.input.setAccessibleName("Question")
        self.input.returnPressed.connect(self.send)
        self.send_button = QPushButton("Ask")
        self.send_button.setObjectName("primary")
        self.send_button.setAccessibleName("Ask")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop the answer")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.session.stop)
        QShortcut(QKeySequence("Esc"), self, self.session.stop)
        ask_row.addWidget(self.input, 1)
        ask_row.addWidget(self.send_button)
        ask_row.addWidget(self.stop_button)
        rlayout.addLayout(ask_row)
        split.addWidget(right)
        split.setSizes([240, 760])
        layout.addWidget(split, 1)

        self.session.changed.connect(self._render)
        self.session.streaming_changed.connect(self._streaming)
        self.session.conversation_changed.connect(lambda _cid: self._reload_list())
        llm.load_progress.connect(self._load_progress)
        llm.model_ready.connect(self._model_ready)
        self._show_model()

    def _choose_files(self) -> None:
        dialog = QFileDialog(self, "Add to Reflex")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda paths: self.add_files.emit(list(paths)))
        self.file_dialog = dialog
        dialog.open()

    def open_search(self) -> None:
        """The search dialog (one per page, kept between uses so the last results stay)."""
        if self.search_dialog is None:
            self.search_dialog = SearchDialog(services=self.services, tasks=self.tasks, parent=self)
            self.search_dialog.open_target.connect(self.open_target)
        self.search_dialog.show()
        self.search_dialog.raise_()
        self.search_dialog.query.setFocus()

    # -- data ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        services = self.services
        self.load(lambda: (services.conversations(), services.pending_actions()), self._render_lists)

    def _reload_list(self) -> None:
        services = self.services
        self.load(lambda: (services.conversations(), services.pending_actions()), self._render_lists, kind="list")

    def _render_lists(self, data: tuple[list, list]) -> None:
        conversations, pending = data
        self.conversations.clear()
        for conversation in conversations:
            item = QListWidgetItem(f"{conversation.title}\n{when(conversation.created_at, self.services.tz)}")
            item.setData(Qt.ItemDataRole.UserRole, conversation.id)
            self.conversations.addItem(item)
            if conversation.id == self.session.conversation_id:
                self.conversations.setCurrentItem(item)
        self._render_actions(pending)
        self.loaded.emit()

    def _render_actions(self, actions: list[tuple[int, str, dict, bool]]) -> None:
        while self.actions_box.count():
            widget = self.actions_box.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for action_id, kind, payload, uncertain in actions:
            self.actions_box.addWidget(action_card(action_id, kind, payload, uncertain=uncertain, decide=self._decide))

    def _decide(self, action_id: int, verdict: str) -> None:
        """Reject: mark it rejected. Confirm: carry it out through the engine path that exists
        (`AppFacade.execute_action`; a draft is saved, never sent; the row is claimed first, so a second click
        is refused); if it cannot be done, say why and keep it pending. An uncertain action is settled with
        what the user found. Nothing here runs without the user's click."""
        services = self.services
        if verdict != "confirmed":
            def decide() -> list:
                if verdict == "rejected":
                    services.reject_action(action_id)
                else:
                    services.settle_action(action_id, done=verdict == "was-done")
                return services.pending_actions()

            self.load(decide, self._render_actions, kind="decide")
            return
        if self.tasks.running(f"{type(self).__name__}.execute", self):
            return  # a double click: the first confirmation is still being carried out
        self.action_status.setText("Working on it…")
        self.load(lambda: self.services.execute_action(action_id), self._action_done, kind="execute", pool=IO,
                  on_failure=lambda exc: self.action_status.setText(human_message(exc)))

    def _action_done(self, message: str) -> None:
        self.action_status.setText(message)
        self.action_executed.emit(message)
        self._reload_list()

    # -- conversation ---------------------------------------------------------------------------------
    @Slot()
    def send(self) -> None:
        self._send(allow_cloud=False)

    @Slot()
    def send_to_cloud(self) -> None:
        """The typed question, answered by the cloud model for this once (redacted and audited)."""
        self._send(allow_cloud=True)

    def _send(self, *, allow_cloud: bool) -> None:
        question = self.input.text().strip()
        if question:
            self.input.clear()
            self.session.ask(question, allow_cloud=allow_cloud)

    def open_conversation(self, conversation_id: int) -> None:
        self.session.open(conversation_id)

    def _open_item(self, item: QListWidgetItem) -> None:
        cid = item.data(Qt.ItemDataRole.UserRole)
        if cid != self.session.conversation_id:
            self.session.open(int(cid))

    @Slot()
    def _render(self) -> None:
        bar = self.transcript.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        self.transcript.setHtml(render_turns(self.session.turns))
        if at_end:
            bar.setValue(bar.maximum())

    @Slot(bool)
    def _streaming(self, on: bool) -> None:
        self.stop_button.setEnabled(on)
        if not on:
            self._show_model()

    @Slot(QUrl)
    def _link(self, url: QUrl) -> None:
        target = target_of(self.session.turns, url.toString())
        if target:
            self.open_target.emit(target)

    # -- model indicator ---------------------------------------------------------------------------------
    def _show_model(self) -> None:
        name = self.llm.model_name or self.services.chat_model_path().stem
        state = "ready" if self.llm.loaded else "loads on first question"
        self.model_label.setText(f"Local model · {name} · {state} · nothing leaves this computer")
        self.cloud_button.setVisible(self.services.settings.cloud_enabled)

    @Slot(float)
    def _load_progress(self, fraction: float) -> None:
        self.model_label.setText(f"Loading the local model… {fraction:.0%}")

    @Slot(str)
    def _model_ready(self, _name: str) -> None:
        self._show_model()
