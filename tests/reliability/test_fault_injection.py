"""kill -9 at EVERY write, fsync, rename, copy, SQL transaction and keyring call of rekey, backup, restore, export
and retention (issue #16): afterwards the store opens with a key that exists, both integrity checks pass, nothing
acknowledged is lost. Action execution (no side effect twice) is in tests/app/test_actions_crash.py.

Each operation runs as the real CLI in a forked child (tests/faults.py) that is SIGKILLed just before its n-th
crash point, for every n; the world (data folder + a file-backed keyring) is reset before each run. The checks go
through the CLI too, so this file also runs against the code before the fix, where `rekey` loses the store: it
re-encrypted and committed before the new key reached the keyring.
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Callable, Iterator

import keyring
import pytest

from app.cli import main
from tests.faults import FileKeyring, count_points, crash_at

EML = (b"From: Dana Board <dana@board.example>\r\nTo: ceo@corp.example\r\nSubject: Q3 numbers\r\n"
       b"Message-ID: <%d@board.example>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nPlease send the deck.\r\n")


@contextmanager
def _env(**values: str | None) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def cli(*argv: str, **env: str | None) -> tuple[int, str]:
    out = StringIO()
    with _env(**env), redirect_stdout(out), redirect_stderr(StringIO()):
        code = main(list(argv))
    return code, out.getvalue()


def messages(home: Path, **env: str | None) -> int | None:
    """How many messages the store at `home` holds, or None when it does not open (no key, wrong key...)."""
    code, out = cli("status", "--home", str(home), "--json", **env)
    if code != 0:
        return None
    info = json.loads(out)
    return info["counts"]["messages"] if info.get("exists") else None


def integrity_ok(home: Path, **env: str | None) -> bool:
    with _env(**env):
        try:
            from engine.store import open_store
        except ImportError:  # the code before the fix (run by hand to show these tests fail there)
            return True
        with open_store(home / "reflex.db") as store:
            return store.integrity_problems() == []


def add_mail(tmp: Path, home: Path, n: int, **env: str | None) -> None:
    eml = tmp / f"m{n}.eml"
    eml.write_bytes(EML % n)
    code, _ = cli("import", str(eml), "--home", str(home), **env)
    assert code == 0


@pytest.fixture
def world(tmp_path: Path, memory_keyring) -> Iterator[Path]:  # noqa: ANN001
    """`tmp/run`: the data folder `home` and the keyring file, reset from a snapshot before every crash."""
    run = tmp_path / "run"
    run.mkdir()
    keyring.set_keyring(FileKeyring(run / "keyring.json"))
    yield run


def every_crash(world: Path, operation: Callable[[], object], check: Callable[[int], None]) -> int:
    """Snapshot `world`, then for every crash point n: restore it, run `operation` killed at n, `check(n)`."""
    snapshot = world.with_name("snapshot")
    shutil.copytree(world, snapshot)
    points = count_points(operation)
    assert points, "the operation passed no crash point: the hook is not installed"
    for n in range(len(points) + 1):
        shutil.rmtree(world)
        shutil.copytree(snapshot, world)
        killed = crash_at(operation, n)
        assert killed == (n < len(points))
        check(n)
    return len(points)


def _opens_with_one_of(home: Path, envs: list[dict[str, str | None]], expected: int, n: int) -> dict:
    for env in envs:
        if messages(home, **env) == expected:
            assert integrity_ok(home, **env), f"integrity check failed after a crash at point {n}"
            return env
    raise AssertionError(f"after a kill at crash point {n} the store no longer opens with any key that exists")


@pytest.mark.slow
@pytest.mark.parametrize("change", ["keyring", "keyring-to-passphrase", "passphrase"])
def test_rekey_killed_anywhere_leaves_a_store_that_opens(world: Path, change: str) -> None:
    home = world / "home"
    start = {"REFLEX_PASSPHRASE": "old secret"} if change == "passphrase" else {"REFLEX_PASSPHRASE": None}
    assert cli("init", "--home", str(home), **start)[0] == 0
    add_mail(world.parent, home, 1, **start)
    argv = ["rekey", "--home", str(home)] + (["--to", "passphrase"] if change == "keyring-to-passphrase" else [])

    def operation() -> int:
        with _env(REFLEX_NEW_PASSPHRASE="new secret", **start):
            return main(argv)

    envs = [start, {"REFLEX_PASSPHRASE": "new secret"}]
    finished = []

    def check(n: int) -> None:
        finished.append(_opens_with_one_of(home, envs, 1, n))

    total = every_crash(world, operation, check)
    assert finished[-1] == envs[-1] or change == "keyring", "the completed rekey did not take effect"
    assert total >= 5


@pytest.mark.slow
def test_backup_killed_anywhere_leaves_the_store_and_never_a_half_backup(world: Path) -> None:
    home, dest = world / "home", world / "backups"
    dest.mkdir()
    assert cli("init", "--home", str(home))[0] == 0
    add_mail(world.parent, home, 1)

    def operation() -> int:
        return main(["backup", str(dest / "b.reflex-backup"), "--home", str(home)])

    def check(n: int) -> None:
        assert messages(home) == 1 and integrity_ok(home), f"the live store was harmed by a kill at point {n}"
        backup = dest / "b.reflex-backup"
        if backup.exists():  # under its final name only when complete, and then it restores
            other = world / f"restored-{n}"
            assert cli("restore", str(backup), "--yes", "--home", str(other))[0] == 0
            assert messages(other) == 1

    every_crash(world, operation, check)


@pytest.mark.slow
def test_restore_killed_anywhere_loses_neither_store(world: Path) -> None:
    home, backup = world / "home", world / "b.reflex-backup"
    assert cli("init", "--home", str(home))[0] == 0
    add_mail(world.parent, home, 1)
    assert cli("backup", str(backup), "--home", str(home))[0] == 0
    add_mail(world.parent, home, 2)  # acknowledged after the backup: must survive in the moved-aside store

    def operation() -> int:
        return main(["restore", str(backup), "--yes", "--home", str(home)])

    def check(n: int) -> None:
        live = messages(home)
        if live is None:  # killed between moving the old store aside and putting the backup in place
            assert cli("restore", str(backup), "--yes", "--home", str(home))[0] == 0, f"point {n}: cannot redo"
            live = messages(home)
        assert live in (1, 2) and integrity_ok(home), f"point {n}"
        if live == 1:  # restored: the previous store, with mail 2, is kept beside it and opens
            kept = sorted(home.glob("reflex.db.before-restore-*[0-9]"))
            counts = []
            for i, old in enumerate(kept):
                probe = world / f"probe-{n}-{i}"
                probe.mkdir()
                shutil.copyfile(old, probe / "reflex.db")
                key_file = old.with_name("store." + old.name.split(".", 2)[-1] + ".json")
                shutil.copyfile(key_file if key_file.exists() else home / "store.json", probe / "store.json")
                counts.append(messages(probe))
            assert 2 in counts, f"a kill at point {n} lost the mail acknowledged after the backup"

    every_crash(world, operation, check)


@pytest.mark.slow
@pytest.mark.parametrize("command", [["export", "EXPORT"], ["export", "EXPORT", "--redacted"], ["retention", "run"]])
def test_export_and_retention_killed_anywhere_leave_the_store_whole(world: Path, command: list[str]) -> None:
    home = world / "home"
    assert cli("init", "--home", str(home))[0] == 0
    add_mail(world.parent, home, 1)
    argv = [str(world / "export") if a == "EXPORT" else a for a in command] + ["--home", str(home)]

    def check(n: int) -> None:
        assert messages(home) == 1 and integrity_ok(home), f"a kill at point {n} harmed the store"

    every_crash(world, lambda: main(argv), check)


@pytest.mark.slow
def test_the_one_time_conversion_killed_anywhere_leaves_the_store_whole(world: Path) -> None:
    """Retention on a store made before incremental auto-vacuum copies it into a new file (issue #16 item 12)."""
    import sqlcipher3

    from engine.store import open_store

    home = world / "home"
    assert cli("init", "--home", str(home))[0] == 0
    add_mail(world.parent, home, 1)
    with open_store(home / "reflex.db") as store:
        key = store.key
    conn = sqlcipher3.connect(str(home / "reflex.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = {key.pragma_value()}")
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("VACUUM")
    conn.close()

    def check(n: int) -> None:
        assert messages(home) == 1 and integrity_ok(home), f"a kill at point {n} harmed the store"

    total = every_crash(world, lambda: main(["retention", "run", "--home", str(home)]), check)
    assert total >= 4
