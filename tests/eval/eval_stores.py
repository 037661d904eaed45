"""Real encrypted stores for the evaluations (module-scoped fixtures build them once; loading the demo takes ~1 s)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def encrypted_stores(folder: Path, *names: str) -> Iterator[dict]:
    """One empty encrypted store per name under `folder`, with an in-memory keyring for their keys; closed after."""
    import keyring

    from engine.store import Store, StoreKey
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    stores = {name: Store.create(folder / f"{name}.db", StoreKey.generate()) for name in names}
    try:
        yield stores
    finally:
        for store in stores.values():
            store.close()
        keyring.set_keyring(previous)
