"""Notifications on the Qt side: without a tray (offscreen has none) every notice reaches the window fallback;
the tray menu shows the next meeting and the replies owed; a clicked notification opens its link."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtGui import QIcon

from engine.notifications import MailAlert, Notice, NotificationPolicy, NotificationPrefs, tray_lines
from models import Event
from ui.notifier import Notifier
from ui.tray import TrayController

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def make_tray() -> TrayController:
    return TrayController(icon=QIcon(), recording_icon=QIcon(), on_quick_ask=lambda: None,
                          on_toggle_recording=lambda: None, on_open=lambda: None, on_sync=lambda: None,
                          on_quit=lambda: None)


def test_without_a_tray_notices_fall_back_to_the_window(qtbot):  # noqa: ANN001
    tray = make_tray()
    assert tray.available is False  # offscreen: no system tray
    in_window: list[tuple[str, str, str]] = []
    notifier = Notifier(tray=tray, show_in_window=lambda *a: in_window.append(a))
    policy = NotificationPolicy(NotificationPrefs(), timezone.utc)
    start = NOW + timedelta(minutes=7)
    notices = policy.meetings(NOW, [Event("g", "e1", "Board prep", start, start + timedelta(hours=1), id=4)])
    with qtbot.waitSignal(notifier.shown) as blocker:
        notifier.show(notices)
    assert blocker.args == ["meeting_soon", "Board prep in 7 min", "window"]
    assert in_window == [("Board prep in 7 min", notices[0].body, "reflex://event/4")]


def test_several_notices_are_merged_into_one_message(qtbot):  # noqa: ANN001
    in_window: list[tuple[str, str, str]] = []
    notifier = Notifier(tray=None, show_in_window=lambda *a: in_window.append(a))
    kinds: list[str] = []
    notifier.shown.connect(lambda kind, title, where: kinds.append(kind))
    notifier.show([Notice("urgent_mail", "thread:a", "Urgent: Outage", "From ops", "reflex://email/1"),
                   Notice("reconnect", "reconnect:g", "Reconnect needed", "gmail stopped")])
    assert kinds == ["urgent_mail", "reconnect"]
    (title, body, link), = in_window
    assert title == "2 things need you" and "Urgent: Outage" in body and link == "reflex://email/1"
    notifier.show([])
    assert len(in_window) == 1


def test_tray_menu_shows_next_meeting_and_replies_owed(qtbot):  # noqa: ANN001
    tray = make_tray()
    start = NOW + timedelta(hours=2)
    alerts = [MailAlert(i, f"t{i}", "s", "x", "normal", NOW, waiting_on_me=True) for i in range(3)]
    tray.set_status(*tray_lines(NOW, [Event("g", "e", "1:1 Sam", start, start + timedelta(hours=1))], alerts,
                                timezone.utc))
    lines = [a.text() for a in tray.menu.actions() if not a.isSeparator() and not a.isEnabled()]
    assert lines == ["Next: 1:1 Sam (11:00)", "3 replies owed"]


def test_clicking_a_notification_opens_its_link(qtbot):  # noqa: ANN001
    tray = make_tray()
    notifier = Notifier(tray=tray, show_in_window=lambda *a: None)
    with qtbot.waitSignal(notifier.link_activated) as blocker:
        tray.message_clicked.emit("reflex://email/9")
    assert blocker.args == ["reflex://email/9"]
    with qtbot.assertNotEmitted(notifier.link_activated):
        tray.message_clicked.emit("")


def test_the_watch_polls_the_store_off_the_gui_thread_and_notifies(qtbot, store, workspace, tasks):  # noqa: ANN001
    from engine.events import ACCOUNT_DID_NEED_REAUTH, SYNC_DID_FINISH, EventBus
    from engine.usecases.attention import attention_snapshot
    from ui.attention_watch import AttentionWatch
    from ui.event_bridge import EventBridge

    tray = make_tray()
    shown: list[tuple[str, str, str]] = []
    notifier = Notifier(tray=tray, show_in_window=lambda *a: shown.append(a))
    policy = NotificationPolicy(NotificationPrefs(meeting_lead_minutes=120), timezone.utc)  # seeded call: in ~1 h
    watch = AttentionWatch(fetch=lambda now: attention_snapshot(store, now), policy=policy, notifier=notifier,
                           tasks=tasks, tray=tray)
    with qtbot.waitSignal(watch.polled, timeout=5000):
        watch.start()
    assert any(link == f"reflex://event/{workspace['event']}" for _, _, link in shown)
    assert tray.next_meeting_action.text().startswith("Next: Acme expansion call")
    with qtbot.waitSignal(watch.polled, timeout=5000):
        watch.poll()
    assert len(shown) == 1  # nothing new: nothing repeated
    bus = EventBus()
    bridge = EventBridge(bus=bus)
    bridge.event_received.connect(watch.on_engine_event)
    with qtbot.waitSignal(notifier.shown) as blocker:
        bus.emit(ACCOUNT_DID_NEED_REAUTH, account="gmail:dana")
    assert blocker.args[0] == "reconnect"
    bus.emit(SYNC_DID_FINISH, account="gmail:dana", added=0, updated=0, deleted=0)
    with qtbot.waitSignal(notifier.shown):
        bus.emit(ACCOUNT_DID_NEED_REAUTH, account="gmail:dana")  # access lost again after a good sync: news
    watch.stop()
    bridge.close()
