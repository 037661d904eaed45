"""Suite-wide fixtures: an in-memory OS keyring and real temporary encrypted stores.

A template store is built once per session and copied per test (opening a raw-key store costs ~1 ms), as
DESIGN.md asks. Every test runs with an isolated REFLEX_HOME and without REFLEX_PASSPHRASE.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import keyring
import pytest

from engine.store import Store, StoreKey, create_store
from tests.fakes.keyring_backend import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("REFLEX_PASSPHRASE", raising=False)
    monkeypatch.setenv("REFLEX_HOME", str(tmp_path / "home"))
    yield backend
    keyring.set_keyring(previous)


_TEMPLATE_KEYRING = MemoryKeyring()  # the template store's keyring entries, copied into each test's keyring


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "reflex.db"
    previous = keyring.get_keyring()
    keyring.set_keyring(_TEMPLATE_KEYRING)
    try:
        created = create_store(path)
    finally:
        keyring.set_keyring(previous)
    created.store.close()
    return path


@pytest.fixture
def store_key(store_template: Path) -> StoreKey:
    """The template's data key (what `Store.open` needs; the app finds it through the keyring)."""
    return _template_key(store_template)


def _template_key(template: Path) -> StoreKey:
    import json

    from engine.store import envelope
    from engine.store.keys import KEYRING_SERVICE

    meta = json.loads(template.with_name("store.json").read_text())
    wrap = meta["wraps"]["keyring"]
    kek = bytes.fromhex(_TEMPLATE_KEYRING.secrets[(KEYRING_SERVICE, f"store-kek:{meta['store_id']}:{wrap['kek_id']}")])
    return StoreKey(raw=envelope.unwrap(wrap, kek=kek))


@pytest.fixture
def store(store_template: Path, tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[Store]:
    """A fresh, real, encrypted store in this test's own REFLEX_HOME, its key in the test keyring."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    path = home / "reflex.db"
    shutil.copyfile(store_template, path)
    shutil.copyfile(store_template.with_name("store.json"), home / "store.json")
    memory_keyring.secrets.update(_TEMPLATE_KEYRING.secrets)
    opened = Store.open(path, _template_key(store_template))
    yield opened
    opened.close()
