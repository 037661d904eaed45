"""Export everything the store holds to a user-chosen folder, optionally redacted.

Layout of `DEST/reflex-export-<UTC timestamp>/`:
    manifest.json            counts, schema version, redacted flag, time
    mail/<id>.eml            one RFC 5322 message per email (text body; attachments were never stored)
    mail/messages.json       the same messages as JSON (labels, read state, thread keys)
    calendar/events.ics      every event as iCalendar (one VCALENDAR), calendar/events.json as JSON
    meetings/<id>.json       meeting + transcript segments; meetings/<id>.wav when audio is kept and asked for
    documents.json, contacts.json, conversations.json, strategic_context.json, audit.json

WHY a new sub-folder: an export never overwrites anything, and it is obvious what to delete afterwards.
The export is plaintext by nature (that is what the user asked for); it goes only where the user pointed, and
audio is written there only (never to a temp file). `redacted=True` runs every text field through one
`PiiRedactor` (consistent placeholders across files; addresses become `email-N@redacted.invalid`); audio is
never exported redacted (speech cannot be redacted), so `include_audio` is refused with `redacted`.

Threads: call from a worker; `cancel` stops between items (the partial folder is left, marked incomplete).
Errors: `PrivacyError` for a bad destination; store errors as `StoreError`.
"""

from __future__ import annotations

import json
import threading
import wave
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

import icalendar
import numpy as np

from engine.errors import PrivacyError
from engine.privacy.audit import AuditLog, as_dict
from engine.privacy.pii import PiiRedactor, known_names
from engine.store import Store
from models import Contact, Event, Message

__all__ = ["ExportReport", "export_store"]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_FAR = datetime(9999, 1, 1, tzinfo=timezone.utc)


@dataclass(slots=True)
class ExportReport:
    folder: Path
    messages: int = 0
    events: int = 0
    meetings: int = 0
    audio_files: int = 0
    documents: int = 0
    conversations: int = 0
    redacted: bool = False
    redactions: int = 0
    complete: bool = False
    counts_by_kind: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        what = "Redacted export" if self.redacted else "Export"
        return (f"{what} written to {self.folder}: {self.messages} emails, {self.events} events, {self.meetings} meetings"
                f" ({self.audio_files} audio files), {self.documents} documents, {self.conversations} conversations"
                + (f"; {self.redactions} values redacted" if self.redacted else "") + ".")


class _Scrub:
    """Identity, or redaction with address-shaped placeholders for email headers. Identifiers that name a
    person or a domain (account keys such as `google:ceo@corp.com`, Message-IDs, provider and calendar ids,
    audit targets) become numbered placeholders, consistent across files so threads still hang together."""

    def __init__(self, redactor: PiiRedactor | None) -> None:
        self.redactor = redactor
        self._ids: dict[tuple[str, str], str] = {}

    def ident(self, kind: str, value: str) -> str:
        if not self.redactor or not value:
            return value
        return self._ids.setdefault((kind, value), f"{kind}-{sum(k == kind for k, _ in self._ids) + 1}")

    def message_id(self, value: str) -> str:
        return f"{self.ident('message', value.strip('<>'))}@redacted.invalid" if self.redactor and value else value

    def text(self, value: str) -> str:
        return self.redactor.redact(value) if self.redactor and value else value

    def address(self, email: str) -> str:
        if not self.redactor or not email:
            return email
        token = self.redactor.redact(email)
        return token.strip("[]").lower().replace("_", "-") + "@redacted.invalid" if token.startswith("[EMAIL_") else token

    def contact(self, c: Contact) -> Contact:
        return Contact(self.address(c.email), self.text(c.name), self.text(c.organization), c.role)


def export_store(store: Store, dest: Path, *, redacted: bool = False, include_audio: bool = False, region: str = "",
                 on_progress: Callable[[float], None] | None = None, cancel: threading.Event | None = None,
                 now: datetime | None = None) -> ExportReport:
    """Write the export (see module docstring) and audit it. Returns what was written. `region`: the user's
    country, for redacting phone numbers written without a country code ("" = this computer's locale)."""
    if redacted and include_audio:
        raise PrivacyError("Audio cannot be redacted.", next_step="Export audio without --redacted, or leave it out.")
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S")
    folder = Path(dest).expanduser() / f"reflex-export-{stamp}{'-redacted' if redacted else ''}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=False)  # plaintext inside: the user's eyes only
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask; make it exact
        for sub in ("mail", "calendar", "meetings"):
            (folder / sub).mkdir(mode=0o700)
    except FileExistsError as exc:
        raise PrivacyError(f"{folder} already exists.", next_step="Choose another folder or wait a second.") from exc
    except OSError as exc:
        raise PrivacyError(f"Cannot write to {dest}: {exc.strerror}.", next_step="Choose a writable folder.") from exc
    redactor = None
    if redacted:
        people, orgs = known_names(store)
        redactor = PiiRedactor(people, organizations=orgs, region=region)
    scrub = _Scrub(redactor)
    report = ExportReport(folder=folder, redacted=redacted)
    steps: list[Callable[[], None]] = [
        lambda: _mail(store, folder, scrub, report, cancel),
        lambda: _calendar(store, folder, scrub, report),
        lambda: _meetings(store, folder, scrub, report, include_audio, cancel),
        lambda: _knowledge(store, folder, scrub, report),
    ]
    for i, step in enumerate(steps):
        if cancel is not None and cancel.is_set():
            break
        step()
        if on_progress is not None:
            on_progress((i + 1) / len(steps))
    else:
        report.complete = True
    if redactor is not None:
        report.redactions, report.counts_by_kind = redactor.redactions, dict(redactor.by_kind)
    _write_json(folder / "manifest.json", {
        "format": "reflex-export-1", "created_at": stamp, "schema_version": store.schema_version,
        "redacted": redacted, "complete": report.complete, "counts": {
            k: getattr(report, k) for k in ("messages", "events", "meetings", "audio_files", "documents", "conversations")}})
    AuditLog(store).record("export", "folder", redacted=redacted, complete=report.complete, messages=report.messages,
                           events=report.events, meetings=report.meetings, audio_files=report.audio_files,
                           documents=report.documents, conversations=report.conversations, redactions=report.redactions)
    _private_files(folder)
    return report


