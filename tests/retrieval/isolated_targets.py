"""Module-level functions the isolation tests run in a limited child process (a child imports them by name)."""

from __future__ import annotations

import os
import signal
import time

from engine.errors import IngestError


def hog(nbytes: int) -> int:
    """Touch `nbytes` of memory."""
    block = bytearray(nbytes)
    return len(block)


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def refuse() -> None:
    raise IngestError("x.pdf: the PDF is password-protected", next_step="Remove the password.")


def core_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_CORE)[1]
