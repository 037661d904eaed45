"""The status bar shows background indexing with a Stop button while it runs, and says how it ended."""

from __future__ import annotations

from engine.events import INDEX_DID_FINISH, INDEX_DID_PROGRESS


def test_indexing_progress_and_stop_in_the_status_bar(qtbot, main_window, services):  # noqa: ANN001
    assert not main_window.index_bar.isVisible()
    stopped: list[bool] = []
    services.indexing.cancel = lambda: stopped.append(True)  # the engine side is tested in tests/retrieval
    services.bus.emit(INDEX_DID_PROGRESS, fraction=0.4)
    qtbot.waitUntil(lambda: main_window.index_bar.isVisible(), timeout=5000)
    assert main_window.index_bar.value() == 400 and main_window.index_stop.isVisible()
    main_window.index_stop.click()
    assert stopped == [True]
    services.bus.emit(INDEX_DID_FINISH, embedded=0, failed=0, cancelled=True, error="")
    qtbot.waitUntil(lambda: not main_window.index_bar.isVisible(), timeout=5000)
    assert "Indexing stopped" in main_window.statusBar().currentMessage()
    services.bus.emit(INDEX_DID_FINISH, embedded=12, failed=0, cancelled=False, error="")
    qtbot.waitUntil(lambda: "12 new passages" in main_window.statusBar().currentMessage(), timeout=5000)
