"""Every page builds and renders the seeded workspace from the real encrypted store."""

from __future__ import annotations

import pytest

from ui.main_window import PAGES


@pytest.mark.parametrize("name", PAGES)
def test_each_page_renders_store_data(qtbot, main_window, name):  # noqa: ANN001
    view = main_window.page(name)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    main_window.show_page(name)
    assert main_window.stack.currentWidget() is view
    assert view.accessibleName() == f"{view.title} page"


def test_inbox_lists_messages_and_opens_thread_as_text(qtbot, main_window, workspace):  # noqa: ANN001
    inbox = main_window.show_page("inbox")
    qtbot.waitUntil(lambda: inbox.list.count() == 3, timeout=10000)
    with qtbot.waitSignal(inbox.thread_loaded, timeout=10000):
        inbox.select_target("email", workspace["acme_message"], {})
    text = inbox.thread_view.toPlainText()
    assert "expand to 40 robots" in text and "Thanks Li" in text  # the whole thread, oldest first
    assert text.index("expand to 40") < text.index("Thanks Li")
    assert "<img" in text  # HTML is shown as text, never rendered (no remote image load)
    inbox.unread_only.setChecked(True)
    assert inbox.list.count() == 1
    inbox.search.setText("board")
    assert inbox.list.count() == 0


def test_ctrl_shortcuts_switch_pages(qtbot, main_window):  # noqa: ANN001
    from PySide6.QtCore import Qt

    main_window.activateWindow()
    for index, name in enumerate(PAGES, 1):
        with qtbot.waitSignal(main_window.page_shown, timeout=3000) as blocker:
            qtbot.keyClick(main_window, getattr(Qt.Key, f"Key_{index}"), Qt.KeyboardModifier.ControlModifier)
        assert blocker.args == [name]


def test_meeting_link_opens_transcript_at_timestamp(qtbot, main_window, workspace):  # noqa: ANN001
    meetings = main_window.page("meetings")
    with qtbot.waitSignal(meetings.meeting_shown, timeout=10000):
        main_window.open_target(f"reflex://meeting/{workspace['meeting']}?t=84")
    assert main_window.stack.currentWidget() is meetings
    assert meetings.segments.currentItem().text().startswith("[01:23] Dana: Let's send the proposal")
    assert "Send Acme proposal" in meetings.summary.toPlainText()
    meetings.search.setText("robots")
    assert [meetings.segments.item(i).isHidden() for i in range(3)] == [True, False, True]


def test_geometry_is_remembered(qtbot, services, facade, tasks, llm, bridge, qsettings, workspace):  # noqa: ANN001
    from ui.main_window import MainWindow

    first = MainWindow(services=facade, tasks=tasks, llm=llm, bridge=bridge, qsettings=qsettings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 520)
    first.show_page("insights")
    first.close()
    second = MainWindow(services=facade, tasks=tasks, llm=llm, bridge=bridge, qsettings=qsettings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 520)
    assert second.stack.currentWidget() is second.pages["insights"]
