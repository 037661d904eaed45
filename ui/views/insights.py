"""Insights: the revenue pipeline (table + chart) with stale-deal alerts, team pulse trends (chart + weekly
figures + flags) and local usage analytics; every number says how it was derived (tooltip and the
explanation line under the tabs when its row is selected). Right-click a deal to correct it: edit its account,
kind, stage, amount or close date, merge it into another, or dismiss it (kept across re-scans).

Data comes from the engines through `AppFacade.insights` on the store worker: `RevenueIntel` (pipeline, stale),
`TeamPulse` (per team and ISO week; groups under the minimum size are withheld, never shown) and
`usage_report` (local only). Flags and deals link to the mail they came from.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QLineSeries, QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu,
    QSplitter, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from engine.insights.corrections import KINDS, STAGES, OpportunityEdit
from engine.usecases.insights_overview import InsightsData
from ui.views.base import View
from ui.views.today import evidence_link
from ui.widgets import data_table, page_header

_USAGE = (  # metric key, label, how it is counted
    ("questions_asked", "Questions asked", "Questions answered in Chat and quick ask."),
    ("drafts_created", "Drafts created", "Reply and follow-up drafts Reflex wrote."),
    ("drafts_accepted", "Drafts accepted", "Drafts you saved to your mailbox after reviewing them."),
    ("meetings_transcribed", "Meetings transcribed", "Recordings and imports transcribed on this computer."),
    ("model_calls", "Model calls", "Requests to a language model (local or cloud)."),
    ("cloud_spend_usd", "Cloud spend (USD)", "Estimated from provider prices per token; 0 when only the local model ran."),
)


class InsightsView(View):
    title = "Insights"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.data: InsightsData | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("Insights", "Select a row to read how its numbers were derived; double-click "
                                                 "a flag or alert to open the mail behind it."))
        self.tabs = QTabWidget()
        # Pipeline
        pipeline = QSplitter(Qt.Orientation.Vertical)
        self.pipeline_table = data_table(["Account", "Kind", "Stage", "Amount", "Next step", "Last activity"])
        self.pipeline_table.setAccessibleName("Revenue pipeline")
        self.pipeline_table.itemSelectionChanged.connect(self._explain_opportunity)
        self.pipeline_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.pipeline_table.customContextMenuRequested.connect(self._pipeline_menu)
        pipeline.addWidget(self.pipeline_table)
        lower = QSplitter()
        self.pipeline_chart = _chart_view("Pipeline value by stage")
        lower.addWidget(self.pipeline_chart)
        self.stale = _list("Deals needing attention", self._open)
        lower.addWidget(_titled("Deals needing attention", self.stale))
        lower.setSizes([680, 380])
        pipeline.addWidget(lower)
        pipeline.setSizes([260, 380])
        self.tabs.addTab(pipeline, "Pipeline")
        # Team pulse
        team = QSplitter(Qt.Orientation.Vertical)
        self.trend_chart = _chart_view("Team sentiment by week")
        team.addWidget(self.trend_chart)
        bottom = QSplitter()
        self.trend_table = data_table(["Team", "Week", "People", "Sentiment", "Negative", "After hours",
                                       "Meeting h/person"])
        self.trend_table.setAccessibleName("Team pulse by week")
        self.trend_table.itemSelectionChanged.connect(self._explain_trend)
        bottom.addWidget(self.trend_table)
        self.flags = _list("Team flags", self._open)
        bottom.addWidget(_titled("Flags", self.flags))
        bottom.setSizes([640, 420])
        team.addWidget(bottom)
        self.tabs.addTab(team, "Team pulse")
        # Usage
        self.usage_table = data_table(["Measure", "Last 30 days", "How it is counted"])
        self.usage_table.setAccessibleName("Usage analytics")
        self.usage_table.itemSelectionChanged.connect(self._explain_usage)
        self.tabs.addTab(self.usage_table, "Usage")
        layout.addWidget(self.tabs, 1)
        self.explanation = QLabel("")
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName("Explanation")
        self.explanation.setObjectName("hint")
        layout.addWidget(self.explanation)

    def refresh(self) -> None:
        self.load(self.services.insights, self._render)

    def _render(self, data: InsightsData) -> None:
        self.data = data
        tz = self.services.tz
        t = self.pipeline_table
        t.setRowCount(len(data.pipeline))
        for row, o in enumerate(data.pipeline):
            amount = f"{o.currency} {o.amount:,.0f}".strip() if o.amount is not None else "—"
            last = o.updated_at.astimezone(tz).strftime("%d %b") if o.updated_at else "—"
            for col, text in enumerate((o.account, o.kind, o.stage, amount, o.next_step, last)):
                _set(t, row, col, text, _opportunity_text(o))
        self._pipeline_chart()
        self.stale.clear()
        for a in data.stale:
            _add(self.stale, f"{a.opportunity.account}: {a.reason}", _first(a.opportunity.evidence),
                 f"Open deals with no activity for 10+ days, or with risk signals ({', '.join(a.opportunity.risks)})")
        if not data.stale:
            _add(self.stale, "No deal needs attention.", "", "")
        weeks = data.pulse.weeks
        t = self.trend_table
        t.setRowCount(len(weeks))
        for row, w in enumerate(weeks):
            cells = (w.group, w.week, str(w.people), f"{w.sentiment:+.2f}", f"{w.negative_share:.0%}",
                     f"{w.after_hours_share:.0%}", f"{w.meeting_hours_per_person:.1f}")
            for col, text in enumerate(cells):
                _set(t, row, col, text, _week_text(w))
        self._trend_chart()
        self.flags.clear()
        for a in data.pulse.anomalies:
            _add(self.flags, f"{a.week} · {a.detail}", _first(a.evidence),
                 "Evidence: " + "; ".join(e.quote for e in a.evidence if e.quote) if a.evidence else "")
        for s in data.pulse.suppressed:
            _add(self.flags, f"Withheld: {s} (privacy: teams are shown from {data.pulse.min_group_size} people)", "",
                 "")
        self._usage()
        if not data.pipeline and not weeks:
            self.explanation.setText("No insights yet: they appear once mail and meetings have been analysed.")
        self.loaded.emit()

    # -- corrections (kept across re-scans, audited, learned: engine.insights.corrections) --------------------
    def _pipeline_menu(self, pos) -> None:  # noqa: ANN001 - QPoint
        row = self.pipeline_table.rowAt(pos.y())
        if self.data is None or not 0 <= row < len(self.data.pipeline):
            return
        menu = QMenu(self)
        menu.addAction("Edit…", lambda: self._edit_dialog(row))
        others = [o for i, o in enumerate(self.data.pipeline) if i != row]
        if others:
            merge = menu.addMenu("Merge into")
            for o in others:
                merge.addAction(o.account, lambda o=o: self.correct_opportunity(row, "merge", into=o.id))
        menu.addAction("Dismiss (not a deal)", lambda: self.correct_opportunity(row, "dismiss"))
        menu.exec(self.pipeline_table.viewport().mapToGlobal(pos))

    def _edit_dialog(self, row: int) -> None:
        edit = OpportunityDialog.ask(self, self.data.pipeline[row])
        if edit is not None:
            self.correct_opportunity(row, "edit", edit=edit)

    def correct_opportunity(self, row: int, action: str, *, edit: OpportunityEdit | None = None,
                            into: int | None = None) -> None:
        """Apply the user's correction to pipeline row `row` on the store worker, then reload."""
        opp = self.data.pipeline[row]
        fix = self.services.corrections
        work = {"edit": lambda: fix.opportunity_edit(opp.id, edit), "dismiss": lambda: fix.opportunity_dismiss(opp.id),
                "merge": lambda: fix.opportunity_merge(opp.id, into)}[action]
        self.load(work, lambda _: self.refresh(), kind="correct")

    def _usage(self) -> None:
        assert self.data is not None
        u = self.data.usage
        rows = [(label, f"{u.totals.get(key, 0.0):,.2f}" if key == "cloud_spend_usd" else f"{u.totals.get(key, 0.0):.0f}",
                 how) for key, label, how in _USAGE]
        rows.append(("Draft acceptance", f"{u.acceptance_rate:.0%}" if u.acceptance_rate is not None else "—",
                     "Drafts accepted ÷ drafts created."))
        rows.append(("Mean model latency", f"{u.mean_latency_s:.2f} s" if u.mean_latency_s is not None else "—",
                     "Total model seconds ÷ model calls."))
        assumptions = ", ".join(f"{k.replace('_', ' ')} {v:g} min" for k, v in u.assumptions.items())
        rows.append(("Time saved (estimate)", f"{u.time_saved_minutes:.0f} min",
                     f"An estimate, not a measurement: {assumptions}."))
        self.usage_table.setRowCount(len(rows))
        for row, (label, value, how) in enumerate(rows):
            for col, text in enumerate((label, value, how)):
                _set(self.usage_table, row, col, text, f"{label}: {how} {u.start} – {u.end}, kept on this computer only.")

    def _pipeline_chart(self) -> None:
        assert self.data is not None
        by_stage: dict[str, float] = defaultdict(float)
        for o in self.data.pipeline:
            by_stage[o.stage] += o.amount or 0.0
        currencies = {o.currency for o in self.data.pipeline if o.currency}
        chart = _new_chart(self, "Pipeline value by stage" + (f" ({currencies.pop()})" if len(currencies) == 1 else ""))
        series = QBarSeries()
        bars = QBarSet("Value")
        stages = list(by_stage)
        bars.append([by_stage[s] for s in stages])
        series.append(bars)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(stages)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%.0f")
        axis_y.setRange(0, max(by_stage.values(), default=1.0) * 1.1 or 1.0)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setVisible(False)
        self.pipeline_chart.setChart(chart)

    def _trend_chart(self) -> None:
        assert self.data is not None
        weeks = self.data.pulse.weeks
        chart = _new_chart(self, "Mean sentiment per team by ISO week (VADER, −1 … +1)")
        periods = sorted({w.week for w in weeks})
        lines: dict[str, QLineSeries] = {}
        for w in weeks:
            if w.group not in lines:
                lines[w.group] = QLineSeries()
                lines[w.group].setName(w.group)
            lines[w.group].append(periods.index(w.week), w.sentiment)
        axis_x = QBarCategoryAxis()
        axis_x.append(periods or [""])
        axis_y = QValueAxis()
        low = min((w.sentiment for w in weeks), default=0.0)
        high = max((w.sentiment for w in weeks), default=0.0)
        axis_y.setRange(min(-0.2, low - 0.1), max(0.2, high + 0.1))
        axis_y.setLabelFormat("%+.1f")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in lines.values():
            chart.addSeries(series)
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        self.trend_chart.setChart(chart)

    def _explain(self, table: QTableWidget) -> None:
        rows = table.selectionModel().selectedRows()
        if rows:
            item = table.item(rows[0].row(), 0)
            self.explanation.setText(item.toolTip() if item is not None else "")

    def _explain_opportunity(self) -> None:
        self._explain(self.pipeline_table)

    def _explain_trend(self) -> None:
        self._explain(self.trend_table)

    def _explain_usage(self) -> None:
        self._explain(self.usage_table)

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.open_target.emit(target)


