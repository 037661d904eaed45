"""Deterministic fault injection: kill -9 a forked child at its N-th write, fsync, rename, copy, SQL transaction
or keyring call, for every N, so the dangerous windows are all hit (random timing rarely finds them).

`count_points(fn)` runs `fn` in a child and returns the crash points it passes; `crash_at(fn, n)` runs it again
and SIGKILLs the child just before point `n` (n == len(points) lets it finish). Keyring entries must survive the
kill, so tests use `FileKeyring` (entries in a JSON file, replaced atomically with the unpatched functions).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import json
import os
import shutil
import signal
from pathlib import Path
from typing import Callable

from keyring.backend import KeyringBackend

_REAL_OPEN, _REAL_REPLACE = builtins.open, os.replace


class FileKeyring(KeyringBackend):
    """A keyring whose entries survive a SIGKILL of the process that wrote them."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)

    def entries(self) -> dict[str, str]:
        try:
            with _REAL_OPEN(self.path, encoding="utf-8") as fh:
                return json.load(fh)
        except FileNotFoundError:
            return {}

    def _write(self, entries: dict[str, str]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with _REAL_OPEN(tmp, "w", encoding="utf-8") as fh:
            json.dump(entries, fh)
        _REAL_REPLACE(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries().get(f"{service}\x00{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self._write({**self.entries(), f"{service}\x00{username}": password})

    def delete_password(self, service: str, username: str) -> None:
        entries = self.entries()
        entries.pop(f"{service}\x00{username}", None)
        self._write(entries)


class _Points:
    def __init__(self, crash_at: int | None) -> None:
        self.crash_at, self.names = crash_at, []

    def hit(self, name: str) -> None:
        if self.crash_at is not None and len(self.names) == self.crash_at:
            os.kill(os.getpid(), signal.SIGKILL)
        self.names.append(name)

    def install(self) -> None:
        """Wrap every durable-state primitive the product uses (the child is discarded afterwards)."""
        from engine.store.store import Store

        def wrap(owner, attr: str, name: str, when: Callable[..., bool] = lambda *a, **k: True):  # noqa: ANN001
            real = getattr(owner, attr, None)
            if real is None:  # (the code before a fix may lack it)
                return

            def hooked(*args, **kwargs):  # noqa: ANN002, ANN003
                if when(*args, **kwargs):
                    self.hit(name)
                return real(*args, **kwargs)

            setattr(owner, attr, hooked)

        def writing(_file, mode: str = "r", *a, **k) -> bool:  # noqa: ANN001, ANN002, ANN003
            return any(c in mode for c in "wax+")

        wrap(builtins, "open", "write", writing)
        wrap(io, "open", "write", writing)
        wrap(os, "fsync", "fsync")
        wrap(os, "replace", "rename")
        wrap(os, "rename", "rename")
        wrap(shutil, "copyfile", "copy")
        wrap(FileKeyring, "set_password", "keyring set")
        wrap(FileKeyring, "delete_password", "keyring delete")
        wrap(Store, "reencrypt", "sql rekey")
        real_tx = Store.transaction
        points = self

        @contextlib.contextmanager
        def transaction(store):  # noqa: ANN001, ANN202
            points.hit("sql begin")
            with real_tx(store) as conn:
                yield conn
            points.hit("sql committed")

        Store.transaction = transaction  # type: ignore[method-assign]


def _in_child(fn: Callable[[], object], crash_at: int | None) -> tuple[int, list[str]]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            os.close(read_fd)
            points = _Points(crash_at)
            points.install()
            result = fn()
            code = result if isinstance(result, int) else 0
            os.write(write_fd, json.dumps(points.names).encode())
        except BaseException:  # noqa: BLE001
            code = 99
        os._exit(code)
    os.close(write_fd)
    chunks = []
    while data := os.read(read_fd, 65536):
        chunks.append(data)
    os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return -9, []
    return os.WEXITSTATUS(status), json.loads(b"".join(chunks) or b"[]")


def count_points(fn: Callable[[], object]) -> list[str]:
    """The crash points `fn` passes when nothing fails (it must succeed)."""
    code, names = _in_child(fn, None)
    assert code == 0, f"the operation failed without any fault (exit {code})"
    return names


def crash_at(fn: Callable[[], object], n: int) -> bool:
    """Run `fn` in a child killed just before crash point `n`; True when it was killed, False when it finished."""
    code, _ = _in_child(fn, n)
    assert code in (-9, 0), f"the operation failed instead of crashing (exit {code})"
    return code == -9
