"""Settings → Diagnostics: `reflex-assistant doctor` and `status` in the app (#18), run off the GUI thread with the
CLI's own checks, a failing check saying what to do, and a report to copy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

import app.doctor


def _button(panel, name: str) -> QPushButton:  # noqa: ANN001
    return next(b for b in panel.findChildren(QPushButton) if b.accessibleName() == name)


def _rows(panel) -> dict[str, tuple[str, str, str]]:  # noqa: ANN001
    table = panel.table
    return {table.item(r, 0).text(): tuple(table.item(r, c).text() for c in (1, 2, 3))
            for r in range(table.rowCount())}


def test_diagnostics_run_the_doctor_checks_and_say_what_to_fix(qtbot, main_window, ctx, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(app.doctor, "MIN_FREE_BYTES", 10**18)  # no disk has an exabyte free: the disk check fails
    settings = main_window.show_page("settings")
    settings.tabs.setCurrentWidget(settings.diagnostics)
    panel = settings.diagnostics
    with qtbot.waitSignal(panel.checked, timeout=120000):
        qtbot.mouseClick(_button(panel, "Run the diagnostic checks"), Qt.MouseButton.LeftButton)
        assert panel.progress.isVisible()  # the checks run on a worker; the window stays responsive
    assert not panel.progress.isVisible()
    rows = _rows(panel)
    assert rows["store"][0] == "OK" and "integrity" in rows["store"][1]
    assert rows["model:llm-loads"][0] == "OK"  # the chat model really loaded
    assert {"keyring", "disk", "audio-input", "tray"} <= rows.keys()
    verdict, detail, fix = rows["disk"]
    assert verdict == "Problem" and "GB free" in detail and "Free at least 2 GB" in fix
    assert "1 problem(s)" in panel.summary.text()
    status = panel.status_text.toPlainText()
    assert str(ctx.home) in status and "SQLCipher" in status and "Counts:" in status
    qtbot.mouseClick(_button(panel, "Copy the diagnostics report"), Qt.MouseButton.LeftButton)
    report = QApplication.clipboard().text()
    assert "[FAIL] disk" in report and "fix: Free at least 2 GB" in report and str(ctx.home) in report