class OpportunityDialog(QDialog):
    """Edit an opportunity's account, kind, stage, amount and close date (empty fields are left as they are)."""

    def __init__(self, parent: QWidget, opp) -> None:  # noqa: ANN001 - models.Opportunity
        super().__init__(parent)
        self.setWindowTitle(f"Edit {opp.account}")
        form = QFormLayout(self)
        self.account = QLineEdit(opp.account)
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
        self.kind.setCurrentText(opp.kind)
        self.stage = QComboBox()
        self.stage.addItems(STAGES)
        self.stage.setCurrentText(opp.stage)
        self.amount = QLineEdit("" if opp.amount is None else f"{opp.amount:.0f}")
        self.currency = QLineEdit(opp.currency)
        self.close_date = QLineEdit(opp.close_hint.isoformat() if opp.close_hint else "")
        self.close_date.setPlaceholderText("YYYY-MM-DD")
        for label, widget in (("Account", self.account), ("Kind", self.kind), ("Stage", self.stage),
                              ("Amount", self.amount), ("Currency", self.currency), ("Close date", self.close_date)):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def edit(self) -> OpportunityEdit:
        close = self.close_date.text().strip()
        return OpportunityEdit(account=self.account.text(), kind=self.kind.currentText(),
                               stage=self.stage.currentText(), amount=self.amount.text().strip() or None,
                               currency=self.currency.text().strip() or None,
                               close=date.fromisoformat(close) if close else None)

    @classmethod
    def ask(cls, parent: QWidget, opp) -> OpportunityEdit | None:  # noqa: ANN001
        dialog = cls(parent, opp)
        return dialog.edit() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _opportunity_text(o) -> str:  # noqa: ANN001 - models.Opportunity
    quotes = "; ".join(f"“{e.quote}”" for e in o.evidence[:3] if e.quote)
    amount = (f"Amount {o.currency} {o.amount:,.0f} as written in the mail. " if o.amount is not None
              else "No amount stated yet. ")
    return (f"{o.account} ({o.kind}): stage “{o.stage}” from the latest message with a stage cue. {amount}"
            f"Buying signals: {', '.join(o.signals) or 'none'}. Risks: {', '.join(o.risks) or 'none'}."
            + (f" Evidence: {quotes}" if quotes else ""))


