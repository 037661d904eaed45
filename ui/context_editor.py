"""Editor for the executive's strategic context (values, goals/OKRs, priorities, key accounts, board and
investors, vendors, team).

Used by Settings and the first-run wizard. Pure widget: `value()` / `set_value()`; saving (a new immutable
version in the store) is the caller's job, on the store worker. `add_proposal()` adds what Reflex proposes from
the mailbox (engine.assistant.bootstrap) to the fields without removing anything typed, and shows why.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QTableWidget, QTableWidgetItem, QWidget

from engine.assistant.bootstrap import ContextProposal
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
        self.board = self._lines("Board members and investors (names or emails), one per line")
        self.vendors = self._lines("Vendors (organisations that sell to you), one per line")
        form.addRow("Board / investors", self.board)
        form.addRow("Vendors", self.vendors)
        self.team = QTableWidget(6, len(_TEAM_COLUMNS))
        self.team.setHorizontalHeaderLabels(["Name", "Role", "Email", "Reports to", "Team"])
        self.team.setAccessibleName("Team members")
        self.team.horizontalHeader().setStretchLastSection(True)
        form.addRow("Team", self.team)
        self.why = QLabel("")
        self.why.setObjectName("hint")
        self.why.setWordWrap(True)
        form.addRow("", self.why)

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
                                team=team, board=_split(self.board), vendors=_split(self.vendors))

    def set_value(self, context: StrategicContext | None) -> None:
        context = context or StrategicContext()
        self.values.setPlainText("\n".join(context.values))
        self.goals.setPlainText("\n".join(context.goals))
        self.priorities.setPlainText("\n".join(context.priorities))
        self.key_accounts.setPlainText("\n".join(context.key_accounts))
        self.board.setPlainText("\n".join(context.board))
        self.vendors.setPlainText("\n".join(context.vendors))
        self.team.setRowCount(max(6, len(context.team) + 2))
        self.team.clearContents()
        for row, member in enumerate(context.team):
            for col, name in enumerate(_TEAM_COLUMNS):
                self.team.setItem(row, col, QTableWidgetItem(getattr(member, name)))

    def add_proposal(self, proposed: StrategicContext, reasons: list[str]) -> None:
        """Fill in what the mailbox suggests (kept: everything already typed) and say why, one line each."""
        current = self.value()
        self.set_value(StrategicContext(
            values=current.values, goals=current.goals, priorities=current.priorities,
            key_accounts=_union(current.key_accounts, proposed.key_accounts),
            board=_union(current.board, proposed.board), vendors=_union(current.vendors, proposed.vendors),
            team=current.team + [m for m in proposed.team
                                 if m.email.lower() not in {t.email.lower() for t in current.team}]))
        self.why.setText("Proposed from your mail - edit or remove anything, then save:\n" + "\n".join(reasons[:12]))

    def is_empty(self) -> bool:
        value = self.value()
        return not (value.values or value.goals or value.priorities or value.key_accounts or value.team
                    or value.board or value.vendors)


def _split(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


def _union(kept: list[str], added: list[str]) -> list[str]:
    seen = {k.lower() for k in kept}
    return kept + [a for a in added if a.lower() not in seen]


def proposal_reasons(proposal: ContextProposal) -> list[str]:
    """One line per proposed entry, saying why (the user's own organisation goes without saying)."""
    return [f"{p.name}: {p.why}" for p in proposal.proposals if p.kind != "own_org"]
