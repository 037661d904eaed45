"""People: pick anyone Reflex knows (contacts, the team roster) and read their dossier — who they are, recent
threads, meetings (upcoming and past, recorded ones included), open commitments both ways, deals and your own
notes about them — with "Propose a meeting" from there.

Any name elsewhere opens here through a `reflex://person/<address>` link (`ui.widgets.person_link`; the main
window routes it to `show_person`). Lists and dossiers are read on the store worker; every line links to its source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from ui.views.base import View
from ui.views.today import evidence_link
from ui.widgets import SafeTextBrowser, page_header, plain_to_html, when

if TYPE_CHECKING:
    from engine.assistant.dossier import BriefItem
    from engine.usecases.people import Person, StakeholderDossier

__all__ = ["PeopleView"]


class PeopleView(View):
    title = "People"

    dossier_shown = Signal(str)
    """The address (or the name asked for) whose dossier is on screen."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - View's keyword-only arguments
        super().__init__(**kwargs)
        self.work = self.services.work
        self.dossier: StakeholderDossier | None = None
        self._people: list[Person] = []
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("People", "Everyone Reflex knows from your mail, calendar and team. "
                                               "Pick someone to see what is open between you."))
        split = QSplitter()
        left = QWidget()
        llayout = QVBoxLayout(left)
        llayout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a person by name, address or company")
        self.search.setAccessibleName("Find a person")
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        llayout.addWidget(self.search)
        self.list = QListWidget()
        self.list.setAccessibleName("People")
        self.list.currentItemChanged.connect(self._selected)
        llayout.addWidget(self.list, 1)
        split.addWidget(left)
        right = QWidget()
        rlayout = QVBoxLayout(right)
        rlayout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.name = QLabel("")
        self.name.setObjectName("sectionTitle")
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # names come from mail headers: data, never markup
        self.name.setAccessibleName("Person")
        self.name.setWordWrap(True)
        top.addWidget(self.name, 1)
        self.meet_button = QPushButton("Propose a &meeting…")
        self.meet_button.setAccessibleName("Propose a meeting with this person")
        self.meet_button.setEnabled(False)
        self.meet_button.clicked.connect(self.propose_meeting)
        top.addWidget(self.meet_button)
        rlayout.addLayout(top)
        self.view = SafeTextBrowser(accessible_name="Dossier")
        self.view.anchorClicked.connect(lambda url: self.open_target.emit(url.toString()))
        rlayout.addWidget(self.view, 1)
        split.addWidget(right)
        split.setSizes([300, 700])
        layout.addWidget(split, 1)

    def refresh(self) -> None:
        query = self.search.text()
        self.load(lambda: self.work.people(query), self._render)

    def _render(self, people: list[Person]) -> None:
        self._people = people
        current = self.dossier.card.email if self.dossier else ""
        self.list.blockSignals(True)
        self.list.clear()
        for p in people:
            item = QListWidgetItem(f"{p.name or p.email}\n{p.email}" + (f" · {p.organization}" if p.organization else ""))
            item.setData(Qt.ItemDataRole.UserRole, p.email)
            self.list.addItem(item)
            if p.email == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if not people:
            self.view.setHtml("<p><i>Nobody matches. People appear here from your mail, calendar and the team "
                              "in your strategic context.</i></p>")
        self.loaded.emit()

    def _selected(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_person(str(item.data(Qt.ItemDataRole.UserRole)))

    def show_person(self, who: str) -> None:
        """Show the dossier of `who` (an address or a name)."""
        self.name.setText(who)
        self.load(lambda: self.work.dossier(who), lambda d: self._show(who, d), kind="dossier")

    def _show(self, who: str, d: StakeholderDossier) -> None:
        self.dossier = d
        card = d.card
        self.meet_button.setEnabled(d.found)
        if not d.found:
            self.name.setText(who)
            self.view.setHtml(f"<p><i>Reflex knows nobody called {plain_to_html(who)} yet.</i></p>")
            self.dossier_shown.emit(who)
            return
        about = " · ".join(x for x in (card.role, card.relationship.replace("_", " ")
                                       if card.relationship not in ("", "unknown") else "") if x)
        self.name.setText(f"{card.name or card.email} <{card.email}>" + (f"\n{about}" if about else ""))
        tz = self.work.tz
        meetings = [f'<li>{"<b>next</b> " if m.upcoming else ""}{when(m.start, tz)} — '
                    f'<a href="{m.link}">{plain_to_html(m.title)}</a></li>' for m in d.meetings[:12]]
        self.view.setHtml(
            _section("Open commitments: you owe them", _items(d.i_owe))
            + _section("Open commitments: they owe you", _items(d.they_owe))
            + _section("Meetings", "".join(meetings))
            + _section("Recent threads", _items(d.threads))
            + _section("Deals", _items(d.deals))
            + _section("Your notes", "".join(f"<li>{plain_to_html(n)}</li>" for n in d.notes)))
        self.dossier_shown.emit(card.email)

    def propose_meeting(self) -> None:
        """Open the scheduling dialog for the person on screen."""
        from ui.scheduling_dialog import SchedulingDialog

        if self.dossier is None or not self.dossier.found:
            return
        card = self.dossier.card
        self.scheduling = SchedulingDialog(work=self.work, tasks=self.tasks, origin="person", ref=card.email,
                                           name=card.name, parent=self)
        self.scheduling.open()


def _items(items: list[BriefItem]) -> str:
    out = []
    for i in items:
        link = next((href for e in i.evidence if (href := evidence_link(e))), "")
        text = i.title.split(": ", 1)[-1] if i.kind == "commitment" else i.title  # the heading says who owes whom
        title = f'<a href="{link}">{plain_to_html(text)}</a>' if link else plain_to_html(text)
        detail = f" <i>{plain_to_html(i.detail)}</i>" if i.detail and i.kind != "commitment" else ""
        out.append(f"<li>{title}{detail}</li>")
    return "".join(out)


def _section(title: str, body: str) -> str:
    return f"<h3>{plain_to_html(title)}</h3>" + (f"<ul>{body}</ul>" if body else "<p><i>None.</i></p>")
