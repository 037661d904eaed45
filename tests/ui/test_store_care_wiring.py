"""Store care in the running app (Settings → Privacy over the real facade and services): the scheduler and indexing
pause while the store is closed and start again after; a restore shows the backup's data through the same store
object; erasing everything tells the app to close."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from engine.store import StoreMeta
from tests.care_host import laptop_backup


def privacy(qtbot, main_window):  # noqa: ANN001, ANN201
    settings = main_window.show_page("settings")
    settings.tabs.setCurrentIndex(next(i for i in range(settings.tabs.count()) if settings.tabs.tabText(i) == "Privacy"))
    return settings.store_care


def confirm(qtbot, panel) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: panel.confirm_box is not None and panel.confirm_box.isVisible())
    qtbot.mouseClick(panel.confirm_box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_rekey_pauses_the_scheduler_and_indexing_and_starts_them_again(qtbot, main_window, services, store):  # noqa: ANN001
    services.jobs.start()
    before = services.jobs._lazy.peek("scheduler")  # noqa: SLF001 - which scheduler runs
    assert before is not None
    panel = privacy(qtbot, main_window)
    qtbot.mouseClick(panel.use_passphrase, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.new_passphrase, "correct horse battery")
    qtbot.keyClicks(panel.repeat_passphrase, "correct horse battery")
    qtbot.mouseClick(panel.rekey_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.store_reopened, timeout=20000):
        confirm(qtbot, panel)
    after = services.jobs._lazy.peek("scheduler")  # noqa: SLF001
    assert after is not None and after is not before  # stopped while the store was closed, then started again
    assert services.store is store and not store.closed and len(store.messages.recent()) == 3
    assert StoreMeta(store.path).read()["key_mode"] == "passphrase" and "new passphrase" in panel.outcome.text()
    services.indexing.request()  # indexing was released: it runs again
    qtbot.waitUntil(lambda: services.indexing.finished.is_set(), timeout=20000)


def test_restore_in_the_app_shows_the_backups_data(qtbot, main_window, facade, store, tmp_path):  # noqa: ANN001
    assert len(facade.inbox()[0]) == 3
    src, recovery = laptop_backup(tmp_path)
    panel = privacy(qtbot, main_window)
    panel.backup_path.setText(str(src))
    qtbot.keyClicks(panel.restore_key, recovery)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.store_reopened, timeout=20000):
        confirm(qtbot, panel)
    assert "Restored from" in panel.outcome.text()
    assert store.settings.get("test.note") == "board deck v3" and facade.inbox()[0] == []


def test_erasing_everything_tells_the_app_to_close(qtbot, main_window, store):  # noqa: ANN001
    panel = privacy(qtbot, main_window)
    qtbot.keyClicks(panel.wipe_word, "wipe")
    with qtbot.waitSignal(main_window.store_wiped, timeout=20000):
        qtbot.mouseClick(panel.wipe_button, Qt.MouseButton.LeftButton)
    assert not store.path.exists()
