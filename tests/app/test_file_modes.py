"""Nothing Reflex writes is readable by other users, no core dump can spill the key, and no plaintext leaks
into caches or temp (issue #16 item 9). Runs the real CLI in a child process started under the common 022
umask, with HOME, XDG_CACHE_HOME and TMPDIR pointed at folders the test then searches for a canary."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY-7f3e9 zebra-quartz-lantern"


def _child(code: str, tmp: Path) -> str:
    env = {**os.environ, "HOME": str(tmp / "userhome"), "XDG_CACHE_HOME": str(tmp / "cache"),
           "TMPDIR": str(tmp / "tmp"), "PYTHONPATH": str(ROOT), "REFLEX_PASSPHRASE": "correct horse",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "QT_QPA_PLATFORM": "offscreen"}
    for name in ("userhome", "cache", "tmp"):
        (tmp / name).mkdir(exist_ok=True)
    prelude = "import os, sys\nos.umask(0o022)\nfrom app.cli import main\n"
    run = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], env=env, cwd=tmp,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    return run.stdout


def test_the_process_starts_with_umask_077_and_no_core_dumps(tmp_path: Path):
    out = _child("""
        main(["status", "--home", "h"])
        import ctypes, resource
        print("umask", oct(os.umask(0)))
        print("core", resource.getrlimit(resource.RLIMIT_CORE))
        if sys.platform.startswith("linux"):
            print("dumpable", ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))  # PR_GET_DUMPABLE
    """, tmp_path)
    assert "umask 0o77" in out and "core (0, 0)" in out
    if sys.platform.startswith("linux"):
        assert "dumpable 0" in out


def _modes(root: Path) -> list[tuple[str, str]]:
    """(path, mode) of everything under `root` (and `root`) that others could read, write or enter."""
    loose = []
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode) and mode & 0o077:
            loose.append((str(path.relative_to(root.parent)), oct(mode & 0o777)))
    return loose


def test_everything_written_is_private_and_no_plaintext_escapes(tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.eml").write_text(f"From: Ana <ana@acme.example>\nTo: ceo@northwind.example\nSubject: plan\n"
                                 f"Message-ID: <a@acme.example>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n\n{CANARY}\n")
    (inbox / "notes.md").write_text(f"# Notes\n\n{CANARY}\n")
    _child(f"""
        assert main(["init", "--home", "h"]) == 0
        assert main(["import", {str(inbox)!r}, "--home", "h"]) == 0
        assert main(["export", "exports", "--home", "h"]) == 0
    """, tmp_path)
    home, exports = tmp_path / "h", tmp_path / "exports"
    assert _modes(home) == []
    assert _modes(exports) == []  # the export folder itself is created 0700 inside `exports`
    export = next(exports.iterdir())
    assert any(CANARY.encode() in p.read_bytes() for p in export.rglob("*") if p.is_file())  # the export works
    for place in (home, tmp_path / "cache", tmp_path / "tmp", tmp_path / "userhome"):
        leaks = [p for p in place.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
        assert leaks == [], f"plaintext canary in {leaks}"


def test_an_existing_data_folder_from_an_older_version_is_narrowed(tmp_path: Path):
    home = tmp_path / "h"
    (home / "logs").mkdir(parents=True)
    home.chmod(0o755)
    (home / "store.json").write_text("{}")
    (home / "store.json").chmod(0o644)
    (home / "logs" / "reflex.log").write_text("")
    (home / "logs" / "reflex.log").chmod(0o644)
    _child('main(["status", "--home", "h"])', tmp_path)
    assert _modes(home) == []
