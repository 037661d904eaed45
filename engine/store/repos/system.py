"""Accounts, sync cursors, the audit log, non-secret settings, job runs and pending actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models import Account, AuditEntry, PendingAction, SyncCursor
from engine.store.repos.base import Repo, dumps, from_iso, loads, now_iso, to_iso


class AccountRepo(Repo):
    def upsert(self, account: Account) -> int:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO accounts(key, provider, address, display_name, state) VALUES (?,?,?,?,?) "
                "ON CONFLICT(key) DO UPDATE SET display_name=excluded.display_name, state=excluded.state",
                (account.key, account.provider, account.address, account.display_name, account.state),
            )
            account.id = conn.execute("SELECT id FROM accounts WHERE key = ?", (account.key,)).fetchone()[0]
        return account.id

    def get(self, key: str) -> Account | None:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT key, provider, address, display_name, state, last_sync_at, last_error, id FROM accounts WHERE key = ?",
                (key,),
            ).fetchone()
        return self._account(row) if row else None

    def all(self) -> list[Account]:
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT key, provider, address, display_name, state, last_sync_at, last_error, id FROM accounts ORDER BY key"
            ).fetchall()
        return [self._account(r) for r in rows]

    @staticmethod
    def _account(r) -> Account:  # noqa: ANN001
        return Account(r[0], r[1], r[2], r[3], r[4], from_iso(r[5]), r[6], r[7])

    def record_sync(self, key: str, *, error: str = "", state: str | None = None, at: datetime | None = None) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE accounts SET last_sync_at = CASE WHEN ? = '' THEN ? ELSE last_sync_at END, last_error = ?, "
                "state = coalesce(?, state) WHERE key = ?",
                (error, to_iso(at) or now_iso(), error, state, key),
            )

    def delete(self, key: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM accounts WHERE key = ?", (key,))
            conn.execute("DELETE FROM sync_cursors WHERE account = ?", (key,))


class CursorRepo(Repo):
    def get(self, account: str, stream: str) -> SyncCursor | None:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT account, stream, value, version, updated_at FROM sync_cursors WHERE account = ? AND stream = ?",
                (account, stream),
            ).fetchone()
        return SyncCursor(row[0], row[1], row[2], row[3], from_iso(row[4])) if row else None

    def set(self, cursor: SyncCursor) -> None:
        """Call inside the same `store.transaction()` as the data the cursor covers."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO sync_cursors(account, stream, value, version, updated_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(account, stream) DO UPDATE SET value=excluded.value, version=excluded.version, "
                "updated_at=excluded.updated_at",
                (cursor.account, cursor.stream, cursor.value, cursor.version, now_iso()),
            )

    def clear(self, account: str, stream: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM sync_cursors WHERE account = ? AND stream = ?", (account, stream))


class AuditRepo(Repo):
    """Append-only record of what happened: destinations, kinds and counts, never content."""

    def add(self, entry: AuditEntry) -> int:
        with self.store.transaction() as conn:
            entry.id = conn.execute(
                "INSERT INTO audit_log(at, action, target, detail_json) VALUES (?,?,?,?)",
                (to_iso(entry.at) or now_iso(), entry.action, entry.target, dumps(entry.detail)),
            ).lastrowid
        return entry.id

    def since(self, since: datetime | None = None, *, action: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT action, target, detail_json, at, id FROM audit_log WHERE (? IS NULL OR at >= ?) "
                "AND (? IS NULL OR action = ?) ORDER BY id DESC LIMIT ?",
                (to_iso(since), to_iso(since), action, action, limit),
            ).fetchall()
        return [AuditEntry(r[0], r[1], loads(r[2], {}), from_iso(r[3]), r[4]) for r in rows]


class SettingsRepo(Repo):
    """Non-secret preferences as JSON values (secrets live in the OS keyring)."""

    def get(self, key: str, default: Any = None) -> Any:
        with self.store.read() as conn:
            row = conn.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()
        return loads(row[0]) if row else default

    def set(self, key: str, value: Any) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO settings(key, value_json, updated_at) VALUES (?,?,?) "
                "ON CONFLICT(key) DO UPDATE SET value_json=excluded.value_json, updated_at=excluded.updated_at",
                (key, dumps(value), now_iso()),
            )

    def delete(self, key: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))


