"""Proposals from instructions, grounded in the user's data: who (name -> address from the store; ask when two
people match), when (dates, times and repeats from the instruction; ask when a time is missing, refuse a repeat
a calendar cannot hold), which thread a reply answers and which event an RSVP or a move is about, and what a
message says (built from the thread and the instruction).

`ground(text, now=..., workspace=...)` returns a `Proposal` (a pending-action kind and payload, nothing done),
a `Clarification` (what to ask the user) or None (not an instruction: Chat answers it). Every proposal passes
`placeholder_fields` before it leaves: no schema words ("Subject", "Body", "items"), no instruction pasted as a
title, no time that nobody said. A capable model may only rewrite a message's wording afterwards (the act
use-case decides, by the model's measured tier). Pure apart from `Workspace.from_store`; thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from engine.assistant.dates import find_due
from engine.assistant.instructions import THANKS, message_lines, parse_instruction, task_title, with_dates
from engine.assistant.text import first_name, tokens
from engine.assistant.when import UnsupportedRecurrence, describe_rrule, read_when, render_day, render_time
from models import Contact, Event

__all__ = ["Clarification", "Proposal", "ThreadNote", "Workspace", "ground", "placeholder_fields"]

DEFAULT_MINUTES = 30
_SCHEMA_WORDS = {"subject", "body", "title", "items", "item", "string", "to", "attendees", "text", "description",
                 "untitled", "name", "email", "recipient", "recipients", "none", "null", "n/a", "tbd", "example"}
_STOP = {"the", "a", "an", "my", "our", "with", "to", "at", "on", "for", "and", "of", "invite", "invitation",
         "meeting", "call", "event", "this", "that", "me", "i"}


@dataclass(frozen=True, slots=True)
class ThreadNote:
    """The latest message of a conversation with someone: enough to reply in it."""

    message_id: int
    subject: str
    sender: str  # address
    sent_at: datetime | None
    text: str = ""


@dataclass(slots=True)
class Workspace:
    """What grounding may look at: the user, the people they know, recent mail and the calendar around now."""

    me: Contact
    people: list[Contact]
    messages: list[ThreadNote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @classmethod
    def from_store(cls, store: Any, now: datetime, *, mail_limit: int = 2000, days: int = 120) -> Workspace:
        """The store's contacts and team roster, its latest mail and the events from a day ago to `days` ahead."""
        from engine.assistant.identity import resolve_principal

        me = resolve_principal(store)
        people = {c.email.lower(): c for c in store.contacts.all()}
        context = store.contexts.latest()
        for member in context.team if context else []:
            if member.email and member.email.lower() not in people:
                people[member.email.lower()] = Contact(member.email.lower(), member.name)
        notes = [ThreadNote(m.id, m.subject, m.sender_email.lower(),
                            datetime.fromisoformat(m.sent_at) if m.sent_at else None, m.snippet)
                 for m in store.messages.recent(limit=mail_limit)]
        events = store.events.between(now - timedelta(days=1), now + timedelta(days=days))
        return cls(Contact(me.email, me.name), list(people.values()), notes, events)

    def is_me(self, email: str) -> bool:
        return email.lower() == self.me.email.lower()


@dataclass(frozen=True, slots=True)
class Proposal:
    kind: str  # the pending action: draft_email | create_event | reschedule_event | rsvp | create_task
    payload: dict[str, Any]
    summary: str  # one line for the user


@dataclass(frozen=True, slots=True)
class Clarification:
    question: str
    candidates: tuple[str, ...] = ()  # addresses to choose from, when a name matched several people
    missing: str = ""  # "person" | "time" | "event" | "recurrence"


def ground(text: str, *, now: datetime, workspace: Workspace) -> Proposal | Clarification | None:
    """The proposal `text` asks for (see the module docstring); None when it is not an instruction."""
    parsed = parse_instruction(text)
    if parsed is None:
        return None
    if parsed.kind == "create_task":
        found: Proposal | Clarification = _task(text, now)
    elif parsed.kind in ("rsvp", "reschedule"):
        found = _about_event(text, parsed.kind, now, workspace)
    elif isinstance(people := _people(parsed.names, workspace), Clarification):
        found = people
    elif parsed.kind == "create_event":
        found = _event(text, parsed.topic, people, now)
    else:
        found = _message(text, parsed.kind, parsed.topic, people, now, workspace)
    if isinstance(found, Proposal) and (bad := placeholder_fields(found.payload, text)):
        return Clarification(f"I could not fill in {', '.join(bad)} from your instruction; please say it "
                             "in other words.", missing=bad[0])
    return found


