"""What the notification policy looks at: upcoming meetings and triaged recent mail, read from the store.

Why a use-case: the app polls this every minute from a worker and feeds `engine.notifications`; the tray menu's
status lines (next meeting, replies owed) come from the same snapshot. It only reads stored verdicts (triage
runs after each sync), so a poll costs a few indexed queries. Threads: store-bound (the store worker).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from engine.assistant.identity import resolve_principal
from engine.notifications import MailAlert
from engine.store import Store
from models import Event

__all__ = ["Attention", "attention_snapshot"]


@dataclass(frozen=True, slots=True)
class Attention:
    events: list[Event]  # from now (minus an hour, for one under way) to a day ahead
    alerts: list[MailAlert]  # triaged mail of the last `mail_days` that is urgent or waits on the user


def attention_snapshot(store: Store, now: datetime, *, mail_days: int = 14, limit: int = 500) -> Attention:
    """Upcoming events and the recent mail worth a notification or a count; nothing is triaged here."""
    principal = resolve_principal(store)
    events = store.events.between(now - timedelta(hours=1), now + timedelta(days=1))
    verdicts = {row.message_id: row for row in store.triage.all()}
    alerts = []
    for m in store.messages.recent(limit=limit, since=(now - timedelta(days=mail_days)).astimezone(timezone.utc)
                                   .isoformat()):
        row = verdicts.get(m.id)
        if row is None or m.sent_at is None:
            continue
        owed = bool(row.needs_reply and row.awaiting_from and principal.is_me(row.awaiting_from))
        if row.priority == "urgent" or owed:
            alerts.append(MailAlert(m.id, str(m.thread_id), m.subject, m.sender_name or m.sender_email,
                                    row.priority, datetime.fromisoformat(m.sent_at.replace("Z", "+00:00")), waiting_on_me=owed))
    return Attention(events, alerts)
