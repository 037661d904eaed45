"""Creating, opening, re-keying and recovering a store: which key opens it, and moving keys without losing one.

Contract (see `engine.store.keys` for the formats):
- `create_store` never makes a new key while `store.json` names one: when the database is missing but its key
  exists (an interrupted restore, a moved file), the new database gets the existing key. A fresh store gets a
  random data key, wrapped by the keyring secret or the passphrase and by a printable recovery key, returned once.
- `open_store` tries the current key, then a staged one (a re-encryption that committed but crashed before the
  key was promoted), finishes or discards half-done changes, and migrates older formats: a path-keyed keyring
  entry becomes a UUID-keyed key-encryption key (written and read back before the old entry is deleted).
- `change_unlock` (rekey) and `new_recovery_key` stage every new secret where the next open finds it, read it
  back, and only then make it current; a data key that changes (legacy passphrase stores, re-encrypted once) is
  staged before `PRAGMA rekey` and promoted after it committed.
Threads: call from one thread; rekey/recovery/restore need the exclusive lock of `engine.store.lock`.
"""

from __future__ import annotations

import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from engine.errors import KeyMissing, StoreError, StoreLocked
from engine.store import envelope
from engine.store.keys import PASSPHRASE_ENV, KeyringEntry, StoreKey, StoreMeta, new_id, require_secure_keyring, \
    secure_keyring_available
from engine.store.store import Store

__all__ = ["Created", "Prompt", "backup_sidecar", "candidate_keys_for_backup", "change_unlock", "create_store",
           "current_key",
           "forget_keys", "open_store", "sidecar_for_restore", "new_recovery_key"]

Prompt = Callable[[str], str]
FORMAT = {"version": 2, "format": "sqlcipher4"}


@dataclass(frozen=True, slots=True)
class Created:
    store: Store
    recovery_key: str | None  # printable, shown once; None when an existing key was reused


class _Asker:
    """Asks for the passphrase at most once per operation (REFLEX_PASSPHRASE first)."""

    def __init__(self, prompt: Prompt | None) -> None:
        self._prompt, self._answer = prompt, os.environ.get(PASSPHRASE_ENV) or None

    def __call__(self, text: str) -> str:
        if self._answer is None:
            if self._prompt is None:
                raise KeyMissing("No OS keyring is available and no passphrase was given.",
                                 next_step=f"Set {PASSPHRASE_ENV}, run from a terminal to be asked, or install a "
                                 "keyring (e.g. gnome-keyring).")
            self._answer = self._prompt(text)
        return self._answer


def _has_key(meta: dict[str, Any]) -> bool:
    """Whether `store.json` names a key (a store exists or existed), so a new one must not be made over it."""
    return bool(meta.get("wraps")) or meta.get("cipher_key") == "legacy" or (bool(meta) and "version" not in meta)


# -- create ------------------------------------------------------------------------------------------------------
def create_store(db_path: Path, *, prompt: Prompt | None = None) -> Created:
    db_path = Path(db_path)
    if db_path.exists():
        raise StoreError(f"A store already exists at {db_path}.", next_step="Open it instead, or choose another --home.")
    meta = StoreMeta(db_path).read()
    if _has_key(meta):
        key = _current_key(db_path, meta, _Asker(prompt), prompt)
        return Created(Store.create(db_path, key), None)
    _drop_pending_entry(meta)
    data_key, recovery = secrets.token_bytes(32), envelope.new_recovery_key()
    meta = {**FORMAT, "store_id": str(uuid.uuid4()), "cipher_key": "envelope",
            "wraps": {"recovery": envelope.wrap_with_recovery(data_key, recovery)}}
    if secure_keyring_available() and not os.environ.get(PASSPHRASE_ENV):
        meta["key_mode"] = "keyring"
        meta["wraps"]["keyring"] = _new_keyring_wrap(db_path, {**meta, "wraps": {}}, data_key)
    else:
        meta["key_mode"] = "passphrase"
        passphrase = _Asker(prompt)(f"Choose the passphrase for {db_path.name}: ")
        meta["wraps"]["passphrase"] = envelope.wrap_with_passphrase(data_key, StoreKey(passphrase=passphrase).passphrase)
    StoreMeta(db_path).write(meta)
    return Created(Store.create(db_path, StoreKey(raw=data_key)), envelope.format_recovery_key(recovery))


