"""Keys are never lost: envelope encryption, the recovery key, UUID-keyed keyring entries, migration from the
format before them, restore on a new machine, and rekey/restore/wipe refused while another process has the store.

Each test names the defect of issue #16 it proves fixed (and fails on the code before the fix).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from engine.errors import KeyMissing, StoreLocked
from engine.store import Store, StoreKey, StoreMeta, create_store, open_store
from engine.store.keys import KEYRING_SERVICE, KeyringEntry

ROOT = Path(__file__).resolve().parents[2]


def _cli(capsys, *argv: str) -> tuple[int, dict | str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except ValueError:
        return code, out, err


def _init(capsys, home: Path) -> str:  # noqa: ANN001
    code, out, err = _cli(capsys, "init", "--home", str(home), "--json")
    assert code == 0, err
    assert out["created"] and out["recovery_key"].startswith("RFLX-")
    return out["recovery_key"]


def _add_note(home: Path, text: str) -> None:
    with open_store(home / "reflex.db") as store:
        store.settings.set("test.note", text)


def _note(home: Path, **kw) -> str | None:  # noqa: ANN003
    with open_store(home / "reflex.db", **kw) as store:
        return store.settings.get("test.note")


def test_init_shows_a_recovery_key_that_opens_the_store_without_the_keyring(tmp_path, capsys, memory_keyring) -> None:
    home = tmp_path / "h"
    recovery = _init(capsys, home)
    _add_note(home, "kept")
    memory_keyring.secrets.clear()  # the keyring is lost
    with pytest.raises(KeyMissing):
        open_store(home / "reflex.db")
    typed = recovery.lower().replace("-", " ")  # forgiving about case and separators
    assert _note(home, prompt=lambda _t: typed) == "kept"
    # ... and opening with it re-creates a keyring entry (UUID-keyed), so the next start needs nothing typed.
    assert _note(home) == "kept"
    meta = StoreMeta(home / "reflex.db").read()
    assert all(name.startswith(f"store-kek:{meta['store_id']}:") for _, name in memory_keyring.secrets)


def test_a_new_store_never_replaces_an_existing_key(tmp_path, capsys, memory_keyring) -> None:
    """#16 item 2: `init` after the database went missing (interrupted restore, moved file) used to make a new
    key over the old one, so the moved file and every backup became unreadable."""
    home = tmp_path / "h"
    _init(capsys, home)
    _add_note(home, "precious")
    assert _cli(capsys, "backup", str(tmp_path / "b.reflex-backup"), "--home", str(home))[0] == 0
    os.replace(home / "reflex.db", tmp_path / "moved.db")
    secrets_before = dict(memory_keyring.secrets)
    code, out, err = _cli(capsys, "init", "--home", str(home), "--json")
    assert code == 0, err
    assert out["created"] and out["recovery_key"] is None  # the existing key was reused, no new one made
    assert memory_keyring.secrets == secrets_before
    key = open_store(home / "reflex.db").key
    with Store.open(tmp_path / "moved.db", key) as moved:
        assert moved.settings.get("test.note") == "precious"
    with Store.open(tmp_path / "b.reflex-backup", key, shared_lock=False) as backup:
        assert backup.settings.get("test.note") == "precious"


def test_backup_restores_on_a_new_machine_with_the_recovery_key(tmp_path, capsys, memory_keyring, monkeypatch) -> None:
    """#16 item 3: the key lived only in this machine's keyring, keyed by the data path."""
    home = tmp_path / "laptop"
    recovery = _init(capsys, home)
    _add_note(home, "board deck v3")
    backup = tmp_path / "usb" / "reflex.reflex-backup"
    backup.parent.mkdir()
    assert _cli(capsys, "backup", str(backup), "--home", str(home))[0] == 0
    memory_keyring.secrets.clear()  # the new laptop: an empty keyring, another data folder
    new_home = tmp_path / "new-laptop"
    monkeypatch.setenv("REFLEX_RECOVERY_KEY", "wrong-" + recovery[6:])
    code, _, err = _cli(capsys, "restore", str(backup), "--yes", "--recovery-key", "--home", str(new_home))
    assert code == 2 and "recovery key" in err and not (new_home / "reflex.db").exists()
    monkeypatch.setenv("REFLEX_RECOVERY_KEY", recovery)
    code, _, err = _cli(capsys, "restore", str(backup), "--yes", "--recovery-key", "--home", str(new_home))
    assert code == 0, err
    monkeypatch.delenv("REFLEX_RECOVERY_KEY")
    assert _note(new_home) == "board deck v3"  # the keyring of the new machine now opens it
    assert StoreMeta(new_home / "reflex.db").read()["key_mode"] == "keyring"


