"""Insights: the revenue pipeline (table + chart), team sentiment and engagement trends, each number with
its explanation. Reads what the insights engine stored (opportunities and insights tables)."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCharts import (
    QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QLineSeries, QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget

from models import Insight, Opportunity
from ui.views.base import View
from ui.widgets import data_table, page_header


class InsightsView(View):
    title = "Insights"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("Insights", "Every number links to the evidence behind it: select a row "
                                                 "to read how it was derived."))
        self.tabs = QTabWidget()
        # Pipeline
        pipeline = QSplitter(Qt.Orientation.Vertical)
        self.pipeline_table = data_table(["Account", "Kind", "Stage", "Amount", "Next step", "Signals"])
        self.pipeline_table.setAccessibleName("Revenue pipeline")
        self.pipeline_table.itemSelectionChanged.connect(self._explain_opportunity)
        pipeline.addWidget(self.pipeline_table)
        self.pipeline_chart = _chart_view("Pipeline by stage")
        pipeline.addWidget(self.pipeline_chart)
        self.tabs.addTab(pipeline, "Pipeline")
        # Team trends
        team = QSplitter(Qt.Orientation.Vertical)
        self.trend_chart = _chart_view("Team sentiment and engagement")
        team.addWidget(self.trend_chart)
        self.trend_table = data_table(["Kind", "Subject", "Period", "Value"])
        self.trend_table.setAccessibleName("Team trends")
        self.trend_table.itemSelectionChanged.connect(self._explain_trend)
        team.addWidget(self.trend_table)
        self.tabs.addTab(team, "Team")
        layout.addWidget(self.tabs, 1)
        self.explanation = QLabel("")
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName("Explanation")
        self.explanation.setObjectName("hint")
        layout.addWidget(self.explanation)
        self._opportunities: list[Opportunity] = []
        self._insights: list[Insight] = []

    def refresh(self) -> None:
        store = self.services.store
        self.load(lambda: (store.opportunities.list(), [i for i in store.insights.list()
                                                         if i.kind in ("sentiment", "engagement")]), self._render)

    def _render(self, data: tuple[list[Opportunity], list[Insight]]) -> None:
        self._opportunities, self._insights = data
        t = self.pipeline_table
        t.setRowCount(len(self._opportunities))
        for row, o in enumerate(self._opportunities):
            amount = f"{o.amount:,.0f} {o.currency}".strip() if o.amount is not None else "—"
            for col, text in enumerate((o.account, o.kind, o.stage, amount, o.next_step, ", ".join(o.signals))):
                t.setItem(row, col, QTableWidgetItem(text))
        self._pipeline_chart()
        t = self.trend_table
        t.setRowCount(len(self._insights))
        for row, i in enumerate(self._insights):
            for col, text in enumerate((i.kind, i.subject, i.period, f"{i.value:+.2f}")):
                t.setItem(row, col, QTableWidgetItem(text))
        self._trend_chart()
        if not self._opportunities and not self._insights:
            self.explanation.setText("No insights yet: they appear once mail and meetings have been analysed.")
        self.loaded.emit()

    def _pipeline_chart(self) -> None:
        by_stage: dict[str, float] = defaultdict(float)
        for o in self._opportunities:
            by_stage[o.stage] += o.amount or 0.0
        chart = _new_chart(self, "Pipeline value by stage")
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
        chart = _new_chart(self, "Team sentiment and engagement by period")
        periods = sorted({i.period for i in self._insights})
        lines: dict[tuple[str, str], QLineSeries] = {}
        for i in self._insights:
            key = (i.kind, i.subject)
            if key not in lines:
                lines[key] = QLineSeries()
                lines[key].setName(f"{i.subject} · {i.kind}")
            lines[key].append(periods.index(i.period), i.value)
        axis_x = QValueAxis()
        axis_x.setRange(0, max(1, len(periods) - 1))
        axis_x.setTickCount(max(2, len(periods)))
        axis_x.setLabelFormat("%d")
        axis_x.setTitleText("period " + (f"({periods[0]} … {periods[-1]})" if periods else ""))
        axis_y = QValueAxis()
        axis_y.setRange(-1, 1)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        for series in lines.values():
            chart.addSeries(series)
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        self.trend_chart.setChart(chart)

    def _explain_opportunity(self) -> None:
        rows = self.pipeline_table.selectionModel().selectedRows()
        if rows:
            o = self._opportunities[rows[0].row()]
            quotes = "; ".join(f"“{e.quote}” ({e.source_type})" for e in o.evidence if e.quote)
            self.explanation.setText(f"{o.account}: stage {o.stage} from signals {', '.join(o.signals) or 'none'}."
                                     + (f" Evidence: {quotes}" if quotes else ""))

    def _explain_trend(self) -> None:
        rows = self.trend_table.selectionModel().selectedRows()
        if rows:
            i = self._insights[rows[0].row()]
            self.explanation.setText(i.explanation or f"{i.kind} for {i.subject} in {i.period}: {i.value:+.2f}")


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
