"""What deserves a desktop notification, and when: the notification policy (no Qt, no store).

The app feeds it what it already reads for its pages (upcoming calendar events, triage verdicts, engine events)
and shows what it returns; the policy only decides. Kinds, each switchable by the user:
- `meeting_soon`: a meeting starts within `meeting_lead_minutes` (default 10); links to the event's dossier.
- `urgent_mail`: triage marked a new mail urgent; at most one notification per thread, held during quiet hours
  (not dropped: it is offered again once they end, while it is still recent).
- `reply_overdue`: a mail that waits on the user's reply has waited more than `reply_overdue_hours`; once per
  message, held during quiet hours.
- `reconnect`: an account stopped syncing until the user reconnects (once per account until it syncs again).
- `job_finished`: a long background job (indexing, import, transcription, backup) ended.

Why a separate policy: deduplication, quiet hours and the switches are product rules that must be tested
without a desktop, and both the tray and any later notifier reuse them. Threads: one instance is used from one
thread at a time (the GUI thread in the app). Payloads hold titles and senders, never bodies or transcripts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo

from models import Event

__all__ = ["KINDS", "MailAlert", "Notice", "NotificationPolicy", "NotificationPrefs", "QuietHours", "tray_lines"]

KINDS = ("meeting_soon", "urgent_mail", "reply_overdue", "reconnect", "job_finished")


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification to show. `key` identifies what it is about (deduplication); `link` is a `reflex://`
    target to open when the user clicks it ("" for none)."""

    kind: str
    key: str
    title: str
    body: str
    link: str = ""


@dataclass(frozen=True, slots=True)
class MailAlert:
    """What the policy needs of one triaged mail (from `TriageResult` plus its thread)."""

    message_id: int
    thread_key: str
    subject: str
    sender: str
    priority: str
    sent_at: datetime
    waiting_on_me: bool = False  # the thread waits on the user's reply


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily window (local time) with no mail notifications; may cross midnight ("22:00-07:00")."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours | None:
        """`"HH:MM-HH:MM"`, or None for "" (no quiet hours); ValueError names what is wrong."""
        text = text.strip()
        if not text:
            return None
        try:
            a, b = (time.fromisoformat(part.strip()) for part in text.split("-"))
        except ValueError as exc:
            raise ValueError(f"quiet hours {text!r}: write them as HH:MM-HH:MM, e.g. 22:00-07:00") from exc
        return cls(a, b)

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(slots=True)
class NotificationPrefs:
    """The user's switches (Settings); `enabled` holds the kinds that are on."""

    enabled: frozenset[str] = frozenset(KINDS)
    meeting_lead_minutes: int = 10
    reply_overdue_hours: int = 48
    urgent_window_hours: int = 24  # an urgent mail older than this is no news any more
    quiet_hours: QuietHours | None = None


@dataclass(slots=True)
class NotificationPolicy:
    """Decides notifications; remembers what it already said (`said`, keys) so nothing repeats."""

    prefs: NotificationPrefs
    tz: tzinfo
    said: set[str] = field(default_factory=set)

    def _on(self, kind: str) -> bool:
        return kind in self.prefs.enabled

    def _quiet(self, now: datetime) -> bool:
        quiet = self.prefs.quiet_hours
        return quiet is not None and quiet.contains(now.astimezone(self.tz).time())

    def _once(self, notices: Iterable[Notice]) -> list[Notice]:
        out = []
        for notice in notices:
            if notice.key not in self.said:
                self.said.add(notice.key)
                out.append(notice)
        return out

    def meetings(self, now: datetime, events: Iterable[Event]) -> list[Notice]:
        """Meetings starting within the lead time (not all-day, not cancelled), once per event instance."""
        if not self._on("meeting_soon"):
            return []
        lead = timedelta(minutes=self.prefs.meeting_lead_minutes)
        due = [e for e in events if not e.all_day and e.status != "cancelled" and now <= e.start <= now + lead]
        return self._once(
            Notice("meeting_soon", f"meeting:{e.id or e.provider_id}:{e.start.isoformat()}",
                   f"{e.title} in {max(0, round((e.start - now).total_seconds() / 60))} min",
                   f"Starts {e.start.astimezone(self.tz):%H:%M}" + (f" · {e.location}" if e.location else "")
                   + " — open the dossier", f"reflex://event/{e.id}" if e.id else "")
            for e in sorted(due, key=lambda e: e.start))

    def mail(self, now: datetime, alerts: Iterable[MailAlert]) -> list[Notice]:
        """Urgent new mail (one per thread) and overdue replies (one per message); nothing in quiet hours."""
        if self._quiet(now):
            return []
        notices = []
        recent = now - timedelta(hours=self.prefs.urgent_window_hours)
        overdue = now - timedelta(hours=self.prefs.reply_overdue_hours)
        for a in sorted(alerts, key=lambda a: a.sent_at, reverse=True):
            if self._on("urgent_mail") and a.priority == "urgent" and a.sent_at >= recent:
                notices.append(Notice("urgent_mail", f"thread:{a.thread_key}", f"Urgent: {a.subject}",
                                      f"From {a.sender}", f"reflex://email/{a.message_id}"))
            if self._on("reply_overdue") and a.waiting_on_me and a.sent_at <= overdue:
                days = max(1, (now - a.sent_at).days)
                notices.append(Notice("reply_overdue", f"owed:{a.message_id}", f"Reply owed: {a.subject}",
                                      f"{a.sender} has waited {days} day{'s' if days > 1 else ''}",
                                      f"reflex://email/{a.message_id}"))
        return self._once(notices)

    def reconnect(self, account: str) -> list[Notice]:
        """An account needs the user to sign in again (once until `synced(account)`)."""
        if not self._on("reconnect"):
            return []
        return self._once([Notice("reconnect", f"reconnect:{account}", "Reconnect needed",
                                  f"{account} stopped syncing; reconnect it in Settings → Accounts.",
                                  "reflex://settings/accounts")])

    def synced(self, account: str) -> None:
        """The account synced again: a later loss of access is news again."""
        self.said.discard(f"reconnect:{account}")

    def job_finished(self, job: str, outcome: str, *, failed: bool = False) -> list[Notice]:
        """A long job ended (each run is news: no deduplication)."""
        if not self._on("job_finished"):
            return []
        return [Notice("job_finished", f"job:{job}", f"{job} {'failed' if failed else 'finished'}", outcome)]


def tray_lines(now: datetime, events: Iterable[Event], alerts: Iterable[MailAlert], tz: tzinfo) -> tuple[str, str]:
    """The tray menu's two status lines: the next meeting today or later ("No more meetings today" when none
    is left today) and how many replies the user owes."""
    upcoming = sorted((e for e in events if not e.all_day and e.status != "cancelled" and e.end > now),
                      key=lambda e: e.start)
    if upcoming:
        e = upcoming[0]
        local = e.start.astimezone(tz)
        day = "" if local.date() == now.astimezone(tz).date() else f"{local:%a} "
        meeting = f"Next: {e.title} ({'now' if e.start <= now else f'{day}{local:%H:%M}'})"
    else:
        meeting = "No upcoming meetings"
    owed = sum(1 for a in alerts if a.waiting_on_me)
    return meeting, f"{owed} repl{'y' if owed == 1 else 'ies'} owed"
