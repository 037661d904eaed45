"""Light and dark appearance: the Fusion style with a palette per mode plus one small style sheet.

The style sheet (resources/styles/reflex.qss) only sets spacing and type scale and refers to palette roles,
so both modes stay readable (contrast comes from the palette, tuned for WCAG AA body text).
"""

from __future__ import annotations

import importlib.resources

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

_LIGHT = {
    "Window": "#f5f6f8", "WindowText": "#1d2433", "Base": "#ffffff", "AlternateBase": "#eef1f5",
    "Text": "#1d2433", "Button": "#e9ecf1", "ButtonText": "#1d2433", "Highlight": "#2f6fde",
    "HighlightedText": "#ffffff", "ToolTipBase": "#ffffff", "ToolTipText": "#1d2433", "Link": "#1f5fc9",
    "PlaceholderText": "#6b7385", "Mid": "#c9ced8", "Midlight": "#dde1e8", "Dark": "#9aa1ad",
}
_DARK = {
    "Window": "#1c1f26", "WindowText": "#e6e9ef", "Base": "#14171c", "AlternateBase": "#22262e",
    "Text": "#e6e9ef", "Button": "#2a2f39", "ButtonText": "#e6e9ef", "Highlight": "#4c8dff",
    "HighlightedText": "#0b0d10", "ToolTipBase": "#2a2f39", "ToolTipText": "#e6e9ef", "Link": "#8ab4ff",
    "PlaceholderText": "#9099a8", "Mid": "#3a404b", "Midlight": "#323741", "Dark": "#0f1115",
}


def resolve_mode(mode: str) -> str:
    """'light' or 'dark' for a setting of system | light | dark."""
    if mode in ("light", "dark"):
        return mode
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def palette_for(mode: str) -> QPalette:
    palette = QPalette()
    for role, color in (_DARK if mode == "dark" else _LIGHT).items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(color))
    disabled = QColor("#7d8594") if mode == "dark" else QColor("#8a909c")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def apply_theme(app: QApplication, mode: str) -> str:
    """Apply `mode` (system | light | dark) to the whole app; returns the mode actually used."""
    used = resolve_mode(mode)
    app.setStyle("Fusion")
    app.setPalette(palette_for(used))
    sheet = importlib.resources.files("resources").joinpath("styles", "reflex.qss").read_text("utf-8")
    app.setStyleSheet(sheet)
    app.setProperty("reflexTheme", used)
    return used
