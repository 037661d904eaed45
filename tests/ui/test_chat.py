"""Chat with the real bundled model: streaming, Stop, citations that open their source, saved turns."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl

pytestmark = pytest.mark.model


@pytest.fixture
def indexed(services, workspace):  # noqa: ANN001, ANN201
    report = services.indexer.run()
    assert report.embedded > 0
    return workspace


def test_answer_streams_with_citations_that_open_the_email(qtbot, main_window, services, indexed):  # noqa: ANN001
    chat = main_window.show_page("chat")
    tokens: list[str] = []
    chat.llm.token_streamed.connect(lambda rid, text: tokens.append(text))
    with qtbot.waitSignal(chat.session.answer_finished, timeout=90000) as done:
        chat.input.setText("How many robots does Acme want to expand to?")
        chat.send()
        qtbot.waitUntil(lambda: chat.stop_button.isEnabled(), timeout=5000)
    assert done.args[0].finish_reason in ("stop", "length")
    assert len(tokens) > 3 and "".join(tokens).strip()
    answer = chat.session.turns[-1]
    assert answer.role == "assistant" and answer.text and not answer.streaming
    emails = [c for c in answer.citations if c.source_type == "email"]
    assert emails, "retrieval should cite the Acme email"
    assert "Local model" in chat.model_label.text() and "SmolLM2" in chat.model_label.text()
    # Clicking the source link opens that email's thread in the Inbox.
    inbox = main_window.page("inbox")
    with qtbot.waitSignal(inbox.loaded, timeout=10000):
        chat.transcript.anchorClicked.emit(QUrl(f"cite:{len(chat.session.turns) - 1}:{emails[0].number}"))
    assert main_window.stack.currentWidget() is inbox
    assert any(m.id == emails[0].source_id for m in inbox._thread)
    # Both turns were saved; reopening the conversation resolves the citations again.
    qtbot.waitUntil(lambda: len(services.store.conversations.get(chat.session.conversation_id).turns) == 2, timeout=5000)
    saved = services.store.conversations.get(chat.session.conversation_id).turns[1]
    assert saved.citations == [c.chunk_id for c in answer.citations]


def test_stop_cancels_the_stream(qtbot, main_window, indexed):  # noqa: ANN001
    chat = main_window.show_page("chat")
    with qtbot.waitSignal(chat.session.answer_finished, timeout=90000) as done:
        chat.input.setText("Write a long essay about robots in warehouses.")
        chat.send()
        qtbot.waitUntil(lambda: len(chat.session.turns[-1].text) > 5, timeout=60000)
        qtbot.mouseClick(chat.stop_button, Qt.MouseButton.LeftButton)
    assert done.args[0].finish_reason == "cancelled"
    assert chat.session.turns[-1].note == "stopped"
    assert not chat.stop_button.isEnabled()
