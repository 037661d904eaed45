"""Settings > Strategic context and Settings > Memory: the versioned strategic context (proposed from mail on
request) and remembered facts."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from engine.assistant.bootstrap import ContextProposal
from ui.context_editor import proposal_reasons
from ui.tasks import human_message
from ui.widgets import button_row, when


class MemoryTabs:
    """A tab of `SettingsView` (a mixin: it uses the view's `services`, `tasks`, `load`, `status`, `_pick` and
    `_save`)."""

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

    def save_context(self) -> None:
        context = self.context_editor.value()
        services = self.services
        self.load(lambda: services.save_context(context),
                  lambda version: (self.context_version.setText(f"Saved as version {version}."),
                                   self.status.setText(f"Strategic context saved (version {version}).")),
                  kind="context")

    def propose_context(self) -> None:
        """What the mailbox suggests (on the store worker), added to the editor for the user to confirm."""
        services = self.services

        def shown(proposal: ContextProposal) -> None:
            self.context_editor.add_proposal(proposal.context, proposal_reasons(proposal))
            self.status.setText("Proposed from your mail: review it, then save as a new version.")

        self.load(services.propose_context, shown, kind="context")

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
        layout.addLayout(button_row((("Add", "Add this fact", self.add_memory),
                                      ("Save changes", "Save the edited fact", self.update_memory),
                                      ("Forget", "Forget the selected fact", self.forget_memory))))
        return tab

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
