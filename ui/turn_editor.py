"""Fixing who said what, turn by turn: give one turn another speaker, split a turn between two of its lines, merge
a turn into the one before it. Says plainly that turns are guessed from pauses (Reflex does not recognise voices).

Each edit runs on the store worker through the callables it is given (`engine.usecases.turn_edits` behind the
facade), which return the meeting's turns after the edit; the dialog re-renders them and keeps the selection.
Keyboard: the turn list has focus first; Tab reaches the name box and the three buttons; Esc closes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ui.tasks import TaskRunner, human_message
from ui.widgets import mmss

__all__ = ["TurnEditor"]

HONEST = ("Turns are guessed from pauses of a second or more; Reflex does not recognise voices. Fix a turn's "
          "speaker, split a turn where the voice changes, or merge a turn into the one before it.")


class TurnEditor(QDialog):
    changed = Signal()
    """An edit was saved; the meeting page reloads the transcript."""

    def __init__(self, *, turns: Sequence[Any], names: list[str], tasks: TaskRunner,
                 fix: Callable[[int, str], list[Any]], split: Callable[[int, int, str], list[Any]],
                 merge: Callable[[int], list[Any]], parent: QWidget | None = None) -> None:
        """`turns`: `engine.speech.Turn`s; `names`: speakers to offer (attendees, current labels);
        `fix(turn, name)`, `split(turn, at_line, name)`, `merge(turn_before)` return the turns after the edit."""
        super().__init__(parent)
        self.setWindowTitle("Fix speakers")
        self.setAccessibleName("Fix speakers")
        self._tasks, self._fix, self._split, self._merge = tasks, fix, split, merge
        layout = QVBoxLayout(self)
        note = QLabel(HONEST)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        self.list.setAccessibleName("Turns")
        self.list.currentRowChanged.connect(self._selected)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setAccessibleName("Speaker name")
        self.name.addItems(names)
        row.addWidget(QLabel("Speaker"))
        row.addWidget(self.name, 1)
        self.at_line = QSpinBox()
        self.at_line.setAccessibleName("Split before line")
        self.at_line.setPrefix("before line ")
        row.addWidget(self.at_line)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        self.fix_button = self._button("Set this turn's speaker", self.fix_turn, buttons)
        self.split_button = self._button("Split turn", self.split_turn, buttons)
        self.merge_button = self._button("Merge into previous", self.merge_turn, buttons)
        layout.addLayout(buttons)
        self.status = QLabel("")
        self.status.setAccessibleName("Fix speakers status")
        layout.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.show_turns(turns)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The turn list has focus first (a dialog would otherwise focus its Close button)."""
        super().showEvent(event)
        self.list.setFocus()

    def _button(self, text: str, slot: Callable[[], None], row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def show_turns(self, turns: Sequence[Any], select: int = 0) -> None:
        self.turns = list(turns)
        self.list.clear()
        for turn in self.turns:
            lines = "\n".join(f"   {i + 1}. {seg.text}" for i, seg in enumerate(turn.segments))
            item = QListWidgetItem(f"[{mmss(turn.start)}] {turn.speaker}\n{lines}")
            item.setData(Qt.ItemDataRole.UserRole, turn.index)
            self.list.addItem(item)
        if self.turns:
            self.list.setCurrentRow(max(0, min(select, len(self.turns) - 1)))

    def _selected(self, row: int) -> None:
        turn = self.turns[row] if 0 <= row < len(self.turns) else None
        lines = len(turn.segments) if turn is not None else 0
        self.at_line.setRange(2, max(2, lines))
        self.split_button.setEnabled(lines > 1)
        self.merge_button.setEnabled(row > 0)
        self.fix_button.setEnabled(turn is not None)
        if turn is not None:
            self.name.setCurrentText(turn.speaker)

    def _run(self, work: Callable[[], list[Any]], select: int, done: str) -> None:
        name = self.name.currentText().strip()
        if not name:
            self.status.setText("Type or pick a speaker's name first.")
            return

        def saved(turns: list[Any]) -> None:
            self.show_turns(turns, select)
            self.status.setText(done)
            self.changed.emit()

        self._tasks.run(work, kind="turn-edit", owner=self, on_success=saved,
                        on_failure=lambda exc: self.status.setText(f"Not changed: {human_message(exc)}"))

    def fix_turn(self) -> None:
        row, name = self.list.currentRow(), self.name.currentText().strip()
        self._run(lambda: self._fix(row, name), row, f"Turn {row + 1} is now {name}'s.")

    def split_turn(self) -> None:
        row, name, at = self.list.currentRow(), self.name.currentText().strip(), self.at_line.value() - 1
        self._run(lambda: self._split(row, at, name), row + 1, f"Split: the rest of turn {row + 1} is {name}'s.")

    def merge_turn(self) -> None:
        row = self.list.currentRow()
        self._run(lambda: self._merge(row - 1), row - 1, f"Merged turn {row + 1} into turn {row}.")
