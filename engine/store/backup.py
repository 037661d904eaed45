"""Encrypted backups of the live store, and restoring one without ever destroying the current store.

`backup(store, dest)` copies the open store with SQLCipher's `sqlcipher_export()` into a database ATTACHed
without a KEY clause, which SQLCipher encrypts with the main database's key: the copy is as encrypted as the
original and opens with the same key (raw keyring key or passphrase). The export runs inside one read
transaction, so it is a consistent snapshot even while the app (another connection, WAL mode) keeps writing.
The copy is written to `<name>.part`, fsynced, then renamed: a crash never leaves a half backup under the final
name. A small non-secret sidecar `<name>.json` records the key mode, schema version and time.

`restore(src, live_path, key)` first proves the backup opens with `key` and passes both integrity checks
(SQLite's and SQLCipher's HMAC check), then MOVES the live database (and its -wal/-shm) aside to
`reflex.db.before-restore-<time>` — never deleting it — and only then puts the backup in place.

Threads: `backup` holds the store's lock for the copy (seconds for a large store). Close the live store (and
the app) before `restore`. Errors: `StoreError` subclasses with a next step; the live store is untouched by
any failure before the move, and the move itself is a rename.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from engine.errors import StoreCorrupt, StoreError, StoreLocked
from engine.store.connection import translated_errors
from engine.store.keys import StoreKey, StoreMeta
from engine.store.store import Store

__all__ = ["BackupInfo", "backup", "backup_meta", "restore"]

SUFFIX = ".reflex-backup"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int
    schema_version: int
    key_mode: str


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(store: Store, dest: Path) -> BackupInfo:
    """Write an encrypted copy of `store` to `dest` (a file name, or a folder to put a dated file in)."""
    dest = Path(dest).expanduser()
    if dest.is_dir():
        dest = dest / f"reflex-{_stamp()}{SUFFIX}"
    if dest.exists():
        raise StoreError(f"{dest} already exists; a backup never overwrites a file.", next_step="Choose a new name.")
    if not dest.parent.is_dir():
        raise StoreError(f"The folder {dest.parent} does not exist.", next_step="Create it or choose another one.")
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    with store.read() as conn, translated_errors(dest):
        conn.execute("ATTACH DATABASE ? AS backup_copy", (str(part),))  # no KEY clause: the main key is used
        try:
            conn.execute("BEGIN")
            try:
                conn.execute("SELECT sqlcipher_export('backup_copy')").fetchall()
                version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
                conn.execute(f"PRAGMA backup_copy.user_version = {version}")  # sqlcipher_export does not copy it
            finally:
                conn.execute("COMMIT")
        finally:
            conn.execute("DETACH DATABASE backup_copy")
    _fsync(part)
    os.replace(part, dest)
    key_mode = StoreMeta(store.path).read().get("key_mode", "unknown")
    _meta_path(dest).write_text(json.dumps({"format": "sqlcipher4", "key_mode": key_mode, "schema_version": version,
                                            "created_at": _stamp(), "source": str(store.path)}), encoding="utf-8")
    return BackupInfo(dest, dest.stat().st_size, version, key_mode)


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def backup_meta(path: Path) -> dict[str, str]:
    """The backup's sidecar (key mode, schema version, time), or {} when missing/unreadable."""
    try:
        return json.loads(_meta_path(Path(path)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def restore(src: Path, live_path: Path, key: StoreKey) -> Path | None:
    """Replace the store at `live_path` with the backup `src` (same key). Returns where the previous store was
    moved (None if there was none). The live store must be closed."""
    src, live_path = Path(src).expanduser(), Path(live_path)
    try:
        candidate = Store.open(src, key, upgrade=False)
    except StoreLocked as exc:
        raise StoreLocked(f"The backup {src} does not open with this store's key.",
                          next_step="Use the passphrase/keyring key that was in use when the backup was made "
                          "(set REFLEX_PASSPHRASE for passphrase stores). Nothing was changed.") from exc
    try:
        problems = candidate.integrity_problems()
    finally:
        candidate.close()
    if problems:
        raise StoreCorrupt(f"The backup {src} is damaged ({problems[0]}).",
                           next_step="Use another backup. Nothing was changed.")
    moved = None
    if live_path.exists():
        moved = live_path.with_name(f"{live_path.name}.before-restore-{_stamp()}")
        for suffix in ("-wal", "-shm"):  # a WAL belongs to its database: keep the pair together
            side = Path(f"{live_path}{suffix}")
            if side.exists():
                os.replace(side, Path(f"{moved}{suffix}"))
        os.replace(live_path, moved)
    live_path.parent.mkdir(parents=True, exist_ok=True)
    part = live_path.with_name(live_path.name + ".restore-part")
    shutil.copyfile(src, part)
    _fsync(part)
    os.replace(part, live_path)
    if not StoreMeta(live_path).read():
        StoreMeta(live_path).write(key.mode)
    Store.open(live_path, key).close()  # migrates an older backup forward now, not on the next start
    return moved
