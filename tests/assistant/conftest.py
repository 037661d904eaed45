"""Fixtures for the intelligence tests: a small company (roster, key accounts, board) and a mail factory."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from typing import Callable

import pytest

from engine.store import Store
from models import Attendee, Contact, Event, Message, StrategicContext, TeamMember

ME = Contact("ceo@acme.example", "Casey Jones")
TEAM = [
    TeamMember("Casey Jones", "CEO", "ceo@acme.example", "", "Executive"),
    TeamMember("Pat Lee", "VP Sales", "pat@acme.example", "Casey Jones", "Sales"),
    TeamMember("Riley Park", "Account Executive", "riley@acme.example", "Pat Lee", "Sales"),
    TeamMember("Sam Ito", "Account Executive", "sam@acme.example", "Pat Lee", "Sales"),
    TeamMember("Alex Kim", "VP Engineering", "alex@acme.example", "Casey Jones", "Engineering"),
    TeamMember("Jo Diaz", "Engineer", "jo@acme.example", "Alex Kim", "Engineering"),
    TeamMember("Max Roy", "Engineer", "max@acme.example", "Alex Kim", "Engineering"),
]
CONTEXT = StrategicContext(
    values=["Customers first", "Sustainable pace"],
    goals=["Grow ARR to $10M", "Expand into Europe", "Improve customer retention"],
    priorities=["Close the Globex renewal", "Hire a VP Marketing"],
    key_accounts=["Globex Corporation", "Initech"],
    team=TEAM,
    board=["vc@bigfund.example"],
)

MailFactory = Callable[..., Message]


@pytest.fixture
def company(store: Store) -> Store:
    store.contexts.save(CONTEXT)
    store.settings.set("assistant.me", {"emails": [ME.email], "name": ME.name})
    return store


@pytest.fixture
def mail(company: Store) -> MailFactory:
    """`mail(sender, subject, body, when="2026-03-04T09:00", to=None, thread=None, headers=None)` stores a message."""
    counter = itertools.count(1)

    def make(sender: Contact | str, subject: str, body: str, when: str = "2026-03-04T09:00", *,
             to: list[Contact] | None = None, cc: list[Contact] | None = None, thread: str | None = None,
             headers: dict[str, str] | None = None) -> Message:
        n = next(counter)
        sender = sender if isinstance(sender, Contact) else Contact(sender, "")
        msg = Message(
            account="test", provider_id=f"m{n}", thread_key=thread or f"t{n}", subject=subject, sender=sender,
            to=to if to is not None else ([ME] if sender.email != ME.email else [Contact("x@other.example")]),
            cc=cc or [], sent_at=datetime.fromisoformat(when).replace(tzinfo=timezone.utc), body_text=body,
            headers=headers or {},
        )
        company.messages.upsert([msg])
        return msg

    return make


@pytest.fixture
def event(company: Store) -> Callable[..., Event]:
    counter = itertools.count(1)

    def make(title: str, start: str, end: str, attendees: list[str] = (), *, description: str = "") -> Event:
        n = next(counter)
        ev = Event(account="test", provider_id=f"e{n}", title=title,
                   start=datetime.fromisoformat(start).replace(tzinfo=timezone.utc),
                   end=datetime.fromisoformat(end).replace(tzinfo=timezone.utc), description=description,
                   attendees=[Attendee(ME.email, ME.name, "accepted", True)] + [Attendee(a) for a in attendees])
        company.events.upsert([ev])
        return ev

    return make
