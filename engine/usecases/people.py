"""People: the stakeholder dossier page — who someone is, recent threads, meetings (calendar and recorded),
open commitments both ways, deals and the user's own notes about them — and the list of people to pick from.

Why a use-case: the CLI's `dossier` prints `Dossiers.person`; the app needs that card plus the meetings and
the notes, split by direction, for any name it shows (a sender, an attendee, a commitment's counterparty).
Everything is read from the store (offline, no model); every line keeps its evidence. Store worker only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from engine.assistant.context import Relationships
from engine.assistant.dossier import BriefItem, Dossiers, PersonCard
from engine.assistant.identity import resolve_principal
from engine.store import Store

__all__ = ["MeetingLine", "Person", "StakeholderDossier", "people", "stakeholder_dossier"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Person:
    """One row of the people list."""

    email: str
    name: str
    organization: str = ""
    role: str = ""


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """A calendar event or a recorded meeting with the person; `link` opens it (`reflex://event|meeting/ID`)."""

    title: str
    start: datetime
    link: str
    upcoming: bool


@dataclass(slots=True)
class StakeholderDossier:
    """`found` is False when the name matched nobody the store knows (the page says so)."""

    card: PersonCard
    found: bool
    meetings: list[MeetingLine] = field(default_factory=list)
    they_owe: list[BriefItem] = field(default_factory=list)
    i_owe: list[BriefItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def threads(self) -> list[BriefItem]:
        return self.card.recent_threads

    @property
    def deals(self) -> list[BriefItem]:
        return self.card.opportunities


def people(store: Store, query: str = "", *, limit: int = 200) -> list[Person]:
    """Known people (contacts and the strategic context's team) whose name, address or organisation contains
    `query` (case-insensitive), by name; the user is left out."""
    me = resolve_principal(store)
    needle = query.strip().lower()
    found: dict[str, Person] = {}
    ctx = store.contexts.latest()
    for member in ctx.team if ctx else []:
        if member.email:
            found[member.email.lower()] = Person(member.email.lower(), member.name, "", member.role)
    for c in store.contacts.all():
        email = c.email.lower()
        if email and email not in found:
            found[email] = Person(email, c.name, c.organization, c.role)
    rows = [p for p in found.values() if not me.is_me(p.email)
            and (not needle or needle in f"{p.name} {p.email} {p.organization}".lower())]
    return sorted(rows, key=lambda p: ((p.name or p.email).lower(), p.email))[:limit]


def stakeholder_dossier(store: Store, who: str, *, now: Callable[[], datetime] | None = None,
                        back_days: int = 180, ahead_days: int = 60, threads: int = 8) -> StakeholderDossier:
    """The dossier of `who` (an address or a name the roster or contacts know)."""
    moment = (now or (lambda: datetime.now(timezone.utc)))().astimezone(timezone.utc)
    principal = resolve_principal(store)
    card = Dossiers(store, principal, Relationships(store.contexts.latest(), principal)).person(who, limit=threads)
    email = card.email
    dossier = StakeholderDossier(card, found=bool(email))
    if not email:
        return dossier
    promises = _first_of_each(card.open_commitments, lambda c: c.title)  # a promise extracted twice is one line
    dossier.they_owe = [c for c in promises if c.detail == "owed_to_me"]
    dossier.i_owe = [c for c in promises if c.detail != "owed_to_me"]
    names = _names(card.name, email)
    recorded = store.meetings.all()
    transcribed = {m.event_id for m in recorded if m.event_id}  # its recording stands for a past event
    lines = [MeetingLine(e.title, e.start, f"reflex://event/{e.id}", e.start >= moment)
             for e in store.events.between(moment - timedelta(days=back_days), moment + timedelta(days=ahead_days))
             if e.status != "cancelled" and any(a.email.lower() == email for a in e.attendees)
             and (e.start >= moment or e.id not in transcribed)]
    lines += [MeetingLine(m.title, m.started_at, f"reflex://meeting/{m.id}", False) for m in recorded
              if m.id is not None and names & {a.strip().lower() for a in m.attendees}]
    # A daily standup is one line (the next one, or the last one), not twenty.
    upcoming = _first_of_each(sorted((m for m in lines if m.upcoming), key=lambda m: m.start), _title)
    past = _first_of_each(sorted((m for m in lines if not m.upcoming), key=lambda m: m.start, reverse=True), _title)
    dossier.meetings = [*upcoming, *past]
    pattern = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in sorted(names)), re.I)
    dossier.notes = [text for _id, text in store.memories.all() if pattern.search(text)]
    return dossier


def _first_of_each(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """`items` in order, keeping only the first of those with the same key."""
    seen: set[str] = set()
    out = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out


def _title(line: MeetingLine) -> str:
    return line.title.strip().lower()


def _names(name: str, email: str) -> set[str]:
    """How the person may be written in a transcript's attendee list or a note: full name, first name, address."""
    out = {email}
    if name and "@" not in name:
        out.add(name.strip().lower())
        out.add(name.split()[0].lower())
    return out
