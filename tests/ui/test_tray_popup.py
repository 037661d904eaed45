"""Tray menu actions (the tray itself is absent offscreen, the menu is not), the quick-ask popup, and the
single-instance hand-off."""

from __future__ import annotations

import contextlib
import re
import time

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QIcon

from app.single_instance import SingleInstance
from ui.conversation import render_turns
from ui.quick_ask import QuickAskPopup
from ui.tray import TrayController


def test_tray_menu_actions_call_their_commands(qtbot):  # noqa: ANN001
    calls: list[str] = []
    tray = TrayController(icon=QIcon(), recording_icon=QIcon(), on_quick_ask=lambda: calls.append("ask"),
                          on_toggle_recording=lambda: calls.append("record"), on_open=lambda: calls.append("open"),
                          on_sync=lambda: calls.append("sync"), on_quit=lambda: calls.append("quit"))
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator() and a.isEnabled()]
    assert texts == ["Quick ask…", "Start recording", "Open Reflex", "Sync now", "Quit Reflex"]
    for action in (tray.quick_ask_action, tray.record_action, tray.open_action, tray.sync_action, tray.quit_action):
        action.trigger()
    assert calls == ["ask", "record", "open", "sync", "quit"]
    tray.set_recording(True)
    assert tray.record_action.text() == "Stop recording"
    assert tray.available is False and tray.anchor() is None and tray.notify("t", "m") is False  # offscreen


def test_popup_shows_fast_near_anchor_and_esc_closes(qtbot, services, facade, tasks, llm, workspace):  # noqa: ANN001
    popup = QuickAskPopup(services=facade, tasks=tasks, llm=llm)
    qtbot.addWidget(popup)
    popup.popup(QRect(300, 10, 20, 20))  # first show builds native resources
    popup.hide()
    begin = time.perf_counter()
    with qtbot.waitSignal(popup.shown, timeout=1000):
        popup.popup(QRect(300, 10, 20, 20))
    assert time.perf_counter() - begin < 0.1
    assert popup.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert popup.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert abs(popup.geometry().center().x() - 310) < popup.width()  # beside the tray icon
    qtbot.keyClick(popup.input, Qt.Key.Key_Escape)
    assert not popup.isVisible()


@pytest.mark.model
def test_popup_asks_streams_and_continues_in_main_window(qtbot, main_window, services, facade, tasks, llm, workspace):  # noqa: ANN001
    services.indexer.run()
    popup = QuickAskPopup(services=facade, tasks=tasks, llm=llm)
    qtbot.addWidget(popup)
    preloading = qtbot.waitSignal(llm.model_ready, timeout=90000) if not llm.loaded else contextlib.nullcontext()
    with preloading:  # opening the popup preloads the model (its signal must not outlive the test's store)
        popup.popup()
    popup.input.setText("What does Acme want?")
    with qtbot.waitSignal(popup.session.answer_finished, timeout=90000):
        qtbot.keyClick(popup.input, Qt.Key.Key_Return)
    assert "Reflex" in popup.answer.toPlainText() and popup.session.turns[-1].text
    assert popup.session.turns[-1].citations  # the Acme mail was cited
    assert re.search(r"\[\d+\]", popup.session.turns[-1].text.splitlines()[0])  # the first line cites a source
    assert 'href="cite:1:' in render_turns(popup.session.turns)  # ... as a link
    with qtbot.waitSignal(popup.open_in_main) as blocker:
        qtbot.mouseClick(popup.open_button, Qt.MouseButton.LeftButton)
    chat = main_window.show_page("chat")
    with qtbot.waitSignal(chat.session.conversation_changed, timeout=5000):  # the store worker saved first
        chat.open_conversation(blocker.args[0])
    assert [t.role for t in chat.session.turns] == ["user", "assistant"]
    assert chat.session.turns[1].citations  # citations resolved again from the store


def test_new_quick_ask_replaces_the_previous_one(qtbot, services, facade, tasks, llm, workspace):  # noqa: ANN001
    popup = QuickAskPopup(services=facade, tasks=tasks, llm=llm)
    qtbot.addWidget(popup)
    popup.session.ask("first question")
    first = tasks.running("answer", popup.session)
    popup.session.ask("second question")
    assert first.cancel.is_set()  # the first answer was cancelled, its result will be dropped
    assert tasks.running("answer", popup.session) is not first
    assert popup.session.turns[1].note == "stopped" and not popup.session.turns[1].streaming


def test_second_launch_passes_its_request_to_the_first(qtbot, tmp_path):  # noqa: ANN001
    first = SingleInstance(tmp_path)
    assert first.acquire()
    try:
        with qtbot.waitSignal(first.message_received, timeout=3000) as blocker:
            assert SingleInstance(tmp_path).acquire("quick-ask") is False
        assert blocker.args == ["quick-ask"]
        with qtbot.waitSignal(first.message_received, timeout=3000) as blocker:
            assert SingleInstance(tmp_path).acquire("open reflex://meeting/4?t=12.5") is False
        assert blocker.args == ["open reflex://meeting/4?t=12.5"]
        with qtbot.assertNotEmitted(first.message_received, wait=300):
            SingleInstance(tmp_path).acquire("open reflex://email/1?cmd=x")
    finally:
        first.release()
    again = SingleInstance(tmp_path)
    assert again.acquire()  # released: a new launch becomes the instance
    again.release()