def _private_files(folder: Path) -> None:
    """Every exported file 0600, whatever the process umask (the app sets 077; a library caller may not)."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(0o600)


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(_plain(data), ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


# -- mail --------------------------------------------------------------------------------------------------
def _mail(store: Store, folder: Path, scrub: _Scrub, report: ExportReport, cancel: threading.Event | None) -> None:
    rows = []
    for message_id in store.messages.ids():
        if cancel is not None and cancel.is_set():
            break
        msg = store.messages.get(message_id)
        if msg is None:
            continue
        msg = _scrub_message(msg, scrub)
        (folder / "mail" / f"{message_id}.eml").write_bytes(_eml(msg))
        rows.append(msg)
        report.messages += 1
    _write_json(folder / "mail" / "messages.json", rows)


def _scrub_message(msg: Message, scrub: _Scrub) -> Message:
    if scrub.redactor is None:
        return msg
    msg.subject, msg.body_text, msg.snippet = scrub.text(msg.subject), scrub.text(msg.body_text), scrub.text(msg.snippet)
    msg.sender = scrub.contact(msg.sender)
    msg.to, msg.cc = [scrub.contact(c) for c in msg.to], [scrub.contact(c) for c in msg.cc]
    msg.headers = {}
    msg.attachments = []
    msg.account, msg.provider_id = scrub.ident("account", msg.account), scrub.ident("mail", msg.provider_id)
    msg.thread_key = scrub.ident("thread", msg.thread_key)
    msg.message_id_header, msg.in_reply_to = scrub.message_id(msg.message_id_header), scrub.message_id(msg.in_reply_to)
    return msg


def _eml(msg: Message) -> bytes:
    out = EmailMessage()
    out["From"] = formataddr((msg.sender.name, msg.sender.email))
    if msg.to:
        out["To"] = ", ".join(formataddr((c.name, c.email)) for c in msg.to)
    if msg.cc:
        out["Cc"] = ", ".join(formataddr((c.name, c.email)) for c in msg.cc)
    out["Subject"] = msg.subject.replace("\n", " ").replace("\r", " ")
    if msg.sent_at is not None:
        out["Date"] = format_datetime(msg.sent_at if msg.sent_at.tzinfo else msg.sent_at.replace(tzinfo=timezone.utc))
    if msg.message_id_header:
        out["Message-ID"] = _angle(msg.message_id_header)
    if msg.in_reply_to:
        out["In-Reply-To"] = _angle(msg.in_reply_to)
    out["X-Reflex-Labels"] = ", ".join(msg.labels)
    out.set_content(msg.body_text or "")
    return out.as_bytes()


def _angle(msg_id: str) -> str:
    """The store keeps Message-IDs without angle brackets; RFC 5322 wants them."""
    return msg_id if msg_id.startswith("<") else f"<{msg_id}>"


# -- calendar ----------------------------------------------------------------------------------------------
def _calendar(store: Store, folder: Path, scrub: _Scrub, report: ExportReport) -> None:
    events = store.events.between(_EPOCH, _FAR, include_cancelled=True)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Reflex//export//EN")
    cal.add("version", "2.0")
    rows = []
    for ev in events:
        ev = _scrub_event(ev, scrub)
        cal.add_component(_vevent(ev))
        rows.append(ev)
    (folder / "calendar" / "events.ics").write_bytes(cal.to_ical())
    _write_json(folder / "calendar" / "events.json", rows)
    report.events = len(rows)


def _scrub_event(ev: Event, scrub: _Scrub) -> Event:
    if scrub.redactor is None:
        return ev
    ev.title, ev.description, ev.location = scrub.text(ev.title), scrub.text(ev.description), scrub.text(ev.location)
    ev.organizer, ev.conference_url = scrub.address(ev.organizer), ""
    for a in ev.attendees:
        a.email, a.name = scrub.address(a.email), scrub.text(a.name)
    ev.account, ev.provider_id = scrub.ident("account", ev.account), scrub.ident("event", ev.provider_id)
    ev.calendar, ev.recurring_id = scrub.ident("calendar", ev.calendar), scrub.ident("series", ev.recurring_id)
    return ev


def _vevent(ev: Event) -> icalendar.Event:
    out = icalendar.Event()
    out.add("uid", f"{ev.provider_id}@{ev.account}")
    out.add("summary", ev.title)
    if ev.all_day:
        out.add("dtstart", ev.start.date())
        out.add("dtend", ev.end.date())
    else:
        out.add("dtstart", ev.start)
        out.add("dtend", ev.end)
    for name, value in (("description", ev.description), ("location", ev.location), ("url", ev.conference_url)):
        if value:
            out.add(name, value)
    out.add("status", ev.status.upper())
    if ev.organizer:
        out.add("organizer", f"mailto:{ev.organizer}")
    for a in ev.attendees:
        attendee = icalendar.vCalAddress(f"mailto:{a.email}")
        if a.name:
            attendee.params["cn"] = a.name
        attendee.params["partstat"] = {"accepted": "ACCEPTED", "declined": "DECLINED",
                                       "tentative": "TENTATIVE"}.get(a.response, "NEEDS-ACTION")
        out.add("attendee", attendee, encode=0)
    return out


# -- meetings, documents, the rest ---------------------------------------------------------------------------
def _meetings(store: Store, folder: Path, scrub: _Scrub, report: ExportReport, include_audio: bool,
              cancel: threading.Event | None) -> None:
    for summary in store.meetings.all():
        if cancel is not None and cancel.is_set():
            return
        meeting = store.meetings.get(summary.id)
        if meeting is None:
            continue
        if scrub.redactor is not None:
            meeting.title, meeting.summary = scrub.text(meeting.title), scrub.text(meeting.summary)
            meeting.attendees = [scrub.text(a) for a in meeting.attendees]
            for s in meeting.segments:
                s.text, s.speaker = scrub.text(s.text), scrub.text(s.speaker)
        _write_json(folder / "meetings" / f"{meeting.id}.json", meeting)
        report.meetings += 1
        if include_audio and _write_wav(store, meeting.id, folder / "meetings" / f"{meeting.id}.wav"):
            report.audio_files += 1


def _write_wav(store: Store, meeting_id: int, path: Path) -> bool:
    """Stream the meeting's chunks into a 16-bit PCM WAV (float chunks are converted). False if no audio."""
    writer: wave.Wave_write | None = None
    try:
        for _seq, rate, fmt, data in store.meetings.audio_chunks(meeting_id):
            if writer is None:
                writer = wave.open(str(path), "wb")
                writer.setnchannels(1)
                writer.setsampwidth(2)
                writer.setframerate(rate)
            if fmt == "f32le":
                data = (np.clip(np.frombuffer(data, "<f4"), -1, 1) * 32767).astype("<i2").tobytes()
            writer.writeframes(data)
    finally:
        if writer is not None:
            writer.close()
    return writer is not None


