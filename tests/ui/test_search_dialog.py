"""Search in the app (#18; `reflex-assistant search` was CLI-only): Chat's Search… finds sources by words, narrowed
by kind, off the GUI thread, and a result opens its source in Reflex."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_search_finds_sources_by_kind_and_opens_one(qtbot, demo_window, services):  # noqa: ANN001
    services.indexer.run()  # the demo indexed, as the app's background indexing does
    chat = demo_window.show_page("chat")
    qtbot.mouseClick(chat.search_button, Qt.MouseButton.LeftButton)
    dialog = chat.search_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.query, "Harborview expansion")
    with qtbot.waitSignal(dialog.searched, timeout=60000) as found:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert found.args[0] > 0 and dialog.results.count() == found.args[0]
    labels = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert any("Harborview" in label for label in labels)
    dialog.kind.setCurrentIndex(dialog.kind.findText("Calendar"))
    with qtbot.waitSignal(dialog.searched, timeout=60000):
        dialog.run_search()
    labels = [dialog.results.item(i).text() for i in range(dialog.results.count())]
    assert labels and all(label.startswith("event") for label in labels)  # only calendar events now
    dialog.kind.setCurrentIndex(dialog.kind.findText("Mail"))
    with qtbot.waitSignal(dialog.searched, timeout=60000):
        dialog.run_search()
    first = dialog.results.item(0)
    assert first.text().startswith("email")
    with qtbot.waitSignal(chat.open_target, timeout=5000) as opened:
        dialog.results.itemActivated.emit(first)
    assert opened.args[0].startswith("reflex://email/")
    qtbot.waitUntil(lambda: demo_window.stack.currentWidget().title == "Inbox", timeout=5000)  # the thread opens
