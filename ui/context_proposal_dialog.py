"""After the first data arrives (the demo, from the first-run wizard), Reflex offers the strategic context it
proposes from the mailbox: a non-modal window with the editor filled in and why each entry is there. Saving
stores it as a new version (on the store worker); "Not now" leaves everything as it was — triage and the
pipeline already work without it, and Settings > Strategic context can propose it again any time."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout

from engine.assistant.bootstrap import ContextProposal
from ui.context_editor import StrategicContextEditor, proposal_reasons
from ui.facade import AppFacade
from ui.tasks import TaskRunner, human_message


class ContextProposalDialog(QDialog):
    def __init__(self, proposal: ContextProposal, *, services: AppFacade, tasks: TaskRunner) -> None:
        super().__init__()
        self.services, self.tasks = services, tasks
        self.setWindowTitle("What matters to you — proposed from your mail")
        self.setAccessibleName("Proposed strategic context")
        self.setModal(False)
        layout = QVBoxLayout(self)
        self.editor = StrategicContextEditor()
        self.editor.add_proposal(proposal.context, proposal_reasons(proposal))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        layout.addWidget(scroll, 1)
        self.status = QLabel("Review it, then save. You can change it later in Settings > Strategic context.")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save the proposed strategic context")
        later = buttons.addButton("Not now", QDialogButtonBox.ButtonRole.RejectRole)
        later.setAccessibleName("Close without saving")
        self.save_button.clicked.connect(self.save)
        later.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def save(self) -> None:
        context, services = self.editor.value(), self.services
        self.save_button.setEnabled(False)
        self.tasks.run(lambda: services.save_context(context), kind="context", owner=self,
                       on_success=lambda _version: self.accept(), on_failure=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(human_message(error))
