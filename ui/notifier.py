"""Shows the notification policy's notices: as tray messages where the desktop has a tray, otherwise in the
main window (its status bar), so nothing the policy decided is lost on a desktop without a tray.

The policy (`engine.notifications`) decides what and when; this class only presents. Clicking a tray
message opens its `reflex://` link (`link_activated`). GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal

from engine.notifications import Notice
from ui.tray import TrayController

__all__ = ["Notifier"]


class Notifier(QObject):
    shown = Signal(str, str, str)
    """kind, title, where ("tray" or "window") — a notice was presented."""
    link_activated = Signal(str)
    """reflex:// link — the user clicked a notification that points somewhere."""

    def __init__(self, *, tray: TrayController | None, show_in_window: Callable[[str, str, str], None],
                 parent: QObject | None = None) -> None:
        """`show_in_window(title, body, link)` is the fallback without a tray (e.g. a status-bar message)."""
        super().__init__(parent)
        self._tray, self._show_in_window = tray, show_in_window
        if tray is not None:
            tray.message_clicked.connect(self._clicked)

    def show(self, notices: Iterable[Notice]) -> None:
        """Present each notice (a tray shows one message at a time, so several are merged into one)."""
        notices = list(notices)
        if not notices:
            return
        if len(notices) == 1:
            title, body, link = notices[0].title, notices[0].body, notices[0].link
        else:
            title = f"{len(notices)} things need you"
            body, link = "\n".join(n.title for n in notices[:5]), notices[0].link
        where = "tray" if self._tray is not None and self._tray.notify(title, body, link) else "window"
        if where == "window":
            self._show_in_window(title, body, link)
        for notice in notices:
            self.shown.emit(notice.kind, notice.title, where)

    def _clicked(self, link: str) -> None:
        if link:
            self.link_activated.emit(link)
