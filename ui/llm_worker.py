"""The LLM worker: one QObject on its own QThread that relays the windows' requests to the app's LLM service
(local runtime + router) and its callbacks back as signals.

Why: a llama.cpp model is large and not thread-safe, so it is loaded once and used from one place: the engine
runtime's owner thread. The composition root owns the runtime (and frees it at exit); this worker never closes
it. The main window's chat and the tray's quick-ask popup share this worker, so requests never race. The GUI
thread only emits queued requests and receives signals.

Threads: requests are queued to the worker thread (`ask`, `preload`); generation itself runs on the
runtime's owner thread, which calls back per token. Signals are emitted from those threads and reach
receivers on the GUI thread through queued connections: connect them to bound methods of QObjects living
on the GUI thread (a bare lambda would run on the emitting thread).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ui.tasks import human_message

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LlmRequest:
    """One generation: `parts` is an `engine.llm.budget.PromptParts`, `params` a `GenerationParams`
    (None = the runtime's defaults). `citations` travel with the request so the answer can link them.
    `allow_cloud` is the user's "ask cloud for this one"; the router still applies their policy."""

    parts: Any
    params: Any = None
    citations: tuple[Any, ...] = field(default_factory=tuple)
    allow_cloud: bool = False
    feature: str = "chat"


class LlmWorker(QObject):
    """Create on the GUI thread with a factory for the LLM service the app holds (called per request, so a service
    rebuilt after a settings change is used from the next one)."""

    token_streamed = Signal(int, str)
    """request id, text piece — streamed as the model produces it (UTF-8 safe pieces)."""
    finished = Signal(int, object)
    """request id, `engine.llm.service.Answer` — finish_reason is stop, length or cancelled; `provider` says
    whether the local model or which cloud produced it."""
    failed = Signal(int, str)
    """request id (0 for a failed model load), human message with the next step."""
    load_progress = Signal(float)
    """fraction in [0, 1] while the model loads (first request or `preload`)."""
    model_ready = Signal(str)
    """model name — the model is loaded and answers will start quickly."""
    _requested = Signal(int, object)
    _load_requested = Signal()

    def __init__(self, *, service_factory: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = service_factory
        self._service: Any = None
        self._cancels: dict[int, threading.Event] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName("reflex-llm")
        self._requested.connect(self._run)
        self._load_requested.connect(self._load)
        self.moveToThread(self._thread)
        self._thread.start()

    # -- GUI-thread API ----------------------------------------------------------------------------------
    def ask(self, request: LlmRequest) -> int:
        """Queue a generation; returns its id (signals carry it). Never blocks."""
        rid = next(self._ids)
        with self._lock:
            self._cancels[rid] = threading.Event()
        self._requested.emit(rid, request)
        return rid

    def cancel(self, request_id: int) -> None:
        """Stop a queued or running request; it finishes with finish_reason "cancelled" within ~100 ms."""
        with self._lock:
            event = self._cancels.get(request_id)
        if event is not None:
            event.set()

    def preload(self) -> None:
        """Load the model in the background (e.g. when the quick-ask popup opens)."""
        self._load_requested.emit()

    @property
    def _runtime(self) -> Any:
        return self._service.runtime if self._service is not None else None

    @property
    def model_name(self) -> str:
        runtime = self._runtime
        return runtime.model_name if runtime is not None else ""

    @property
    def loaded(self) -> bool:
        runtime = self._runtime
        return bool(runtime is not None and runtime.loaded)

    def cancel_load(self) -> None:
        """Stop the model load under way (GUI thread); the request that needed it fails with a clear message."""
        runtime = self._runtime
        if runtime is not None:
            runtime.cancel_load()

    def shutdown(self) -> None:
        """Cancel everything and stop the thread (app exit; the app then frees the model it owns)."""
        with self._lock:
            for event in self._cancels.values():
                event.set()
        self._thread.quit()
        self._thread.wait(15000)
        self._service = None

    # -- worker thread -----------------------------------------------------------------------------------
    def _ensure_runtime(self) -> Any:
        self._service = self._factory()  # the app's current service: settings may have replaced it
        return self._service.runtime

    @Slot()
    def _load(self) -> None:
        try:
            runtime = self._ensure_runtime()
            if not runtime.loaded:
                runtime.load(on_progress=self.load_progress.emit).result()
            self.model_ready.emit(runtime.model_name)
        except Exception as exc:  # noqa: BLE001 - reported to the UI
            log.warning("model load failed: %s", type(exc).__name__)
            self.failed.emit(0, human_message(exc))

    @Slot(int, object)
    def _run(self, rid: int, request: LlmRequest) -> None:
        with self._lock:
            cancel = self._cancels.get(rid) or threading.Event()
        try:
            runtime = self._ensure_runtime()
            if not runtime.loaded and not request.allow_cloud:
                runtime.load(on_progress=self.load_progress.emit).result()
                self.model_ready.emit(runtime.model_name)
            answer = self._service.ask(request.parts, feature=request.feature, allow_cloud=request.allow_cloud,
                                       params=request.params, cancel=cancel,
                                       on_token=lambda text: self.token_streamed.emit(rid, text))
            self.finished.emit(rid, answer)
        except Exception as exc:  # noqa: BLE001 - reported to the UI
            log.warning("generation %d failed: %s", rid, type(exc).__name__)
            self.failed.emit(rid, human_message(exc))
        finally:
            with self._lock:
                self._cancels.pop(rid, None)
