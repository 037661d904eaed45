"""Where the store's key comes from.

A new store gets a random 256-bit key kept in the OS keyring and applied as a raw key (`x'..'`, ~1.5 ms per
open, no KDF). Without a usable keyring (headless Linux raises `NoKeyringError`) the user supplies a passphrase,
which SQLCipher stretches with PBKDF2. The chosen mode is recorded in a small non-secret sidecar file
(`store.json`) so that a missing keyring entry is reported as such, never answered with a new key over old data.
The plaintext/base64 "keyring" backends from keyrings.alt are refused: they would write the key to disk.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import keyring
import keyring.errors

from engine.errors import KeyMissing, StoreError

KEYRING_SERVICE = "reflex-assistant"
PASSPHRASE_ENV = "REFLEX_PASSPHRASE"
_INSECURE_BACKENDS = ("PlaintextKeyring", "EncryptedKeyring", "Null", "fail.Keyring", "ChainerBackend")


@dataclass(frozen=True, slots=True)
class StoreKey:
    """A raw 32-byte key or a passphrase; `pragma_value()` is what `PRAGMA key` receives."""

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
    """True when the active keyring backend really protects secrets (Secret Service, Keychain, WinCred...)."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken backend is simply "not available"
        return False
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if any(bad in name for bad in _INSECURE_BACKENDS):
        return False
    try:
        return float(backend.priority) > 0  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return False


def _account_for(db_path: Path) -> str:
    return f"store-key:{db_path.resolve()}"


class KeyStore:
    """Reads and writes the raw store key in the OS keyring, scoped to one database path."""

    def __init__(self, db_path: Path) -> None:
        self._account = _account_for(db_path)

    def load(self) -> StoreKey | None:
        try:
            value = keyring.get_password(KEYRING_SERVICE, self._account)
        except keyring.errors.KeyringError:
            return None
        return StoreKey(raw=bytes.fromhex(value)) if value else None

    def save(self, key: StoreKey) -> None:
        assert key.raw is not None
        try:
            keyring.set_password(KEYRING_SERVICE, self._account, key.raw.hex())
        except keyring.errors.KeyringError as exc:
            raise StoreError(
                "The OS keyring refused to store the encryption key.",
                next_step=f"Unlock your keyring, or set {PASSPHRASE_ENV} to use a passphrase instead.",
            ) from exc

    def delete(self) -> None:
        try:
            keyring.delete_password(KEYRING_SERVICE, self._account)
        except keyring.errors.KeyringError:
            pass


class StoreMeta:
    """The non-secret sidecar `store.json`: key mode and creation time."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name("store.json")

    def read(self) -> dict[str, str]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {"key_mode": "unknown"}

    def write(self, key_mode: str) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"key_mode": key_mode, "format": "sqlcipher4"}), encoding="utf-8")
        os.replace(tmp, self.path)


PassphrasePrompt = Callable[[str], str]


def resolve_key(db_path: Path, *, prompt: PassphrasePrompt | None = None, creating: bool = False) -> StoreKey:
    """Find the key for `db_path` (existing or about to be created).

    Order: a passphrase-mode store takes `REFLEX_PASSPHRASE`, then `prompt`; a keyring-mode store takes the
    keyring entry and fails with `KeyMissing` (a recovery message) when it is gone. A new store uses the keyring
    when a secure backend exists, else a passphrase.
    """
    meta = StoreMeta(db_path).read()
    mode = meta.get("key_mode")
    if creating:
        mode = "keyring" if secure_keyring_available() and not os.environ.get(PASSPHRASE_ENV) else "passphrase"
    if mode == "keyring":
        if creating:
            return StoreKey.generate()
        key = KeyStore(db_path).load()
        if key is None:
            raise KeyMissing(
                f"The encryption key for {db_path} is not in the OS keyring.",
                next_step="Unlock or restore your keyring, or restore the store from a backup. "
                "Reflex will not create a new key over existing data.",
            )
        return key
    return StoreKey(passphrase=_passphrase(db_path, prompt, creating))


def _passphrase(db_path: Path, prompt: PassphrasePrompt | None, creating: bool) -> str:
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env
    if prompt is None:
        raise KeyMissing(
            "No OS keyring is available and no passphrase was given.",
            next_step=f"Set {PASSPHRASE_ENV}, run from a terminal to be asked, or install a keyring "
            "(e.g. gnome-keyring).",
        )
    verb = "Choose" if creating else "Enter"
    return prompt(f"{verb} the passphrase for {db_path.name}: ")
