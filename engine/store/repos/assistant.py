"""Conversations, turns, memory items and versioned strategic context."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from models import Conversation, StrategicContext, TeamMember, Turn
from engine.store.repos.base import Repo, dumps, from_iso, loads, now_iso


class ConversationRepo(Repo):
    def create(self, title: str) -> int:
        stamp = now_iso()
        with self.store.transaction() as conn:
            return conn.execute(
                "INSERT INTO conversations(title, created_at, updated_at) VALUES (?,?,?)", (title, stamp, stamp)
            ).lastrowid

    def add_turn(self, conversation_id: int, turn: Turn) -> int:
        stamp = now_iso()
        with self.store.transaction() as conn:
            turn.id = conn.execute(
                "INSERT INTO turns(conversation_id, role, content, model, citations_json, context_version, created_at) "
                "VALUES (?,?,?,?,?,?,?)",
                (conversation_id, turn.role, turn.content, turn.model, dumps(turn.citations), turn.context_version, stamp),
            ).lastrowid
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (stamp, conversation_id))
        return turn.id

    def get(self, conversation_id: int) -> Conversation | None:
        with self.store.read() as conn:
            row = conn.execute("SELECT title, created_at, id FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if not row:
                return None
            turns = [
                Turn(r[0], r[1], from_iso(r[2]), r[3], loads(r[4], []), r[5], r[6])
                for r in conn.execute(
                    "SELECT role, content, created_at, model, citations_json, context_version, id FROM turns "
                    "WHERE conversation_id = ? ORDER BY id",
                    (conversation_id,),
                )
            ]
        return Conversation(row[0], from_iso(row[1]), turns, row[2])

    def all(self) -> list[Conversation]:
        with self.store.read() as conn:
            rows = conn.execute("SELECT title, created_at, id FROM conversations ORDER BY updated_at DESC").fetchall()
        return [Conversation(r[0], from_iso(r[1]), [], r[2]) for r in rows]

    def delete(self, conversation_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))


class MemoryRepo(Repo):
    def add(self, text: str, source: str = "user") -> int:
        stamp = now_iso()
        with self.store.transaction() as conn:
            return conn.execute(
                "INSERT INTO memories(text, source, created_at, updated_at) VALUES (?,?,?,?)", (text, source, stamp, stamp)
            ).lastrowid

    def update(self, memory_id: int, text: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE memories SET text = ?, updated_at = ? WHERE id = ?", (text, now_iso(), memory_id))

    def delete(self, memory_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM memories WHERE id = ?", (memory_id,))

    def all(self) -> list[tuple[int, str]]:
        with self.store.read() as conn:
            return conn.execute("SELECT id, text FROM memories ORDER BY id").fetchall()

    def get(self, memory_id: int) -> tuple[str, datetime | None] | None:
        """(text, created at) of one memory (a note the search indexes), or None when it is gone."""
        with self.store.read() as conn:
            row = conn.execute("SELECT text, created_at FROM memories WHERE id = ?", (memory_id,)).fetchone()
        return None if row is None else (row[0], from_iso(row[1]))


class ContextRepo(Repo):
    """Strategic context versions are append-only: an answer can always name the version that shaped it."""

    def save(self, context: StrategicContext) -> int:
        data = asdict(context)
        data.pop("version", None)
        data.pop("created_at", None)
        with self.store.transaction() as conn:
            context.version = conn.execute(
                "INSERT INTO strategic_contexts(data_json, created_at) VALUES (?,?)", (dumps(data), now_iso())
            ).lastrowid
        return context.version

    def latest(self) -> StrategicContext | None:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT version, data_json, created_at FROM strategic_contexts ORDER BY version DESC LIMIT 1"
            ).fetchone()
        return self._context(row) if row else None

    def get(self, version: int) -> StrategicContext | None:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT version, data_json, created_at FROM strategic_contexts WHERE version = ?", (version,)
            ).fetchone()
        return self._context(row) if row else None

    @staticmethod
    def _context(row) -> StrategicContext:  # noqa: ANN001
        data = loads(row[1], {})
        team = [TeamMember(**m) for m in data.pop("team", [])]
        return StrategicContext(**data, team=team, version=row[0], created_at=from_iso(row[2]))
