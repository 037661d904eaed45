"""Decisions: the journal of decisions with options, recommendation, confidence, rationale and outcome."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTableWidgetItem, QVBoxLayout

from models import Decision
from ui.views.base import View
from ui.widgets import SafeTextBrowser, data_table, page_header, plain_to_html


class DecisionsView(View):
    title = "Decisions"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self._decisions: list[Decision] = []
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("Decisions", "What was decided, why, and when to look at it again."))
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = data_table(["Question", "Recommendation", "Confidence", "Review on", "Outcome"])
        self.table.setAccessibleName("Decisions journal")
        self.table.itemSelectionChanged.connect(self._show)
        split.addWidget(self.table)
        self.detail = SafeTextBrowser(accessible_name="Decision details")
        split.addWidget(self.detail)
        layout.addWidget(split, 1)

    def refresh(self) -> None:
        self.load(self.services.store.decisions.list, self._render)

    def _render(self, decisions: list[Decision]) -> None:
        self._decisions = decisions
        self.table.setRowCount(len(decisions))
        for row, d in enumerate(decisions):
            cells = (d.question, d.recommendation, f"{d.confidence:.0%}",
                     d.review_on.isoformat() if d.review_on else "", d.outcome or "open")
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.detail.setHtml("" if decisions else "<i>No decisions recorded yet.</i>")
        self.loaded.emit()

    def _show(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        d = self._decisions[rows[0].row()]
        criteria = "".join(f"<li>{plain_to_html(k)}: weight {v:g}</li>" for k, v in d.criteria.items())
        options = "".join(f"<li>{plain_to_html(o)}</li>" for o in d.options)
        self.detail.setHtml(
            f"<h3>{plain_to_html(d.question)}</h3><p><b>Options</b></p><ul>{options}</ul>"
            + (f"<p><b>Criteria</b></p><ul>{criteria}</ul>" if criteria else "")
            + f"<p><b>Recommendation</b> ({d.confidence:.0%}): {plain_to_html(d.recommendation)}</p>"
            f"<p><b>Why</b>: {plain_to_html(d.rationale)}</p>"
            + (f"<p><b>Outcome</b>: {plain_to_html(d.outcome)}</p>" if d.outcome else ""))
