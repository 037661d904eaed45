"""Space comes back without a RAM-sized VACUUM (issue #16 item 12): new stores use incremental auto-vacuum;
older stores are converted once by copying into a new encrypted file (disk space checked, progress shown)."""

from __future__ import annotations

import json
import os
from collections import namedtuple
from pathlib import Path

import pytest

from app.cli import main
from engine.errors import DiskFull
from engine.privacy import RetentionPolicy, purge
from engine.store import Store, StoreKey, open_store
from engine.store.compaction import convert_to_incremental
from models import Meeting


def _auto_vacuum(store: Store) -> int:
    with store.read() as conn:
        return conn.execute("PRAGMA auto_vacuum").fetchone()[0]


def _make_old_format(path: Path, key: StoreKey) -> None:
    """Turn a store into the format made before this change (auto_vacuum NONE)."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = {key.pragma_value()}")
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
    conn.close()


def _audio(store: Store, n: int) -> int:
    meeting = store.meetings.create(Meeting("Old meeting", started_at=__import__("datetime").datetime(2020, 1, 1)))
    for seq in range(n):
        store.meetings.append_audio(meeting, seq, os.urandom(32000))
    return meeting


def test_new_stores_give_space_back_incrementally_never_with_a_full_vacuum(store: Store) -> None:
    assert _auto_vacuum(store) == 2  # INCREMENTAL, set before the first table
    _audio(store, 60)
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)  # noqa: SLF001 - what SQL the purge really ran
    report = purge(store, RetentionPolicy(audio_days=30), now=__import__("datetime").datetime.now())
    assert report.vacuumed and report.bytes_after < report.bytes_before / 2
    assert not [s for s in statements if s.strip().upper() == "VACUUM"]


def test_an_old_store_is_never_fully_vacuumed_in_place(store: Store, store_key: StoreKey) -> None:
    path = store.path
    store.close()
    _make_old_format(path, store_key)
    with Store.open(path, store_key) as old:
        _audio(old, 20)
        statements: list[str] = []
        old._conn.set_trace_callback(statements.append)  # noqa: SLF001
        report = purge(old, RetentionPolicy(audio_days=30), now=__import__("datetime").datetime.now())
        assert report.audio_chunks == 20 and not report.vacuumed
        assert not [s for s in statements if s.strip().upper() == "VACUUM"]


def test_retention_run_converts_an_old_store_once_with_progress(tmp_path, capsys) -> None:
    home = tmp_path / "h"
    assert main(["init", "--home", str(home)]) == 0
    with open_store(home / "reflex.db") as s:
        key = s.key
        _audio(s, 40)
    _make_old_format(home / "reflex.db", key)
    capsys.readouterr()
    assert main(["retention", "run", "--home", str(home), "--json"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["converted"] and "Converting the store for incremental compaction: 100%" in err
    with open_store(home / "reflex.db") as s:
        assert _auto_vacuum(s) == 2 and s.integrity_problems() == [] and s.counts()["meetings"] == 1
    assert sorted(p.name for p in home.iterdir() if p.name.startswith("reflex.db")) == ["reflex.db"]
    assert main(["retention", "run", "--home", str(home), "--json"]) == 0
    assert not json.loads(capsys.readouterr().out)["converted"]  # once


def test_conversion_checks_disk_space_first_and_changes_nothing(store: Store, store_key: StoreKey,
                                                                monkeypatch) -> None:
    path = store.path
    store.close()
    _make_old_format(path, store_key)
    before = path.read_bytes()
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("engine.store.compaction.shutil.disk_usage", lambda _p: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(DiskFull, match="free"):
        convert_to_incremental(path, store_key)
    assert path.read_bytes() == before and not list(path.parent.glob("*.convert-part"))
