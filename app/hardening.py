"""Process and file-system hardening applied once at start-up, before any user data is touched.

- `umask 077`: everything Reflex writes (store, WAL, key metadata, logs, exports, recordings, settings) is
  readable by the user only, whichever code writes it.
- No core dumps (`RLIMIT_CORE=0`; on Linux also `PR_SET_DUMPABLE=0`, which also keeps other processes of the
  same user from ptrace-reading memory): a native crash in llama.cpp, CTranslate2 or FFmpeg would otherwise
  write the raw store key and decrypted pages to disk.
- `secure_data_folder`: the data folder is 0700, and files an older version created under a 022 umask are
  narrowed to the user.

Called by `app.cli.main` (the console script, `python -m app` and the frozen bundle all enter there) and by
`AppContext`. POSIX only; on Windows the user profile's ACLs already protect the data folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from pathlib import Path

__all__ = ["harden_process", "secure_data_folder"]

log = logging.getLogger(__name__)

_PR_SET_DUMPABLE = 4
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def harden_process() -> None:
    """umask 077 and no core dumps for this process and the children it starts. Idempotent."""
    if os.name != "posix":
        return
    os.umask(0o077)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError) as exc:  # a hard limit we cannot lower: log and go on
        log.warning("core dumps could not be disabled: %s", type(exc).__name__)
    if sys.platform.startswith("linux"):
        _not_dumpable()


def _not_dumpable() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl failed")
    except (OSError, AttributeError) as exc:
        log.warning("PR_SET_DUMPABLE could not be cleared: %s", type(exc).__name__)


def secure_data_folder(home: Path) -> None:
    """Create `home` as 0700 (or narrow it to 0700), and narrow the files Reflex keeps in it (its top-level
    files and `logs/`) to the user. Not recursive beyond that: `REFLEX_HOME` may point at a folder that
    also holds the user's own files, whose modes are theirs to choose."""
    if os.name != "posix":
        home.mkdir(parents=True, exist_ok=True)
        return
    home.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _narrow(home, PRIVATE_DIR)
    logs = home / "logs"
    for path in [*home.iterdir(), *(logs.iterdir() if logs.is_dir() else [])]:
        if path.is_symlink():
            continue
        if path.is_file():
            _narrow(path, PRIVATE_FILE)
        elif path == logs:
            _narrow(path, PRIVATE_DIR)


def _narrow(path: Path, mode: int) -> None:
    try:
        current = path.stat().st_mode & 0o777
        if current & ~mode:
            path.chmod(current & mode)
    except OSError as exc:  # e.g. a file owned by another user: leave it, say so
        log.warning("could not narrow the mode of a file in the data folder: %s", type(exc).__name__)