def _new_keyring_wrap(db_path: Path, meta: dict[str, Any], data_key: bytes) -> dict[str, Any]:
    """Save a new KEK in the keyring (announced in `store.json` first, so wipe/cleanup can always find it)."""
    require_secure_keyring("the store's key")
    kek_id, kek = new_id(), secrets.token_bytes(32)
    StoreMeta(db_path).write({**meta, "pending": {**meta.get("pending", {}), "kek_id": kek_id}})
    KeyringEntry.for_kek(meta["store_id"], kek_id).save(kek)
    return {**envelope.wrap_with_kek(data_key, kek), "kek_id": kek_id}


def _drop_pending_entry(meta: dict[str, Any]) -> None:
    kek_id = meta.get("pending", {}).get("kek_id")
    current = meta.get("wraps", {}).get("keyring", {}).get("kek_id")
    if kek_id and kek_id != current and meta.get("store_id"):
        KeyringEntry.for_kek(meta["store_id"], kek_id).delete()


# -- open --------------------------------------------------------------------------------------------------------
def open_store(db_path: Path, *, prompt: Prompt | None = None, upgrade: bool = True) -> Store:
    """Open the store at `db_path` with whatever key unlocks it; `KeyMissing`/`StoreLocked` otherwise."""
    db_path = Path(db_path)
    meta = StoreMeta(db_path).read()
    ask = _Asker(prompt)
    failure: StoreError
    try:
        key = _current_key(db_path, meta, ask, prompt)
    except (KeyMissing, StoreLocked) as exc:
        failure = exc
    else:
        try:
            store = Store.open(db_path, key, upgrade=upgrade)
        except StoreLocked as exc:
            failure = exc
        else:
            _tidy(db_path, meta, store.key)
            return store
    staged = _staged_key(meta, ask)
    if staged is None:
        raise failure
    store = Store.open(db_path, staged, upgrade=upgrade)
    _promote(db_path, meta, store.key)
    return store


def current_key(db_path: Path, *, prompt: Prompt | None = None) -> StoreKey:
    """The key `store.json` and the keyring name for `db_path`, without opening (or touching) the database."""
    return _current_key(Path(db_path), StoreMeta(db_path).read(), _Asker(prompt), prompt)


def _current_key(db_path: Path, meta: dict[str, Any], ask: _Asker, prompt: Prompt | None) -> StoreKey:
    wraps = meta.get("wraps") or {}
    if meta.get("cipher_key") == "envelope":
        if meta.get("key_mode") == "keyring":
            entry = KeyringEntry.for_kek(meta["store_id"], wraps.get("keyring", {}).get("kek_id", ""))
            kek = entry.load()
            if kek is None:
                if prompt is None or "recovery" not in wraps:
                    raise _keyring_missing(db_path)
                return _with_secret(wraps, prompt("The keyring has no key for this store. Enter the recovery key: "))
            try:
                return StoreKey(raw=envelope.unwrap(wraps["keyring"], kek=kek))
            except envelope.WrongSecret as exc:
                raise StoreLocked("The keyring's key does not unlock this store.",
                                  next_step="Restore a backup, or use the recovery key.") from exc
        return _with_secret(wraps, ask(f"Enter the passphrase (or recovery key) for {db_path.name}: "))
    if meta.get("key_mode") == "passphrase":
        return StoreKey(passphrase=ask(f"Enter the passphrase for {db_path.name}: "))
    legacy = KeyringEntry.legacy(db_path).load()
    if legacy is not None:
        return StoreKey(raw=legacy)
    if meta.get("key_mode") == "keyring":
        raise _keyring_missing(db_path)
    return StoreKey(passphrase=ask(f"Enter the passphrase for {db_path.name}: "))  # store.json unreadable


