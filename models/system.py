"""Accounts, sync cursors and audit entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
