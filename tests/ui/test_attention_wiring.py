"""The app wires #18 together: notifications polled into the tray menu (or the status bar without a tray), the
global shortcut grabbed (or why not shown in Settings → Notifications), the backups panel in Privacy, and a
settings change reaching the running policy."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from app.gui import GuiApp


class Instance(QObject):  # the single-instance hand-off: only its signal is used here
    message_received = Signal(str)


def test_open_main_wires_notifications_shortcut_and_backups(qtbot, ctx, workspace, monkeypatch):  # noqa: ANN001
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    # Background jobs (scheduler, indexing, triage) are not under test: only what this test starts runs, and it
    # has finished before the store closes.
    monkeypatch.setattr(GuiApp, "_after_first_paint", lambda self: None)
    gui = GuiApp(ctx, app=QApplication.instance(), instance=Instance())
    gui.open_main()
    qtbot.addWidget(gui.window)
    with qtbot.waitSignal(gui.attention.polled, timeout=10000):
        gui.attention.poll()
    assert gui.tray.next_meeting_action.text().startswith("Next: Acme expansion call")
    assert "--quick-ask" in gui.hotkey.problem  # no display here: said, not crashed
    with qtbot.waitSignal(gui.window.page("settings").loaded, timeout=15000):
        settings = gui.window.show_page("settings")
    assert "--quick-ask" in settings.notifications.shortcut_status.text()
    assert settings.backups.folder.placeholderText().startswith("No folder")
    settings.notifications.switches["notify_meetings"].click()
    ctx.settings.backup_folder = str(ctx.home / "usb")  # chosen, never backed up: warned at start
    messages: list[str] = []
    gui.window.statusBar().messageChanged.connect(messages.append)
    gui.warn_if_backup_stale()
    qtbot.waitUntil(lambda: any("No backup" in m for m in messages), timeout=15000)
    assert "meeting_soon" not in gui.attention.policy.prefs.enabled  # the running policy follows Settings
    gui.attention.stop()
    gui.bridge.close()
    gui.tasks.shutdown()
    gui.llm.shutdown()
    gui.services.close()
