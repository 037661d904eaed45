"""A system-wide shortcut for quick ask, where the desktop lets an app grab one.

Qt has no global shortcut API. `pynput` (already the standard, maintained cross-platform listener: X11 through
python-xlib, Windows hooks, macOS Quartz event taps) watches the key combination on its own thread; this class
re-emits it as `activated` on the GUI thread. Wayland forbids grabbing keys by design, and an X server that is
missing cannot be asked: then `support()` says so, with how to bind `reflex-assistant gui --quick-ask` to a key
in the desktop's own keyboard settings instead (it asks the running app to open the popup).

Threads: create, start and stop on the GUI thread; pynput's listener thread only emits a queued signal.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal

__all__ = ["BIND_HINT", "GlobalHotkey", "ShortcutError", "support", "to_pynput"]

log = logging.getLogger(__name__)

BIND_HINT = ("bind the command `reflex-assistant gui --quick-ask` to a key in your desktop's keyboard settings "
             "(GNOME: Settings → Keyboard → Custom Shortcuts; KDE: System Settings → Shortcuts)")

_KEYS = {"ctrl": "<ctrl>", "control": "<ctrl>", "alt": "<alt>", "option": "<alt>", "shift": "<shift>",
         "meta": "<cmd>", "cmd": "<cmd>", "super": "<cmd>", "win": "<cmd>", "space": "<space>", "tab": "<tab>",
         "enter": "<enter>", "return": "<enter>", "esc": "<esc>", "escape": "<esc>"}


class ShortcutError(ValueError):
    """The shortcut text cannot be a global shortcut (the message says what to write)."""


def to_pynput(sequence: str) -> str:
    """Qt-style "Ctrl+Alt+Space" -> pynput's "<ctrl>+<alt>+<space>"; at least one modifier and one other key."""
    parts = [p.strip().lower() for p in sequence.split("+")]
    if len(parts) < 2 or not all(parts):
        raise ShortcutError(f"{sequence!r}: use a modifier and a key, e.g. Ctrl+Alt+Space")
    *mods, key = parts
    if any(_KEYS.get(m) not in ("<ctrl>", "<alt>", "<shift>", "<cmd>") for m in mods):
        raise ShortcutError(f"{sequence!r}: the keys before the last must be Ctrl, Alt, Shift or Meta")
    if key in _KEYS:
        key = _KEYS[key]
    elif len(key) == 1 and key.isalnum():
        pass
    elif key[:1] == "f" and key[1:].isdigit() and 1 <= int(key[1:]) <= 24:
        key = f"<{key}>"
    else:
        raise ShortcutError(f"{sequence!r}: the last key must be a letter, a digit, F1-F24, Space, Tab or Enter")
    return "+".join([*(_KEYS[m] for m in mods), key])


def support(env: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """"" where a global shortcut can be grabbed; otherwise why not and what to do instead (shown in Settings)."""
    env = os.environ if env is None else env
    if (platform or sys.platform).startswith("linux"):
        if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
            return f"Wayland does not let apps grab a global shortcut; {BIND_HINT}."
        if not env.get("DISPLAY"):
            return f"There is no X display to grab a shortcut on; {BIND_HINT}."
    return ""


Listener = Callable[[dict[str, Callable[[], None]]], Any]  # pynput.keyboard.GlobalHotKeys-like: .start()/.stop()


class GlobalHotkey(QObject):
    activated = Signal()
    """The shortcut was pressed anywhere on the desktop (GUI thread)."""

    def __init__(self, *, listener: Listener | None = None, parent: QObject | None = None) -> None:
        """`listener` builds the key listener from {combination: callback}; default pynput's GlobalHotKeys."""
        super().__init__(parent)
        self._make_listener = listener
        self._listener: Any = None
        self.problem = ""

    def start(self, sequence: str) -> bool:
        """Grab `sequence` (replacing any earlier one); False with `problem` set when it cannot be grabbed."""
        self.stop()
        try:
            combo = to_pynput(sequence)
        except ShortcutError as exc:
            self.problem = str(exc)
            return False
        self.problem = support() if self._make_listener is None else ""
        if self.problem:
            return False
        try:
            make = self._make_listener or _pynput_listener()
            self._listener = make({combo: self.activated.emit})  # emitted on pynput's thread: queued to ours
            self._listener.start()
        except Exception as exc:  # noqa: BLE001 - any backend failure means "not available here", said in Settings
            log.info("global shortcut unavailable: %s", type(exc).__name__)
            self._listener = None
            self.problem = f"The shortcut could not be grabbed ({type(exc).__name__}); {BIND_HINT}."
            return False
        return True

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None


def _pynput_listener() -> Listener:
    from pynput import keyboard  # imported late: it needs a display server at import time on Linux

    return keyboard.GlobalHotKeys
