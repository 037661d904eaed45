"""Today: the daily briefing — the agenda with a prep dossier per meeting, mail waiting on the user's reply,
commitments due and opportunities needing attention.

The briefing is built by the engine (`engine.usecases.briefing.build_briefing`, through `AppFacade.briefing`)
on the store worker: the first load of a session refreshes triage, commitments and opportunities (about two
seconds on the demo workspace), Refresh does it again. Times are in the user's zone (`AppFacade.tz`). Every item
links to its source (`reflex://` links the main window opens). Right-click a commitment to mark it done,
change its date or dismiss it (kept across re-scans).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QInputDialog, QLabel, QListWidget, QListWidgetItem, QMenu, QPushButton, QSplitter, QVBoxLayout,
    QWidget,
)

from typing import TYPE_CHECKING

from models import Evidence
from ui.rsvp import InvitationsPanel
from ui.views.base import View
from ui.widgets import SafeTextBrowser, page_header, person_link, plain_to_html, when

if TYPE_CHECKING:  # the engine is imported by the worker that builds the briefing, not at start-up
    from engine.usecases.briefing import Briefing, MeetingBrief

_KIND_LABEL = {"due_today": "due today", "overdue": "overdue", "nudge": "owed to you"}


def evidence_link(e: Evidence) -> str:
    """The `reflex://` link of one piece of evidence ("" when it has no openable source)."""
    kind = {"email": "email", "meeting": "meeting", "segment": "segment", "event": "event", "document": "doc",
            "doc": "doc"}.get(e.source_type)
    return f"reflex://{kind}/{e.source_id}" if kind and e.source_id else ""


class TodayView(View):
    title = "Today"

    briefing_ready = Signal(str, str)
    """title, message — a freshly built briefing, for a desktop notification (the app shows it in the tray)."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - View's keyword-only arguments
        super().__init__(**kwargs)
        self.briefing: Briefing | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.header = page_header("Today", "Your daily briefing")
        top.addWidget(self.header, 1)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setAccessibleName("Briefing status")
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setAccessibleName("Refresh the briefing")
        self.refresh_button.setToolTip("Re-read mail, commitments and deals, then rebuild the briefing")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        split = QSplitter()
        left = QWidget()
        llayout = QVBoxLayout(left)
        llayout.setContentsMargins(0, 0, 0, 0)
        llayout.addWidget(_title("Agenda and prep notes"))
        self.agenda = SafeTextBrowser(accessible_name="Agenda and prep notes")
        self.agenda.anchorClicked.connect(self._link)
        llayout.addWidget(self.agenda, 1)
        split.addWidget(left)
        right = QWidget()
        rlayout = QVBoxLayout(right)
        rlayout.setContentsMargins(0, 0, 0, 0)
        self.invitations = InvitationsPanel(work=self.services.work, tasks=self.tasks)
        rlayout.addWidget(self.invitations)
        self.needs_reply_title, self.needs_reply = _section(rlayout, "Waiting on your reply")
        self.commitments_title, self.commitments = _section(rlayout, "Commitments due")
        self.opportunities_title, self.opportunities = _section(rlayout, "Opportunities needing attention")
        for widget in (self.needs_reply, self.commitments, self.opportunities):
            widget.itemActivated.connect(self._activated)
            widget.itemClicked.connect(self._activated)
        self._commitment_ids: list[int] = []  # per row of `self.commitments`
        self._commitment_people: list[str] = []  # the other side of each row's promise
        self.commitments.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.commitments.customContextMenuRequested.connect(self._commitment_menu)
        split.addWidget(right)
        split.setSizes([620, 420])
        layout.addWidget(split, 1)
        self._announced: str = ""

    def refresh(self) -> None:
        """Rebuild the briefing on the store worker (extractors refreshed first)."""
        self.status.setText("Preparing your briefing…")
        self.refresh_button.setEnabled(False)
        self.load(self.services.briefing, self._render, on_failure=self._failed)
        self.invitations.refresh()

    def _failed(self, error: BaseException) -> None:
        from ui.tasks import human_message

        self.refresh_button.setEnabled(True)
        self.status.setText("")
        self.agenda.setHtml(f"<p><i>{plain_to_html(human_message(error))}</i></p>")

    def _render(self, b: Briefing) -> None:
        tz = self.services.tz
        self.briefing = b
        self.refresh_button.setEnabled(True)
        self.status.setText(f"Updated {when(b.generated_at, tz, with_date=False)}")
        sub = self.header.findChild(QLabel, "pageSubtitle")
        if sub is not None:
            sub.setText(f"{b.day:%A %d %B %Y} · times in {getattr(tz, 'key', None) or tz}")
        self.agenda.setHtml("".join(self._meeting_html(m) for m in b.meetings)
                            or "<p><i>No meetings today.</i></p>")
        self.needs_reply_title.setText(f"Waiting on your reply ({len(b.needs_reply)})")
        _fill(self.needs_reply, [(f"[{r.priority}] {r.sender}: {r.subject}\n{r.reason}", f"reflex://email/{r.message_id}",
                                  f"{r.category} · {when(r.sent_at, tz)}") for r in b.needs_reply],
              "Nothing is waiting on your reply.")
        self.commitments_title.setText(f"Commitments due ({len(b.commitments_due)})")
        _fill(self.commitments, [(f"[{_KIND_LABEL.get(r.kind, r.kind)}"
                                  + (f", {r.days_overdue} d late" if r.days_overdue > 0 else "") + f"] {r.commitment.what}"
                                  + f"\n{r.commitment.owner} → {r.commitment.counterparty}"
                                  + (f" · due {r.commitment.due:%a %d %b}" if r.commitment.due else ""),
                                  _first_link(r.commitment.evidence), "Double-click to open where it was promised")
                                 for r in b.commitments_due], "No commitments due.")
        self._commitment_ids = [r.commitment.id for r in b.commitments_due]
        self._commitment_people = [r.commitment.owner if r.commitment.direction == "owed_to_me"
                                   else r.commitment.counterparty for r in b.commitments_due]
        self.opportunities_title.setText(f"Opportunities needing attention ({len(b.opportunities_at_risk)})")
        _fill(self.opportunities, [(f"{a.opportunity.account}: {a.reason}\n{a.opportunity.kind}, {a.opportunity.stage}"
                                    + (f", {a.opportunity.currency} {a.opportunity.amount:,.0f}"
                                       if a.opportunity.amount else ""),
                                    _first_link(a.opportunity.evidence), a.opportunity.next_step)
                                   for a in b.opportunities_at_risk], "No deals need attention.")
        self.loaded.emit()
        stamp = b.day.isoformat()
        if self._announced != stamp:
            self._announced = stamp
            self.briefing_ready.emit("Your briefing is ready",
                                     f"{len(b.meetings)} meetings, {len(b.needs_reply)} emails waiting on you, "
                                     f"{len(b.commitments_due)} commitments due.")

    def _meeting_html(self, m: MeetingBrief) -> str:
        tz = self.services.tz
        d = m.dossier
        people = "".join(
            f"<li>{_a(person_link(a.email), a.name or a.email)}"
            + (f" <i>({plain_to_html(a.role)})</i>" if a.role else "")
            + (f" — {_a(_first_link(a.recent_threads[0].evidence), a.recent_threads[0].title)}" if a.recent_threads else "")
            + "</li>" for a in d.attendees[:8])
        items = [*d.decisions[:3], *d.open_actions[:4], *d.opportunities[:2], *d.related[:3]]
        notes = "".join(f"<li><b>{plain_to_html(i.kind)}</b>: {_a(_first_link(i.evidence), i.title)}"
                        + (f" <i>{plain_to_html(i.detail)}</i>" if i.detail else "") + "</li>" for i in items)
        return (f"<h3>{when(m.start, tz, with_date=False)}–{when(m.end, tz, with_date=False)} "
                f"{_a(f'reflex://event/{m.event_id}' if m.event_id else '', m.title)}</h3>"
                + (f"<p>Last time: {plain_to_html(d.last_meeting)}</p>" if d.last_meeting else "")
                + (f"<p><b>Who</b></p><ul>{people}</ul>" if people else "")
                + (f"<p><b>Prep notes</b></p><ul>{notes}</ul>" if notes else "<p><i>No prep notes found.</i></p>"))

    def _link(self, url: QUrl) -> None:
        self.open_target.emit(url.toString())

    # -- corrections (kept across re-scans, audited, learned: engine.insights.corrections) --------------------
    def _commitment_menu(self, pos) -> None:  # noqa: ANN001 - QPoint
        row = self.commitments.row(self.commitments.itemAt(pos)) if self.commitments.itemAt(pos) else -1
        if not 0 <= row < len(self._commitment_ids):
            return
        menu = QMenu(self)
        menu.addAction("Propose a meeting about it…", lambda: self.propose_meeting(row))
        if who := self._commitment_people[row]:
            menu.addAction(f"Open {who}'s dossier", lambda: self.open_target.emit(person_link(who)))
        menu.addAction("Mark done", lambda: self.correct_commitment(row, "done"))
        menu.addAction("Change due date…", lambda: (d := _ask_date(self)) and self.correct_commitment(row, "redate", due=d))
        menu.addAction("Dismiss (not a commitment)", lambda: self.correct_commitment(row, "dismiss"))
        menu.exec(self.commitments.viewport().mapToGlobal(pos))

    def propose_meeting(self, row: int) -> None:
        """Open the scheduling dialog with the other side of commitments row `row`."""
        from ui.scheduling_dialog import SchedulingDialog

        self.scheduling = SchedulingDialog(work=self.services.work, tasks=self.tasks, origin="commitment",
                                           ref=str(self._commitment_ids[row]), parent=self)
        self.scheduling.open()

    def correct_commitment(self, row: int, action: str, *, due: date | None = None) -> None:
        """Apply the user's correction to commitments row `row` on the store worker, then rebuild the day."""
        cid = self._commitment_ids[row]
        fix = self.services.corrections
        work = {"done": lambda: fix.commitment_done(cid), "dismiss": lambda: fix.commitment_dismiss(cid),
                "redate": lambda: fix.commitment_redate(cid, due)}[action]
        self.load(work, lambda _: self.refresh(), kind="correct")

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.open_target.emit(target)


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def _section(layout: QVBoxLayout, title: str) -> tuple[QLabel, QListWidget]:
    label = _title(title)
    layout.addWidget(label)
    widget = QListWidget()
    widget.setAccessibleName(title)
    widget.setWordWrap(True)
    widget.setSpacing(3)
    widget.setAlternatingRowColors(True)
    layout.addWidget(widget, 1)
    return label, widget


def _first_link(evidence: list[Evidence]) -> str:
    return next((link for e in evidence if (link := evidence_link(e))), "")


def _a(href: str, text: str) -> str:
    return f'<a href="{href}">{plain_to_html(text)}</a>' if href else plain_to_html(text)


def _ask_date(parent: QWidget) -> date | None:
    text, ok = QInputDialog.getText(parent, "Change due date", "New due date (YYYY-MM-DD):")
    try:
        return date.fromisoformat(text.strip()) if ok and text.strip() else None
    except ValueError:
        return None


def _fill(widget: QListWidget, rows: list[tuple[str, str, str]], empty: str) -> None:
    widget.clear()
    for text, target, tip in rows:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, target)
        item.setToolTip(tip)
        widget.addItem(item)
    if not rows:
        item = QListWidgetItem(empty)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        widget.addItem(item)

