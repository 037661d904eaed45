"""Run a parser of untrusted files in a child process with memory and time limits.

Why: document parsers (pypdf, python-docx/lxml, openpyxl, python-pptx, inscriptis) run native code on bytes from anywhere; a zip
bomb or a crafted stream can take gigabytes or hang (a DOCX that inflates to 300 MB reached 1.2 GB in
the app's own process before failing). In a child, the worst case is one killed process and one
`IngestError` for that file. Every untrusted document goes through `extract_isolated`: watched folders,
picked or dropped files, and mail attachments.

How: one short-lived child per call. Where the platform has it (Linux, macOS) the child is forked from
a `forkserver` that was started once, clean, with the parsers already imported, so a call costs
milliseconds and never forks the app's threads; elsewhere (Windows, and the frozen bundle, whose
`app/__main__.py` calls `freeze_support()`) it is spawned. The child lowers its
own limits before it touches the bytes: address space (`RLIMIT_AS`, enforced on Linux), CPU seconds,
and no core file. The parent waits at most `Limits.seconds` of wall time, then kills it.

Contract: `run_isolated(fn, *args)` returns `fn(*args)` or raises `IngestError`; `fn` must be a
module-level function and its arguments and result picklable. An `EngineError` raised by `fn` comes back
with its message and next step; anything else, an exhausted limit or a crash becomes a per-file
`IngestError`. Thread-safe: each call has its own child and pipe.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from engine.errors import EngineError, IngestError
from engine.retrieval.extract import ExtractedDocument, extract_bytes, kind_for, read_file

__all__ = ["DEFAULT_LIMITS", "Limits", "extract_file", "extract_files", "extract_isolated", "extract_isolated_many",
           "run_isolated"]

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Limits:
    """What one child may use: address space in bytes and wall-clock seconds."""

    memory_bytes: int = 1024 * 2**20
    seconds: float = 120.0


DEFAULT_LIMITS = Limits()
# Imported once by the forkserver, so forked children start with the parsers loaded.
_PRELOAD = ["engine.retrieval.extract", "engine.retrieval.office", "docx", "openpyxl", "pptx", "pypdf", "lxml.html",
            "inscriptis"]
_context: Any = None


def _mp_context() -> Any:
    global _context  # noqa: PLW0603 - one forkserver per process, made on first use
    if _context is None:
        # A frozen bundle cannot run the forkserver's `-c` command line; there freeze_support() serves spawn.
        if "forkserver" in multiprocessing.get_all_start_methods() and not getattr(sys, "frozen", False):
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(_PRELOAD)
        else:
            ctx = multiprocessing.get_context("spawn")
        _context = ctx
    return _context


def _limit_self(limits: Limits) -> None:
    """In the child, before any untrusted byte is parsed."""
    try:
        import resource
    except ImportError:  # Windows: only the parent's wall-clock limit applies
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cpu = int(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    if sys.platform.startswith("linux"):  # macOS does not enforce RLIMIT_AS
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))


def _child(out: Connection, limits: Limits, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        _limit_self(limits)
        reply: tuple[Any, ...] = ("ok", fn(*args))
    except MemoryError:
        reply = ("memory",)
    except EngineError as err:
        reply = ("error", str(err), err.next_step)
    except BaseException as exc:  # noqa: BLE001 - everything else is reported as one damaged file
        reply = ("crash", type(exc).__name__)
    try:
        out.send(reply)
    except MemoryError:
        out.send(("memory",))
    finally:
        out.close()


def run_isolated(fn: Callable[..., T], *args: Any, name: str, limits: Limits = DEFAULT_LIMITS) -> T:
    """`fn(*args)` computed in a limited child process; `name` (the file's) goes into error messages."""
    ctx = _mp_context()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, limits, fn, args), daemon=True, name="reflex-extract")
    child.start()
    send.close()
    try:
        reply = receive.recv() if receive.poll(limits.seconds) else ("timeout",)
    except EOFError:  # the child died without a word: killed by the kernel, or a native crash
        reply = ("died",)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    status = reply[0]
    if status == "ok":
        return reply[1]
    if status != "error":
        log.info("isolated parse failed status=%s exit=%s", status, child.exitcode)
    raise _failure(reply, name, limits)


