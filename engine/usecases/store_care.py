"""Store care while the app runs: restore a backup, change how the store unlocks (rekey), wipe everything.

Every operation follows one path (`_care`), so the desktop app, the CLI and tests share it:
pause what uses the store (the app's scheduler, indexing, syncs) -> take the exclusive store lock (refused at once,
with nothing changed, when another Reflex process has the store open) -> operate -> reopen the store with the key
that is now current and hand it back (`resume`). A failure before the store changed reopens it as it was. A wipe
hands back no store.

The app lends a `StoreHost` (plain methods, no Qt); progress goes to `on_progress(fraction)` and `cancel` is honoured
until the first change is made (a half-done restore or wipe would be worse than either outcome).

Threads: one worker thread, with nothing else using the store (the app runs it on its serialized store worker
after `pause`).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from engine.errors import KeyMissing, StoreError, StoreLocked
from engine.privacy.audit import AuditLog
from engine.store import PASSPHRASE_ENV, Store, StoreKey, StoreMeta, forget_keys, remove_store_files
from engine.store import lock as store_lock
from engine.store.backup import backup_meta, moved_key_file, opens_with, restore
from engine.store.keys import secure_keyring_available
from engine.store.unlock import (candidate_keys_for_backup, change_unlock, current_key, new_recovery_key,
                                 sidecar_for_restore, verify_passphrase)

__all__ = ["CareCancelled", "RekeyOutcome", "RestoreOutcome", "StoreCare", "StoreHost", "WipeOutcome", "backup_key",
           "change_store_unlock", "erase_store_files", "make_recovery_key", "restore_backup", "wipe_store"]

Progress = Callable[[float], None]
#: What a wipe deletes beside the database and its key entries (rebuildable or personal: logs name accounts).
WIPED_FOLDERS = ("logs", "index", "cache")
MIN_PASSPHRASE = 8


class CareCancelled(StoreError):
    """The user cancelled before anything was changed."""


class StoreHost(Protocol):
    """What the app lends: its open store and the switches around it. The store object stays the same throughout:
    it is closed, then reopened in place (`Store.reopen`), so whatever holds it goes on with the new contents."""

    @property
    def db_path(self) -> Path: ...

    def store(self) -> Store:
        """The app's store."""

    def pause(self) -> None:
        """Stop everything that uses the store and wait for it (idempotent)."""

    def resume(self, store: Store | None) -> None:
        """The store (reopened, perhaps with new contents or a new key) is usable again: resume the work, rebuild
        what was derived from the old contents. None: the store is gone (wiped, or it could not be reopened)."""


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    source: Path
    moved_aside: Path | None  # where the store that was replaced now is (None: there was none)

    def summary(self) -> str:
        kept = (f" The previous store was kept as {self.moved_aside.name} (its key file: "
                f"{moved_key_file(self.moved_aside).name}) in the same folder." if self.moved_aside else "")
        return f"Restored from {self.source.name}; Reflex is using it now.{kept}"


@dataclass(frozen=True, slots=True)
class RekeyOutcome:
    mode: str  # "keyring" | "passphrase"

    def summary(self) -> str:
        how = "a new key in the OS keyring" if self.mode == "keyring" else "the new passphrase"
        return (f"The store now unlocks with {how} (checked: it reopened with it). Your recovery key and older "
                "backups still work.")


@dataclass(frozen=True, slots=True)
class WipeOutcome:
    home: Path
    sign_ins_forgotten: int

    def summary(self) -> str:
        return (f"Deleted the Reflex store, index, logs and keys in {self.home} "
                f"({self.sign_ins_forgotten} account sign-ins forgotten).")


def _quiet(_: float) -> None:
    pass


def _care(host: StoreHost, what: str, operate: Callable[[Store, Callable[[], None]], StoreKey | None], *,
          on_progress: Progress, cancel: threading.Event | None) -> None:
    """pause -> exclusive lock -> operate(live store, close) -> reopen with the key `operate` returns (None:
    nothing to reopen) -> resume. `operate` calls `close()` before it touches the files, and raises to leave the
    store as it was."""
    on_progress(0.05)
    host.pause()
    live = host.store()
    closed: list[bool] = []

    def close() -> None:
        live.close()
        closed.append(True)

    try:
        with store_lock.exclusive(host.db_path, what):
            if cancel is not None and cancel.is_set():
                raise CareCancelled(f"The {what} was cancelled; nothing was changed.")
            on_progress(0.2)
            try:
                key = operate(live, close)
            except BaseException:
                _give_back(host, live, reopen=bool(closed))
                raise
            on_progress(0.85)
            if not closed:
                close()
            if key is None:
                host.resume(None)
            else:
                live.reopen(key)
                host.resume(live)
    except (store_lock.StoreInUse, CareCancelled):
        if not closed:
            host.resume(live)  # refused before anything changed: the same store goes on
        raise
    on_progress(1.0)


