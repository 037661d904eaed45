"""Shared helpers for repositories: time and JSON column encoding, and access to the store's connection."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.store.store import Store

UTC = timezone.utc


def to_iso(value: datetime | None) -> str | None:
    """UTC ISO-8601 text that sorts chronologically; naive datetimes are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def now_iso() -> str:
    return to_iso(datetime.now(UTC)) or ""


def date_iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def loads(value: str | None, fallback: Any = None) -> Any:
    return json.loads(value) if value else fallback


class Repo:
    """Base: every write goes through `store.transaction()` so it joins an enclosing one."""

    def __init__(self, store: "Store") -> None:
        self.store = store
