"""Structure-aware chunking: every source becomes `Chunk`s that carry what citations and filters need.

- Emails: one chunk per message (split only when a message is very long), the new text only: quoted history
  and signatures are removed with `connectors.mime.split_body`, so a reply thread does not index the same
  quoted paragraph ten times.
- Transcripts: consecutive speaker turns grouped into ~30-60 s windows; the locator holds the window's
  start/end seconds so a citation can open the recording at that moment.
- Documents and notes: headings and paragraphs packed to ~300 tokens with a small overlap; the locator holds
  the page (PDF) and heading path.
- Calendar events: one chunk (title, time, place, attendees, agenda).

Token counts are estimated (words and punctuation; WordPiece splits rare words, so the embedder truncates
at 256 real tokens, a little above the target). Pure functions, thread-safe.

Locators are `key=value` pairs joined by '&' (see `parse_locator`), readable and parseable without a schema.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from urllib.parse import parse_qsl, urlencode

from connectors.mime import split_body
from engine.retrieval.extract import Section
from models import Chunk, Event, Meeting, Message
from models.tasks import Task

TARGET_TOKENS = 300
OVERLAP_TOKENS = 40
# A window closes at the first speaker change after MIN_WINDOW_S, and at the latest at MAX_WINDOW_S.
MIN_WINDOW_S = 30.0
MAX_WINDOW_S = 60.0

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def count_tokens(text: str) -> int:
    """Estimated token count: words and punctuation marks."""
    return len(_TOKEN.findall(text))


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\x00{text}".encode()).hexdigest()


def make_locator(**parts: object) -> str:
    """'page=3&heading=Plan+%3E+Risks'; None/empty values are dropped."""
    return urlencode([(k, str(v)) for k, v in parts.items() if v not in (None, "")])


def parse_locator(locator: str) -> dict[str, str]:
    return dict(parse_qsl(locator or ""))


def describe_locator(source_type: str, locator: str) -> str:
    """Human form of a locator for citations: 'page 3 · Pricing', '12:04-12:51'."""
    loc = parse_locator(locator)
    bits: list[str] = []
    if "start" in loc:
        bits.append(f"{format_seconds(float(loc['start']))}-{format_seconds(float(loc.get('end', loc['start'])))}")
    if "page" in loc:
        bits.append(f"page {loc['page']}")
    if loc.get("heading"):
        bits.append(loc["heading"])
    if "part" in loc:
        bits.append(f"part {loc['part']}")
    return " · ".join(bits)


def format_seconds(seconds: float) -> str:
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def split_text(text: str, *, target: int = TARGET_TOKENS, overlap: int = OVERLAP_TOKENS) -> list[str]:
    """Pack paragraphs (then sentences, then words) into pieces of at most ~`target` tokens.

    Consecutive pieces share about `overlap` tokens of trailing context so that a fact straddling a boundary
    is still found whole in one of them. Text shorter than `target` comes back as one piece.
    """
    text = text.strip()
    if not text:
        return []
    if count_tokens(text) <= target:
        return [text]
    units: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if not para:
            continue
        if count_tokens(para) <= target:
            units.append(para)
            continue
        for sentence in _SENTENCE_END.split(para):
            if count_tokens(sentence) <= target:
                units.append(sentence)
            else:  # a wall of text without sentence ends: cut by words
                words = sentence.split()
                step = max(1, target * 2 // 3)
                units.extend(" ".join(words[i:i + step]) for i in range(0, len(words), step))
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for unit in units:
        n = count_tokens(unit)
        if current and size + n > target:
            pieces.append("\n\n".join(current))
            tail = _tail(current, overlap)
            current, size = ([tail], count_tokens(tail)) if tail else ([], 0)
        current.append(unit)
        size += n
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def _tail(units: list[str], overlap: int) -> str:
    """The last ~`overlap` tokens of the previous piece, cut at a word boundary."""
    if overlap <= 0:
        return ""
    words = " ".join(units).split()
    out: list[str] = []
    n = 0
    for word in reversed(words):
        n += count_tokens(word)
        if n > overlap:
            break
        out.append(word)
    return " ".join(reversed(out))


def _finish(chunks: list[Chunk]) -> list[Chunk]:
    for pos, chunk in enumerate(chunks):
        chunk.position = pos
        chunk.content_hash = content_hash(chunk.title, chunk.text)
    return chunks


def _person(name: str, email: str) -> str:
    name, email = name.strip(), email.strip().lower()
    if name and email:
        return f"{name} <{email}>"
    return name or email


def chunk_message(message: Message) -> list[Chunk]:
    """Chunks for one email: new text only, without quoted replies and signature."""
    assert message.id is not None, "store the message first: chunks cite its id"
    parts = split_body(message.body_text)
    body = parts.new.strip() or message.snippet.strip()
    if not body and not message.subject:
        return []
    people = list(dict.fromkeys(p for c in message.participants if (p := _person(c.name, c.email))))
    title = message.subject or "(no subject)"
    sender = _person(message.sender.name, message.sender.email)
    pieces = split_text(body) or [""]
    chunks = []
    for i, piece in enumerate(pieces):
        text = f"From {sender}\n{piece}".strip() if sender else piece
        chunks.append(Chunk(source_type="email", source_id=message.id, text=text, title=title,
                            people=people, occurred_at=message.sent_at, thread_key=message.thread_key,
                            locator=make_locator(part=i + 1) if len(pieces) > 1 else ""))
    return _finish(chunks)


def chunk_event(event: Event, *, tz: tzinfo = timezone.utc) -> list[Chunk]:
    """One chunk per calendar event; long agendas are split. The time is written in `tz` (the user's zone),
    named, so an answer quoting it is right."""
    assert event.id is not None, "store the event first: chunks cite its id"
    if event.status == "cancelled":
        return []
    people = list(dict.fromkeys(p for a in event.attendees if (p := _person(a.name, a.email))))
    start = event.start if event.start.tzinfo else event.start.replace(tzinfo=timezone.utc)
    when = (event.start.strftime("%A %d %B %Y") if event.all_day
            else start.astimezone(tz).strftime("%A %d %B %Y %H:%M %Z"))
    head = [f"When: {when}"]
    if event.location:
        head.append(f"Where: {event.location}")
    if people:
        head.append("Attendees: " + ", ".join(people))
    desc = event.description.strip()
    pieces = split_text(desc) or [""]
    chunks = [Chunk(source_type="event", source_id=event.id, title=event.title or "(untitled event)",
                    text="\n".join(head + ([piece] if piece else [])), people=people, occurred_at=event.start,
                    thread_key=f"event:{event.recurring_id or event.provider_id}",
                    locator=make_locator(part=i + 1) if len(pieces) > 1 else "")
              for i, piece in enumerate(pieces)]
    return _finish(chunks)


def chunk_task(task: Task) -> list[Chunk]:
    """One chunk per synced task (long notes are split): what it says, its projects, assignee, due date and
    status, so "what is open on the Globex project?" finds it."""
    assert task.id is not None, "store the task first: chunks cite its id"
    people = [p for p in (_person(task.assignee_name, task.assignee_email),) if p]
    head = [f"Task ({'done' if task.completed else 'open'})"]
    if task.projects:
        head.append("Projects: " + ", ".join(task.projects))
    if people:
        head.append("Assignee: " + people[0])
    if task.due:
        head.append(f"Due: {task.due:%A %d %B %Y}")
    pieces = split_text(task.notes.strip()) or [""]
    chunks = [Chunk(source_type="task", source_id=task.id, title=task.title or "(untitled task)",
                    text="\n".join(head + ([piece] if piece else [])), people=people,
                    occurred_at=task.modified_at, thread_key=f"task:{task.account}:{task.provider_id}",
                    locator=make_locator(part=i + 1) if len(pieces) > 1 else "")
              for i, piece in enumerate(pieces)]
    return _finish(chunks)


@dataclass(slots=True)
class _Window:
    start: float
    end: float
    lines: list[str]
    speakers: list[str]


def chunk_meeting(meeting: Meeting) -> list[Chunk]:
    """Transcript chunks of ~30-60 s made of whole speaker turns; the summary is one more chunk."""
    assert meeting.id is not None, "store the meeting first: chunks cite its id"
    windows: list[_Window] = []
    current: _Window | None = None
    last_speaker: str | None = None
    for seg in sorted(meeting.segments, key=lambda s: s.start):
        text = seg.text.strip()
        if not text:
            continue
        if current is not None:
            length = seg.end - current.start
            speaker_changed = seg.speaker != last_speaker
            if length > MAX_WINDOW_S or (speaker_changed and current.end - current.start >= MIN_WINDOW_S):
                windows.append(current)
                current = None
        if current is None:
            current = _Window(seg.start, seg.end, [], [])
        if seg.speaker and seg.speaker == last_speaker and current.lines:
            current.lines[-1] += " " + text  # same turn continues: no repeated "Name:" prefix
        else:
            current.lines.append(f"{seg.speaker}: {text}" if seg.speaker else text)
        if seg.speaker and seg.speaker not in current.speakers:
            current.speakers.append(seg.speaker)
        current.end = max(current.end, seg.end)
        last_speaker = seg.speaker
    if current is not None:
        windows.append(current)
    people = list(dict.fromkeys([*meeting.attendees]))
    title = meeting.title or "Meeting"
    chunks: list[Chunk] = []
    if meeting.summary.strip():
        for i, piece in enumerate(split_text(meeting.summary)):
            chunks.append(Chunk(source_type="meeting", source_id=meeting.id, title=title, text=piece,
                                people=people, occurred_at=meeting.started_at, thread_key=f"meeting:{meeting.id}",
                                locator=make_locator(section="summary", part=i + 1 if i else None)))
    for w in windows:
        at = meeting.started_at + timedelta(seconds=w.start) if meeting.started_at else None
        chunks.append(Chunk(source_type="meeting", source_id=meeting.id, title=title, text="\n".join(w.lines),
                            people=list(dict.fromkeys([*w.speakers, *people])), occurred_at=at,
                            thread_key=f"meeting:{meeting.id}",
                            locator=make_locator(start=f"{w.start:.1f}", end=f"{w.end:.1f}")))
    return _finish(chunks)


def chunk_sections(
    sections: list[Section],
    *,
    source_type: str,
    source_id: int,
    title: str,
    occurred_at: datetime | None = None,
    people: list[str] | None = None,
) -> list[Chunk]:
    """Chunks for a document or note: per heading section (and page), packed to ~300 tokens with overlap."""
    chunks: list[Chunk] = []
    for section in sections:
        for piece in split_text(section.text):
            chunks.append(Chunk(source_type=source_type, source_id=source_id, title=title, text=piece,
                                people=list(people or []), occurred_at=occurred_at,
                                thread_key=f"{source_type}:{source_id}",
                                locator=make_locator(page=section.page, heading=section.heading)))
    return _finish(chunks)
