"""Small shared widgets and formatting helpers for the views (no engine access here)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any, Callable
from urllib.parse import quote

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QProgressBar, QPushButton,
    QTableWidget, QTextBrowser, QVBoxLayout, QWidget,
)

_CITATION = re.compile(r"\[(\d{1,2})\]")


class SafeTextBrowser(QTextBrowser):
    """A read-only text view that never fetches anything: remote images and other resources resolve to
    nothing (privacy: a tracking pixel must not phone home), and links are handed to the owner through
    `anchorClicked` instead of being followed."""

    def __init__(self, parent: QWidget | None = None, *, accessible_name: str = "") -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        if accessible_name:
            self.setAccessibleName(accessible_name)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802 - Qt override
        return None


def page_header(title: str, subtitle: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 6)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    heading.setAccessibleName(f"{title} heading")
    layout.addWidget(heading)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setObjectName("pageSubtitle")
        sub.setWordWrap(True)
        layout.addWidget(sub)
    return box


def _styled_label(text: str, style: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setObjectName(style)  # the theme's stylesheet styles labels by object name
    label.setWordWrap(wrap)
    return label


def when(value: datetime | str | None, tz: tzinfo | None = None, *, with_date: bool = True) -> str:
    """Short time in `tz` (the user's zone, `AppFacade.tz`; None = this computer's): '14:30' or 'Mon 03 Mar 14:30'."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(tz)
    return value.strftime("%a %d %b %H:%M" if with_date else "%H:%M")


def mmss(seconds: float) -> str:
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def plain_to_html(text: str) -> str:
    """Escape `text` for a QTextBrowser, keeping line breaks."""
    return html.escape(text).replace("\n", "<br>")


def person_link(who: str) -> str:
    """The link that opens someone's dossier (the People page) from anywhere: an address, or a name."""
    return f"reflex://person/{quote(who, safe='@')}"


def link_citations(text: str, known: set[int]) -> str:
    """Escaped HTML of an answer where each [n] with a known source becomes a `cite:n` link."""
    escaped = plain_to_html(text)
    return _CITATION.sub(lambda m: f'<a href="cite:{m.group(1)}">[{m.group(1)}]</a>'
                         if int(m.group(1)) in known else m.group(0), escaped)



def data_table(headers: list[str]) -> QTableWidget:
    """A read-only, row-selecting table with stretched columns."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    return table


def save_or_say(save: Callable[..., None], status: QLabel, ok_text: str = "", **changes: object) -> bool:
    """Save settings `changes` through `save` (the facade's `save_settings`); a refused value (ValueError from the
    typed Settings) is said in `status` and nothing is saved. Returns whether it was saved."""
    try:
        save(**changes)
    except ValueError as exc:
        status.setText(f"Not saved: {exc}")
        return False
    if ok_text:
        status.setText(ok_text)
    return True


def button_row(buttons: tuple[tuple[str, str, Callable[[], object]], ...], *,
                lead: QWidget | None = None) -> QHBoxLayout:
    """A row of (text, accessible name, slot) buttons: left-aligned, or after `lead` (a label that stretches)."""
    row = QHBoxLayout()
    if lead is not None:
        row.addWidget(lead, 1)
    for text, name, slot in buttons:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        row.addWidget(button)
    if lead is None:
        row.addStretch(1)
    return row


def section_title(text: str) -> QLabel:
    return _styled_label(text, "sectionTitle", wrap=False)


def hint_label(text: str) -> QLabel:
    """A wrapped, muted explanation under a form."""
    return _styled_label(text, "hint")


def secret_field(placeholder: str, name: str) -> QLineEdit:
    """A password-echo field for a secret the user types (callers clear it once used)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setAccessibleName(name)
    return edit


def with_button(field: QWidget, text: str, name: str, slot: Callable[[], object]) -> QHBoxLayout:
    """`field` stretched, then one button (e.g. a path and its "Choose…")."""
    row = QHBoxLayout()
    row.addWidget(field, 1)
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.clicked.connect(slot)
    row.addWidget(button)
    return row


def cancellable_progress(name: str, cancel_name: str, on_cancel: Callable[[], object]) -> tuple[QWidget, QProgressBar]:
    """A hidden row of a 0..1000 progress bar and a Cancel button; returns (row, bar). Show the row while busy."""
    bar = QProgressBar()
    bar.setRange(0, 1000)
    bar.setAccessibleName(name)
    row_widget = QWidget()
    row = QHBoxLayout(row_widget)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(bar, 1)
    cancel = QPushButton("Cancel")
    cancel.setAccessibleName(cancel_name)
    cancel.clicked.connect(on_cancel)
    row.addWidget(cancel)
    row_widget.setVisible(False)
    return row_widget, bar


def status_label(name: str) -> QLabel:
    """An empty, wrapped label where a panel says what happened (`name` is what screen readers announce)."""
    label = QLabel("")
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


class ChoiceList(QListWidget):
    """A checkable list of choices (objects with `id`, `name`, `kind`, `picked`): what to sync."""

    MARK = {"channel": "#", "private": "🔒 ", "dm": "@", "group_dm": "@@"}

    def set_choices(self, choices: list[Any]) -> None:
        self.clear()
        for choice in choices:
            item = QListWidgetItem(f"{self.MARK.get(choice.kind, '')}{choice.name or choice.id}")
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.picked else Qt.CheckState.Unchecked)
            self.addItem(item)

    def ticked(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def tick(self, label: str) -> None:
        """Tick the first item whose text contains `label` (keyboard users: Space does the same)."""
        item = next(self.item(i) for i in range(self.count()) if label in self.item(i).text())
        item.setCheckState(Qt.CheckState.Checked)


def recovery_key_box(recovery: str) -> QMessageBox:
    """A new recovery key (the first run's, or one made in Settings → Privacy), selectable plain text, with what it
    is for (shown once)."""
    box = QMessageBox(QMessageBox.Icon.Information, "Your recovery key",
                      "Write this recovery key down and keep it somewhere safe, away from this computer:\n\n"
                      f"{recovery}\n\nWith it, any backup of your Reflex data opens on a new computer, even if "
                      "this computer's keyring or your passphrase is lost. It is shown only now; you can make a new "
                      "one later (Settings → Privacy, or `reflex-assistant recovery-key`).")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setModal(False)
    return box
