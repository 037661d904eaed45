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
    gui = GuiApp(ctx, app=QApplication.instance(), instance=Instance())
    gui.open_main()
    qtbot.addWidget(gui.window)
    with qtbot.waitSignal(gui.attention.polled, timeout=10000):
        gui.attention.poll()
    assert gui.tray.next_meeting_action.text().startswith("Next: Acme expansion call")
    assert "--quick-ask" in gui.hotkey.problem  # no display here: said, not crashed
    settings = gui.window.show_page("settings")
    assert "--quick-ask" in settings.notifications.shortcut_status.text()
    assert settings.backups.folder.placeholderText().startswith("No folder")
    settings.notifications.switches["notify_meetings"].click()
    assert "meeting_soon" not in gui.attention.policy.prefs.enabled  # the running policy follows Settings
    gui.attention.stop()
    gui.bridge.close()
    gui.tasks.shutdown()
    gui.llm.shutdown()
    gui.services.close()
