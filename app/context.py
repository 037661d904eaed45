"""What a CLI command or the GUI needs: the data dir, settings, and the store, opened once on first use.

This is the composition root's state holder: services are built from it by `app/` code and passed on as
constructor arguments; nothing here is a module-level singleton.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import sys
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, Callable

from app.hardening import secure_data_folder
from app.logging_setup import configure_logging
from app.settings import Settings, load_settings
from engine.errors import EngineError, StoreError
from engine.store import Store, create_store, default_db_path, open_store
from engine.store import lock as store_lock
from models import AuditEntry


def _terminal_prompt(text: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise StoreError(
            "A passphrase is needed but there is no terminal to ask on.",
            next_step="Set REFLEX_PASSPHRASE for scripts, or run the command in a terminal.",
        )
    return getpass.getpass(text)


class AppContext:
    """Lazily opens the store (asking for a passphrase through `prompt` when the keyring cannot help)."""

    def __init__(self, *, home: Path, settings: Settings | None = None, json_output: bool = False,
                 prompt: Callable[[str], str] = _terminal_prompt, log: bool = True) -> None:
        self.home = Path(home)
        self.settings = settings if settings is not None else load_settings(self.home)
        self.json_output = json_output
        self.prompt = prompt
        self._store: Store | None = None
        self._exclusive: contextlib.ExitStack | None = None
        self.recovery_key: str | None = None  # set by create_store for a new key: show it once, then forget it
        if log:
            secure_data_folder(self.home)
            configure_logging(self.home)

    @property
    def db_path(self) -> Path:
        return default_db_path(self.home)

    @property
    def has_store(self) -> bool:
        return self.db_path.exists()

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.db_path, prompt=self.prompt)
        return self._store

    def create_store(self) -> Store:
        """First run: create the store (keyring key, or a passphrase when no keyring exists). A new key's
        printable recovery key is left in `recovery_key` for the caller to show; an existing key is reused."""
        created = create_store(self.db_path, prompt=self.prompt)
        self._store, self.recovery_key = created.store, created.recovery_key
        return self._store

    def hold_exclusively(self, what: str) -> None:
        """Refuse (`StoreInUse`) unless no other process has the store open; held until `close()`. Call before
        opening the store: rekey, restore and wipe must not run under another process's connection."""
        if self._exclusive is None:
            stack = contextlib.ExitStack()
            stack.enter_context(store_lock.exclusive(self.db_path, what))
            self._exclusive = stack

    def confirm(self, question: str, *, yes: bool, needs: str = "This acts outside this computer") -> bool:
        """The CLI's one y/N question: True with `yes` (--yes) or an interactive "y"; with no terminal to ask on it
        raises (never guesses), saying what `needs` the confirmation."""
        if yes:
            return True
        if not sys.stdin or not sys.stdin.isatty():
            raise EngineError(f"{needs} and needs your confirmation.",
                              next_step="Run it in a terminal, or add --yes after reviewing it.")
        return input(f"{question}\nGo ahead? [y/N] ").strip().lower() in ("y", "yes")

    def audit(self, entry: AuditEntry) -> None:
        self.store.audit.add(entry)

    def emit(self, data: Any, text: str | None = None) -> None:
        """Print `data` as JSON with --json, else `text` (or a readable rendering of `data`)."""
        if self.json_output:
            print(json.dumps(_plain(data), ensure_ascii=False, indent=2, default=str))
        else:
            print(text if text is not None else _plain(data))

    def close(self) -> None:
        """Close the store; the exclusive hold (if any) stays until `release()`."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def release(self) -> None:
        self.close()
        if self._exclusive is not None:
            self._exclusive.close()
            self._exclusive = None


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
