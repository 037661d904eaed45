"""Keeps the knowledge base current in the background: index what sync, imports and recordings added.

Why a job of its own: embedding a fresh mailbox takes minutes on a laptop and must never block a window,
a sync or a question; and new data arrives while a run is going (a sync finishing mid-run), which must not
be lost nor start a second run beside the first (the indexer holds a per-process lock for exactly that).

`request()` from any thread starts a run on the job's one worker thread, or marks that one more run is
wanted when a run is going (any number of requests during a run = one more run). `cancel()` stops the
current run at the next batch; what was indexed stays, and the next request resumes from there (the queue
lives in the store). Progress and the end are published on the bus: INDEX_DID_PROGRESS (fraction; eta_s, the
seconds left at this run's pace so far, None until 2% is done; paused: "" or why it waits, "user" or "battery")
and INDEX_DID_FINISH (embedded, failed, cancelled, error) — counts and a human message, never content.

A ten-year backlog takes hours, so it gives way (#20 item 3): while the user's own work runs (`user_busy()`
around a chat answer or a transcription) it waits between steps of about a second, and while the computer runs on
battery (where the platform says so, `on_battery_power`) it waits until mains power is back. Paused time does
not count in the ETA.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from engine.errors import EngineError
from engine.events import INDEX_DID_FINISH, INDEX_DID_PROGRESS, EventBus
from engine.jobs.coalesced import CoalescedJob

if TYPE_CHECKING:  # the retrieval stack (numpy, onnxruntime) loads on the worker thread, not at import
    from engine.retrieval.indexer import Indexer

log = logging.getLogger(__name__)

#: Progress events at most every this many fractions of the run (a bar needs no more; the bus stays quiet).
PROGRESS_STEP = 0.02
#: How often a run looks at the battery, and a paused one at what it waits for, seconds.
BATTERY_POLL_S = 30.0
USER_POLL_S = 0.25


def on_battery_power() -> bool:
    """True when the platform says this computer runs on battery (psutil; False where it cannot tell: desktops,
    servers, no psutil)."""
    try:
        import psutil
    except ImportError:
        return False
    try:
        battery = psutil.sensors_battery()
    except (OSError, RuntimeError, NotImplementedError):
        return False
    return battery is not None and battery.power_plugged is False


class BackgroundIndexing(CoalescedJob):
    """`indexer` is called on the worker thread the first time a run starts (building it loads the
    embedding model, which must not happen on the caller's thread). `request`, `cancel`, `close` and
    `running` are `CoalescedJob`'s."""

    def __init__(self, indexer: Callable[[], "Indexer"], bus: EventBus, *,
                 on_battery: Callable[[], bool] = on_battery_power) -> None:
        super().__init__("reflex-indexing")
        self._indexer = indexer
        self._bus = bus
        self._on_battery = on_battery
        self._busy = 0
        self._busy_lock = threading.Lock()

    @contextmanager
    def user_busy(self) -> Iterator[None]:
        """Around the user's own work (a chat answer, a transcription): a run waits meanwhile, from its next step
        (about a second). Nests, and may be entered from any thread."""
        with self._busy_lock:
            self._busy += 1
        try:
            yield
        finally:
            with self._busy_lock:
                self._busy -= 1

    def _run_once(self, cancel: threading.Event) -> None:
        last = -1.0
        began = time.monotonic()
        paused_s = 0.0
        battery_at = -BATTERY_POLL_S  # when the battery was last asked

        def progress(fraction: float, paused: str | None = None) -> None:
            """Publish at every PROGRESS_STEP, and whenever a pause starts (paused: why) or ends (paused: "")."""
            nonlocal last
            if fraction - last >= PROGRESS_STEP or fraction >= 1.0 or paused is not None:
                last = fraction
                active = time.monotonic() - began - paused_s
                eta = round(active * (1 - fraction) / fraction) if 0.02 <= fraction < 1.0 else None
                self._bus.emit(INDEX_DID_PROGRESS, fraction=round(fraction, 3), eta_s=eta, paused=paused or "")

        def waiting_for() -> str:
            nonlocal battery_at
            if cancel.is_set():
                return ""
            if self._busy:
                return "user"
            if time.monotonic() - battery_at >= BATTERY_POLL_S:
                battery_at = time.monotonic()
                if self._on_battery():
                    battery_at = -BATTERY_POLL_S  # on battery: ask again at every look
                    return "battery"
            return ""

        def gate() -> None:
            nonlocal paused_s
            reason = waiting_for()
            if not reason:
                return
            start = time.monotonic()
            progress(max(last, 0.0), paused=reason)
            while reason:
                cancel.wait(USER_POLL_S if reason == "user" else BATTERY_POLL_S)
                reason = waiting_for()
            paused_s += time.monotonic() - start
            progress(max(last, 0.0), paused="")

        try:
            report = self._indexer().run(on_progress=progress, cancel=cancel, gate=gate)
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