class PendingActionRepo(Repo):
    """Side effects proposed by the assistant wait here until a person confirms or rejects them.

    Lifecycle: 'pending' -> `claim` (atomically 'running', before the side effect) -> `finish` ('done', with the
    provider's id) or `release` (back to 'pending' when it certainly did not happen). A row still 'running' after
    a crash is `uncertain()`: the side effect may have happened, so it is shown for the user to check, never
    carried out again by itself.
    """

    def add(self, kind: str, payload: dict[str, Any]) -> int:
        with self.store.transaction() as conn:
            return conn.execute(
                "INSERT INTO pending_actions(kind, payload_json, created_at) VALUES (?,?,?)", (kind, dumps(payload), now_iso())
            ).lastrowid

    def decide(self, action_id: int, status: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE pending_actions SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
                (status, now_iso(), action_id),
            )

    def claim(self, action_id: int) -> tuple[str, dict[str, Any]] | None:
        """Take a pending action for carrying out: (kind, payload), or None when it is not pending (already done,
        rejected, or being carried out by another click or process). Exactly one caller wins."""
        with self.store.transaction() as conn:
            claimed = conn.execute("UPDATE pending_actions SET status = 'running', claimed_at = ? "
                                   "WHERE id = ? AND status = 'pending'", (now_iso(), action_id)).rowcount
            if claimed != 1:
                return None
            kind, payload = conn.execute("SELECT kind, payload_json FROM pending_actions WHERE id = ?",
                                         (action_id,)).fetchone()
        return kind, loads(payload, {})

    def finish(self, action_id: int, provider_id: str) -> None:
        """The side effect happened: mark the claimed action done and keep what the provider created."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE pending_actions SET status = 'done', decided_at = ?, provider_id = ? "
                         "WHERE id = ? AND status = 'running'", (now_iso(), provider_id, action_id))

    def release(self, action_id: int) -> None:
        """The side effect certainly did not happen (refused before it was attempted): pending again."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE pending_actions SET status = 'pending', claimed_at = NULL "
                         "WHERE id = ? AND status = 'running'", (action_id,))

    def settle(self, action_id: int, done: bool) -> None:
        """The user checked an uncertain action: it was done (closed) or it was not (pending again)."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE pending_actions SET status = ?, decided_at = ? WHERE id = ? AND status = 'running'",
                         ("done" if done else "pending", now_iso() if done else None, action_id))

    def pending(self) -> list[PendingAction]:
        """Every action still waiting for a decision, oldest first."""
        return self._with_status("pending")

    def get(self, action_id: int) -> PendingAction | None:
        """Action `action_id` while it waits for a decision; None once it is decided (or never existed)."""
        with self.store.read() as conn:
            row = conn.execute("SELECT id, kind, payload_json FROM pending_actions WHERE id = ? AND status = 'pending'",
                               (action_id,)).fetchone()
        return PendingAction(row[0], row[1], loads(row[2], {})) if row else None

    def uncertain(self) -> list[PendingAction]:
        """Actions claimed but never finished: carried out or interrupted, maybe done — the user must check."""
        return self._with_status("running")

    def status(self, action_id: int) -> tuple[str, str | None] | None:
        """(status, provider id) of one action, or None when there is no such action."""
        with self.store.read() as conn:
            return conn.execute("SELECT status, provider_id FROM pending_actions WHERE id = ?", (action_id,)).fetchone()

    def _with_status(self, status: str) -> list[PendingAction]:
        with self.store.read() as conn:
            rows = conn.execute("SELECT id, kind, payload_json FROM pending_actions WHERE status = ? ORDER BY id",
                                (status,)).fetchall()
        return [PendingAction(r[0], r[1], loads(r[2], {})) for r in rows]


class JobRunRepo(Repo):
    def start(self, job: str) -> int:
        with self.store.transaction() as conn:
            return conn.execute("INSERT INTO job_runs(job, started_at) VALUES (?,?)", (job, now_iso())).lastrowid

    def finish(self, run_id: int, status: str, detail: dict[str, Any] | None = None) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE job_runs SET finished_at = ?, status = ?, detail_json = ? WHERE id = ?",
                (now_iso(), status, dumps(detail or {}), run_id),
            )

    def last(self, job: str) -> tuple[str, str | None, str] | None:
        with self.store.read() as conn:
            return conn.execute(
                "SELECT started_at, finished_at, status FROM job_runs WHERE job = ? ORDER BY id DESC LIMIT 1", (job,)
            ).fetchone()