def _keyring_missing(db_path: Path) -> KeyMissing:
    return KeyMissing(f"The encryption key for {db_path} is not in the OS keyring.",
                      next_step="Unlock or restore your keyring, run this command in a terminal to enter the recovery "
                      "key, or restore the store from a backup. Reflex will not create a new key over existing data.")


def _with_secret(wraps: dict[str, Any], secret: str) -> StoreKey:
    """The data key from a typed recovery key or passphrase; `StoreLocked` when neither unwraps it."""
    recovery = envelope.parse_recovery_key(secret)
    attempts = [(wraps.get("recovery"), {"recovery": recovery})] if recovery else []
    attempts.append((wraps.get("passphrase"), {"passphrase": secret}))
    for wrap, secret_kw in attempts:
        if wrap:
            try:
                return StoreKey(raw=envelope.unwrap(wrap, **secret_kw))
            except envelope.WrongSecret:
                continue
    raise StoreLocked("cannot unlock the store: wrong passphrase or key",
                      next_step=f"Check the passphrase ({PASSPHRASE_ENV}) or the recovery key. The file was not changed.")


def _staged_key(meta: dict[str, Any], ask: _Asker) -> StoreKey | None:
    pending = meta.get("pending") or {}
    wraps = pending.get("wraps")
    if not wraps:
        return None
    try:
        if pending.get("key_mode") == "keyring":
            kek = KeyringEntry.for_kek(meta["store_id"], wraps["keyring"]["kek_id"]).load()
            return StoreKey(raw=envelope.unwrap(wraps["keyring"], kek=kek)) if kek else None
        return _with_secret(wraps, ask("Enter the passphrase: "))
    except (envelope.WrongSecret, StoreLocked, KeyError):
        return None


def _promote(db_path: Path, meta: dict[str, Any], key: StoreKey) -> None:
    """Make the staged key current (after the database committed to it, `key` being the data key now in force),
    then delete the superseded entries."""
    pending = meta["pending"]
    new = {k: v for k, v in meta.items() if k != "pending"}
    new.update(key_mode=pending["key_mode"], cipher_key="envelope", wraps=pending["wraps"])
    new["retired"] = sorted(_kek_ids(meta) - _kek_ids(new))
    StoreMeta(db_path).write(new)
    _delete_retired(db_path, new, key)


def _kek_ids(meta: dict[str, Any]) -> set[str]:
    return {kid for kid in (meta.get("wraps", {}).get("keyring", {}).get("kek_id"),
                            meta.get("pending", {}).get("kek_id")) if kid} | set(meta.get("retired", []))


def _delete_retired(db_path: Path, meta: dict[str, Any], key: StoreKey) -> None:
    """Delete superseded KEK entries, and the path-keyed entry of older versions once it holds exactly the data
    key that `store.json` now wraps (any other key there may be all that opens a moved-aside store or an older
    backup: it is kept)."""
    for kek_id in meta.get("retired", []):
        KeyringEntry.for_kek(meta["store_id"], kek_id).delete()
    legacy = KeyringEntry.legacy(db_path)
    if meta.get("cipher_key") == "envelope" and key.raw is not None and legacy.load() == key.raw:
        legacy.delete()
    if meta.pop("retired", None) is not None:
        StoreMeta(db_path).write(meta)


