"""Keeps the knowledge base current in the background: index what sync, imports and recordings added.

Why a job of its own: embedding a fresh mailbox takes minutes on a laptop and must never block a window,
a sync or a question; and new data arrives while a run is going (a sync finishing mid-run), which must not
be lost nor start a second run beside the first (the indexer holds a per-process lock for exactly that).

`request()` from any thread starts a run on the job's one worker thread, or marks that one more run is
wanted when a run is going (any number of requests during a run = one more run). `cancel()` stops the
current run at the next batch; what was indexed stays, and the next request resumes from there (the queue
lives in the store). Progress and the end are published on the bus: INDEX_DID_PROGRESS (fraction) and
INDEX_DID_FINISH (embedded, failed, cancelled, error) — counts and a human message, never content.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.errors import EngineError
from engine.events import INDEX_DID_FINISH, INDEX_DID_PROGRESS, EventBus

if TYPE_CHECKING:  # the retrieval stack (numpy, onnxruntime) loads on the worker thread, not at import
    from engine.retrieval.indexer import Indexer

log = logging.getLogger(__name__)

#: Progress events at most every this many fractions of the run (a bar needs no more; the bus stays quiet).
PROGRESS_STEP = 0.02


class BackgroundIndexing:
    """`indexer` is called on the worker thread the first time a run starts (building it loads the
    embedding model, which must not happen on the caller's thread)."""

    def __init__(self, indexer: Callable[[], "Indexer"], bus: EventBus) -> None:
        self._indexer = indexer
        self._bus = bus
        self._lock = threading.Lock()
        self._wanted = False
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def running(self) -> bool:
        with self._lock:
            return self._thread is not None

    def request(self) -> None:
        """Index what is pending, now or right after the current run. Returns at once."""
        with self._lock:
            if self._closed:
                return
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="reflex-indexing", daemon=True)
                self._thread.start()

    def cancel(self) -> None:
        """Stop the current run at its next batch and drop a pending one."""
        with self._lock:
            self._wanted = False
            self._cancel.set()

    def close(self, timeout: float = 10.0) -> None:
        """Cancel and wait for the worker (app exit)."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self.cancel()
        if thread is not None:
            thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._lock:
                if not self._wanted or self._closed:
                    self._thread = None
                    return
                self._wanted = False
                self._cancel = cancel = threading.Event()
            self._run_once(cancel)

    def _run_once(self, cancel: threading.Event) -> None:
        last = -1.0

        def progress(fraction: float) -> None:
            nonlocal last
            if fraction - last >= PROGRESS_STEP or fraction >= 1.0:
                last = fraction
                self._bus.emit(INDEX_DID_PROGRESS, fraction=round(fraction, 3))

        try:
            report = self._indexer().run(on_progress=progress, cancel=cancel)
        except EngineError as exc:
            log.warning("background indexing failed: %s", type(exc).__name__)
            self._bus.emit(INDEX_DID_FINISH, embedded=0, failed=0, cancelled=False, error=str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the worker silently; say so and carry on
            log.error("background indexing crashed (%s)", type(exc).__name__)  # no traceback: it may quote data
            self._bus.emit(INDEX_DID_FINISH, embedded=0, failed=0, cancelled=False,
                           error=f"Indexing stopped unexpectedly ({type(exc).__name__}). It retries after the next sync.")
            return
        self._bus.emit(INDEX_DID_FINISH, embedded=report.embedded, failed=len(report.failed),
                       cancelled=report.cancelled, error="")
