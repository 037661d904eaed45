"""A flipped byte in the database file: SQLCipher's per-page HMAC catches it; the CLI says the store is damaged
and how to restore from a backup; the file is never modified."""

from __future__ import annotations

import hashlib
from pathlib import Path

from models import Contact, Message


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(store) -> None:  # noqa: ANN001
    store.messages.upsert([Message("demo", f"m{i}", f"t{i}", f"Subject {i}", Contact(f"p{i}@x.example", f"P {i}"),
                                   body_text="quarterly numbers " * 50) for i in range(300)])


def test_flipped_byte_is_reported_as_damage_with_restore_advice_and_never_overwritten(store, cli, tmp_path) -> None:
    _fill(store)
    home, db = store.path.parent, store.path
    store.close()
    code, out, _ = cli("backup", "--home", str(home), str(tmp_path))
    assert code == 0
    size = db.stat().st_size
    _flip(db, size // 2 + 100)  # inside a data page, past the first one
    before = _digest(db)
    code, out, err = cli("doctor", "--home", str(home))  # runs integrity_check + cipher_integrity_check
    assert code != 0 and "damaged" in out and "reflex-assistant restore" in out
    code, out, err = cli("export", "--home", str(home), str(tmp_path / "exp"))  # reads every row
    assert code == 3, (out, err)
    assert "damaged" in err and "reflex-assistant restore BACKUP_FILE" in err
    assert _digest(db) == before, "a damaged store must never be modified"
    assert not [p for p in home.iterdir() if p.name.startswith("reflex.db") and p.name != "reflex.db"
                and not p.name.endswith(("-wal", "-shm"))]


def test_restore_from_backup_recovers_a_damaged_store(store, cli, tmp_path) -> None:
    _fill(store)
    home, db = store.path.parent, store.path
    store.close()
    code, out, _ = cli("backup", "--home", str(home), str(tmp_path / "good.reflex-backup"))
    assert code == 0
    _flip(db, db.stat().st_size // 2 + 100)
    damaged = _digest(db)
    code, out, err = cli("restore", "--home", str(home), str(tmp_path / "good.reflex-backup"), "--yes")
    assert code == 0, err
    moved = next(home.glob("reflex.db.before-restore-*"))
    assert _digest(moved) == damaged  # the damaged file is kept, byte for byte, for forensics
    code, out, err = cli("status", "--home", str(home), "--json")
    assert code == 0 and '"messages": 300' in out


def test_damage_in_the_first_page_stops_the_open_and_changes_nothing(store, cli, tmp_path) -> None:
    """Page 1 holds the salt and schema: its HMAC failing is indistinguishable from a wrong key, so the open
    stops with the lock error (exit 2); the point here is that nothing is written or "repaired"."""
    _fill(store)
    home, db = store.path.parent, store.path
    store.close()
    _flip(db, 100)
    before = _digest(db)
    backups = tmp_path / "backups"
    backups.mkdir()
    for command in ("status", "doctor", "backup"):
        code, _, _ = cli(command, "--home", str(home), *([str(backups)] if command == "backup" else []))
        assert code != 0
    assert _digest(db) == before and not list(home.glob("reflex.db-*")) and not list(backups.iterdir())
