"""The app's side of store care for tests (`engine.usecases.store_care.StoreHost` over one real store, recording the
order of its calls) and a backup made on "another computer" whose keyring is gone."""

from __future__ import annotations

from pathlib import Path

from engine.errors import StoreError
from engine.store import Store, create_store, forget_keys
from engine.store.backup import backup


class AppHost:
    """What the app lends (engine.usecases.store_care.StoreHost), recording the order of its calls."""

    def __init__(self, store: Store) -> None:
        self._store: Store | None = store
        self.db_path = store.path
        self.calls: list[str] = []

    def store(self) -> Store:
        if self._store is None:
            raise StoreError("no store any more")
        return self._store

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self, store: Store | None) -> None:
        assert store is None or (store is self._store and not store.closed)  # the same object, open again
        self.calls.append("resume" if store is not None else "resume-none")
        self._store = store


def laptop_backup(tmp_path: Path) -> tuple[Path, str]:
    """A store made on another computer (its own keys), one note in it, backed up; then that computer's keyring
    entries are gone, as on a new laptop. Returns (backup, recovery key)."""
    created = create_store(tmp_path / "old-laptop" / "reflex.db")
    created.store.settings.set("test.note", "board deck v3")
    folder = tmp_path / "usb"
    folder.mkdir()
    info = backup(created.store, folder)
    created.store.close()
    forget_keys(tmp_path / "old-laptop" / "reflex.db")
    assert created.recovery_key
    return info.path, created.recovery_key
