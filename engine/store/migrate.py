"""Numbered SQL migrations, each applied in one transaction; the schema version is `PRAGMA user_version`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from engine.errors import StoreCorrupt
from engine.store.connection import Connection

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    """All migrations shipped with this build, in order; numbers must be 1..N without gaps."""
    found = []
    for entry in resources.files("engine.store.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must be 1..N without gaps: {[m.name for m in found]}")
    return found


def latest_version() -> int:
    return len(available())


def current_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, *, target: int | None = None) -> int:
    """Bring the schema to `target` (default: latest). Returns the resulting version.

    A store written by a newer Reflex is refused rather than touched.
    """
    migrations = available()
    target = len(migrations) if target is None else target
    version = current_version(conn)
    if version > len(migrations):
        raise StoreCorrupt(
            f"This store was written by a newer Reflex (schema {version}, this build knows {len(migrations)}).",
            next_step="Update Reflex; the store was not changed.",
        )
    for migration in migrations[version:target]:
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{migration.sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
            )
        except Exception:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return current_version(conn)
