"""Tasks: the Asana tasks Reflex syncs (the projects picked in Settings → Accounts), searchable by any word of
their title, notes, project or assignee; double-click opens one in Asana. Tasks are also in the knowledge base
(Chat and quick ask cite them); a cited task (`reflex://task/<id>`) opens here, selected.

Read on the store worker (`WorkPort.tasks`); a search waits for a pause in typing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QTableWidgetItem, QVBoxLayout

from ui.views.base import View
from ui.widgets import data_table, page_header

if TYPE_CHECKING:
    from models.tasks import Task

__all__ = ["TasksView"]


class TasksView(View):
    title = "Tasks"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - View's keyword-only arguments
        super().__init__(**kwargs)
        self.work = self.services.work
        self.shown: list[Task] = []
        self._select_id = 0  # a task to select when the list arrives (a cited source)
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("Tasks", "Your Asana tasks, by due date. Completing one in Asana closes the "
                                              "commitment it tracks."))
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search tasks: title, notes, project or assignee")
        self.search.setAccessibleName("Search tasks")
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        row.addWidget(self.search, 1)
        self.include_done = QCheckBox("Include &completed")
        self.include_done.setAccessibleName("Include completed tasks")
        self.include_done.toggled.connect(self.refresh)
        row.addWidget(self.include_done)
        layout.addLayout(row)
        self.count = QLabel("")
        self.count.setObjectName("hint")
        self.count.setAccessibleName("Task count")
        layout.addWidget(self.count)
        self.table = data_table(["Task", "Due", "Projects", "Assignee", "Status"])
        self.table.setAccessibleName("Tasks")
        self.table.cellActivated.connect(self._open)
        self.table.cellDoubleClicked.connect(self._open)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        query, open_only = self.search.text(), not self.include_done.isChecked()
        self.load(lambda: self.work.tasks(query, open_only=open_only), self._render)

    def select_target(self, kind: str, ident: int, query: dict[str, str]) -> None:
        """Show task `ident` (a cited source): every task listed, its row selected once they arrive."""
        self._select_id = ident
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.include_done.blockSignals(True)
        self.include_done.setChecked(True)
        self.include_done.blockSignals(False)
        self.refresh()

    def _render(self, tasks: list[Task]) -> None:
        self.shown = tasks
        self.table.setRowCount(len(tasks))
        for r, t in enumerate(tasks):
            cells = (t.title, f"{t.due:%a %d %b %Y}" if t.due else "", ", ".join(t.projects),
                     t.assignee_name or t.assignee_email, "done" if t.completed else "open")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(t.notes[:300] if c == 0 and t.notes else text)
                self.table.setItem(r, c, item)
        if tasks:
            self.count.setText(f"{len(tasks)} task(s)" + (" · double-click to open one in Asana" if any(
                t.url for t in tasks) else ""))
        elif self.search.text().strip():
            self.count.setText("No task matches.")
        else:
            self.count.setText("No Asana tasks yet. Connect Asana and pick projects in Settings → Accounts.")
        row = next((r for r, t in enumerate(tasks) if t.id == self._select_id), -1)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollToItem(self.table.item(row, 0))
        self._select_id = 0
        self.loaded.emit()

    def _open(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.shown) and self.shown[row].url.startswith("https://"):
            QDesktopServices.openUrl(QUrl(self.shown[row].url))