# ---- people ---------------------------------------------------------------------------------------------------------
def _people(names: tuple[str, ...], workspace: Workspace) -> list[Contact] | Clarification:
    if not names:
        return Clarification("Who should this go to? Name them or give their address.", missing="person")
    found: list[Contact] = []
    for name in names:
        if "@" in name:
            known = next((p for p in workspace.people if p.email.lower() == name.lower()), None)
            found.append(known or Contact(name.lower()))
            continue
        matches = _matches(name, workspace)
        if len(matches) > 1:
            listed = ", ".join(f"{p.name} <{p.email}>" for p in matches)
            return Clarification(f"More than one person matches “{name}”: {listed}. Which one did you mean?",
                                 tuple(p.email for p in matches), "person")
        if not matches:
            return Clarification(f"I don't know who “{name}” is in your mail or contacts. Add their address to the "
                                 "instruction (for example name@company.com).", missing="person")
        found.append(matches[0])
    return list({p.email.lower(): p for p in found}.values())


def _matches(name: str, workspace: Workspace) -> list[Contact]:
    """People whose full name, first name or last name is `name` (a full-name match wins); never the user."""
    wanted = name.lower().split()
    people = [p for p in workspace.people if p.name and "@" in p.email and not workspace.is_me(p.email)]
    for rule in (lambda parts: parts == wanted, lambda parts: len(wanted) == 1 and parts[0] == wanted[0],
                 lambda parts: len(wanted) == 1 and parts[-1] == wanted[0]):
        hits = [p for p in people if rule(p.name.lower().split())]
        if hits:
            return list({p.email.lower(): p for p in hits}.values())
    return []


# ---- what each action carries ---------------------------------------------------------------------------------------
def _task(text: str, now: datetime) -> Proposal:
    due = find_due(text, now)
    title = task_title(text)
    payload = {"title": title, "due_date": due.due.isoformat() if due else None}
    when = f", due {render_day(due.due)}" if due else ""
    return Proposal("create_task", payload, f"Create a task “{title}”{when}")


def _event(text: str, topic: str, people: list[Contact], now: datetime) -> Proposal | Clarification:
    try:
        when = read_when(text, now)
    except UnsupportedRecurrence as exc:
        return Clarification(f"{exc} {exc.next_step}", missing="recurrence")
    if when.time is None or when.day is None:
        return Clarification(f"When should it be? Say a day and a time, for example “{_example(now)}”.",
                             missing="time")
    start = datetime.combine(when.day, when.time, now.tzinfo)
    end = start + timedelta(minutes=when.minutes or DEFAULT_MINUTES)
    title = _event_title(text, topic, people)
    payload: dict[str, Any] = {"title": title, "start": start.isoformat(), "end": end.isoformat(),
                               "attendees": [p.email for p in people]}
    if when.rrule:
        payload["recurrence"] = [when.rrule]
        if zone := getattr(now.tzinfo, "key", None):
            payload["timezone"] = zone  # calendars repeat a series in a named zone (DST keeps the local time)
    repeat = f", repeating {describe_rrule(when.rrule)}" if when.rrule else ""
    return Proposal("create_event", payload, f"Create “{title}” on {render_day(start.date())} "
                    f"{render_time(start.time())}–{render_time(end.time())}{repeat}")


def _example(now: datetime) -> str:
    return f"on {render_day((now + timedelta(days=1)).date())} at 10:00"


_EVENT_NOUN = re.compile(r"^\s*(?:please\s+)?(?:schedule|book|set up|arrange|organi[sz]e|put)\s+(?:an?\s+|the\s+)?(.+?)"
                         r"(?=\s+(?:with|on|at|for|about|every|each|tomorrow|today|next|this|from|starting|"
                         r"between)\b|[,.]|$)", re.I)
