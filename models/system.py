"""Accounts, sync cursors, audit entries and pending actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple


@dataclass(slots=True)
class Account:
    """A connected provider account. Tokens live in the OS keyring, never here."""

    key: str  # e.g. "google:ceo@northwind.example"
    provider: str  # google | microsoft | slack | asana | import
    address: str
    display_name: str = ""
    state: str = "connected"  # connected | reconnect_needed | disconnected
    last_sync_at: datetime | None = None
    last_error: str = ""
    id: int | None = None


@dataclass(slots=True)
class SyncCursor:
    account: str
    stream: str  # gmail | calendar:primary | outlook:mail | ...
    value: str
    version: int = 1
    updated_at: datetime | None = None


@dataclass(slots=True)
class AuditEntry:
    """What happened, never the content: counts, destinations and kinds only."""

    action: str  # cloud_call | sync | oauth | export | delete | tool | consent | settings
    target: str = ""
    detail: dict[str, object] = field(default_factory=dict)
    at: datetime | None = None
    id: int | None = None


class PendingAction(NamedTuple):
    """A side effect the assistant proposed (a mail draft, an event, an RSVP, a Slack reply, a task), waiting in
    the store until the user confirms or rejects it. `kind` names the handler; `payload` is what it needs."""

    id: int
    kind: str
    payload: dict[str, Any]
