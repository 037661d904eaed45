"""Settings → Privacy → Store care: restore from a backup (with the recovery key), change how the store unlocks
(OS keyring or a new passphrase), make a new recovery key and erase everything — each confirmed first, with progress, a cancel that works
until the first change, and a sentence that says what happened.

The work is the engine's (`engine.usecases.store_care`, reached through the `StoreCare` calls this panel is given):
the app pauses its workers, closes the store, operates and reopens. It runs on the task runner's store worker, so
no other store task runs meanwhile. Secrets typed here (recovery key, passphrases) are cleared from the widgets as
soon as the work is submitted. GUI thread only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QRadioButton,
    QVBoxLayout, QWidget,
)

from ui.settings_ports import Outcome, StoreCare
from ui.tasks import IO, Task, TaskRunner, human_message
from ui.widgets import (cancellable_progress, hint_label, recovery_key_box, secret_field, section_title, status_label,
                        with_button)

__all__ = ["StoreCarePanel"]

WIPE_WORD = "wipe"
_KIND = "store-care"


class StoreCarePanel(QWidget):
    store_reopened = Signal()
    """A restore or rekey finished: the store was reopened (pages showing data should refresh)."""
    wiped = Signal()
    """Everything was erased: the app has no store any more and must quit or start over."""
    key_mode_shown = Signal()
    """How the store unlocks (and whether a keyring exists) was read and shown."""

    def __init__(self, *, care: StoreCare, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._care, self._tasks = care, tasks
        self._cancel = threading.Event()  # not the task's own: a cancelled task's result would be dropped
        self.confirm_box: QMessageBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addSpacing(12)
        layout.addWidget(section_title("Restore from a backup"))
        layout.addLayout(self._restore_form())
        layout.addSpacing(12)
        layout.addWidget(section_title("How the store unlocks"))
        layout.addLayout(self._unlock_form())
        layout.addSpacing(12)
        layout.addWidget(section_title("Erase everything"))
        layout.addLayout(self._wipe_form())
        self.progress_row, self.progress = cancellable_progress("Store care progress",
                                                                "Cancel the store operation", self.cancel)
        layout.addWidget(self.progress_row)
        self.outcome = status_label("Store care outcome")
        layout.addWidget(self.outcome)
        self.show_key_mode()

    # -- building -------------------------------------------------------------------------------------------
    def _restore_form(self) -> QFormLayout:
        form = QFormLayout()
        self.backup_path = QLineEdit()
        self.backup_path.setPlaceholderText("A .reflex-backup file (its .json file beside it)")
        self.backup_path.setAccessibleName("Backup to restore")
        row = with_button(self.backup_path, "Choose…", "Choose the backup to restore", self._choose_backup)
        form.addRow("Backup", row)
        self.restore_key = secret_field("RFLX-… (needed on a new computer)", "Recovery key for the restore")
        form.addRow("Recovery key", self.restore_key)
        self.restore_passphrase = secret_field("This computer has no OS keyring: the restored store needs one",
                                          "Passphrase for the restored store")
        self.restore_passphrase_label = QLabel("New passphrase")
        form.addRow(self.restore_passphrase_label, self.restore_passphrase)
        for widget in (self.restore_passphrase_label, self.restore_passphrase):
            widget.setVisible(False)  # shown by show_key_mode() where there is no keyring
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setAccessibleName("Restore from the backup")
        self.restore_button.clicked.connect(self.ask_restore)
        form.addRow("", self._left(self.restore_button))
        form.addRow(hint_label("The store in use now is moved aside (never deleted) and the backup takes its "
                               "place; Reflex pauses its background work meanwhile."))
        return form

    def _unlock_form(self) -> QFormLayout:
        form = QFormLayout()
        self.key_mode = QLabel("")
        self.key_mode.setAccessibleName("How the store unlocks now")
        form.addRow("Now", self.key_mode)
        self.use_keyring = QRadioButton("A key kept in the OS keyring (no passphrase to type)")
        self.use_keyring.setEnabled(False)  # until show_key_mode() knows a keyring is there
        self.use_passphrase = QRadioButton("A passphrase I type when Reflex starts")
        self.mode_group = QButtonGroup(self)
        for label, button in (("Change to", self.use_keyring), ("", self.use_passphrase)):
            button.setAccessibleName(f"Change to: {button.text()}")  # the choice is the new mode, not the current one
            self.mode_group.addButton(button)
            form.addRow(label, button)
        self.use_passphrase.setChecked(True)
        self.new_passphrase = secret_field("At least 8 characters", "New passphrase")
        self.repeat_passphrase = secret_field("The same again", "Repeat the new passphrase")
        self.current_passphrase = secret_field("The passphrase you unlock Reflex with", "Current passphrase")
        form.addRow("New passphrase", self.new_passphrase)
        form.addRow("Repeat it", self.repeat_passphrase)
        form.addRow("Current passphrase", self.current_passphrase)
        self.use_keyring.toggled.connect(self._mode_toggled)
        self.rekey_button = QPushButton("Change…")
        self.rekey_button.setAccessibleName("Change how the store unlocks")
        self.rekey_button.clicked.connect(self.ask_rekey)
        self.recovery_button = QPushButton("Make a new recovery key…")
        self.recovery_button.setAccessibleName("Make a new recovery key")
        self.recovery_button.clicked.connect(self.ask_recovery_key)
        form.addRow("", self._left(self.rekey_button, self.recovery_button))
        form.addRow(hint_label("Changing how it unlocks keeps your recovery key and older backups working. A new "
                               "recovery key replaces the one you wrote down."))
        return form

    def _wipe_form(self) -> QFormLayout:
        form = QFormLayout()
        form.addRow(hint_label("Deletes the store, its keys, every account's sign-in, the cloud keys, the index and "
                               "the logs from this computer. Backups elsewhere are left alone. Reflex closes "
                               "afterwards."))
        self.wipe_word = QLineEdit()
        self.wipe_word.setPlaceholderText(f"Type {WIPE_WORD} to confirm")
        self.wipe_word.setAccessibleName(f"Type {WIPE_WORD} to confirm erasing everything")
        self.wipe_button = QPushButton("Erase everything")
        self.wipe_button.setAccessibleName("Erase everything Reflex keeps on this computer")
        self.wipe_button.setEnabled(False)
        self.wipe_word.textChanged.connect(lambda text: self.wipe_button.setEnabled(text.strip() == WIPE_WORD))
        self.wipe_button.clicked.connect(self.run_wipe)
        row = QHBoxLayout()
        row.addWidget(self.wipe_word, 1)
        row.addWidget(self.wipe_button)  # not with_button: enabled only once the word is typed
        form.addRow("Confirm", row)
        return form

    @staticmethod
    def _left(*buttons: QPushButton) -> QHBoxLayout:
        """Buttons at their natural width, left-aligned (a form would stretch a lone one across the page)."""
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

    def show_key_mode(self) -> None:
        """Read how the store unlocks and whether a keyring exists (a file and the keyring: not on the GUI
        thread), then show it."""
        care = self._care
        self._tasks.run(lambda: (care.key_mode(), care.keyring_available()), kind="store-key-mode", owner=self,
                        pool=IO, on_success=self._show_key_mode)

    def _show_key_mode(self, state: tuple[str, bool]) -> None:
        mode, keyring = state
        passphrase = mode == "passphrase"
        self.key_mode.setText("A passphrase typed at start" if passphrase else "A key in the OS keyring")
        self.current_passphrase.setEnabled(passphrase)
        self.use_keyring.setEnabled(keyring)
        for widget in (self.restore_passphrase_label, self.restore_passphrase):
            widget.setVisible(not keyring)
        self.key_mode_shown.emit()

    def _mode_toggled(self, keyring: bool) -> None:
        self.new_passphrase.setEnabled(not keyring)
        self.repeat_passphrase.setEnabled(not keyring)

    def _choose_backup(self) -> None:
        dialog = QFileDialog(self, "Backup to restore", "", "Reflex backups (*.reflex-backup);;All files (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.backup_path.setText)
        self.file_dialog = dialog
        dialog.open()

    # -- confirm, then run ----------------------------------------------------------------------------------
    def _confirm(self, title: str, text: str, verb: str, then: Callable[[], None]) -> None:
        """A non-blocking confirmation; `then()` runs only when the user presses `verb`."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
        box.setAccessibleName(f"Confirm: {title}")
        box.button(QMessageBox.StandardButton.Ok).setText(verb)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result: then() if result == QMessageBox.StandardButton.Ok else None)
        self.confirm_box = box
        box.open()

    def ask_restore(self) -> None:
        src = self.backup_path.text().strip()
        if not src:
            self.outcome.setText("Choose the backup to restore first.")
            return
        self._confirm("Restore from a backup",
                      f"Replace everything in Reflex with the backup {src}?\nThe store in use now is kept beside "
                      "it, so this can be undone by restoring that one.", "Restore", self.run_restore)

    def run_restore(self) -> None:
        src, key, passphrase = (self.backup_path.text().strip(), self.restore_key.text(),
                                self.restore_passphrase.text())
        self.restore_key.clear()
        self.restore_passphrase.clear()
        self._run("Restoring…", lambda task: self._care.restore(src, recovery_key=key, new_passphrase=passphrase,
                                                                on_progress=task.progress, cancel=self._cancel),
                  self.store_reopened)

    def ask_rekey(self) -> None:
        keyring = self.use_keyring.isChecked()
        if not keyring and self.new_passphrase.text() != self.repeat_passphrase.text():
            self.outcome.setText("The two new passphrases differ; nothing was changed.")
            return
        how = "a new key in the OS keyring" if keyring else "the new passphrase"
        self._confirm("Change how the store unlocks",
                      f"From now on Reflex unlocks with {how}. Continue?", "Change", self.run_rekey)

    def run_rekey(self) -> None:
        mode = "keyring" if self.use_keyring.isChecked() else "passphrase"
        new, current = self.new_passphrase.text(), self.current_passphrase.text()
        for edit in (self.new_passphrase, self.repeat_passphrase, self.current_passphrase):
            edit.clear()
        self._run("Changing the key…", lambda task: self._care.change_unlock(
            mode=mode, new_passphrase=new if mode == "passphrase" else "", current_passphrase=current,
            on_progress=task.progress, cancel=self._cancel), self.store_reopened)

    def ask_recovery_key(self) -> None:
        self._confirm("Make a new recovery key",
                      "Make a new recovery key? The one you have stops opening this store (backups made before keep "
                      "opening with it). The new one is shown once: have paper ready.", "Make it", self.run_recovery_key)

    def run_recovery_key(self) -> None:
        current = self.current_passphrase.text()
        self.current_passphrase.clear()
        self._busy(True)
        self.outcome.setText("Making a new recovery key…")

        def made(recovery: str) -> None:
            self._busy(False)
            self.outcome.setText("A new recovery key was made; the previous one no longer opens this store.")
            self.recovery_box = recovery_key_box(recovery)
            self.recovery_box.open()

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self.outcome.setText(human_message(exc))

        self._tasks.run(lambda: self._care.new_recovery_key(current_passphrase=current), kind=_KIND, owner=self,
                        replace=False, on_success=made, on_failure=failed)

    def run_wipe(self) -> None:
        if self.wipe_word.text().strip() != WIPE_WORD:
            return
        self.wipe_word.clear()
        self._run("Erasing everything…", lambda task: self._care.wipe(on_progress=task.progress, cancel=self._cancel),
                  self.wiped)

    def _run(self, busy: str, work: Callable[[Task], Outcome], done_signal: Signal) -> None:
        self._cancel = threading.Event()
        self._busy(True)
        self.outcome.setText(busy)
        self.progress.setValue(0)

        def done(result: Outcome) -> None:
            self._busy(False)
            self.outcome.setText(result.summary())
            self.show_key_mode()
            done_signal.emit()

        def failed(exc: BaseException) -> None:
            self._busy(False)
            self.outcome.setText(human_message(exc))
            self.show_key_mode()

        self._tasks.run(work, kind=_KIND, owner=self, replace=False, on_success=done, on_failure=failed,
                        on_progress=lambda f: self.progress.setValue(int(f * 1000)))

    def _busy(self, busy: bool) -> None:
        self.progress_row.setVisible(busy)
        for button in (self.restore_button, self.rekey_button, self.recovery_button):
            button.setEnabled(not busy)
        self.wipe_button.setEnabled(False)

    def cancel(self) -> None:
        """Ask the running operation to stop; it does if nothing was changed yet, and the outcome says which."""
        if self._tasks.running(_KIND, self) is not None:
            self._cancel.set()
            self.outcome.setText("Cancelling…")