def _give_back(host: StoreHost, live: Store, *, reopen: bool) -> None:
    """After a failed operation: the live store again (reopened with its key when it was closed); None when even
    that fails (the app must start over rather than use a store it cannot open)."""
    if reopen:
        try:
            live.reopen(live.key)
        except StoreError:
            host.resume(None)
            raise
    host.resume(live)


# -- restore -----------------------------------------------------------------------------------------------------
def backup_key(src: Path, db_path: Path, *, live_key: StoreKey | None, secret: str | None) -> StoreKey | None:
    """The first key that opens the backup `src`: the live store's, a keyring key the backup names, then one from
    `secret` (the recovery key or the backup's passphrase); None when none does. Reads only."""
    for key in candidate_keys_for_backup(backup_meta(src), db_path, live_key=live_key, secret=secret):
        if opens_with(src, key):
            return key
    return None


def restore_backup(host: StoreHost, src: Path, *, recovery_key: str = "", new_passphrase: str = "",
                   on_progress: Progress = _quiet, cancel: threading.Event | None = None) -> RestoreOutcome:
    """Replace the app's store with the backup `src` (the current store is moved aside, never deleted).

    `recovery_key`: the printable recovery key (or the backup's passphrase), needed when no key this computer has
    opens the backup (a new computer, a lost keyring). `new_passphrase`: only where no OS keyring exists and the
    backup carries no passphrase (the restored store needs a way to unlock here). Raises `KeyMissing` when
    nothing opens the backup, `StoreCorrupt` for a damaged one, `StoreInUse` when another process has the store
    open; in each case nothing was changed.
    """
    src = Path(src).expanduser()
    if not src.is_file():
        raise StoreError(f"No backup at {src}.", next_step="Choose a file made by Reflex's backups.")
    moved: list[Path | None] = []

    def operate(live: Store, close: Callable[[], None]) -> StoreKey:
        key = backup_key(src, host.db_path, live_key=live.key, secret=recovery_key.strip() or None)
        if key is None:
            raise KeyMissing(f"Neither this computer's key nor the recovery key given opens {src.name}.",
                             next_step="Type the recovery key shown when the store was created (keep the backup's "
                             ".json file beside it). Nothing was changed.")
        on_progress(0.4)
        sidecar = sidecar_for_restore(host.db_path, backup_meta(src), key, prompt=_given(new_passphrase))
        close()
        moved.append(restore(src, host.db_path, key, sidecar=sidecar))
        return key

    _care(host, "restore", operate, on_progress=on_progress, cancel=cancel)
    outcome = RestoreOutcome(src, moved[0])
    AuditLog(host.store()).record("restore", src.name, moved_aside=outcome.moved_aside.name if outcome.moved_aside
                                  else "")
    return outcome


def _given(passphrase: str) -> Callable[[str], str]:
    def prompt(_: str) -> str:
        if not passphrase:
            raise KeyMissing("No OS keyring is available here, so the restored store needs a passphrase.",
                             next_step="Choose a passphrase and restore again. Nothing was changed.")
        return passphrase
    return prompt


# -- rekey -------------------------------------------------------------------------------------------------------
def change_store_unlock(host: StoreHost, *, mode: str, new_passphrase: str = "", current_passphrase: str = "",
                        on_progress: Progress = _quiet, cancel: threading.Event | None = None) -> RekeyOutcome:
    """Unlock the store with a new keyring key (`mode="keyring"`) or `new_passphrase` from now on, then close and
    reopen it the way the next start will (a check that the new way works).

    A passphrase store asks for `current_passphrase` first: whoever finds the app unlocked must not lock its owner
    out. The data key stays, so the recovery key and older backups keep working."""
    if mode not in ("keyring", "passphrase"):
        raise StoreError(f"Unknown key mode {mode!r}.", next_step="Choose the OS keyring or a passphrase.")
    if mode == "passphrase" and len(new_passphrase) < MIN_PASSPHRASE:
        raise StoreError(f"The new passphrase is too short (at least {MIN_PASSPHRASE} characters).",
                         next_step="Choose a longer passphrase; nothing was changed.")
    if mode == "keyring" and not secure_keyring_available():
        raise StoreError("No secure OS keyring is available to hold a new key.",
                         next_step="Choose a passphrase instead; nothing was changed.")
    if mode == "keyring" and os.environ.get(PASSPHRASE_ENV):
        raise StoreError(f"{PASSPHRASE_ENV} is set, so the store would keep asking for a passphrase.",
                         next_step=f"Unset {PASSPHRASE_ENV} first; nothing was changed.")
    _reauthenticate(host.db_path, current_passphrase)

    def operate(live: Store, close: Callable[[], None]) -> StoreKey:
        change_unlock(live, mode=mode, passphrase=new_passphrase or None)
        close()
        # Find the key as the next start will (keyring, or the new passphrase), never reuse the one in memory.
        return current_key(host.db_path, prompt=_given(new_passphrase) if mode == "passphrase" else None)

    _care(host, "rekey", operate, on_progress=on_progress, cancel=cancel)
    AuditLog(host.store()).record("settings", "store unlock", changed=["key_mode"], key_mode=mode)
    return RekeyOutcome(mode)


