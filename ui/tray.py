"""The system-tray icon and its menu: the next meeting and the replies owed (status lines), Quick ask,
Start/stop recording, Open Reflex, Sync now, Quit; and desktop notifications shown through the icon.

The menu and its actions exist even where there is no tray (offscreen, some Wayland desktops), so the app
offers the same commands elsewhere (Ctrl+K for quick ask in the main window) and tests can drive them.

Global hotkey: Qt has no cross-platform global shortcut, and Wayland forbids grabbing keys. Instead,
`reflex-assistant gui --quick-ask` asks the running instance to open the popup; bind that command to a key in
the desktop's keyboard settings (GNOME, KDE, macOS Shortcuts, Windows shortcut key) for a system-wide hotkey.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


class TrayController(QObject):
    message_clicked = Signal(str)
    """link — the user clicked the last notification, which points at this `reflex://` target."""

    def __init__(self, *, icon: QIcon, recording_icon: QIcon, on_quick_ask: Callable[[], None],
                 on_toggle_recording: Callable[[], None], on_open: Callable[[], None],
                 on_sync: Callable[[], None], on_quit: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icon, self._recording_icon = icon, recording_icon
        self.menu = QMenu()
        self.menu.setAccessibleName("Reflex tray menu")
        self.next_meeting_action = self._status_line("No upcoming meetings")
        self.replies_owed_action = self._status_line("0 replies owed")
        self.menu.addSeparator()
        self.quick_ask_action = self._add("Quick ask…", on_quick_ask)
        self.record_action = self._add("Start recording", on_toggle_recording)
        self.open_action = self._add("Open Reflex", on_open)
        self.sync_action = self._add("Sync now", on_sync)
        self.menu.addSeparator()
        self.quit_action = self._add("Quit Reflex", on_quit)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self._last_link = ""
        self.icon: QSystemTrayIcon | None = None
        if self.available:
            self.icon = QSystemTrayIcon(icon, self)
            self.icon.setToolTip("Reflex")
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
            self.icon.messageClicked.connect(lambda: self.message_clicked.emit(self._last_link))
            self._on_quick_ask = on_quick_ask
            self.icon.show()

    def _add(self, text: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(slot)
        self.menu.addAction(action)
        return action

    def _status_line(self, text: str) -> QAction:
        """A menu line that informs (disabled: nothing to trigger)."""
        action = QAction(text, self.menu)
        action.setEnabled(False)
        self.menu.addAction(action)
        return action

    def set_status(self, next_meeting: str, replies_owed: str) -> None:
        """Update the menu's status lines (see `engine.notifications.tray_lines`)."""
        self.next_meeting_action.setText(next_meeting)
        self.replies_owed_action.setText(replies_owed)
        if self.icon is not None:
            self.icon.setToolTip(f"Reflex — {next_meeting}; {replies_owed}")

    def set_recording(self, recording: bool) -> None:
        self.record_action.setText("Stop recording" if recording else "Start recording")
        if self.icon is not None:
            self.icon.setIcon(self._recording_icon if recording else self._icon)
            self.icon.setToolTip("Reflex — recording" if recording else "Reflex")

    def anchor(self) -> QRect | None:
        """Where the icon is on screen (None when unknown), to place the quick-ask popup beside it."""
        if self.icon is None:
            return None
        rect = self.icon.geometry()
        return rect if rect.isValid() and not rect.isEmpty() else None

    def notify(self, title: str, message: str, link: str = "") -> bool:
        """A desktop notification through the tray (the platform's own notification where Qt has one); clicking
        it emits `message_clicked(link)`. False when there is no tray to show it."""
        if self.icon is None or not self.icon.supportsMessages():
            return False
        self._last_link = link
        self.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)
        return True

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._on_quick_ask()

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
