"""Inbox: the bundled model drafts a reply into an editable box; saving asks first and explains when there is no
mailbox to save into (nothing is ever sent)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

pytestmark = pytest.mark.model


def test_draft_a_reply_then_save_asks_first(qtbot, main_window, services, workspace):  # noqa: ANN001
    inbox = main_window.show_page("inbox")
    qtbot.waitUntil(lambda: inbox.list.count() == 3, timeout=10000)
    with qtbot.waitSignal(inbox.thread_loaded, timeout=10000):
        inbox.select_target("email", workspace["acme_message"], {})
    assert inbox.draft_button.isEnabled() and not inbox.save_draft_button.isEnabled()
    inbox.draft_button.click()
    assert inbox.draft_status.text() == "Drafting…"
    qtbot.waitUntil(lambda: inbox.draft_status.text().startswith("Draft ready"), timeout=90000)
    assert inbox.draft.toPlainText().strip() and inbox.save_draft_button.isEnabled()
    inbox.save_draft_button.click()
    box = inbox.confirm_box
    assert "It is not sent" in box.text()
    box.done(QMessageBox.StandardButton.Save)
    qtbot.waitUntil(lambda: "not a connected Google or Microsoft account" in inbox.draft_status.text(), timeout=10000)
    assert services.store.audit.since(action="tool") == []  # nothing left the computer