def _reauthenticate(db_path: Path, current_passphrase: str) -> None:
    """A passphrase store needs its passphrase typed again: whoever finds the app unlocked must not lock its owner
    out, nor mint a recovery key of their own."""
    meta = StoreMeta(db_path).read()
    if meta.get("key_mode") == "passphrase" and meta.get("cipher_key") == "envelope" \
            and not verify_passphrase(db_path, current_passphrase):
        raise StoreLocked("That is not the store's current passphrase; nothing was changed.",
                          next_step="Type the passphrase you unlock Reflex with.")


def make_recovery_key(host: StoreHost, *, current_passphrase: str = "") -> str:
    """A new printable recovery key for the store (returned once, to be written down); the previous one stops
    opening it, backups made before keep opening with theirs. Only `store.json` changes, so nothing pauses; the
    exclusive lock still refuses while another Reflex process has the store open."""
    _reauthenticate(host.db_path, current_passphrase)
    with store_lock.exclusive(host.db_path, "a new recovery key"):
        recovery = new_recovery_key(host.store())
    AuditLog(host.store()).record("settings", "store unlock", changed=["recovery_key"])
    return recovery


# -- wipe --------------------------------------------------------------------------------------------------------
def erase_store_files(home: Path, db_path: Path) -> None:
    """Delete the store's keyring keys, the database (and WAL) and the rebuildable/personal folders beside it. The
    store must be closed and the exclusive lock held. Works when the database will not open."""
    forget_keys(db_path)  # needs only store.json
    remove_store_files(db_path)
    for sub in WIPED_FOLDERS:
        shutil.rmtree(Path(home) / sub, ignore_errors=True)


def wipe_store(host: StoreHost, *, home: Path, forget_sign_ins: Callable[[Store | None], int],
               on_progress: Progress = _quiet, cancel: threading.Event | None = None) -> WipeOutcome:
    """Delete everything Reflex keeps on this computer: every account's sign-in and the cloud keys
    (`forget_sign_ins(store)`, lent by the app: it knows the connectors), the store and its keys, the index, logs
    and caches. Hands no store back (`resume(None)`): the app must start over."""
    forgotten: list[int] = []

    def operate(live: Store, close: Callable[[], None]) -> None:
        forgotten.append(forget_sign_ins(live))
        close()
        erase_store_files(home, host.db_path)
        return None

    _care(host, "wipe", operate, on_progress=on_progress, cancel=cancel)
    return WipeOutcome(Path(home), forgotten[0])


class StoreCare:
    """The store-care use-cases bound to one app: what Settings → Privacy calls (`ui.views.privacy_care`).
    `forget_sign_ins(store)` is the app's (it knows the connectors whose sign-ins a wipe must forget)."""

    def __init__(self, host: StoreHost, *, home: Path, forget_sign_ins: Callable[[Store | None], int]) -> None:
        self._host, self._home, self._forget = host, Path(home), forget_sign_ins

    def key_mode(self) -> str:
        """"keyring" or "passphrase": how the store unlocks now (reads store.json only)."""
        return str(StoreMeta(self._host.db_path).read().get("key_mode", "keyring"))

    def keyring_available(self) -> bool:
        """Whether a new key may go to the OS keyring (a secure one exists and no passphrase is forced)."""
        return secure_keyring_available() and not os.environ.get(PASSPHRASE_ENV)

    def restore(self, src: str, *, recovery_key: str = "", new_passphrase: str = "", on_progress: Progress = _quiet,
                cancel: threading.Event | None = None) -> RestoreOutcome:
        return restore_backup(self._host, Path(src), recovery_key=recovery_key, new_passphrase=new_passphrase,
                              on_progress=on_progress, cancel=cancel)

    def change_unlock(self, *, mode: str, new_passphrase: str = "", current_passphrase: str = "",
                      on_progress: Progress = _quiet, cancel: threading.Event | None = None) -> RekeyOutcome:
        return change_store_unlock(self._host, mode=mode, new_passphrase=new_passphrase,
                                   current_passphrase=current_passphrase, on_progress=on_progress, cancel=cancel)

    def new_recovery_key(self, *, current_passphrase: str = "") -> str:
        return make_recovery_key(self._host, current_passphrase=current_passphrase)

    def wipe(self, *, on_progress: Progress = _quiet, cancel: threading.Event | None = None) -> WipeOutcome:
        return wipe_store(self._host, home=self._home, forget_sign_ins=self._forget, on_progress=on_progress,
                          cancel=cancel)
