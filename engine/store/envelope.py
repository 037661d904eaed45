"""Envelope encryption of the store's data key: wrapping it with a keyring secret, a passphrase or a recovery key.

The database is encrypted with one random 256-bit data key that never changes for the life of a store. That key
is kept only in wrapped form (RFC 5649 AES key wrap, from `cryptography`), once per way of unlocking:
- `keyring`: a random 256-bit key-encryption key (KEK) kept in the OS keyring;
- `passphrase`: a KEK stretched from the passphrase with scrypt (n=2^15, r=8: ~32 MiB, ~0.1 s per unlock);
- `recovery`: a KEK derived with HKDF from a printable 160-bit recovery key (enough entropy for no stretching).
Changing the passphrase or the keyring secret rewraps the data key, so the recovery key and every older backup
(same data key) keep working. A wrap is a small JSON-able dict; unwrapping with the wrong secret raises
`WrongSecret` (AES-KW authenticates), never returns garbage.
"""

from __future__ import annotations

import base64
import re
import secrets
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap_with_padding, aes_key_wrap_with_padding

__all__ = ["WrongSecret", "format_recovery_key", "new_recovery_key", "parse_recovery_key", "unwrap", "wrap_with_kek",
           "wrap_with_passphrase", "wrap_with_recovery"]

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
_RECOVERY_BYTES = 20  # 160 bits: 32 base32 characters
_RECOVERY_PREFIX = "RFLX"


class WrongSecret(Exception):
    """The secret does not unwrap this data key (wrong passphrase/recovery key, or another store's keyring key)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _scrypt_kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _recovery_kek(recovery: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"reflex recovery key v1").derive(recovery)


def wrap_with_kek(data_key: bytes, kek: bytes) -> dict[str, Any]:
    """Wrap with a random 32-byte KEK (the keyring's secret)."""
    return {"kdf": "none", "wrapped": _b64(aes_key_wrap_with_padding(kek, data_key))}


def wrap_with_passphrase(data_key: bytes, passphrase: str) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    kek = _scrypt_kek(passphrase, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return {"kdf": "scrypt", "n": _SCRYPT_N, "r": _SCRYPT_R, "p": _SCRYPT_P, "salt": _b64(salt),
            "wrapped": _b64(aes_key_wrap_with_padding(kek, data_key))}


def wrap_with_recovery(data_key: bytes, recovery: bytes) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    return {"kdf": "hkdf-sha256", "salt": _b64(salt),
            "wrapped": _b64(aes_key_wrap_with_padding(_recovery_kek(recovery, salt), data_key))}


def unwrap(wrap: dict[str, Any], *, kek: bytes | None = None, passphrase: str | None = None,
           recovery: bytes | None = None) -> bytes:
    """The data key inside `wrap`, given the secret its `kdf` needs; `WrongSecret` otherwise."""
    try:
        kdf = wrap["kdf"]
        if kdf == "none" and kek is not None:
            secret = kek
        elif kdf == "scrypt" and passphrase is not None:
            secret = _scrypt_kek(passphrase, _unb64(wrap["salt"]), int(wrap["n"]), int(wrap["r"]), int(wrap["p"]))
        elif kdf == "hkdf-sha256" and recovery is not None:
            secret = _recovery_kek(recovery, _unb64(wrap["salt"]))
        else:
            raise WrongSecret(f"this wrap needs a {kdf} secret")
        return aes_key_unwrap_with_padding(secret, _unb64(wrap["wrapped"]))
    except InvalidUnwrap as exc:
        raise WrongSecret("the secret does not unwrap this key") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise WrongSecret(f"the wrapped key is damaged ({type(exc).__name__})") from exc


def new_recovery_key() -> bytes:
    return secrets.token_bytes(_RECOVERY_BYTES)


def format_recovery_key(recovery: bytes) -> str:
    """`RFLX-XXXX-XXXX-...`: base32 (no 0/1/8/9 to confuse with letters), in groups of four for writing down."""
    text = base64.b32encode(recovery).decode("ascii").rstrip("=")
    return "-".join([_RECOVERY_PREFIX] + [text[i:i + 4] for i in range(0, len(text), 4)])


def parse_recovery_key(text: str) -> bytes | None:
    """The key bytes of a typed recovery key (case, spaces, dashes and 0/1/8 look-alikes forgiven), or None when
    `text` is not shaped like one (then it may be a passphrase)."""
    compact = re.sub(r"[\s\-]", "", text).upper()
    if compact.startswith(_RECOVERY_PREFIX):
        compact = compact[len(_RECOVERY_PREFIX):]
    compact = compact.translate(str.maketrans("018", "OIB"))
    if len(compact) != 32 or not re.fullmatch(r"[A-Z2-7]+", compact):
        return None
    return base64.b32decode(compact)
