"""Settings → Notifications: switches, lead time and quiet hours reach the typed settings; a refused value says
why and is not saved; the shortcut is saved and its state (grabbed or how to bind the command) is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from app.settings import Settings
from ui.views.notification_settings import NotificationsPanel


def make(qtbot, problem: str = ""):  # noqa: ANN001, ANN201
    settings = Settings()

    def save(**changes: object) -> None:  # what the facade does: validate with pydantic, then persist
        for name, value in changes.items():
            setattr(settings, name, value)  # validate_assignment: ValidationError is a ValueError

    panel = NotificationsPanel(settings=settings, save=save, shortcut_problem=lambda: problem)
    qtbot.addWidget(panel)
    return panel, settings


def test_switches_and_lead_time_are_saved(qtbot):  # noqa: ANN001
    panel, settings = make(qtbot)
    panel.show()
    qtbot.mouseClick(panel.switches["notify_urgent_mail"], Qt.MouseButton.LeftButton)
    assert settings.notify_urgent_mail is False and panel.status.text() == "Saved."
    assert "urgent_mail" not in settings.notification_prefs().enabled
    panel.lead.setFocus()
    panel.lead.selectAll()
    qtbot.keyClicks(panel.lead, "25")
    qtbot.keyClick(panel.lead, Qt.Key.Key_Return)
    assert settings.meeting_notice_minutes == 25


def test_bad_quiet_hours_say_why_and_are_not_saved(qtbot):  # noqa: ANN001
    panel, settings = make(qtbot)
    panel.show()
    panel.quiet.setFocus()
    qtbot.keyClicks(panel.quiet, "late")
    qtbot.keyClick(panel.quiet, Qt.Key.Key_Return)
    assert "HH:MM-HH:MM" in panel.status.text() and settings.quiet_hours == ""
    panel.quiet.setText("22:00-07:00")
    qtbot.keyClick(panel.quiet, Qt.Key.Key_Return)
    assert settings.quiet_hours == "22:00-07:00"


def test_shortcut_is_saved_and_its_state_shown(qtbot):  # noqa: ANN001
    panel, settings = make(qtbot, problem="Wayland does not let apps grab a global shortcut; bind …--quick-ask")
    assert "--quick-ask" in panel.shortcut_status.text()
    panel.shortcut.setKeySequence(QKeySequence("Ctrl+Shift+K"))
    with qtbot.waitSignal(panel.shortcut_changed) as blocker:
        panel.shortcut.editingFinished.emit()
    assert blocker.args == ["Ctrl+Shift+K"] and settings.quick_ask_shortcut == "Ctrl+Shift+K"


def test_every_control_is_reachable_with_tab(qtbot):  # noqa: ANN001
    panel, _ = make(qtbot)
    panel.show()
    qtbot.waitExposed(panel)
    order, widget = [], panel.switches["notify_meetings"]
    widget.setFocus()
    for _ in range(12):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
    names = {w.accessibleName() for w in order}
    assert {"Quiet hours", "Minutes before a meeting to notify", "When a long job finishes"} <= names
