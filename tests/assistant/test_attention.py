"""The attention snapshot feeds the notification policy from the store: upcoming events, urgent mail and mail
that waits on the user (not mail that waits on others)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from engine.assistant.identity import ME_SETTING
from engine.notifications import NotificationPolicy, NotificationPrefs, tray_lines
from engine.store.repos.triage import TriageRow
from engine.usecases.attention import attention_snapshot
from models import Contact, Event, Message

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def test_snapshot_to_notices_and_tray_lines(store) -> None:  # noqa: ANN001
    store.settings.set(ME_SETTING, {"emails": ["dana@northwind.example"], "name": "Dana"})
    me, ops, li = (Contact("dana@northwind.example", "Dana"), Contact("ops@northwind.example", "Ops"),
                   Contact("li@acme.example", "Li"))
    ids = store.messages.upsert([
        Message("a", "m1", "t-outage", "Site down", ops, [me], sent_at=NOW - timedelta(minutes=20)),
        Message("a", "m2", "t-quote", "Quote?", li, [me], sent_at=NOW - timedelta(days=3)),
        Message("a", "m3", "t-ask", "Numbers please", me, [li], sent_at=NOW - timedelta(days=3)),
        Message("a", "m4", "t-news", "Newsletter", li, [me], sent_at=NOW - timedelta(hours=1)),
    ])
    store.triage.put_many([TriageRow(ids[0], "urgent", "team", False), TriageRow(ids[1], "normal", "customer", True,
                                                                                 "dana@northwind.example"),
                           TriageRow(ids[2], "normal", "customer", True, "li@acme.example"),
                           TriageRow(ids[3], "low", "newsletter", False)])
    start = NOW + timedelta(minutes=8)
    store.events.upsert([Event("a", "e1", "Acme call", start, start + timedelta(minutes=30))])
    snap = attention_snapshot(store, NOW)
    assert [e.title for e in snap.events] == ["Acme call"]
    assert {(a.message_id, a.priority, a.waiting_on_me) for a in snap.alerts} == {(ids[0], "urgent", False),
                                                                                (ids[1], "normal", True)}
    policy = NotificationPolicy(NotificationPrefs(), timezone.utc)
    kinds = {n.kind for n in [*policy.meetings(NOW, snap.events), *policy.mail(NOW, snap.alerts)]}
    assert kinds == {"meeting_soon", "urgent_mail", "reply_overdue"}
    assert tray_lines(NOW, snap.events, snap.alerts, timezone.utc)[1] == "1 reply owed"
