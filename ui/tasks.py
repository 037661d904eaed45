"""The one task runner: every piece of store, network, I/O or model work leaves the GUI thread through here.

Why two pools: the store has one SQLCipher connection guarded by a lock, so store work runs on a
single-worker executor (serialized, in submission order, never contending for that lock with itself);
network, file and model work runs on a small pool so a slow sync never queues behind a quick list refresh.

Results come back to the GUI thread through a queued Qt signal on the runner (a QObject living on the GUI
thread), so success/failure/progress callbacks always run on the GUI thread and may touch widgets.

Rules enforced here (DESIGN.md, ui/):
- At most one task of a kind per owner (a window or view). `replace=True` (the default) cancels the
  running one (its cancel event is set and its result is dropped); `replace=False` ignores the new request
  while one runs (e.g. a double-clicked Refresh).
- A failure without an `on_failure` goes to the default handler, which shows `EngineError.human()` (or a
  generic sentence for unexpected errors; the traceback goes to the log, never to the user).
"""

from __future__ import annotations

import inspect
import itertools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from engine.errors import EngineError

log = logging.getLogger(__name__)
T = TypeVar("T")

STORE = "store"
"""Pool name: the single serialized worker for store access."""
IO = "io"
"""Pool name: the small pool for network, files and model work."""

_PROGRESS_INTERVAL_S = 0.05  # at most 20 progress deliveries per second per task


def human_message(error: BaseException) -> str:
    """What a person should read for `error`: the engine's (or a connector's) message + next step, or a generic
    sentence. Connector errors carry a `next_step` too but are not `EngineError`s (connectors import no engine)."""
    if isinstance(error, EngineError):
        return error.human()
    next_step = getattr(error, "next_step", None)
    if isinstance(next_step, str) and type(error).__module__.startswith("connectors."):
        return f"{error}\n{next_step}" if next_step else str(error)
    return (f"Something went wrong ({type(error).__name__}). Nothing was lost.\n"
            "Try again; if it keeps happening, run the checks in Settings → Diagnostics.")


@dataclass(eq=False)
class Task(Generic[T]):
    """A submitted piece of work. `cancel` is the event handed to the engine call; `cancelled()` after
    `cancel_task()` means its result will never be delivered."""

    kind: str
    owner_key: int
    cancel: threading.Event = field(default_factory=threading.Event)
    id: int = 0
    started: float = field(default_factory=time.perf_counter)
    _runner: "TaskRunner | None" = field(default=None, repr=False)
    _callbacks: tuple[Any, ...] = field(default=(), repr=False)
    _last_progress: float = 0.0

    def progress(self, fraction: float) -> None:
        """Report progress in [0, 1] from the worker thread (throttled; thread-safe)."""
        now = time.perf_counter()
        if fraction < 1.0 and now - self._last_progress < _PROGRESS_INTERVAL_S:
            return
        self._last_progress = now
        if self._runner is not None:
            self._runner._post(self, "progress", fraction)

    def cancelled(self) -> bool:
        return self.cancel.is_set()


