"""Which processes hold the store: a shared lock per open store, an exclusive one for rekey, restore and wipe.

Every process that opens the store holds a shared advisory lock on `.<db>.lock` (the GUI, each CLI command).
Operations that must not run under another process's open connection (rekey re-encrypts pages the other
connection would read with the old key; restore moves the file another process keeps writing into; wipe
deletes it) take the lock exclusively and refuse at once (`StoreInUse`) when another process holds it.

OS locks belong to the process (flock) or to the handle, so this module keeps one lock file per store and
process and counts holders: a process that holds the exclusive lock may still open the store (its shared
requests are covered by the exclusive one). `portalocker` (already required by qdrant-client) gives the same
shared/exclusive semantics on Windows.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

import portalocker

from engine.errors import StoreBusy

__all__ = ["StoreInUse", "exclusive", "shared"]

_WAIT_S = 10.0


class StoreInUse(StoreBusy):
    """Another Reflex process has the store open."""


@dataclass
class _Held:
    handle: IO[bytes]
    shared: int = 0
    exclusive: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_held: dict[Path, _Held] = {}
_registry_lock = threading.Lock()


def _lock_path(db_path: Path) -> Path:
    path = Path(db_path).resolve()
    return path.with_name(f".{path.name}.lock")  # hidden, and not mistaken for a copy of the database


def _entry(db_path: Path) -> tuple[Path, _Held]:
    path = _lock_path(db_path)
    with _registry_lock:
        held = _held.get(path)
        if held is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            held = _held[path] = _Held(open(path, "a+b"))  # noqa: SIM115 - kept open while held
        return path, held


def _release(path: Path, held: _Held) -> None:
    if held.exclusive:
        return
    if held.shared:
        portalocker.lock(held.handle, portalocker.LOCK_SH | portalocker.LOCK_NB)  # downgrade
        return
    portalocker.unlock(held.handle)
    with _registry_lock:
        _held.pop(path, None)
    held.handle.close()


@contextlib.contextmanager
def shared(db_path: Path) -> Iterator[None]:
    """Hold the store open; waits up to 10 s for an exclusive holder (a rekey, restore or wipe) to finish."""
    path, held = _entry(db_path)
    with held.lock:
        if not held.shared and not held.exclusive:
            deadline = time.monotonic() + _WAIT_S
            while True:
                try:
                    portalocker.lock(held.handle, portalocker.LOCK_SH | portalocker.LOCK_NB)
                    break
                except portalocker.exceptions.LockException:
                    if time.monotonic() > deadline:
                        _release(path, held)
                        raise StoreInUse("Another Reflex process is changing the store (rekey, restore or wipe).",
                                         next_step="Wait for it to finish, then try again.") from None
                    time.sleep(0.05)
        held.shared += 1
    try:
        yield
    finally:
        with held.lock:
            held.shared -= 1
            _release(path, held)


@contextlib.contextmanager
def exclusive(db_path: Path, what: str) -> Iterator[None]:
    """Be the only process with the store open, or raise `StoreInUse` at once (`what`: the operation's name)."""
    path, held = _entry(db_path)
    with held.lock:
        if not held.exclusive:
            try:
                portalocker.lock(held.handle, portalocker.LOCK_EX | portalocker.LOCK_NB)
            except portalocker.exceptions.LockException:
                _release(path, held)  # a failed upgrade may have dropped our shared lock: take it back
                raise StoreInUse(f"Reflex is running in another process, so {what} cannot run now.",
                                 next_step=f"Quit the Reflex app (and any other reflex-assistant command), then run "
                                 f"{what} again. Nothing was changed.") from None
        held.exclusive += 1
    try:
        yield
    finally:
        with held.lock:
            held.exclusive -= 1
            _release(path, held)