def test_rekey_and_new_passphrase_keep_the_recovery_key_and_older_backups(tmp_path, capsys, memory_keyring,
                                                                          monkeypatch) -> None:
    home = tmp_path / "h"
    recovery = _init(capsys, home)
    _add_note(home, "q3 plan")
    old_backup = tmp_path / "old.reflex-backup"
    assert _cli(capsys, "backup", str(old_backup), "--home", str(home))[0] == 0
    monkeypatch.setenv("REFLEX_NEW_PASSPHRASE", "first passphrase")
    assert _cli(capsys, "rekey", "--to", "passphrase", "--home", str(home))[0] == 0
    monkeypatch.setenv("REFLEX_PASSPHRASE", "first passphrase")
    monkeypatch.setenv("REFLEX_NEW_PASSPHRASE", "second passphrase")
    assert _cli(capsys, "rekey", "--home", str(home))[0] == 0
    monkeypatch.setenv("REFLEX_PASSPHRASE", "first passphrase")
    with pytest.raises(StoreLocked):
        open_store(home / "reflex.db")
    monkeypatch.setenv("REFLEX_PASSPHRASE", "second passphrase")
    assert _note(home) == "q3 plan"
    assert _cli(capsys, "rekey", "--to", "keyring", "--home", str(home))[0] == 0
    monkeypatch.delenv("REFLEX_PASSPHRASE")
    assert _note(home) == "q3 plan"
    assert len(memory_keyring.secrets) == 1  # superseded keyring secrets are deleted
    memory_keyring.secrets.clear()
    assert _note(home, prompt=lambda _t: recovery) == "q3 plan"  # the recovery key from `init` still opens it
    monkeypatch.setenv("REFLEX_RECOVERY_KEY", recovery)  # ... and the backup made before all the rekeys
    assert _cli(capsys, "restore", str(old_backup), "--yes", "--recovery-key", "--home", str(tmp_path / "n"))[0] == 0


def test_recovery_key_command_replaces_the_old_one_after_reauthentication(tmp_path, capsys, memory_keyring,
                                                                          monkeypatch) -> None:
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())
    monkeypatch.setenv("REFLEX_PASSPHRASE", "pass one")
    home = tmp_path / "h"
    old = _init(capsys, home)
    monkeypatch.setattr("app.commands.core._current_passphrase", lambda _ctx: "not it")
    code, _, err = _cli(capsys, "recovery-key", "--home", str(home))
    assert code == 1 and "not the store's passphrase" in err
    monkeypatch.setattr("app.commands.core._current_passphrase", lambda _ctx: "pass one")
    code, out, err = _cli(capsys, "recovery-key", "--home", str(home), "--json")
    assert code == 0, err
    new = out["recovery_key"]
    assert new != old
    monkeypatch.delenv("REFLEX_PASSPHRASE")
    with pytest.raises(StoreLocked):
        open_store(home / "reflex.db", prompt=lambda _t: old)
    open_store(home / "reflex.db", prompt=lambda _t: new).close()


def _legacy_keyring_store(home: Path, key: StoreKey) -> Path:
    """A store exactly as the code before envelope encryption left it."""
    db = home / "reflex.db"
    Store.create(db, key).close()
    (home / "store.json").write_text(json.dumps({"key_mode": "keyring", "format": "sqlcipher4"}))
    import keyring

    keyring.set_password(KEYRING_SERVICE, f"store-key:{db.resolve()}", key.raw.hex())
    return db


def test_todays_keyring_stores_migrate_to_a_uuid_keyed_entry(tmp_path, memory_keyring) -> None:
    key = StoreKey.generate()
    db = _legacy_keyring_store(tmp_path, key)
    with Store.open(db, key) as store:
        store.settings.set("test.note", "from before")
    with open_store(db) as store:
        assert store.key == key and store.settings.get("test.note") == "from before"
    meta = StoreMeta(db).read()
    assert meta["version"] == 2 and meta["cipher_key"] == "envelope" and meta["key_mode"] == "keyring"
    names = [name for _, name in memory_keyring.secrets]
    assert names == [f"store-kek:{meta['store_id']}:{meta['wraps']['keyring']['kek_id']}"]  # the old entry is gone
    (tmp_path / "elsewhere").mkdir()  # keyed by the UUID: the data folder can move
    for name in ("reflex.db", "store.json"):
        os.replace(tmp_path / name, tmp_path / "elsewhere" / name)
    with open_store(tmp_path / "elsewhere" / "reflex.db") as store:
        assert store.settings.get("test.note") == "from before"


