"""Tasks synced from task managers. Upserts are idempotent by (account, provider_id).

A sync never touches the Reflex-side link columns (`source`, `commitment_id`): `link` sets them when Reflex
creates a task, so a later sync of the same task keeps them.
"""

from __future__ import annotations

from typing import Iterable

from engine.store.repos.base import Repo, date_iso, dumps, from_iso, loads, parse_date, to_iso
from models.tasks import Task

_COLUMNS = ("id, account, provider_id, title, notes, assignee_email, assignee_name, due, completed, completed_at, "
            "projects_json, url, modified_at, source, commitment_id")


def _task(row: tuple) -> Task:
    return Task(id=row[0], account=row[1], provider_id=row[2], title=row[3], notes=row[4], assignee_email=row[5],
                assignee_name=row[6], due=parse_date(row[7]), completed=bool(row[8]), completed_at=from_iso(row[9]),
                projects=loads(row[10], []), url=row[11], modified_at=from_iso(row[12]), source=row[13],
                commitment_id=row[14])


class TaskRepo(Repo):
    def upsert(self, tasks: Iterable[Task]) -> list[int]:
        """Insert or update tasks (provider fields only); returns their row ids."""
        ids: list[int] = []
        with self.store.transaction() as conn:
            for t in tasks:
                conn.execute(
                    "INSERT INTO tasks(account, provider_id, title, notes, assignee_email, assignee_name, due, completed, "
                    "completed_at, projects_json, url, modified_at, source, commitment_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(account, provider_id) DO UPDATE SET title=excluded.title, notes=excluded.notes, "
                    "assignee_email=excluded.assignee_email, assignee_name=excluded.assignee_name, due=excluded.due, "
                    "completed=excluded.completed, completed_at=excluded.completed_at, projects_json=excluded.projects_json, "
                    "url=excluded.url, modified_at=excluded.modified_at",
                    (t.account, t.provider_id, t.title, t.notes, t.assignee_email.lower(), t.assignee_name,
                     date_iso(t.due), int(t.completed), to_iso(t.completed_at), dumps(t.projects), t.url,
                     to_iso(t.modified_at), t.source, t.commitment_id),
                )
                t.id = conn.execute("SELECT id FROM tasks WHERE account = ? AND provider_id = ?",
                                    (t.account, t.provider_id)).fetchone()[0]
                ids.append(t.id)
        return ids

    def link(self, account: str, provider_id: str, *, source: str, commitment_id: int | None) -> None:
        """Record what a Reflex-created task came from (kept across syncs)."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE tasks SET source = ?, commitment_id = ? WHERE account = ? AND provider_id = ?",
                         (source, commitment_id, account, provider_id))

    def delete_provider_ids(self, account: str, provider_ids: Iterable[str]) -> int:
        with self.store.transaction() as conn:
            return conn.executemany("DELETE FROM tasks WHERE account = ? AND provider_id = ?",
                                    [(account, p) for p in provider_ids]).rowcount

    def get(self, account: str, provider_id: str) -> Task | None:
        with self.store.read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM tasks WHERE account = ? AND provider_id = ?",  # noqa: S608
                               (account, provider_id)).fetchone()
        return _task(row) if row else None

    def by_id(self, task_id: int) -> Task | None:
        with self.store.read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM tasks WHERE id = ?", (task_id,)).fetchone()  # noqa: S608
        return _task(row) if row else None

    def for_commitment(self, commitment_id: int) -> list[Task]:
        with self.store.read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM tasks WHERE commitment_id = ? ORDER BY id",  # noqa: S608
                                (commitment_id,)).fetchall()
        return [_task(r) for r in rows]

    def list(self, *, account: str | None = None, open_only: bool = False) -> list[Task]:
        """Tasks by due date (undated last)."""
        with self.store.read() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM tasks WHERE (? IS NULL OR account = ?) AND (? = 0 OR completed = 0) "  # noqa: S608
                "ORDER BY coalesce(due, '9999'), id", (account, account, int(open_only))).fetchall()
        return [_task(r) for r in rows]
