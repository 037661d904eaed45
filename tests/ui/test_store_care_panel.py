"""Settings → Privacy → Store care driven through its widgets on real encrypted stores: restore with the recovery
key after a confirmation, change to a passphrase, erase everything after typing the word; refusals say why and
change nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from engine.store import StoreMeta
from engine.usecases.store_care import StoreCare
from tests.care_host import AppHost, laptop_backup
from ui.views.privacy_care import StoreCarePanel


def make(qtbot, store, tasks, forgotten=None):  # noqa: ANN001, ANN201
    host = AppHost(store)
    care = StoreCare(host, home=store.path.parent,
                     forget_sign_ins=lambda s: (forgotten.append(s) if forgotten is not None else None) or 0)
    panel = StoreCarePanel(care=care, tasks=tasks)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.key_mode.text() != "")  # read off the GUI thread
    return panel, host


def confirm(qtbot, panel, button=QMessageBox.StandardButton.Ok) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: panel.confirm_box is not None and panel.confirm_box.isVisible())
    qtbot.mouseClick(panel.confirm_box.button(button), Qt.MouseButton.LeftButton)


def test_restore_with_the_recovery_key_after_confirming(qtbot, store, tasks, tmp_path) -> None:  # noqa: ANN001
    src, recovery = laptop_backup(tmp_path)
    panel, host = make(qtbot, store, tasks)
    qtbot.keyClicks(panel.backup_path, str(src))
    qtbot.keyClicks(panel.restore_key, "RFLX-0000-0000")
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    confirm(qtbot, panel)
    qtbot.waitUntil(lambda: panel.restore_button.isEnabled(), timeout=15000)
    assert "recovery key" in panel.outcome.text() and host.store().settings.get("test.note") is None
    assert panel.restore_key.text() == ""  # a typed secret never stays in the widget

    qtbot.keyClicks(panel.restore_key, recovery)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    confirm(qtbot, panel, QMessageBox.StandardButton.Cancel)
    assert tasks.running("store-care", panel) is None and panel.outcome.text().startswith("Neither")
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.store_reopened, timeout=15000):
        confirm(qtbot, panel)
    assert "Restored from" in panel.outcome.text() and not panel.progress_row.isVisible()
    assert host.store().settings.get("test.note") == "board deck v3"


def test_change_to_a_passphrase_then_the_current_one_is_asked(qtbot, store, tasks) -> None:  # noqa: ANN001
    panel, host = make(qtbot, store, tasks)
    assert "keyring" in panel.key_mode.text() and not panel.current_passphrase.isEnabled()
    qtbot.mouseClick(panel.use_passphrase, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.new_passphrase, "correct horse battery")
    qtbot.keyClicks(panel.repeat_passphrase, "correct horse batterY")
    qtbot.mouseClick(panel.rekey_button, Qt.MouseButton.LeftButton)
    assert "differ" in panel.outcome.text() and panel.confirm_box is None
    panel.repeat_passphrase.clear()
    qtbot.keyClicks(panel.repeat_passphrase, "correct horse battery")
    qtbot.mouseClick(panel.rekey_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.store_reopened, timeout=15000):
        confirm(qtbot, panel)
    assert "new passphrase" in panel.outcome.text() and StoreMeta(store.path).read()["key_mode"] == "passphrase"
    qtbot.waitUntil(lambda: "passphrase" in panel.key_mode.text())
    assert panel.current_passphrase.isEnabled() and panel.use_keyring.isEnabled()
    assert not panel.restore_passphrase.isVisible()  # this computer has a keyring: no passphrase to choose
    assert panel.new_passphrase.text() == panel.repeat_passphrase.text() == ""


def test_erase_everything_needs_the_word_then_hands_no_store_back(qtbot, store, tasks) -> None:  # noqa: ANN001
    forgotten: list = []
    panel, host = make(qtbot, store, tasks, forgotten)
    assert not panel.wipe_button.isEnabled()
    qtbot.keyClicks(panel.wipe_word, "wip")
    assert not panel.wipe_button.isEnabled()
    qtbot.keyClicks(panel.wipe_word, "e")
    with qtbot.waitSignal(panel.wiped, timeout=15000):
        qtbot.mouseClick(panel.wipe_button, Qt.MouseButton.LeftButton)
    assert "Deleted the Reflex store" in panel.outcome.text()
    assert forgotten == [store] and not store.path.exists() and host.calls[-1] == "resume-none"


def test_a_new_recovery_key_is_shown_once_and_opens_later_backups(qtbot, store, tasks, tmp_path, memory_keyring) -> None:  # noqa: ANN001
    from engine.store.backup import backup
    from engine.store.keys import KEYRING_SERVICE
    from engine.usecases.store_care import backup_key

    panel, host = make(qtbot, store, tasks)
    qtbot.mouseClick(panel.recovery_button, Qt.MouseButton.LeftButton)
    confirm(qtbot, panel)
    qtbot.waitUntil(lambda: getattr(panel, "recovery_box", None) is not None, timeout=10000)
    shown = next(word for word in panel.recovery_box.text().split() if word.startswith("RFLX-"))
    assert "no longer opens" in panel.outcome.text() and host.calls == []  # nothing paused: only store.json changed
    folder = tmp_path / "usb"
    folder.mkdir()
    info = backup(store, folder)
    for name in [n for s, n in memory_keyring.secrets if s == KEYRING_SERVICE]:  # a new computer: no keyring keys
        memory_keyring.delete_password(KEYRING_SERVICE, name)
    assert backup_key(info.path, tmp_path / "new" / "reflex.db", live_key=None, secret=shown) is not None
    assert backup_key(info.path, tmp_path / "new" / "reflex.db", live_key=None, secret="RFLX-0000") is None


def test_without_a_keyring_the_restore_asks_for_a_passphrase_and_the_keyring_is_not_offered(
        qtbot, store, tasks, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("REFLEX_PASSPHRASE", "the one set for scripts")  # what a headless computer does
    panel, _ = make(qtbot, store, tasks)
    assert panel.restore_passphrase.isVisible() and not panel.use_keyring.isEnabled()
