"""Triage results per message and the user's corrections to them.

A correction is append-only (message, field, value): the newest one per (message, field) wins, and the whole
history is what the triage engine learns from.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.store.repos.base import Repo, now_iso

TRIAGE_FIELDS = ("priority", "category", "needs_reply")


@dataclass(slots=True)
class TriageRow:
    """One stored triage verdict; `model` names what produced it (e.g. "rules", "rules+learned")."""

    message_id: int
    priority: str
    category: str
    needs_reply: bool
    awaiting_from: str = ""
    reason: str = ""
    model: str = ""
    updated_at: str = ""


@dataclass(slots=True)
class TriageCorrection:
    message_id: int
    field: str  # one of TRIAGE_FIELDS
    value: str  # needs_reply is stored as "true" / "false"
    created_at: str = ""
    id: int | None = None


class TriageRepo(Repo):
    def put(self, row: TriageRow) -> None:
        self.put_many([row])

    def put_many(self, rows: list[TriageRow]) -> None:
        """Store verdicts in one transaction (a full triage run writes thousands: one commit, not one each)."""
        stamp = now_iso()
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO triage(message_id, priority, category, needs_reply, awaiting_from, reason, model, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(message_id) DO UPDATE SET priority=excluded.priority, "
                "category=excluded.category, needs_reply=excluded.needs_reply, awaiting_from=excluded.awaiting_from, "
                "reason=excluded.reason, model=excluded.model, updated_at=excluded.updated_at",
                [(row.message_id, row.priority, row.category, int(row.needs_reply), row.awaiting_from, row.reason,
                  row.model, stamp) for row in rows],
            )

    def get(self, message_id: int) -> TriageRow | None:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT message_id, priority, category, needs_reply, awaiting_from, reason, model, updated_at "
                "FROM triage WHERE message_id = ?", (message_id,),
            ).fetchone()
        return _row(row) if row else None

    def all(self) -> list[TriageRow]:
        """Every verdict, newest message first."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT t.message_id, t.priority, t.category, t.needs_reply, t.awaiting_from, t.reason, t.model, "
                "t.updated_at FROM triage t JOIN messages m ON m.id = t.message_id ORDER BY m.sent_at DESC"
            ).fetchall()
        return [_row(r) for r in rows]

    def add_correction(self, message_id: int, field: str, value: str) -> int:
        if field not in TRIAGE_FIELDS:
            raise ValueError(f"unknown triage field {field!r}")
        with self.store.transaction() as conn:
            return conn.execute(
                "INSERT INTO triage_corrections(message_id, field, value, created_at) VALUES (?,?,?,?)",
                (message_id, field, value, now_iso()),
            ).lastrowid

    def corrections(self) -> list[TriageCorrection]:
        """The latest correction per (message, field), oldest first."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT message_id, field, value, created_at, id FROM triage_corrections c WHERE id = "
                "(SELECT max(id) FROM triage_corrections d WHERE d.message_id = c.message_id AND d.field = c.field) "
                "ORDER BY id"
            ).fetchall()
        return [TriageCorrection(*r) for r in rows]


def _row(r) -> TriageRow:  # noqa: ANN001
    return TriageRow(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7])
