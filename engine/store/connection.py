"""Opening a SQLCipher database safely, and translating its errors into `StoreError`s.

Opening never writes before the key is proven right, so a wrong passphrase or a damaged file leaves the file
byte-identical. Pragmas follow FACTS.md: temp files are not encrypted by SQLCipher, so `temp_store=MEMORY`.
"""

from __future__ import annotations

import contextlib
import errno
from pathlib import Path
from typing import Iterator

import sqlcipher3
from sqlcipher3 import dbapi2

from engine.errors import DiskFull, StoreBusy, StoreCorrupt, StoreError, StoreLocked
from engine.store.keys import StoreKey

_SQLITE_MAGIC = b"SQLite format 3\x00"
_PAGE = 1024  # every SQLCipher page size is a multiple of this

Connection = dbapi2.Connection


def check_file(path: Path) -> None:
    """Reject files that cannot be a store before touching them (they are never modified)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except FileNotFoundError as exc:
        raise StoreError(f"No Reflex store at {path}.", next_step="Run `reflex-assistant init` to create one.") from exc
    except PermissionError as exc:
        raise StoreError(f"Cannot read {path}: permission denied.", next_step="Check the file's owner and mode.") from exc
    if size == 0:
        raise StoreCorrupt(f"{path} is empty, not a Reflex store.", next_step=_RESTORE)
    if head == _SQLITE_MAGIC:
        raise StoreCorrupt(f"{path} is an unencrypted SQLite file, not a Reflex store.", next_step=_RESTORE)
    if size % _PAGE:
        raise StoreCorrupt(f"{path} is truncated or damaged ({size} bytes).", next_step=_RESTORE)


_RESTORE = ("Leave the file as it is and restore a backup made with `reflex-assistant backup`: "
            "`reflex-assistant restore BACKUP_FILE` (the damaged file is kept beside it).")


def connect(path: Path, key: StoreKey, *, create: bool = False) -> Connection:
    """Open `path` with `key`, verify the key with a read, then apply the session pragmas."""
    if not create:
        check_file(path)
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10.0)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key.pragma_value()}")
        # Pin the SQLCipher 4 format (KDF, HMAC, page size): a future SQLCipher 5 build keeps opening these stores.
        conn.execute("PRAGMA cipher_compatibility = 4")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except dbapi2.DatabaseError as exc:
            raise StoreLocked(
                "cannot unlock the store: wrong passphrase or key",
                next_step="Check the passphrase (REFLEX_PASSPHRASE) or your keyring. The file was not changed.",
            ) from exc
        if create:  # only possible before the first table: lets retention give pages back without a full VACUUM
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA temp_store = MEMORY",
            "PRAGMA foreign_keys = ON",
            "PRAGMA cache_size = -131072",  # 128 MiB upper bound: decrypted pages stay cached (reads ~1x plain)
            "PRAGMA busy_timeout = 10000",
        ):
            conn.execute(pragma)
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Turn SQLite/OS failures during store work into engine errors with a next step."""
    try:
        yield
    except StoreError:
        raise
    except dbapi2.OperationalError as exc:
        text = str(exc).lower()
        if "full" in text:
            raise DiskFull("The disk is full: the last change was not saved.", next_step="Free some space and try again; nothing else was lost.") from exc
        if "readonly" in text or "read-only" in text:
            raise DiskFull(f"The data folder {path.parent} is read-only: the last change was not saved.", next_step="Make the folder writable and try again.") from exc
        if "locked" in text or "busy" in text:
            raise StoreBusy("The store is busy in another process.", next_step="Try again in a moment.") from exc
        raise StoreError(f"Store operation failed: {exc}", next_step="Run `reflex-assistant doctor`.") from exc
    except dbapi2.IntegrityError as exc:
        raise StoreError(f"A change conflicted with data already in the store ({exc}); nothing was saved.",
                         next_step="Please report this; your data is unchanged.") from exc
    except dbapi2.DatabaseError as exc:
        text = str(exc).lower()
        if any(mark in text for mark in ("malformed", "not a database", "corrupt", "encrypted")):
            raise StoreCorrupt(f"The store {path} is damaged: {exc}", next_step=_RESTORE) from exc
        raise StoreError(f"Store operation failed: {exc}", next_step="Run `reflex-assistant doctor`.") from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull("The disk is full: the last change was not saved.", next_step="Free some space and try again.") from exc
        raise