def test_migration_keeps_the_old_entry_until_the_new_one_reads_back(tmp_path, memory_keyring, monkeypatch) -> None:
    key = StoreKey.generate()
    db = _legacy_keyring_store(tmp_path, key)
    real_set = memory_keyring.set_password
    monkeypatch.setattr(memory_keyring, "set_password", lambda s, n, v: real_set(s, n, v[:-2]))  # a lossy keyring
    with pytest.raises(Exception, match="read-back"):
        open_store(db)
    monkeypatch.setattr(memory_keyring, "set_password", real_set)
    assert KeyringEntry.legacy(db).load() == key.raw
    with open_store(db) as store:
        assert store.key == key


def test_todays_passphrase_stores_open_and_convert_when_given_a_recovery_key(tmp_path, memory_keyring, capsys,
                                                                             monkeypatch) -> None:
    db = tmp_path / "reflex.db"
    Store.create(db, StoreKey(passphrase="old style")).close()
    (tmp_path / "store.json").write_text(json.dumps({"key_mode": "passphrase", "format": "sqlcipher4"}))
    monkeypatch.setenv("REFLEX_PASSPHRASE", "old style")
    _add_note(tmp_path, "legacy data")
    code, out, err = _cli(capsys, "recovery-key", "--home", str(tmp_path), "--json")
    assert code == 0, err
    monkeypatch.delenv("REFLEX_PASSPHRASE")
    assert _note(tmp_path, prompt=lambda _t: out["recovery_key"]) == "legacy data"
    assert _note(tmp_path, prompt=lambda _t: "old style") == "legacy data"  # same passphrase, now wrapping a data key
    assert StoreMeta(db).read()["cipher_key"] == "envelope"


def test_a_new_sqlcipher_default_still_opens_todays_stores(store: Store, store_key: StoreKey) -> None:
    """#16 item 3: `PRAGMA cipher_compatibility = 4` after the key. A build whose default format differs (here
    simulated with `cipher_default_compatibility = 3`) must still open stores in today's format."""
    import sqlcipher3

    path = store.path
    store.close()
    probe = sqlcipher3.connect(":memory:")
    probe.execute("PRAGMA cipher_default_compatibility = 3")
    try:
        Store.open(path, store_key).close()
    finally:
        probe.execute("PRAGMA cipher_default_compatibility = 4")
        probe.close()


HOLDER = r"""
import json, os, sys, time, keyring
from pathlib import Path
from tests.fakes.keyring_backend import MemoryKeyring
backend = MemoryKeyring()
backend.secrets.update({(s, n): v for s, n, v in json.loads(os.environ["KEYS"])})
keyring.set_keyring(backend)
from engine.store import open_store
store = open_store(Path(sys.argv[1]))
print("open", flush=True)
sys.stdin.readline()
store.close()
"""


@pytest.mark.parametrize("command", [["rekey"], ["restore", "BACKUP", "--yes"], ["wipe", "--yes"],
                                     ["recovery-key"]])
def test_rekey_restore_and_wipe_refuse_while_another_process_has_the_store(tmp_path, capsys, memory_keyring,
                                                                           command) -> None:
    """#16 item 1: the GUI's open connection would read pages under the new key, or keep writing into the file
    that restore moved aside."""
    home = tmp_path / "h"
    _init(capsys, home)
    _add_note(home, "in use")
    backup = tmp_path / "b.reflex-backup"
    assert _cli(capsys, "backup", str(backup), "--home", str(home))[0] == 0
    files_before = sorted(p.name for p in home.iterdir())
    meta_before = StoreMeta(home / "reflex.db").read()
    env = {**os.environ, "KEYS": json.dumps([[*k, v] for k, v in memory_keyring.secrets.items()]),
           "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(home / "reflex.db")], env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "open"
        argv = [str(backup) if a == "BACKUP" else a for a in command]
        code, _, err = _cli(capsys, *argv, "--home", str(home))
        assert code != 0 and "another process" in err
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    assert sorted(p.name for p in home.iterdir()) == files_before
    assert StoreMeta(home / "reflex.db").read() == meta_before
    assert _note(home) == "in use"


def test_a_path_keyed_entry_holding_another_key_is_never_deleted(tmp_path, capsys, memory_keyring) -> None:
    """The old path-keyed entry is deleted only once it holds exactly the key store.json now wraps: a different
    key there may be all that opens a moved-aside store or an older backup."""
    home = tmp_path / "h"
    _init(capsys, home)
    other = StoreKey.generate()  # e.g. the key of a store that an older version kept at this path
    KeyringEntry.legacy(home / "reflex.db").save(other.raw)
    open_store(home / "reflex.db").close()
    assert KeyringEntry.legacy(home / "reflex.db").load() == other.raw
