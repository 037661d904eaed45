"""Shared helpers for repositories: time and JSON column encoding, and access to the store's connection.

Repositories see the store only as a `Database` (its two ways to the connection), so they never import the
`Store` that is built from them.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import date, datetime, timezone
from typing import Any, Protocol

from sqlcipher3.dbapi2 import Connection

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


class Database(Protocol):
    """What a repository needs of the store (`engine.store.Store`): the connection under the store's lock."""

    def read(self) -> AbstractContextManager[Connection]:
        """The connection for reads (and for statements that manage their own transaction, like VACUUM)."""
        ...

    def transaction(self) -> AbstractContextManager[Connection]:
        """The connection inside BEGIN IMMEDIATE ... COMMIT; nested blocks join the outer transaction."""
        ...


class Repo:
    """Base: every write goes through `store.transaction()` so it joins an enclosing one."""

    def __init__(self, store: Database) -> None:
        self.store = store


def provider_ids_in(store: Database, table: str, column: str, account: str, since: datetime | None,
                    until: datetime | None) -> list[str]:
    """Provider ids of `account`'s rows in `table` ("messages" or "events") whose time `column` lies in
    [since, until) (an open end when None). The names are our own constants, never user input."""
    query = f"SELECT provider_id FROM {table} WHERE account = ?"  # noqa: S608 - fixed names
    params: list[object] = [account]
    if since is not None:
        query += f" AND {column} >= ?"
        params.append(to_iso(since))
    if until is not None:
        query += f" AND {column} < ?"
        params.append(to_iso(until))
    with store.read() as conn:
        return [row[0] for row in conn.execute(query, params)]
