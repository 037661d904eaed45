"""Encrypted backups of the live store, and restoring one without ever destroying the current store.

`backup(store, dest)` copies the open store with SQLCipher's `sqlcipher_export()` into a database ATTACHed
without a KEY clause, which SQLCipher encrypts with the main database's key: the copy is as encrypted as the
original and opens with the same key (raw keyring key or passphrase). The export runs inside one read
transaction, so it is a consistent snapshot even while the app (another connection, WAL mode) keeps writing.
The copy is written to `<name>.part`, fsynced, then renamed: a crash never leaves a half backup under the final
name. A small non-secret sidecar `<name>.json` records the store id, the wrapped data key (so the recovery key or
the passphrase opens the backup on a new machine; see `engine.store.unlock`), schema version and time.

`restore(src, live_path, key, sidecar=...)` first proves the backup opens with `key` and passes both integrity
checks (SQLite's and SQLCipher's HMAC check), then MOVES the live database (and its -wal/-shm) aside to
`reflex.db.before-restore-<time>` — never deleting it — with a copy of its `store.json` beside it
(`store.before-restore-<time>.json`), writes the restored store's `store.json`, and only then puts the backup in place.

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
from engine.store.keys import StoreKey, StoreMeta, fsync_dir, write_json_durably
from engine.store.store import Store
from engine.store.unlock import backup_sidecar

__all__ = ["BackupInfo", "backup", "backup_meta", "moved_key_file", "opens_with", "restore"]

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
    keys = backup_sidecar(store.path)
    write_json_durably(_meta_path(dest), {"format": "sqlcipher4", "schema_version": version, "created_at": _stamp(),
                                          "source": str(store.path), **keys})
    os.replace(part, dest)  # after the sidecar: a backup under its final name always has its keys beside it
    fsync_dir(dest.parent)
    key_mode = str(keys.get("key_mode", "unknown"))
    return BackupInfo(dest, dest.stat().st_size, version, key_mode)


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def backup_meta(path: Path) -> dict[str, str]:
    """The backup's sidecar (key mode, schema version, time), or {} when missing/unreadable."""
    try:
        return json.loads(_meta_path(Path(path)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def moved_key_file(moved: Path) -> Path:
    """Where the key file (`store.json`) of a store moved aside by `restore` is kept."""
    return moved.with_name("store." + moved.name.split(".", 2)[-1] + ".json")


def opens_with(src: Path, key: StoreKey) -> bool:
    """Whether the backup `src` decrypts with `key` (nothing is written)."""
    try:
        Store.open(Path(src), key, upgrade=False, shared_lock=False).close()
    except StoreLocked:
        return False
    return True


def restore(src: Path, live_path: Path, key: StoreKey, *, sidecar: dict | None = None) -> Path | None:
    """Replace the store at `live_path` with the backup `src`, which opens with `key`; `sidecar` is the
    `store.json` it gets (see `unlock.sidecar_for_restore`; None keeps the live one). Returns where the previous
    store was moved (None if there was none). The live store must be closed and the exclusive lock held."""
    src, live_path = Path(src).expanduser(), Path(live_path)
    try:
        candidate = Store.open(src, key, upgrade=False, shared_lock=False)
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
    live_meta = StoreMeta(live_path)
    if live_path.exists():
        moved = live_path.with_name(f"{live_path.name}.before-restore-{_stamp()}")
        if live_meta.path.exists():  # the moved store keeps the key file that opens it
            write_json_durably(moved_key_file(moved), live_meta.read())
        for suffix in ("-wal", "-shm"):  # a WAL belongs to its database: keep the pair together
            side = Path(f"{live_path}{suffix}")
            if side.exists():
                os.replace(side, Path(f"{moved}{suffix}"))
        os.replace(live_path, moved)
        fsync_dir(live_path.parent)
    live_path.parent.mkdir(parents=True, exist_ok=True)
    if sidecar is not None and sidecar != live_meta.read():
        live_meta.write(sidecar)
    part = live_path.with_name(live_path.name + ".restore-part")
    shutil.copyfile(src, part)
    _fsync(part)
    os.replace(part, live_path)
    fsync_dir(live_path.parent)
    Store.open(live_path, key).close()  # migrates an older backup forward now, not on the next start
    return moved