class TaskRunner(QObject):
    """Create once on the GUI thread (app/gui.py) and pass to every window.

    `run(fn, ...)`: `fn` is called on a worker thread; if it accepts a parameter it receives the `Task`
    (for `task.cancel` and `task.progress`). Callbacks run on the GUI thread.
    """

    task_started = Signal(str)
    """kind — a task was submitted (views use it to show a busy state)."""
    task_finished = Signal(str, bool)
    """kind, ok — a task ended and its result (or error) was delivered."""
    task_failed = Signal(str, str)
    """kind, human message — emitted for every failure, handled or not (status bars, tests)."""
    _delivered = Signal(object)
    """Internal: a closure to run on the GUI thread (queued from worker threads)."""

    def __init__(self, *, io_workers: int = 3,
                 failure_handler: Callable[[QWidget | None, str], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, Executor] = {
            STORE: ThreadPoolExecutor(max_workers=1, thread_name_prefix="reflex-store"),
            IO: ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="reflex-io"),
        }
        self._running: dict[tuple[int, str], Task[Any]] = {}
        self._ids = itertools.count(1)
        self._failure_handler = failure_handler or show_error
        self._closed = False
        self._delivered.connect(self._deliver)

    # -- public --------------------------------------------------------------------------------------
    def run(self, fn: Callable[..., T], *, kind: str, owner: QObject | None = None, pool: str = STORE,
            on_success: Callable[[T], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[float], None] | None = None,
            replace: bool = True) -> Task[T] | None:
        """Submit `fn`; returns its Task, or None when `replace=False` and one of this kind is running."""
        if self._closed:
            return None
        key = (id(owner) if owner is not None else 0, kind)
        previous = self._running.get(key)
        if previous is not None:
            if not replace:
                return None
            previous.cancel.set()
        task: Task[T] = Task(kind=kind, owner_key=key[0], id=next(self._ids), _runner=self,
                             _callbacks=(on_success, on_failure, on_progress, owner))
        self._running[key] = task
        wants_task = _accepts_argument(fn)
        self._pools[pool].submit(self._work, task, fn, wants_task)
        self.task_started.emit(kind)
        return task

    def running(self, kind: str, owner: QObject | None = None) -> Task[Any] | None:
        return self._running.get((id(owner) if owner is not None else 0, kind))

    def cancel_task(self, kind: str, owner: QObject | None = None) -> bool:
        """Cancel the running task of `kind` for `owner`; its result is dropped. True if one was running."""
        task = self._running.pop((id(owner) if owner is not None else 0, kind), None)
        if task is None:
            return False
        task.cancel.set()
        return True

    def shutdown(self) -> None:
        """Cancel everything and stop the pools without waiting for running work (app exit)."""
        self._closed = True
        for task in self._running.values():
            task.cancel.set()
        self._running.clear()
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)

    # -- worker side -----------------------------------------------------------------------------------
    def _work(self, task: Task[Any], fn: Callable[..., Any], wants_task: bool) -> None:
        if task.cancel.is_set():
            self._post(task, "dropped", None)
            return
        try:
            result = fn(task) if wants_task else fn()
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            if not isinstance(exc, EngineError):
                log.exception("task %s failed", task.kind)
            self._post(task, "failure", exc)
            return
        self._post(task, "success", result)

    def _post(self, task: Task[Any], what: str, value: Any) -> None:
        if not self._closed:
            self._delivered.emit((task, what, value))

    # -- GUI side --------------------------------------------------------------------------------------
    @Slot(object)
    def _deliver(self, item: tuple[Task[Any], str, Any]) -> None:
        task, what, value = item
        on_success, on_failure, on_progress, owner = task._callbacks
        key = (task.owner_key, task.kind)
        current = self._running.get(key) is task
        if what == "progress":
            if current and on_progress is not None:
                on_progress(value)
            return
        if current:
            del self._running[key]
        if not current or task.cancel.is_set():
            return  # replaced or cancelled: nobody wants this result any more
        ok = what == "success"
        if ok:
            if on_success is not None:
                on_success(value)
        else:
            message = human_message(value)
            self.task_failed.emit(task.kind, message)
            if on_failure is not None:
                on_failure(value)
            else:
                self._failure_handler(owner if isinstance(owner, QWidget) else None, message)
        self.task_finished.emit(task.kind, ok)


class EitherEvent(threading.Event):
    """Set when either event is: the task's own cancel (replaced, app exit: the result is dropped) or a stop the
    user asked for whose result is still wanted (an import reports what it stored). Hand it to the engine as
    `cancel`."""

    def __init__(self, cancel: threading.Event, stop: threading.Event) -> None:
        super().__init__()
        self._events = (cancel, stop)

    def is_set(self) -> bool:
        return any(event.is_set() for event in self._events)


def show_error(parent: QWidget | None, message: str) -> None:
    """The default failure handler: a non-blocking message box (window-modal when it has a parent)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Reflex", message, QMessageBox.StandardButton.Ok,
                      parent.window() if parent is not None else None)
    box.setAccessibleName("Error message")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()


def _accepts_argument(fn: Callable[..., Any]) -> bool:
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    except (TypeError, ValueError):
        return False
    return len(params) >= 1