_ADJECTIVES = re.compile(r"\b(?:\d+|an?|one|two|half)[\s-]*(?:minutes?|mins?|hours?|hrs?)\b|\b(?:daily|weekly|"
                         r"bi-?weekly|fortnightly|monthly|quarterly|yearly|annual|recurring|quick|short)\b", re.I)


def _event_title(text: str, topic: str, people: list[Contact]) -> str:
    noun = _EVENT_NOUN.match(text)
    kind = re.sub(r"\s{2,}", " ", _ADJECTIVES.sub("", noun.group(1) if noun else "")).strip(" -") or "Meeting"
    names = [p.name or p.email for p in people]
    who = (", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]) if names else ""
    head = topic[4:] if topic.lower().startswith("the ") else topic
    title = head or kind
    if not head and who:
        title = f"{kind} with {who}"
    return title[:1].upper() + title[1:]


def _message(text: str, kind: str, topic: str, people: list[Contact], now: datetime,
             workspace: Workspace) -> Proposal | Clarification:
    thread = _thread(people, topic, workspace) if kind == "reply" else None
    if kind == "reply" and thread is None:
        return Clarification(f"I found no mail from {people[0].name or people[0].email} to reply to. Should I draft "
                             "a new email instead? Say “Draft an email to …”.", missing="thread")
    greeting = "Hi " + _names([first_name(p.name) if p.name else p.email for p in people]) + ","
    lines = message_lines(text, now)
    if thread is not None:
        subject = "Re: " + re.sub(r"^(?:(?:re|fwd?|aw)\s*:\s*)+", "", thread.subject, flags=re.I)
        about = re.sub(r"^(?:(?:re|fwd?|aw)\s*:\s*)+", "", thread.subject, flags=re.I)
        lines = [line for line in lines if line != THANKS]  # the opening thanks already
        lines.insert(0, f"Thanks for your message about {about}.")
    else:
        subject = _subject(topic, lines)
        if topic and not lines:
            lines.append(f"I wanted to get in touch about {with_dates(topic, now)}.")
    if len(lines) == (1 if thread is not None else 0):
        lines.append("I'll follow up with details shortly.")
    body = "\n\n".join([greeting, " ".join(lines), "Best,\n" + (first_name(workspace.me.name) or "")]).rstrip()
    payload = {"to": [p.email for p in people], "subject": subject, "body": body}
    if thread is not None:
        payload["in_reply_to"] = thread.message_id
    verb = "Reply" if thread is not None else "Draft an email"
    return Proposal("draft_email", payload, f"{verb} to {', '.join(payload['to'])}: “{subject}”")


def _names(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else (names[0] if names else "")


def _subject(topic: str, lines: list[str]) -> str:
    head = re.sub(r"^(?:the|a|an|our|my|your)\s+", "", topic, flags=re.I) if topic else ""
    if not head and lines:
        head = re.sub(r"^(?:I'd like to propose|Could you send me)\s+", "", lines[-1]).rstrip(".?")
        head = re.sub(r"^(?:a|an|the)\s+", "", head, flags=re.I)
    head = head or "Following up"
    return (head[:1].upper() + head[1:])[:120]


def _thread(people: list[Contact], topic: str, workspace: Workspace) -> ThreadNote | None:
    """The conversation to answer: the latest mail from the first recipient, or the one whose subject (or text)
    shares most words with the topic."""
    sender = people[0].email.lower()
    theirs = sorted((m for m in workspace.messages if m.sender == sender),
                    key=lambda m: m.sent_at or datetime.min.replace(tzinfo=None), reverse=True)
    if not theirs:
        return None
    wanted = {t for t in tokens(topic) if t not in _STOP}
    if wanted:
        def overlap(m: ThreadNote) -> tuple[int, int]:
            return len(wanted & set(tokens(m.subject))), len(wanted & set(tokens(m.text)))
        best = max(theirs, key=overlap)  # max keeps the first (latest) of equals
        if overlap(best) > (0, 0):
            return best
    return theirs[0]


# ---- events the user already has ----------------------------------------------------------------------------------
_EVENT_PHRASE = re.compile(r"^\s*(?:please\s+)?(?:tentatively\s+accept|accept|decline|rsvp\s+(?:yes|no|maybe)\s+to|"
                           r"say\s+(?:yes|no)\s+to|reschedule|move|push|shift|postpone|bring forward)\s+(.+?)"
                           r"(?=\s+(?:to|until|till)\s+|$)", re.I)
_RESPONSES = ((re.compile(r"\btentative|\bmaybe\b", re.I), "tentative"),
              (re.compile(r"\bdecline|\bsay no\b|\brsvp no\b", re.I), "declined"),
              (re.compile(r"\baccept|\byes\b", re.I), "accepted"))


def _about_event(text: str, kind: str, now: datetime, workspace: Workspace) -> Proposal | Clarification:
    m = _EVENT_PHRASE.match(text)
    event = _event_named(m.group(1) if m else "", now, workspace)
    if isinstance(event, Clarification):
        return event
    if kind == "rsvp":
        response = next(r for pattern, r in _RESPONSES if pattern.search(text))
        payload = {"event_id": event.id, "provider_id": event.provider_id, "account": event.account,
                   "response": response, "note": ""}
        day = event.start.astimezone(now.tzinfo).date()
        return Proposal("rsvp", payload, f"Answer “{event.title}” on {render_day(day)}: {response}")
    target = text[m.end():] if m else text
    start = _new_start(target, event, now)
    if start is None:
        return Clarification(f"When should “{event.title}” move to? Say for example “{_example(now)}”.",
                             missing="time")
    end = start + (event.end - event.start)
    payload = {"event_id": event.id, "provider_id": event.provider_id, "account": event.account,
               "title": event.title, "start": start.isoformat(), "end": end.isoformat(),
               "previous_start": event.start.isoformat()}
    return Proposal("reschedule_event", payload, f"Move “{event.title}” to {render_day(start.date())} "
                    f"{render_time(start.time())}–{render_time(end.time())}")


def _new_start(target: str, event: Event, now: datetime) -> datetime | None:
    """The moved start: a new day keeps the old clock time, a new time keeps the day; neither -> None."""
    when = read_when(target, now) if target.strip() else None
    if when is None or (when.day is None and when.time is None):
        return None
    local = event.start.astimezone(now.tzinfo)
    return datetime.combine(when.day or local.date(), when.time or local.time().replace(tzinfo=None), now.tzinfo)


def _event_named(phrase: str, now: datetime, workspace: Workspace) -> Event | Clarification:
    """The calendar event `phrase` names, by shared title words; the next occurrence of a series."""
    wanted = {t for t in tokens(phrase) if t not in _STOP} or set(tokens(phrase))
    if not wanted:
        return Clarification("Which event do you mean? Name it as it appears in your calendar.", missing="event")

    def score(event: Event) -> float:
        """Most of the named words in the title (2 of 3 at least), then the closest title."""
        title = set(tokens(event.title))
        shared = len(wanted & title)
        return shared / len(wanted) + shared / max(len(title), 1) if shared / len(wanted) >= 0.66 else 0.0

    scored = [(score(e), e) for e in workspace.events if e.status != "cancelled"]
    best = max((s for s, _ in scored), default=0.0)
    if best == 0.0:
        return Clarification(f"I found no event matching “{phrase}” in your calendar.", missing="event")
    titles = {e.title for s, e in scored if s == best}
    if len(titles) > 1:
        return Clarification("Several events match: " + "; ".join(sorted(titles)) + ". Which one?", missing="event")
    same = sorted((e for s, e in scored if s == best), key=lambda e: e.start)
    return next((e for e in same if e.end > now), same[-1])


# ---- the last check -----------------------------------------------------------------------------------------------
def placeholder_fields(payload: dict[str, Any], instruction: str) -> list[str]:
    """Fields of a proposal that hold a schema word, the instruction pasted whole, an empty value, or a time the
    instruction never said (a midnight start). Empty list = clean."""
    bad = []
    for key, value in payload.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and (item.strip().lower().strip(".:") in _SCHEMA_WORDS or "YYYY" in item
                                          or item.strip().lower() == instruction.strip().lower()):
                bad.append(key)
        if key in ("to", "attendees", "title", "subject", "body") and not value:
            bad.append(key)
    start = payload.get("start")
    if isinstance(start, str) and start[11:16] == "00:00" and not re.search(r"\bmidnight\b|\b0?0:00\b", instruction):
        bad.append("start")
    return sorted(set(bad))
