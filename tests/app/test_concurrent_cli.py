"""CLI commands work while the desktop app holds the store open (WAL lets readers and writers share it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from engine.store import Store


def test_cli_reads_and_writes_while_another_process_has_the_store_open(store: Store, memory_keyring,
                                                                      tmp_path) -> None:
    from engine.store.keys import StoreMeta

    # Run the CLI in another process against the fixture's store (the test keyring's entries travel via the
    # environment only for this test: the child installs them into its own in-memory keyring).
    child = r"""
import json, os, sys, keyring
from tests.fakes.keyring_backend import MemoryKeyring
backend = MemoryKeyring()
backend.secrets.update({(service, name): value for service, name, value in json.loads(os.environ["KEYS"])})
keyring.set_keyring(backend)
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""
    eml = tmp_path / "m.eml"
    eml.write_bytes(b"From: a@x.example\r\nTo: b@y.example\r\nSubject: While open\r\nMessage-ID: <w1@x>\r\n"
                    b"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nhello\r\n")
    assert StoreMeta(store.path).read()["key_mode"] == "keyring"
    env = {**os.environ, "DB": str(store.path), "KEYS": json.dumps([[*k, v] for k, v in memory_keyring.secrets.items()]),
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    home = str(store.path.parent)
    with store.transaction():  # the "app" is mid-way through its own work on the same file
        store.settings.set("ui.last_page", "inbox")
    imported = subprocess.run([sys.executable, "-c", child, "import", str(eml), "--home", home], env=env,
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    status = subprocess.run([sys.executable, "-c", child, "status", "--home", home, "--json"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["counts"]["messages"] == 1
    assert store.counts()["messages"] == 1  # the "app" sees the CLI's write
