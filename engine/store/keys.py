"""Key material: the SQLCipher key, the OS keyring entries that hold key-encryption keys, and `store.json`.

The database is encrypted with a random 256-bit data key (`StoreKey(raw=...)`, applied as `x'..'`: ~1.5 ms per
open, no KDF), kept only wrapped (see `engine.store.envelope`) in the non-secret sidecar `store.json` beside the
database, which also holds the store's UUID. Keyring entries are keyed by that UUID plus a key id
(`store-kek:<uuid>:<kek id>`), never by the data path, so moving the data folder or restoring a backup elsewhere
keeps its key. Stores made before envelope encryption ("legacy") open with the raw key in the keyring entry
`store-key:<absolute path>`, or with the passphrase itself as the SQLCipher key; `engine.store.unlock` migrates
them. The plaintext/base64 "keyring" backends from keyrings.alt are refused: they would write keys to disk.

Every write of `store.json` is atomic (temp file, fsync, rename, fsync of the folder) and read back; every
keyring write is read back: a key is never believed saved before it is proven readable.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import keyring.errors

from connectors.secrets import keyring_is_secure
from engine.errors import StoreError

KEYRING_SERVICE = "reflex-assistant"
PASSPHRASE_ENV = "REFLEX_PASSPHRASE"


@dataclass(frozen=True, slots=True)
class StoreKey:
    """What `PRAGMA key` receives: a raw 32-byte data key, or (legacy stores only) a passphrase."""

    raw: bytes | None = None
    passphrase: str | None = None

    def __post_init__(self) -> None:
        if (self.raw is None) == (self.passphrase is None):
            raise ValueError("exactly one of raw or passphrase")
        if self.raw is not None and len(self.raw) != 32:
            raise ValueError("raw keys are 32 bytes")
        if self.passphrase is not None and not self.passphrase:
            raise StoreError("An empty passphrase cannot protect the store.", next_step="Choose a passphrase.")

    @property
    def mode(self) -> str:
        return "keyring" if self.raw is not None else "passphrase"

    def pragma_value(self) -> str:
        if self.raw is not None:
            return f"\"x'{self.raw.hex()}'\""
        return "'" + (self.passphrase or "").replace("'", "''") + "'"

    def __repr__(self) -> str:  # never leak key material into logs or tracebacks
        return f"StoreKey(mode={self.mode})"

    @classmethod
    def generate(cls) -> "StoreKey":
        return cls(raw=secrets.token_bytes(32))


def secure_keyring_available() -> bool:
    """True when the active keyring backend really protects secrets (the same test tokens get)."""
    return keyring_is_secure()


def require_secure_keyring(what: str) -> None:
    """Refuse to put a secret into a keyring backend that would store it in plaintext (or nowhere)."""
    if not secure_keyring_available():
        raise StoreError(f"No secure OS keyring is available to hold {what}.",
                         next_step=f"Install or unlock a keyring (e.g. gnome-keyring), or set {PASSPHRASE_ENV} "
                         "to use a passphrase instead.")


class KeyringEntry:
    """One secret (bytes, stored hex-encoded) in the OS keyring under Reflex's service name."""

    def __init__(self, account: str) -> None:
        self.account = account

    @classmethod
    def for_kek(cls, store_id: str, kek_id: str) -> "KeyringEntry":
        return cls(f"store-kek:{store_id}:{kek_id}")

    @classmethod
    def legacy(cls, db_path: Path) -> "KeyringEntry":
        """Where stores made before envelope encryption keep their raw key: keyed by the absolute data path."""
        return cls(f"store-key:{Path(db_path).resolve()}")

    def load(self) -> bytes | None:
        try:
            value = keyring.get_password(KEYRING_SERVICE, self.account)
        except keyring.errors.KeyringError:
            return None
        try:
            return bytes.fromhex(value) if value else None
        except ValueError:
            return None

    def save(self, secret: bytes) -> None:
        """Write and read back; raises `StoreError` unless the keyring now returns exactly `secret`."""
        try:
            keyring.set_password(KEYRING_SERVICE, self.account, secret.hex())
        except keyring.errors.KeyringError as exc:
            raise StoreError("The OS keyring refused to store the encryption key.",
                             next_step=f"Unlock your keyring, or set {PASSPHRASE_ENV} to use a passphrase instead."
                             ) from exc
        if self.load() != secret:
            raise StoreError("The OS keyring did not keep the encryption key (read-back differs).",
                             next_step=f"Unlock or repair your keyring, or set {PASSPHRASE_ENV} to use a passphrase.")

    def delete(self) -> None:
        try:
            keyring.delete_password(KEYRING_SERVICE, self.account)
        except keyring.errors.KeyringError:
            pass


def new_id() -> str:
    return secrets.token_hex(8)


class StoreMeta:
    """The non-secret sidecar `store.json`: store UUID, key mode and the wrapped data key (see module doc)."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(db_path).with_name("store.json")

    def read(self) -> dict[str, Any]:
        """{} when there is none; `{"key_mode": "unknown"}` when it cannot be parsed (never treated as absent)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {"key_mode": "unknown"}
        return data if isinstance(data, dict) else {"key_mode": "unknown"}

    def write(self, data: dict[str, Any]) -> None:
        write_json_durably(self.path, data)
        if self.read() != json.loads(json.dumps(data)):
            raise StoreError(f"{self.path} did not read back as written.", next_step="Check the disk and try again.")


def write_json_durably(path: Path, data: dict[str, Any]) -> None:
    """Replace `path` atomically: a crash leaves the old or the new content, never a mix or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