def _failure(reply: tuple[Any, ...], name: str, limits: Limits) -> IngestError:
    status = reply[0]
    if status == "error":
        return IngestError(reply[1], next_step=reply[2])
    if status == "timeout":
        return IngestError(f"{name}: reading it took longer than {limits.seconds:g} s, so it was stopped",
                           next_step="Open and re-save the file, or export it as PDF or text.")
    if status == "memory":
        return IngestError(f"{name}: reading it needs more than {limits.memory_bytes // 2**20} MB of memory, "
                           "so it was stopped", next_step="Split the document, or export it as PDF or text.")
    detail = reply[1] if status == "crash" else "the reader stopped unexpectedly"
    return IngestError(f"{name}: the file is damaged or not readable ({detail})",
                       next_step="Open and re-save the file, or export it as PDF or text.")


def extract_isolated(data: bytes, *, kind: str, name: str, limits: Limits = DEFAULT_LIMITS) -> ExtractedDocument:
    """`extract_bytes` in a limited child: the one way Reflex reads an untrusted document (files and mail
    attachments). Raises `IngestError`."""
    return run_isolated(_extract, data, kind, name, name=name, limits=limits)


def extract_isolated_many(documents: list[tuple[bytes, str, str]], *, limits: Limits = DEFAULT_LIMITS,
                          ) -> list[ExtractedDocument | IngestError]:
    """`extract_isolated` for many (bytes, kind, name) documents in ONE limited child (the memory limit holds for
    each file, the time limit for all of them together), one result or error per document in order. When the
    child fails as a whole (a file exhausted a limit or crashed the reader), each document is read again in its
    own child, so only the culprit fails. Why: starting a child costs ~40 ms on a loaded laptop, reading a small
    document a few; an import of thousands of mails with attachments would spend most of its time starting."""
    if len(documents) <= 1:
        return [_one(data, kind, name, limits) for data, kind, name in documents]
    names = ", ".join(name for _d, _k, name in documents[:3]) + (" ..." if len(documents) > 3 else "")
    try:
        replies = run_isolated(_extract_many, documents, name=names, limits=limits)
    except IngestError:
        return [_one(data, kind, name, limits) for data, kind, name in documents]
    return [reply if isinstance(reply, ExtractedDocument) else IngestError(reply[0], next_step=reply[1])
            for reply in replies]


def _one(data: bytes, kind: str, name: str, limits: Limits) -> ExtractedDocument | IngestError:
    try:
        return extract_isolated(data, kind=kind, name=name, limits=limits)
    except IngestError as err:
        return err


def extract_file(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> ExtractedDocument:
    """Read one document file and extract it in a limited child. Raises `IngestError`."""
    p = Path(path)
    return extract_isolated(read_file(p), kind=kind_for(p), name=p.name, limits=limits)


def extract_files(paths: list[str | Path], *, on_progress: Callable[[float], None] | None = None,
                  ) -> tuple[list[tuple[Path, ExtractedDocument]], list[tuple[Path, IngestError]]]:
    """Extract many files; a bad file lands in the error list and the rest continue."""
    done: list[tuple[Path, ExtractedDocument]] = []
    failed: list[tuple[Path, IngestError]] = []
    for i, path in enumerate(paths, 1):
        try:
            done.append((Path(path), extract_file(path)))
        except IngestError as err:
            failed.append((Path(path), err))
        if on_progress:
            on_progress(i / len(paths))
    return done, failed


def _extract(data: bytes, kind: str, name: str) -> ExtractedDocument:
    """Positional form of `extract_bytes` for the child."""
    return extract_bytes(data, kind=kind, name=name)


def _extract_many(documents: list[tuple[bytes, str, str]]) -> list[ExtractedDocument | tuple[str, str]]:
    """In the child: each document's extraction, or (message, next step) of the `EngineError` it raised."""
    out: list[ExtractedDocument | tuple[str, str]] = []
    for data, kind, name in documents:
        try:
            out.append(extract_bytes(data, kind=kind, name=name))
        except EngineError as err:
            out.append((str(err), err.next_step))
    return out
