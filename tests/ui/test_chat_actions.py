"""Chat: an instruction is grounded in the user's data and comes back as an action card; confirming it does it."""

from __future__ import annotations


def test_an_instruction_becomes_a_confirmable_task(qtbot, main_window, services):  # noqa: ANN001
    chat = main_window.show_page("chat")
    with qtbot.waitSignal(chat.session.conversation_changed, timeout=90000):
        chat.input.setText("Add a task to review the Q4 board deck by Friday")
        chat.send()
    answer = chat.session.turns[-1]
    assert not answer.streaming and answer.text.startswith("Proposed: Create a task")
    [(action_id, kind, payload)] = services.store.pending_actions.pending()
    assert kind == "create_task" and payload["title"] == "Review the Q4 board deck" and payload["due_date"]
    assert services.store.commitments.list() == []  # nothing happened yet
    qtbot.waitUntil(lambda: chat.actions_box.count() == 1, timeout=10000)
    with qtbot.waitSignal(chat.action_executed, timeout=10000) as done:
        chat._decide(action_id, "confirmed")  # noqa: SLF001 - the card's Confirm button
    assert done.args[0].startswith("Added the task “Review the Q4 board deck”")
    [task] = services.store.commitments.list()
    assert task.what == "Review the Q4 board deck" and task.direction == "owed_by_me"
    turns = services.store.conversations.get(chat.session.conversation_id).turns
    assert [t.role for t in turns] == ["user", "assistant"] and turns[1].model == "tools"
