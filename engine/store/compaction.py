"""Converting a store made before incremental auto-vacuum, once, by copying it into a new encrypted file.

Why: retention frees pages and must give them back to the disk. A full `VACUUM` with `temp_store=MEMORY` (temp
files are not encrypted, so they stay in RAM) needs as much memory as the store is large: several GB with audio.
Stores created now use `auto_vacuum=INCREMENTAL` and give pages back with `PRAGMA incremental_vacuum`. SQLite
switches auto-vacuum on a populated database only through a full VACUUM (and never inside a transaction), so an
older store is converted by exporting it (`sqlcipher_export`, same key) into a fresh file whose auto-vacuum is
set before the first table exists, checking it, and renaming it over the original.

Contract: the store must be closed in every process (hold `engine.store.lock.exclusive`). Free disk space for a
full copy is checked first (`DiskFull` otherwise, nothing changed). A crash leaves the original untouched until
the final rename, which is atomic; a leftover `.convert-part` file is discarded by the next attempt.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

from engine.errors import DiskFull, StoreError
from engine.store.connection import connect, translated_errors
from engine.store.keys import StoreKey, fsync_dir

__all__ = ["INCREMENTAL", "convert_to_incremental"]

INCREMENTAL = 2  # PRAGMA auto_vacuum value
_MARGIN = 64 * 1024 * 1024  # room for the copy's WAL and the file system's own needs


def convert_to_incremental(db_path: Path, key: StoreKey, *,
                           on_progress: Callable[[float], None] | None = None) -> bool:
    """Rewrite the closed store at `db_path` with incremental auto-vacuum; False when it already has it."""
    db_path = Path(db_path)
    progress = on_progress or (lambda _f: None)
    part = db_path.with_name(db_path.name + ".convert-part")
    part.unlink(missing_ok=True)
    conn = connect(db_path, key)
    try:
        if int(conn.execute("PRAGMA auto_vacuum").fetchone()[0]) == INCREMENTAL:
            return False
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        needed = db_path.stat().st_size + _MARGIN
        free = shutil.disk_usage(db_path.parent).free
        if free < needed:
            raise DiskFull(f"Compacting the store needs {needed / 1e6:.0f} MB free next to it; {free / 1e6:.0f} MB "
                           "are free.", next_step="Free some space and run `reflex-assistant retention run` again; "
                           "nothing was changed.")
        progress(0.05)
        with translated_errors(db_path):
            conn.execute("ATTACH DATABASE ? AS converted", (str(part),))  # no KEY: the main key is used
            try:
                conn.execute(f"PRAGMA converted.auto_vacuum = {INCREMENTAL}")  # before its first table
                conn.execute("BEGIN")
                try:
                    conn.execute("SELECT sqlcipher_export('converted')").fetchall()
                    version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
                    conn.execute(f"PRAGMA converted.user_version = {version}")
                finally:
                    conn.execute("COMMIT")
            finally:
                conn.execute("DETACH DATABASE converted")
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    progress(0.75)
    _check(part, key)
    progress(0.9)
    wal = Path(f"{db_path}-wal")
    if wal.exists() and wal.stat().st_size:
        part.unlink(missing_ok=True)
        raise StoreError("The store is still open somewhere; it was not converted.",
                         next_step="Quit Reflex and run `reflex-assistant retention run` again.")
    for side in (wal, Path(f"{db_path}-shm")):
        side.unlink(missing_ok=True)
    os.replace(part, db_path)
    fsync_dir(db_path.parent)
    progress(1.0)
    return True


def _check(part: Path, key: StoreKey) -> None:
    """The copy opens with the key, has incremental auto-vacuum and passes both integrity checks, durably."""
    conn = connect(part, key)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]
        if problems or int(conn.execute("PRAGMA auto_vacuum").fetchone()[0]) != INCREMENTAL:
            raise StoreError(f"The converted copy failed its checks ({(problems or ['auto_vacuum'])[0]}); the store "
                             "was not changed.", next_step="Run `reflex-assistant doctor`.")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute("PRAGMA journal_mode = DELETE")  # a single file to rename; WAL comes back at the next open
    finally:
        conn.close()
    fd = os.open(part, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
