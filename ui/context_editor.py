"""Editor for the executive's strategic context (values, goals/OKRs, priorities, key accounts, team).

Used by Settings and the first-run wizard. Pure widget: `value()` / `set_value()`; saving (a new immutable
version in the store) is the caller's job, on the store worker.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QTableWidget, QTableWidgetItem, QWidget

from models import StrategicContext, TeamMember

_TEAM_COLUMNS = ("name", "role", "email", "reports_to", "team")


class StrategicContextEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.values = self._lines("Company values, one per line")
        self.goals = self._lines("Goals and OKRs, one per line")
        self.priorities = self._lines("This quarter's priorities, one per line")
        self.key_accounts = self._lines("Key accounts (companies or people), one per line")
        form.addRow("Values", self.values)
        form.addRow("Goals / OKRs", self.goals)
        form.addRow("Priorities", self.priorities)
        form.addRow("Key accounts", self.key_accounts)
        self.team = QTableWidget(6, len(_TEAM_COLUMNS))
        self.team.setHorizontalHeaderLabels(["Name", "Role", "Email", "Reports to", "Team"])
        self.team.setAccessibleName("Team members")
        self.team.horizontalHeader().setStretchLastSection(True)
        form.addRow("Team", self.team)

    def _lines(self, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(placeholder.split(",")[0])
        edit.setFixedHeight(70)
        return edit

    def value(self) -> StrategicContext:
        team = []
        for row in range(self.team.rowCount()):
            cells = [(self.team.item(row, c).text().strip() if self.team.item(row, c) else "")
                     for c in range(len(_TEAM_COLUMNS))]
            if cells[0]:
                team.append(TeamMember(**dict(zip(_TEAM_COLUMNS, cells))))
        return StrategicContext(values=_split(self.values), goals=_split(self.goals),
                                priorities=_split(self.priorities), key_accounts=_split(self.key_accounts),
                                team=team)

    def set_value(self, context: StrategicContext | None) -> None:
        context = context or StrategicContext()
        self.values.setPlainText("\n".join(context.values))
        self.goals.setPlainText("\n".join(context.goals))
        self.priorities.setPlainText("\n".join(context.priorities))
        self.key_accounts.setPlainText("\n".join(context.key_accounts))
        self.team.setRowCount(max(6, len(context.team) + 2))
        self.team.clearContents()
        for row, member in enumerate(context.team):
            for col, name in enumerate(_TEAM_COLUMNS):
                self.team.setItem(row, col, QTableWidgetItem(getattr(member, name)))

    def is_empty(self) -> bool:
        value = self.value()
        return not (value.values or value.goals or value.priorities or value.key_accounts or value.team)


def _split(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]
