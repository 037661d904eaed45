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


def test_sync_progress_in_the_status_bar(qtbot, main_window, services, facade):  # noqa: ANN001
    from engine.events import SYNC_DID_FINISH, SYNC_DID_PROGRESS, SYNC_DID_START

    services.bus.emit(SYNC_DID_START, account="google:ceo@x.example")
    qtbot.waitUntil(lambda: main_window.sync_status.text() == "Syncing google:ceo@x.example…", timeout=5000)
    services.bus.emit(SYNC_DID_PROGRESS, account="google:ceo@x.example", fraction=0.5)
    qtbot.waitUntil(lambda: main_window.sync_status.text().endswith("50%"), timeout=5000)
    assert main_window.sync_bar.isVisible() and main_window.sync_bar.value() == 500
    stopped: list[bool] = []
    facade.stop_syncs = lambda: stopped.append(True) or 1
    main_window.sync_stop.click()
    assert stopped == [True]
    services.bus.emit(SYNC_DID_FINISH, account="google:ceo@x.example", added=1, updated=0, deleted=0)
    qtbot.waitUntil(lambda: main_window.sync_status.text() == "Synced google:ceo@x.example", timeout=5000)
    assert not main_window.sync_bar.isVisible() and not main_window.sync_stop.isVisible()


def test_model_load_shows_progress_and_can_be_cancelled(qtbot, main_window, llm, monkeypatch):  # noqa: ANN001
    """A big GGUF takes a while to read from disk: the status bar shows it and Cancel stops it."""
    import builtins
    import time

    from engine.llm import runtime as runtime_module

    class SlowDisk:  # ~8 s for the bundled model: far longer than the click takes
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            self.file = builtins.open(*args, **kwargs)

        def __enter__(self):  # noqa: ANN204
            return self

        def __exit__(self, *exc) -> None:  # noqa: ANN002
            self.file.close()

        def __iter__(self):  # noqa: ANN204 - other reads (/proc/cpuinfo) go through unchanged
            return iter(self.file)

        def readinto(self, buf) -> int:  # noqa: ANN001
            time.sleep(0.005)
            return self.file.readinto(buf)

    monkeypatch.setattr(runtime_module, "_READ_CHUNK", 64 * 1024)
    monkeypatch.setattr(runtime_module, "open", SlowDisk, raising=False)
    llm.preload()
    qtbot.waitUntil(lambda: main_window.load_cancel.isVisible() and main_window.model_bar.isVisible(), timeout=30000)
    main_window.load_cancel.click()
    qtbot.waitUntil(lambda: not main_window.load_cancel.isVisible(), timeout=30000)
    assert not llm.loaded and main_window.model_status.text() == "Local model: not loaded"
