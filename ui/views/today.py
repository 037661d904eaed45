"""Today: the day at a glance — agenda, unread mail, commitments due and opportunities needing attention.

Built from the store's repositories until the assistant engine's daily briefing (with per-meeting prep
notes and triage) lands; each section says what it is, never more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from PySide6.QtWidgets import (
    QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from models import Commitment, Event, Opportunity
from ui.views.base import View
from ui.widgets import page_header, when
from PySide6.QtCore import Qt

_AGENDA_DAYS = 7


@dataclass(slots=True)
class TodayData:
    agenda: list[Event] = field(default_factory=list)
    unread: list = field(default_factory=list)  # MessageSummary
    commitments: list[Commitment] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)


class TodayView(View):
    title = "Today"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - View's keyword-only arguments
        super().__init__(**kwargs)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(page_header("Today", datetime.now().strftime("%A %d %B")), 1)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setAccessibleName("Refresh today")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        grid = QGridLayout()
        self.agenda = self._section(grid, 0, 0, f"Agenda (next {_AGENDA_DAYS} days)")
        self.unread = self._section(grid, 0, 1, "Unread mail")
        self.commitments = self._section(grid, 1, 0, "Commitments due this week")
        self.opportunities = self._section(grid, 1, 1, "Opportunities")
        layout.addLayout(grid, 1)
        for widget in (self.agenda, self.unread, self.commitments, self.opportunities):
            widget.itemActivated.connect(self._activated)

    def _section(self, grid: QGridLayout, row: int, col: int, title: str) -> QListWidget:
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        label = QLabel(title)
        label.setObjectName("sectionTitle")
        inner.addWidget(label)
        widget = QListWidget()
        widget.setAccessibleName(title)
        widget.setWordWrap(True)
        inner.addWidget(widget, 1)
        grid.addWidget(box, row, col)
        return widget

    def refresh(self) -> None:
        store = self.services.store

        def fetch() -> TodayData:
            today = datetime.combine(date.today(), time.min).astimezone()
            return TodayData(
                agenda=store.events.between(today, today + timedelta(days=_AGENDA_DAYS)),
                unread=[m for m in store.messages.recent(limit=200) if not m.is_read][:30],
                commitments=store.commitments.list(status="open", due_before=date.today() + timedelta(days=7)),
                opportunities=store.opportunities.list()[:20],
            )

        self.load(fetch, self._render)

    def _render(self, data: TodayData) -> None:
        _fill(self.agenda, [(f"{when(e.start)}–{when(e.end, with_date=False)}  {e.title}"
                             + (f"  ·  {e.location}" if e.location else ""), f"reflex://event/{e.id}")
                            for e in data.agenda], "Nothing scheduled in the next week.")
        _fill(self.unread, [(f"{m.sender_name or m.sender_email}: {m.subject}\n{m.snippet[:120]}",
                             f"reflex://email/{m.id}") for m in data.unread], "No unread mail.")
        _fill(self.commitments, [(f"{c.what} — {c.counterparty}" + (f" (due {c.due:%d %b})" if c.due else ""), "")
                                 for c in data.commitments], "No open commitments due this week.")
        _fill(self.opportunities, [(f"{o.account}: {o.kind}, {o.stage}"
                                    + (f", {o.amount:,.0f} {o.currency}" if o.amount else "")
                                    + (f"\nNext: {o.next_step}" if o.next_step else ""), "")
                                   for o in data.opportunities], "No opportunities tracked yet.")
        self.loaded.emit()

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.open_target.emit(target)


def _fill(widget: QListWidget, rows: list[tuple[str, str]], empty: str) -> None:
    widget.clear()
    for text, target in rows:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, target)
        widget.addItem(item)
    if not rows:
        item = QListWidgetItem(empty)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        widget.addItem(item)