def _knowledge(store: Store, folder: Path, scrub: _Scrub, report: ExportReport) -> None:
    docs = [store.documents.get(d.id) for d in store.documents.all()]
    docs = [d for d in docs if d is not None]
    for d in docs:
        d.title, d.text = scrub.text(d.title), scrub.text(d.text)
        if scrub.redactor is not None:
            d.path = Path(d.path).suffix
    _write_json(folder / "documents.json", docs)
    report.documents = len(docs)
    _write_json(folder / "contacts.json", [scrub.contact(c) for c in store.contacts.all()])
    conversations = [store.conversations.get(c.id) for c in store.conversations.all()]
    conversations = [c for c in conversations if c is not None]
    for c in conversations:
        c.title = scrub.text(c.title)
        for t in c.turns:
            t.content = scrub.text(t.content)
    _write_json(folder / "conversations.json", conversations)
    report.conversations = len(conversations)
    context = store.contexts.latest()
    if context is not None:
        for name in ("values", "goals", "priorities", "key_accounts"):
            setattr(context, name, [scrub.text(v) for v in getattr(context, name)])
        for member in context.team:
            member.name, member.email = scrub.text(member.name), scrub.address(member.email)
            member.reports_to = scrub.text(member.reports_to)
        _write_json(folder / "strategic_context.json", context)
    _write_json(folder / "audit.json", [_scrub_audit(as_dict(e), scrub) for e in AuditLog(store).entries()])


def _scrub_audit(entry: dict[str, Any], scrub: _Scrub) -> dict[str, Any]:
    """Audit targets and details name accounts, files and people: placeholders in a redacted export."""
    if scrub.redactor is None:
        return entry
    detail = {k: scrub.ident("value", v) if isinstance(v, str) else v for k, v in (entry.get("detail") or {}).items()}
    return {**entry, "target": scrub.ident("target", str(entry.get("target", ""))), "detail": detail}
