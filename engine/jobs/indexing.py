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
from engine.jobs.coalesced import CoalescedJob

if TYPE_CHECKING:  # the retrieval stack (numpy, onnxruntime) loads on the worker thread, not at import
    from engine.retrieval.indexer import Indexer

log = logging.getLogger(__name__)

#: Progress events at most every this many fractions of the run (a bar needs no more; the bus stays quiet).
PROGRESS_STEP = 0.02


class BackgroundIndexing(CoalescedJob):
    """`indexer` is called on the worker thread the first time a run starts (building it loads the
    embedding model, which must not happen on the caller's thread). `request`, `cancel`, `close` and
    `running` are `CoalescedJob`'s."""

    def __init__(self, indexer: Callable[[], "Indexer"], bus: EventBus) -> None:
        super().__init__("reflex-indexing")
        self._indexer = indexer
        self._bus = bus

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
