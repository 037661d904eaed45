"""Naming a speaker: turn a provisional label ("Speaker 2") into a person, usually one of the attendees."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget


class SpeakerDialog(QDialog):
    """Non-blocking (`open()`); read `old`/`new` after `accepted`. `choices`: attendee names to offer."""

    def __init__(self, speakers: list[str], choices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Name a speaker")
        self.setAccessibleName("Name a speaker")
        form = QFormLayout(self)
        form.addRow(QLabel("Speaker turns are guessed from pauses; name each voice once for the whole meeting."))
        self.speaker = QComboBox()
        self.speaker.setAccessibleName("Speaker to name")
        self.speaker.addItems(speakers)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setAccessibleName("Their name")
        self.name.addItems(choices)
        self.name.setCurrentText("")
        form.addRow("Speaker", self.speaker)
        form.addRow("is", self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @property
    def old(self) -> str:
        return self.speaker.currentText()

    @property
    def new(self) -> str:
        return self.name.currentText().strip()