def _tidy(db_path: Path, meta: dict[str, Any], key: StoreKey) -> None:
    """After opening with the current key: drop a change that never committed, finish deletions, migrate."""
    if "version" not in meta or not meta.get("store_id"):  # today's format, or store.json unreadable
        meta = {**FORMAT, "store_id": str(uuid.uuid4()), "key_mode": key.mode, "cipher_key": "legacy"}
        StoreMeta(db_path).write(meta)
    if meta.get("pending"):
        _drop_pending_entry(meta)
        meta = {k: v for k, v in meta.items() if k != "pending"}
        StoreMeta(db_path).write(meta)
    if key.raw is not None and secure_keyring_available() and (meta.get("cipher_key") == "legacy" or
                                (meta.get("key_mode") == "keyring" and KeyringEntry.for_kek(
                                    meta["store_id"], meta["wraps"].get("keyring", {}).get("kek_id", "")).load() is None)):
        # A legacy keyring store, or one just opened with its recovery key: give it a UUID-keyed keyring KEK.
        wraps = {**meta.get("wraps", {})}
        wraps["keyring"] = _new_keyring_wrap(db_path, meta, key.raw)
        meta = {**meta, "cipher_key": "envelope", "key_mode": "keyring", "wraps": wraps, "retired": meta.get("retired", [])}
        meta.pop("pending", None)
        StoreMeta(db_path).write(meta)
    _delete_retired(db_path, meta, key)


# -- change ------------------------------------------------------------------------------------------------------
def change_unlock(store: Store, *, mode: str, passphrase: str | None = None) -> None:
    """Rekey: unlock with a new keyring secret (`mode="keyring"`) or a new passphrase from now on.

    The data key stays (so the recovery key and older backups keep working), except for a legacy passphrase
    store, whose pages are re-encrypted once under a new random data key (staged first, promoted after commit).
    """
    db_path = store.path
    meta = StoreMeta(db_path).read()
    legacy = meta.get("cipher_key") != "envelope" or store.key.raw is None
    data_key = secrets.token_bytes(32) if legacy else store.key.raw
    assert data_key is not None
    wraps = {} if legacy else {k: v for k, v in meta.get("wraps", {}).items() if k == "recovery"}
    if mode == "keyring":
        wraps["keyring"] = _new_keyring_wrap(db_path, meta, data_key)
        meta = StoreMeta(db_path).read()
    else:
        if not passphrase:
            raise StoreError("A passphrase is needed.", next_step="Choose a passphrase.")
        wraps["passphrase"] = envelope.wrap_with_passphrase(data_key, passphrase)
    meta["pending"] = {**meta.get("pending", {}), "key_mode": mode, "wraps": wraps}
    StoreMeta(db_path).write(meta)
    if legacy:
        store.reencrypt(StoreKey(raw=data_key))
    _promote(db_path, meta, StoreKey(raw=data_key))


def new_recovery_key(store: Store) -> str:
    """Replace the recovery key (the old one stops unlocking this store); returns the printable new one."""
    if StoreMeta(store.path).read().get("cipher_key") != "envelope" or store.key.raw is None:
        assert store.key.passphrase is not None
        change_unlock(store, mode="passphrase", passphrase=store.key.passphrase)  # legacy: envelope first
    meta = StoreMeta(store.path).read()
    recovery = envelope.new_recovery_key()
    assert store.key.raw is not None
    meta["wraps"] = {**meta["wraps"], "recovery": envelope.wrap_with_recovery(store.key.raw, recovery)}
    StoreMeta(store.path).write(meta)
    return envelope.format_recovery_key(recovery)


def has_recovery_key(db_path: Path) -> bool:
    return "recovery" in (StoreMeta(db_path).read().get("wraps") or {})


def verify_passphrase(db_path: Path, passphrase: str) -> bool:
    """Re-authentication for a passphrase store: does `passphrase` unlock it (recovery keys do not count)?"""
    meta = StoreMeta(db_path).read()
    wrap = (meta.get("wraps") or {}).get("passphrase")
    if wrap is None:
        return False
    try:
        envelope.unwrap(wrap, passphrase=passphrase)
    except envelope.WrongSecret:
        return False
    return True