def _week_text(w) -> str:  # noqa: ANN001 - engine.insights.pulse.GroupWeek
    latency = f"median reply {w.latency_h:.1f} h; " if w.latency_h is not None else ""
    return (f"{w.group}, {w.week}: {w.messages} messages by {w.people} people. Sentiment = mean VADER score of the "
            f"new text of each message ({w.sentiment:+.2f}); negative = share below −0.05 ({w.negative_share:.0%}); "
            f"after hours = sent outside working hours in your zone ({w.after_hours_share:.0%}), weekend "
            f"{w.weekend_share:.0%}; {latency}meeting hours per person from the calendar "
            f"({w.meeting_hours_per_person:.1f}). Aggregated per team; no per-person figures.")


def _first(evidence: list) -> str:
    return next((link for e in evidence if (link := evidence_link(e))), "")


def _set(table: QTableWidget, row: int, col: int, text: str, tip: str) -> None:
    item = QTableWidgetItem(text)
    item.setToolTip(tip)
    table.setItem(row, col, item)


def _add(widget: QListWidget, text: str, target: str, tip: str) -> None:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, target)
    item.setToolTip(tip)
    widget.addItem(item)


def _list(name: str, on_open) -> QListWidget:  # noqa: ANN001 - a slot taking the item
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setWordWrap(True)
    widget.itemActivated.connect(on_open)
    return widget


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box


def _chart_view(name: str) -> QChartView:
    view = QChartView()
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setAccessibleName(name)
    view.setMinimumHeight(220)
    return view


def _new_chart(widget: QWidget, title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundBrush(widget.palette().color(QPalette.ColorRole.Base))
    return chart
