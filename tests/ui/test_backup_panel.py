"""Settings → Privacy → Backups on a real store: choose a folder, back up now (progress, then a clear outcome),
test the newest backup with the typed recovery key (cleared from the field), and the too-old warning."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import Qt

from app.settings import Settings
from engine.jobs.backups import BackupState, check_newest, run_backup, stale_warning
from engine.store.unlock import new_recovery_key
from ui.views.backup_settings import BackupPanel


def make(qtbot, store, tasks, tmp_path: Path):  # noqa: ANN001, ANN201
    settings = Settings()
    state = tmp_path / "backup-state.json"

    def save(**changes: object) -> None:
        for name, value in changes.items():
            setattr(settings, name, value)

    panel = BackupPanel(
        settings=settings, save=save, tasks=tasks,
        backup_now=lambda: run_backup(store, settings.backup_plan(), state_path=state),
        check_recovery_key=lambda key: check_newest(settings.backup_plan(), live_path=store.path, key=store.key,
                                                    recovery_key=key),
        backup_status=lambda: stale_warning(BackupState.load(state), settings.backup_plan(),
                                            datetime.now(timezone.utc)))
    qtbot.addWidget(panel)
    return panel, settings


def test_back_up_now_then_test_with_the_recovery_key(qtbot, store, tasks, tmp_path):  # noqa: ANN001
    recovery = new_recovery_key(store)
    panel, settings = make(qtbot, store, tasks, tmp_path)
    panel.show()
    folder = tmp_path / "usb"
    folder.mkdir()
    panel.set_folder(str(folder))
    assert settings.backup_folder == str(folder)
    qtbot.waitUntil(lambda: "No backup" in panel.warning.text())
    qtbot.mouseClick(panel.now_button, Qt.MouseButton.LeftButton)
    assert panel.progress.isVisible() and not panel.now_button.isEnabled()
    qtbot.waitUntil(lambda: panel.now_button.isEnabled(), timeout=10000)
    assert "checked: it restores" in panel.outcome.text() and not panel.progress.isVisible()
    assert len(list(folder.glob("*.reflex-backup"))) == 1
    qtbot.waitUntil(lambda: panel.warning.text() == "")
    qtbot.keyClicks(panel.recovery, recovery)
    qtbot.keyClick(panel.recovery, Qt.Key.Key_Return)
    assert panel.recovery.text() == ""  # the key is not kept in the widget
    qtbot.waitUntil(lambda: "opens" in panel.outcome.text() or "failed" in panel.outcome.text(), timeout=10000)
    assert "Your recovery key opens" in panel.outcome.text()
    qtbot.keyClicks(panel.recovery, "RFLX-AAAA-BBBB")
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Restore check failed" in panel.outcome.text(), timeout=10000)


def test_a_missing_folder_fails_clearly(qtbot, store, tasks, tmp_path):  # noqa: ANN001
    panel, settings = make(qtbot, store, tasks, tmp_path)
    settings.backup_folder = str(tmp_path / "unplugged")
    qtbot.mouseClick(panel.now_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.now_button.isEnabled(), timeout=10000)
    assert "The backup failed" in panel.outcome.text() and "Plug the disk in" in panel.outcome.text()