# -- backup, restore, wipe ------------------------------------------------------------------------------------
def backup_sidecar(db_path: Path) -> dict[str, Any]:
    """What a backup carries besides its pages: the store id and the wrapped data key (never a secret)."""
    meta = StoreMeta(db_path).read()
    return {k: meta[k] for k in ("store_id", "key_mode", "cipher_key", "wraps") if k in meta}


def candidate_keys_for_backup(bmeta: dict[str, Any], live_path: Path, *, live_key: StoreKey | None,
                              secret: str | None) -> list[StoreKey]:
    """Keys worth trying on a backup: the live store's, a keyring KEK the backup names, then the typed
    recovery key or passphrase (unwrapping the backup's own wraps), then older formats' keyring entries."""
    keys: list[StoreKey] = [live_key] if live_key else []
    wraps = bmeta.get("wraps") or {}
    kek_id = wraps.get("keyring", {}).get("kek_id")
    if kek_id and bmeta.get("store_id"):
        kek = KeyringEntry.for_kek(bmeta["store_id"], kek_id).load()
        if kek:
            try:
                keys.append(StoreKey(raw=envelope.unwrap(wraps["keyring"], kek=kek)))
            except envelope.WrongSecret:
                pass
    if secret:
        try:
            keys.append(_with_secret(wraps, secret))
        except StoreLocked:
            pass
        if bmeta.get("cipher_key", "legacy") == "legacy":
            keys.append(StoreKey(passphrase=secret))
    for path in (live_path, bmeta.get("source")):
        raw = KeyringEntry.legacy(Path(path)).load() if path else None
        if raw:
            keys.append(StoreKey(raw=raw))
    return keys


def sidecar_for_restore(live_path: Path, bmeta: dict[str, Any], key: StoreKey, *,
                        prompt: Prompt | None) -> dict[str, Any]:
    """The `store.json` the restored database needs on this machine (keeping the live one when it is the same
    store). A new keyring KEK is saved (and read back) here when the keyring is how this machine will unlock."""
    live = StoreMeta(live_path).read()
    if (bmeta.get("store_id") and live.get("store_id") == bmeta.get("store_id")
            and live.get("cipher_key") == bmeta.get("cipher_key") == "envelope"):
        return live  # the same store: same data key, and the live wraps are the newest ways to unlock it
    store_id = bmeta.get("store_id") or str(uuid.uuid4())
    if key.raw is None:  # a legacy passphrase backup: the passphrase is the SQLCipher key
        return {**FORMAT, "store_id": store_id, "key_mode": "passphrase", "cipher_key": "legacy"}
    meta: dict[str, Any] = {**FORMAT, "store_id": store_id, "cipher_key": "envelope",
                            "wraps": {k: v for k, v in (bmeta.get("wraps") or {}).items() if k != "keyring"}}
    if secure_keyring_available() and not os.environ.get(PASSPHRASE_ENV):
        kek_id, kek = new_id(), secrets.token_bytes(32)
        KeyringEntry.for_kek(store_id, kek_id).save(kek)
        meta["wraps"]["keyring"] = {**envelope.wrap_with_kek(key.raw, kek), "kek_id": kek_id}
        meta["key_mode"] = "keyring"
    else:
        meta["key_mode"] = "passphrase"
        if "passphrase" not in meta["wraps"]:
            passphrase = _Asker(prompt)("Choose a passphrase for the restored store: ")
            meta["wraps"]["passphrase"] = envelope.wrap_with_passphrase(key.raw, passphrase)
    return meta


def forget_keys(db_path: Path) -> None:
    """Delete every keyring entry `store.json` names (works when the database itself will not open)."""
    meta = StoreMeta(db_path).read()
    if meta.get("store_id"):
        for kek_id in _kek_ids(meta) | {meta.get("pending", {}).get("wraps", {}).get("keyring", {}).get("kek_id")}:
            if kek_id:
                KeyringEntry.for_kek(meta["store_id"], kek_id).delete()
    KeyringEntry.legacy(db_path).delete()
