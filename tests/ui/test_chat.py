"""Chat through the asking use-case (evidence-first answers, the real bundled model when it may write): answers
grow sentence by sentence with [n] citations, Stop, "not in your data", citations that open their source, saved
turns. Never the small model's exact words."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QUrl

pytestmark = pytest.mark.model


@pytest.fixture
def indexed(services, workspace):  # noqa: ANN001, ANN201
    report = services.indexer.run()
    assert report.embedded > 0
    return workspace


def _shown_texts(chat) -> list[str]:  # noqa: ANN001
    """Every text the answer being written showed, in order (recorded at each `changed`)."""
    shown: list[str] = []
    chat.session.changed.connect(lambda: shown.append(chat.session.turns[-1].text if chat.session.turns else ""))
    return shown


def test_answer_grows_by_cited_sentences_that_open_the_email(qtbot, main_window, services, indexed):  # noqa: ANN001
    chat = main_window.show_page("chat")
    shown = _shown_texts(chat)
    with qtbot.waitSignal(chat.session.answer_finished, timeout=90000) as done:
        chat.input.setText("How many robots does Acme want to expand to?")
        chat.send()
        qtbot.waitUntil(lambda: chat.stop_button.isEnabled(), timeout=5000)
    assert done.args[0].finish_reason == "stop" and done.args[0].provider == "local" and done.args[0].found
    answer = chat.session.turns[-1]
    assert re.search(r"\[\d+\]", answer.text.splitlines()[0])  # the evidence-built first line cites a source
    # While written, the shown answer only ever grew by whole sentences (each piece ends its line), never by
    # raw model tokens; the final text is what was shown.
    growing = [text for text in dict.fromkeys(shown[:-1]) if text]
    assert growing and all(text.endswith("\n") for text in growing)
    assert all(later.startswith(earlier) for earlier, later in zip(growing, growing[1:] + [answer.text + "\n"]))
    assert not chat.stop_button.isEnabled()
    assert answer.role == "assistant" and answer.text and not answer.streaming
    emails = [c for c in answer.citations if c.source_type == "email"]
    assert emails, "retrieval should cite the Acme email"
    assert "Local model" in chat.model_label.text() and "SmolLM2" in chat.model_label.text()
    # Clicking the source link opens that email's thread in the Inbox.
    inbox = main_window.page("inbox")
    with qtbot.waitSignal(inbox.thread_loaded, timeout=10000):
        chat.transcript.anchorClicked.emit(QUrl(f"cite:{len(chat.session.turns) - 1}:{emails[0].number}"))
    assert main_window.stack.currentWidget() is inbox
    assert any(m.id == emails[0].source_id for m in inbox._thread)
    # Both turns were saved; reopening the conversation resolves the citations again.
    qtbot.waitUntil(lambda: len(services.store.conversations.get(chat.session.conversation_id).turns) == 2, timeout=5000)
    saved = services.store.conversations.get(chat.session.conversation_id).turns[1]
    assert saved.citations == [c.chunk_id for c in answer.citations]
    assert saved.content == answer.text and saved.model == "local:evidence"  # built from the evidence alone
    assert [t.role for t in services.store.conversations.get(chat.session.conversation_id).turns] == [
        "user", "assistant"]  # saved once, by the use-case


def test_a_question_with_no_evidence_says_it_is_not_in_your_data(qtbot, main_window, services, indexed):  # noqa: ANN001
    chat = main_window.show_page("chat")
    with qtbot.waitSignal(chat.session.answer_finished, timeout=90000) as done:
        chat.input.setText("What is the airspeed velocity of an unladen swallow on Neptune?")
        chat.send()
    assert not done.args[0].found
    assert chat.session.turns[-1].text.lower().startswith("not in your data")
    assert not chat.session.turns[-1].note


def test_stop_cancels_the_answer_and_keeps_what_arrived(qtbot, main_window, services, indexed,  # noqa: ANN001
                                                         monkeypatch) -> None:
    # The chat model writes after the evidence answer (as a capable model's tier allows); Stop ends it.
    monkeypatch.setattr(services, "model_may_write", lambda: True)
    chat = main_window.show_page("chat")
    with qtbot.waitSignal(chat.session.answer_finished, timeout=90000) as done:
        chat.input.setText("How many robots does Acme want to expand to?")
        chat.send()
        qtbot.waitUntil(lambda: len(chat.session.turns[-1].text) > 5, timeout=60000)
        qtbot.mouseClick(chat.stop_button, Qt.MouseButton.LeftButton)
    assert done.args[0].finish_reason == "cancelled"
    assert chat.session.turns[-1].note == "stopped" and chat.session.turns[-1].text  # what arrived stays
    assert not chat.stop_button.isEnabled()
    saved = services.store.conversations.get(chat.session.conversation_id).turns
    assert [t.role for t in saved] == ["user", "assistant"] and saved[1].content == chat.session.turns[-1].text


def test_ask_cloud_for_this_one_is_redacted_audited_and_labelled(qtbot, main_window, services, indexed,  # noqa: ANN001
                                                                  memory_keyring) -> None:
    from tests.fakes.openai_server import FakeOpenAI

    canary = "dana.private@canary.example"
    fake = FakeOpenAI(forbidden=(canary,))
    try:
        services.save_settings(cloud_enabled=True, cloud_provider="openai", cloud_model="gpt-4o-mini",
                               cloud_base_url=fake.url + "/v1")
        memory_keyring.set_password("reflex-assistant", "openai-api-key", "sk-test")
        chat = main_window.show_page("chat")
        chat.refresh()
        assert chat.cloud_button.isVisible() or not chat.isVisible()
        with qtbot.waitSignal(chat.session.answer_finished, timeout=60000) as done:
            chat.input.setText(f"What should I tell {canary} about the Acme expansion?")
            chat.send_to_cloud()
        answer = done.args[0]
        assert answer.provider == "openai" and answer.model == "gpt-4o-mini"
        assert fake.violations == [] and len(fake.bodies) == 1  # the canary left redacted
        assert canary in chat.session.turns[-1].text  # ... and came back restored locally
        entries = services.store.audit.since(action="cloud_call")
        assert entries and canary not in str(entries[0].detail)
    finally:
        fake.stop()


def test_remember_that_stores_a_memory_item_without_the_model(qtbot, main_window, services) -> None:  # noqa: ANN001
    chat = main_window.show_page("chat")
    chat.input.setText("Remember that my EA is Jane Park.")
    chat.send()
    qtbot.waitUntil(lambda: services.store.memories.all() != [], timeout=5000)
    assert services.store.memories.all()[0][1] == "My EA is Jane Park"
    assert chat.session.turns[-1].text == "Noted. I'll remember: My EA is Jane Park"
