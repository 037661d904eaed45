"""The real OS keyring path: a Secret Service (gnome-keyring) on a private D-Bus session, as on a desktop.

The store's key goes into the keyring, is read back by a second process, and never reaches the disk.
`make test` installs gnome-keyring and dbus; the test runs the real CLI in a subprocess because the suite's
autouse fixture replaces the keyring with an in-memory backend inside this process.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = r"""
set -e
echo -n test-login-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$PY" -c "import keyring; print(type(keyring.get_keyring()).__module__)"
"$PY" -m app init --home "$HOME_DIR" >/dev/null
"$PY" -m app status --home "$HOME_DIR" --json
"""


@pytest.mark.skipif(not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
                    reason="needs dbus and gnome-keyring (installed by `make test`)")
def test_store_key_lives_in_a_real_secret_service(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REFLEX_", "DBUS_", "PYTEST_"))}
    env.update(PY=sys.executable, HOME_DIR=str(tmp_path / "h"), HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "xdg"),
               PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    result = subprocess.run(["dbus-run-session", "--", "sh", "-c", SCRIPT], env=env, capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    backend, status = result.stdout.split("\n", 1)
    assert "SecretService" in backend
    info = json.loads(status)
    assert info["exists"] and info["encryption"]["key"] == "keyring"
    # Nothing beside the encrypted database holds key material in the clear: the sidecar holds the data key only
    # wrapped (AES key wrap of 32 bytes = 40 bytes) by the keyring's secret and by the recovery key.
    files = sorted(p.name for p in (tmp_path / "h").iterdir() if p.is_file())
    assert files == [".reflex.db.lock", "reflex.db", "store.json"] and (tmp_path / "h" / ".reflex.db.lock").stat().st_size == 0
    meta = json.loads((tmp_path / "h" / "store.json").read_text())
    assert meta["key_mode"] == "keyring" and meta["cipher_key"] == "envelope" and set(meta["wraps"]) == {"keyring", "recovery"}
    assert all(len(base64.b64decode(w["wrapped"])) == 40 for w in meta["wraps"].values())
