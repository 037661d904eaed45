"""The encrypted store: one SQLCipher connection per process, shared by every repository.

Threads: every access holds one re-entrant lock, so the connection is used by one thread at a time (SQLite
connections are not safe for concurrent use). `transaction()` nests: an inner block joins the outer
transaction, which is how a connector batch and its cursor commit together or not at all.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Iterator

from engine.errors import StoreError
from engine.store import migrate as migrations
from engine.store.connection import Connection, check_file, connect, translated_errors
from engine.store import lock as store_lock
from engine.store.keys import StoreKey, StoreMeta
from engine.store.repos.assistant import ContextRepo, ConversationRepo, MemoryRepo
from engine.store.repos.calendar import EventRepo
from engine.store.repos.insights import CommitmentRepo, DecisionRepo, InsightRepo, OpportunityRepo
from engine.store.repos.knowledge import ChunkRepo, DocumentRepo
from engine.store.repos.mail import ContactRepo, MessageRepo
from engine.store.repos.meetings import MeetingRepo
from engine.store.repos.purge import PurgeRepo
from engine.store.repos.readings import MailReadingRepo
from engine.store.repos.system import AccountRepo, AuditRepo, CursorRepo, JobRunRepo, PendingActionRepo, SettingsRepo
from engine.store.repos.tasks import TaskRepo
from engine.store.repos.triage import TriageRepo
from engine.store.repos.usage import UsageRepo
from engine.store.repos.vectors import EmbeddingRepo, IndexQueueRepo, IndexSnapshotRepo

DB_NAME = "reflex.db"

# Tables whose row counts `status` reports.
COUNTED_TABLES = (
    "accounts", "contacts", "threads", "messages", "events", "meetings", "transcript_segments", "audio_chunks",
    "documents", "chunks", "embeddings", "conversations", "turns", "memories", "strategic_contexts", "decisions",
    "opportunities", "commitments", "insights", "audit_log",
)


class Store:
    """Open with `Store.open(path, key)` or `Store.create(path, key)`; close with `close()`.

    `key` is the SQLCipher key itself; finding it (keyring, passphrase, recovery key) is `engine.store.unlock`'s
    job, so this class never touches the keyring or `store.json`. An open store holds the shared process lock of
    `engine.store.lock` until it is closed.
    """

    def __init__(self, path: Path, conn: Connection, key: StoreKey, held: contextlib.ExitStack) -> None:
        self.path = path
        self.key = key
        self._conn = conn
        self._held = held
        self._lock = threading.RLock()
        self._depth = 0
        self.accounts = AccountRepo(self)
        self.cursors = CursorRepo(self)
        self.contacts = ContactRepo(self)
        self.messages = MessageRepo(self, contacts=self.contacts)
        self.events = EventRepo(self)
        self.meetings = MeetingRepo(self)
        self.documents = DocumentRepo(self)
        self.chunks = ChunkRepo(self)
        self.embeddings = EmbeddingRepo(self)
        self.index_queue = IndexQueueRepo(self)
        self.index_snapshots = IndexSnapshotRepo(self)
        self.conversations = ConversationRepo(self)
        self.memories = MemoryRepo(self)
        self.contexts = ContextRepo(self)
        self.commitments = CommitmentRepo(self)
        self.opportunities = OpportunityRepo(self)
        self.decisions = DecisionRepo(self)
        self.insights = InsightRepo(self)
        self.audit = AuditRepo(self)
        self.settings = SettingsRepo(self)
        self.pending_actions = PendingActionRepo(self)
        self.job_runs = JobRunRepo(self)
        self.triage = TriageRepo(self)
        self.mail_readings = MailReadingRepo(self)
        self.usage = UsageRepo(self)
        self.tasks = TaskRepo(self)
        self.purge = PurgeRepo(self)

    # -- lifecycle -------------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, key: StoreKey) -> "Store":
        """Create a new, empty database encrypted with `key`; refuses to touch an existing file."""
        path = Path(path)
        if path.exists():
            raise StoreError(f"A store already exists at {path}.", next_step="Open it instead, or choose another --home.")
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls._connect(path, key, create=True, upgrade=True)

    @classmethod
    def open(cls, path: Path, key: StoreKey, *, upgrade: bool = True, shared_lock: bool = True) -> "Store":
        """Open an existing store; errors leave the file unchanged (see engine.store.connection).
        `shared_lock=False` is for files no other process uses (a backup being checked, maybe on read-only media)."""
        path = Path(path)
        check_file(path)
        return cls._connect(path, key, create=False, upgrade=upgrade, shared_lock=shared_lock)

    @classmethod
    def _connect(cls, path: Path, key: StoreKey, *, create: bool, upgrade: bool, shared_lock: bool = True) -> "Store":
        held = contextlib.ExitStack()
        try:
            if shared_lock:
                held.enter_context(store_lock.shared(path))
            with translated_errors(path):
                conn = connect(path, key, create=create)
                try:
                    if upgrade:
                        migrations.migrate(conn)
                except BaseException:
                    conn.close()
                    raise
        except BaseException:
            held.close()
            raise
        return cls(path, conn, key, held)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._conn.close()
                self._conn = None  # type: ignore[assignment]
                self._held.close()

    def reopen(self, key: StoreKey) -> None:
        """Connect this closed store again to its file — replaced by a restore, or under a new key after a rekey —
        so every object holding it (repositories, use-cases, jobs) goes on with what the file holds now. Raises as
        `open` does; the store stays closed then."""
        with self._lock:
            if self._conn is not None:
                raise StoreError("The store is already open.", next_step="Close it before reopening it.")
            fresh = Store.open(self.path, key)
            self._conn, self._held, self.key, self._depth = fresh._conn, fresh._held, fresh.key, 0

    @property
    def closed(self) -> bool:
        return self._conn is None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- access ----------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception; nested blocks join the outer one."""
        with self._lock:
            conn = self._live()
            if self._depth:
                self._depth += 1
                try:
                    yield conn
                finally:
                    self._depth -= 1
                return
            with translated_errors(self.path):
                conn.execute("BEGIN IMMEDIATE")
                self._depth = 1
                try:
                    yield conn
                except BaseException:
                    self._depth = 0
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                self._depth = 0
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with self._lock:
            conn = self._live()
            with translated_errors(self.path):
                yield conn

    def _live(self) -> Connection:
        if self._conn is None:
            raise StoreError("The store is closed.", next_step="Wait for the store operation to finish, or restart "
                             "Reflex.")
        return self._conn

    # -- maintenance -----------------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        with self.read() as conn:
            return migrations.current_version(conn)

    def counts(self) -> dict[str, int]:
        with self.read() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED_TABLES}

    def integrity_problems(self) -> list[str]:
        """Empty when both SQLite's and SQLCipher's (HMAC) integrity checks pass."""
        with self.read() as conn:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
            problems += [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]
        return problems

    def reencrypt(self, new_key: StoreKey) -> None:
        """Re-encrypt every page with `new_key` (SQLCipher `PRAGMA rekey`, one transaction: a crash leaves the
        old key or the new one in force, never a mix). The caller must have staged `new_key` where the next
        open finds it *before* calling this (see `engine.store.unlock`), and hold the exclusive process lock."""
        with self.transaction():
            pass  # make sure nothing is pending
        with self._lock, translated_errors(self.path):
            conn = self._live()
            conn.execute(f"PRAGMA rekey = {new_key.pragma_value()}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.key = new_key

    def files(self) -> list[Path]:
        """The database and its WAL/SHM side files that exist now."""
        return [p for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")) if p.exists()]


def default_db_path(home: Path) -> Path:
    return Path(home) / DB_NAME


def remove_store_files(path: Path) -> None:
    """Delete the database, its side files and `store.json` (used by `wipe`, after confirmation; the keyring
    entries go with `engine.store.unlock.forget_keys`, which must run first while `store.json` names them)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), StoreMeta(path).path):
        with contextlib.suppress(FileNotFoundError):
            os.remove(p)
