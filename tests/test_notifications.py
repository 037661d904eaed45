"""The notification policy: lead time, one per thread, quiet hours, switches, reconnect and the tray lines."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from engine.notifications import (KINDS, MailAlert, NotificationPolicy, NotificationPrefs, QuietHours,
                                            tray_lines)
from models import Event

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)  # 10:00 in Berlin


def event(minutes: float, *, eid: int = 1, title: str = "Board prep", **kw) -> Event:
    start = NOW + timedelta(minutes=minutes)
    return Event("g:me", f"p{eid}", title, start, start + timedelta(minutes=30), id=eid, **kw)


def mail(mid: int, thread: str, *, hours_ago: float = 1, priority: str = "urgent", owed: bool = False) -> MailAlert:
    return MailAlert(mid, thread, f"Subject {mid}", "Dana <dana@acme.com>", priority,
                     NOW - timedelta(hours=hours_ago), waiting_on_me=owed)


def policy(**prefs) -> NotificationPolicy:
    return NotificationPolicy(NotificationPrefs(**prefs), BERLIN)


def test_meeting_within_lead_time_once_with_a_dossier_link():
    p = policy()
    events = [event(5, eid=1), event(25, eid=2), event(-5, eid=3), event(8, eid=4, all_day=True),
              event(3, eid=5, status="cancelled")]
    notices = p.meetings(NOW, events)
    assert [n.link for n in notices] == ["reflex://event/1"]
    assert "5 min" in notices[0].title and "10:05" in notices[0].body  # local time
    assert p.meetings(NOW + timedelta(minutes=1), events) == []  # said once
    later = p.meetings(NOW + timedelta(minutes=16), events)  # the 25-minute one enters the 10-minute lead
    assert [n.link for n in later] == ["reflex://event/2"]


def test_lead_time_is_configurable():
    assert policy(meeting_lead_minutes=30).meetings(NOW, [event(25)])
    assert not policy(meeting_lead_minutes=20).meetings(NOW, [event(25)])


def test_urgent_mail_one_per_thread_and_only_urgent_and_recent():
    p = policy()
    alerts = [mail(1, "t1"), mail(2, "t1", hours_ago=0.5), mail(3, "t2", priority="important"),
              mail(4, "t3", hours_ago=30)]
    notices = p.mail(NOW, alerts)
    assert [(n.kind, n.link) for n in notices] == [("urgent_mail", "reflex://email/2")]  # newest of thread t1
    assert p.mail(NOW, [*alerts, mail(5, "t1", hours_ago=0.1)]) == []  # a new mail in the same thread: quiet


def test_quiet_hours_hold_mail_until_they_end():
    p = policy(quiet_hours=QuietHours.parse("22:00-07:00"))
    night = datetime(2026, 12, 2, 23, 30, tzinfo=BERLIN)
    alert = MailAlert(1, "t1", "Outage", "ops@acme.com", "urgent", night - timedelta(minutes=5))
    assert p.mail(night, [alert]) == []
    morning = datetime(2026, 12, 3, 7, 15, tzinfo=BERLIN)
    assert [n.kind for n in p.mail(morning, [alert])] == ["urgent_mail"]


def test_meetings_are_not_held_by_quiet_hours():
    p = policy(quiet_hours=QuietHours.parse("00:00-23:59"))
    assert p.meetings(NOW, [event(5)])


def test_overdue_reply_once_per_message():
    p = policy(reply_overdue_hours=48)
    alerts = [mail(1, "t1", hours_ago=72, priority="normal", owed=True),
              mail(2, "t2", hours_ago=10, priority="normal", owed=True),
              mail(3, "t3", hours_ago=80, priority="normal")]
    notices = p.mail(NOW, alerts)
    assert [(n.kind, n.key) for n in notices] == [("reply_overdue", "owed:1")]
    assert "3 days" in notices[0].body
    assert p.mail(NOW, alerts) == []


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_can_be_switched_off(kind):
    p = policy(enabled=frozenset(KINDS) - {kind})
    produced = {n.kind for n in [*p.meetings(NOW, [event(5)]),
                                 *p.mail(NOW, [mail(1, "t1"), mail(2, "t2", hours_ago=72, owed=True)]),
                                 *p.reconnect("gmail:me"), *p.job_finished("Indexing", "120 items")]}
    assert produced == set(KINDS) - {kind}


def test_reconnect_once_until_the_account_syncs_again():
    p = policy()
    assert len(p.reconnect("gmail:me")) == 1
    assert p.reconnect("gmail:me") == []
    p.synced("gmail:me")
    assert len(p.reconnect("gmail:me")) == 1


def test_job_finished_says_failure():
    (n,) = policy().job_finished("Backup", "The folder is gone.", failed=True)
    assert n.title == "Backup failed" and n.body == "The folder is gone."


def test_quiet_hours_parse_and_wrap_midnight():
    q = QuietHours.parse("22:00-07:00")
    assert q is not None and q.contains(time(23)) and q.contains(time(6, 59)) and not q.contains(time(7))
    assert QuietHours.parse("") is None
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        QuietHours.parse("late")


def test_tray_lines_next_meeting_and_replies_owed():
    meeting, owed = tray_lines(NOW, [event(90, title="1:1 Sam"), event(30, eid=2, title="Standup", status="cancelled")],
                               [mail(1, "a", owed=True), mail(2, "b", owed=True), mail(3, "c")], BERLIN)
    assert meeting == "Next: 1:1 Sam (11:30)" and owed == "2 replies owed"
    assert tray_lines(NOW, [], [mail(1, "a", owed=True)], BERLIN) == ("No upcoming meetings", "1 reply owed")
    meeting, _ = tray_lines(NOW, [event(-10)], [], BERLIN)
    assert meeting == "Next: Board prep (now)"
