"""Search everything (`reflex-assistant search` in the app): words or a question over mail, calendar, meetings,
documents, notes and Asana tasks, narrowed by kind and age; a result opens its source in Reflex.

The search (keyword + local embeddings, fused) runs on the IO pool through `AppFacade.search`; a new query
replaces the one still running. Opened from Chat ("Search…") and with Ctrl+F there. GUI thread only.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from ui.facade import AppFacade
from ui.tasks import IO, TaskRunner, human_message
from ui.widgets import status_label

__all__ = ["SearchDialog"]

KINDS = (("Everything", ()), ("Mail", ("email",)), ("Calendar", ("event",)), ("Meetings", ("meeting",)),
         ("Documents", ("doc",)), ("Notes", ("note",)), ("Tasks", ("task",)))
AGES = (("Any time", 0), ("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90))


class SearchDialog(QDialog):
    searched = Signal(int)
    """Results of a search are shown (their number)."""
    open_target = Signal(str)
    """A `reflex://…` link of the result the user opened (the main window opens it)."""

    def __init__(self, *, services: AppFacade, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._tasks = services, tasks
        self.setWindowTitle("Search your data")
        self.setAccessibleName("Search your data")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setPlaceholderText("Words or a question, e.g. renewal, Harborview order form")
        self.query.setAccessibleName("Search for")
        self.query.returnPressed.connect(self.run_search)
        row.addWidget(self.query, 1)
        self.kind = _combo("Kind of source", KINDS)
        self.age = _combo("How far back", AGES)
        row.addWidget(self.kind)
        row.addWidget(self.age)
        button = QPushButton("Search")
        button.setObjectName("primary")
        button.setAccessibleName("Search")
        button.clicked.connect(self.run_search)
        row.addWidget(button)
        layout.addLayout(row)
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._open)
        layout.addWidget(self.results, 1)
        self.status = status_label("Search status")
        layout.addWidget(self.status)
        self.resize(760, 520)

    def run_search(self) -> None:
        text = self.query.text().strip()
        if not text:
            self.status.setText("Type what to look for.")
            return
        days = self.age.currentData()
        since = self._services.today() - timedelta(days=days) if days else None
        types, services = tuple(self.kind.currentData()), self._services
        self.status.setText("Searching…")
        self._tasks.run(lambda: services.search(text, types=types, since=since), kind="search", owner=self, pool=IO,
                        on_success=self._show, on_failure=lambda e: self.status.setText(human_message(e)))

    def _show(self, hits: list[tuple[Any, str]]) -> None:
        self.results.clear()
        for citation, snippet in hits:
            item = QListWidgetItem(f"{citation.label}\n{' '.join(snippet.split())[:220]}")
            item.setData(Qt.ItemDataRole.UserRole, citation.target)
            item.setToolTip(citation.text[:600])
            self.results.addItem(item)
        self.status.setText(f"{len(hits)} result(s). Enter or double-click opens one." if hits else
                            "Nothing found. Try other words, or widen the kind or the time.")
        if hits:
            self.results.setCurrentRow(0)
        self.searched.emit(len(hits))

    def _open(self, item: QListWidgetItem) -> None:
        self.open_target.emit(item.data(Qt.ItemDataRole.UserRole))


def _combo(name: str, choices: tuple[tuple[str, Any], ...]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for label, value in choices:
        combo.addItem(label, value)
    return combo
