"""The status bar shows background work as it happens: indexing (with a Stop button) and account syncs."""

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


def test_sync_progress_in_the_status_bar(qtbot, main_window, services):  # noqa: ANN001
    from engine.events import SYNC_DID_FINISH, SYNC_DID_PROGRESS, SYNC_DID_START

    services.bus.emit(SYNC_DID_START, account="google:ceo@x.example")
    qtbot.waitUntil(lambda: main_window.sync_status.text() == "Syncing google:ceo@x.example…", timeout=5000)
    services.bus.emit(SYNC_DID_PROGRESS, account="google:ceo@x.example", fraction=0.5)
    qtbot.waitUntil(lambda: main_window.sync_status.text().endswith("50%"), timeout=5000)
    services.bus.emit(SYNC_DID_FINISH, account="google:ceo@x.example", added=1, updated=0, deleted=0)
    qtbot.waitUntil(lambda: main_window.sync_status.text() == "Synced google:ceo@x.example", timeout=5000)
