"""Questions only Qt can answer (audio inputs, tray), asked without showing any window."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(slots=True)
class QtProbe:
    audio_inputs: list[str]
    tray: bool


def probe() -> QtProbe:
    """Needs no display: falls back to the offscreen platform when none is available."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and os.name == "posix":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtMultimedia import QMediaDevices
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    app = QApplication.instance() or QApplication([])
    inputs = [d.description() for d in QMediaDevices.audioInputs()]
    tray = QSystemTrayIcon.isSystemTrayAvailable()
    del app
    return QtProbe(inputs, tray)
