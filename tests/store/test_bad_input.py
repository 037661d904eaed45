"""Wrong keys and damaged files get a clear error and leave the file byte-identical."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from engine.errors import KeyMissing, StoreCorrupt, StoreError, StoreLocked
from engine.store import Store, StoreKey, create_store, forget_keys, open_store


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_wrong_key_is_refused_and_file_untouched(store: Store) -> None:
    path = store.path
    store.close()
    before = _digest(path)
    with pytest.raises(StoreLocked) as err:
        Store.open(path, StoreKey.generate())
    assert str(err.value) == "cannot unlock the store: wrong passphrase or key"
    assert err.value.exit_code == 2
    assert _digest(path) == before


def test_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "reflex.db"
    Store.create(path, StoreKey(passphrase="correct horse")).close()
    before = _digest(path)
    with pytest.raises(StoreLocked):
        Store.open(path, StoreKey(passphrase="wrong horse"))
    assert _digest(path) == before


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "is empty"),
        (b"SQLite format 3\x00" + b"\x00" * 4080, "unencrypted SQLite"),
        (b"\x13" * 5000, "truncated or damaged"),
    ],
)
def test_not_a_store_names_the_file_and_is_never_overwritten(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "reflex.db"
    path.write_bytes(content)
    with pytest.raises(StoreCorrupt) as err:
        Store.open(path, StoreKey.generate())
    assert fragment in str(err.value) and str(path) in str(err.value)
    assert path.read_bytes() == content


def test_truncated_store_is_reported(store: Store) -> None:
    store.messages.upsert([])
    path = store.path
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 100])
    with pytest.raises(StoreCorrupt):
        Store.open(path, StoreKey.generate())


def test_missing_keyring_entry_gives_recovery_message_not_a_new_key(store: Store, memory_keyring) -> None:
    path = store.path
    store.close()
    forget_keys(path)
    before = _digest(path)
    with pytest.raises(KeyMissing) as err:
        open_store(path)
    assert "not in the OS keyring" in str(err.value)
    assert "will not create a new key" in err.value.next_step
    assert _digest(path) == before


def test_create_refuses_existing_file(store: Store) -> None:
    with pytest.raises(StoreError):
        Store.create(store.path, StoreKey.generate())


def test_passphrase_from_environment_when_no_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())
    monkeypatch.setenv("REFLEX_PASSPHRASE", "s3cret pass")
    path = tmp_path / "reflex.db"
    create_store(path).store.close()
    assert json.loads(path.with_name("store.json").read_text())["key_mode"] == "passphrase"
    reopened = open_store(path)
    assert reopened.schema_version >= 1
    reopened.close()
    monkeypatch.delenv("REFLEX_PASSPHRASE")
    with pytest.raises(KeyMissing):
        open_store(path)


def test_reencrypt_switches_key_and_old_key_stops_working(store: Store, store_key: StoreKey) -> None:
    path = store.path
    new_key = StoreKey(passphrase="new passphrase")
    store.reencrypt(new_key)
    store.close()
    with pytest.raises(StoreLocked):
        Store.open(path, store_key)
    Store.open(path, new_key).close()
