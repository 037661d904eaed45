"""Decisions: record a decision (question + options) and read the engine's analysis — options scored against
the strategic goals (criteria weights, alignment per goal), pros/cons, risks, stakeholders, cultural impact, a
recommendation with its confidence and evidence — and keep the journal with review reminders and outcomes.

Analysis runs on the store worker through `AppFacade.decide` (`engine.assistant.decisions.DecisionAnalyst`,
rules only: deterministic and explainable; the local model is not used here).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QSplitter,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from models import Decision
from ui.views.base import View
from ui.views.today import evidence_link
from ui.widgets import SafeTextBrowser, data_table, page_header, plain_to_html


class DecisionsView(View):
    title = "Decisions"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self._decisions: list[Decision] = []
        self._due: set[int] = set()
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("Decisions", "Options scored against your goals, a recommendation with its "
                                                  "confidence, and a journal that reminds you to review."))
        form_box = QWidget()
        form = QFormLayout(form_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.question = QLineEdit()
        self.question.setPlaceholderText("Should we …?")
        self.question.setAccessibleName("Decision question")
        form.addRow("Question", self.question)
        self.options = QPlainTextEdit()
        self.options.setPlaceholderText("One option per line (empty: proceed / not now)")
        self.options.setAccessibleName("Options, one per line")
        self.options.setFixedHeight(64)
        form.addRow("Options", self.options)
        row = QHBoxLayout()
        self.review_days = QSpinBox()
        self.review_days.setRange(1, 365)
        self.review_days.setValue(30)
        self.review_days.setSuffix(" days")
        self.review_days.setAccessibleName("Review after")
        row.addWidget(QLabel("Review after"))
        row.addWidget(self.review_days)
        self.analyze_button = QPushButton("Analyse and record")
        self.analyze_button.setObjectName("primary")
        self.analyze_button.setAccessibleName("Analyse and record the decision")
        self.analyze_button.clicked.connect(self.record)
        row.addWidget(self.analyze_button)
        self.form_status = QLabel("")
        self.form_status.setObjectName("hint")
        row.addWidget(self.form_status, 1)
        form.addRow(row)
        layout.addWidget(form_box)
        self.reviews = QLabel("")
        self.reviews.setObjectName("hint")
        self.reviews.setWordWrap(True)
        self.reviews.setAccessibleName("Review reminders")
        layout.addWidget(self.reviews)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = data_table(["Question", "Recommendation", "Confidence", "Review on", "Outcome"])
        self.table.setAccessibleName("Decisions journal")
        self.table.itemSelectionChanged.connect(self._show)
        split.addWidget(self.table)
        detail = QWidget()
        dlayout = QVBoxLayout(detail)
        dlayout.setContentsMargins(0, 0, 0, 0)
        self.detail = SafeTextBrowser(accessible_name="Decision details")
        self.detail.anchorClicked.connect(lambda url: self.open_target.emit(url.toString()))
        dlayout.addWidget(self.detail, 1)
        outcome_row = QHBoxLayout()
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("What happened? (an outcome note closes the review)")
        self.outcome.setAccessibleName("Outcome note")
        self.outcome_button = QPushButton("Record outcome")
        self.outcome_button.setAccessibleName("Record the outcome")
        self.outcome_button.clicked.connect(self._record_outcome)
        outcome_row.addWidget(self.outcome, 1)
        outcome_row.addWidget(self.outcome_button)
        dlayout.addLayout(outcome_row)
        split.addWidget(detail)
        split.setSizes([220, 420])
        layout.addWidget(split, 1)
        self._set_outcome_enabled(False)

    # -- journal ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.load(self.services.decision_journal, self._render)

    def _render(self, data: tuple[list[Decision], list[int]], select: int | None = None) -> None:
        decisions, due = data
        current = select if select is not None else self._selected_id()
        self._decisions, self._due = decisions, set(due)
        self.table.setRowCount(len(decisions))
        for row, d in enumerate(decisions):
            cells = (d.question, d.recommendation, f"{d.confidence:.0%}",
                     (d.review_on.isoformat() + (" · due" if d.id in self._due else "")) if d.review_on else "",
                     d.outcome.splitlines()[-1] if d.outcome else "open")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(d.rationale)
                self.table.setItem(row, col, item)
            if d.id == current:
                self.table.selectRow(row)
        due_titles = [d.question for d in decisions if d.id in self._due]
        self.reviews.setText(f"Due for review ({len(due_titles)}): " + "; ".join(due_titles) if due_titles
                             else "No decision is due for review.")
        if not decisions:
            self.detail.setHtml("<i>No decisions recorded yet. Ask a question above.</i>")
        self.loaded.emit()

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self._decisions[rows[0].row()].id if rows and rows[0].row() < len(self._decisions) else None

    def _set_outcome_enabled(self, on: bool) -> None:
        self.outcome.setEnabled(on)
        self.outcome_button.setEnabled(on)

    def _show(self) -> None:
        did = self._selected_id()
        d = next((x for x in self._decisions if x.id == did), None)
        self._set_outcome_enabled(d is not None)
        if d is not None:
            self.detail.setHtml(decision_html(d))

    # -- actions ----------------------------------------------------------------------------------------
    def record(self) -> None:
        """Analyse the question and options on the store worker and record the decision."""
        question = self.question.text().strip()
        if not question:
            self.form_status.setText("Write the question first.")
            return
        options = [line.strip() for line in self.options.toPlainText().splitlines() if line.strip()]
        days = self.review_days.value()
        self.analyze_button.setEnabled(False)
        self.form_status.setText("Analysing against your goals…")

        def work() -> tuple[Decision, tuple[list[Decision], list[int]]]:
            decision = self.services.decide(question, options, days)
            return decision, self.services.decision_journal()

        self.load(work, self._recorded, kind="decide", on_failure=self._decide_failed)

    def _recorded(self, data: tuple[Decision, tuple[list[Decision], list[int]]]) -> None:
        decision, journal = data
        self.analyze_button.setEnabled(True)
        self.question.clear()
        self.options.clear()
        self.form_status.setText(f"Recorded: recommend “{decision.recommendation}” ({decision.confidence:.0%}).")
        self._render(journal, select=decision.id)
        self.detail.setHtml(decision_html(decision))
        self._set_outcome_enabled(True)

    def _decide_failed(self, error: BaseException) -> None:
        from ui.tasks import human_message

        self.analyze_button.setEnabled(True)
        self.form_status.setText(human_message(error).splitlines()[0])

    def _record_outcome(self) -> None:
        did, note = self._selected_id(), self.outcome.text().strip()
        if did is None or not note:
            return
        self.outcome.clear()
        self.load(lambda: (self.services.record_outcome(did, note), self.services.decision_journal())[1],
                  lambda journal: self._render(journal, select=did), kind="outcome")


def decision_html(d: Decision) -> str:
    """The full decision record as safe HTML (every value escaped; evidence as reflex:// links)."""
    goals = list(d.criteria)
    head = "".join(f"<th>{plain_to_html(g)}<br><small>weight {d.criteria[g]:.2f}</small></th>" for g in goals)
    rows = "".join(
        f"<tr><td><b>{plain_to_html(o)}</b>{' ✓' if o == d.recommendation else ''}</td>"
        + "".join(f"<td align='center'>{d.alignment.get(o, {}).get(g, 0.0):+.2f}</td>" for g in goals) + "</tr>"
        for o in d.options)
    table = (f"<p><b>Alignment with your goals</b> (share of each goal's words the option names; negative when it "
             f"works against the goal)</p><table border='1' cellpadding='4' cellspacing='0'><tr><th>Option</th>"
             f"{head}</tr>{rows}</table>") if goals else "<p><i>No goals in the strategic context to score against.</i></p>"
    pros_cons = "".join(
        f"<li><b>{plain_to_html(o)}</b><ul>"
        + "".join(f"<li>+ {plain_to_html(p)}</li>" for p in d.pros.get(o, []))
        + "".join(f"<li>− {plain_to_html(c)}</li>" for c in d.cons.get(o, [])) + "</ul></li>" for o in d.options)
    evidence = "".join(f'<li><a href="{link}">{plain_to_html(e.quote or e.source_type)}</a></li>'
                       for e in d.evidence if (link := evidence_link(e)))

    def bullets(title: str, items: list[str]) -> str:
        return f"<p><b>{title}</b></p><ul>{''.join(f'<li>{plain_to_html(i)}</li>' for i in items)}</ul>" if items else ""

    return (f"<h3>{plain_to_html(d.question)}</h3>"
            f"<p><b>Recommendation</b>: {plain_to_html(d.recommendation)} — confidence {d.confidence:.0%}</p>"
            f"<p><b>Why</b>: {plain_to_html(d.rationale)}</p>{table}"
            + (f"<p><b>Pros and cons</b></p><ul>{pros_cons}</ul>" if pros_cons else "")
            + bullets("Risks", d.risks) + bullets("Stakeholders", d.stakeholders)
            + bullets("Cultural impact", d.cultural_impact)
            + (f"<p><b>Evidence</b></p><ul>{evidence}</ul>" if evidence else "")
            + (f"<p><b>Review on</b> {d.review_on:%d %b %Y}</p>" if d.review_on else "")
            + (f"<p><b>Outcome</b>: {plain_to_html(d.outcome)}</p>" if d.outcome else ""))
