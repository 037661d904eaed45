"""Where measured capability lives, and the background job that measures it.

`CapabilityBook` keeps one `ProbeResult` per model id (persistence injected like the model catalogue: the app
keeps it in the store's settings table). A result of an older probe version counts as unmeasured.
`CapabilityProber` runs the probe on a daemon thread when a model is loaded or chosen, one model at a time,
never blocking the caller; the runtime queues the probe's items one by one, so a user's question waits behind
at most one short probe item.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

from engine.errors import EngineError
from engine.llm.budget import PromptParts
from engine.llm.capability import PROBE_VERSION, Generate, ProbeResult, Tier, run_probe
from engine.llm.runtime import Completion, GenerationParams

log = logging.getLogger(__name__)
BookState = dict[str, object]


def gguf_model_id(path: str | Path) -> str:
    """A GGUF's identity for the book: its file name and size (a re-download of the same file keeps it)."""
    path = Path(path)
    return f"gguf:{path.name}:{path.stat().st_size}"


class SubmitsPrompts(Protocol):
    """The local runtime and the local-server engine: one prompt in, a Future of the completion out."""

    def submit(self, parts: PromptParts, params: GenerationParams = ..., *,
               on_text: Callable[[str], None] | None = None,
               cancel: threading.Event | None = None) -> Future[Completion]: ...


def engine_generate(engine: SubmitsPrompts, cancel: threading.Event | None = None) -> Generate:
    """A probe `generate` over an engine's `submit` (blocking per item)."""
    return lambda parts, params: engine.submit(parts, params, cancel=cancel).result().text


class CapabilityBook:
    """Measured tiers per model id. Thread-safe (one lock around load/modify/save)."""

    def __init__(self, *, load: Callable[[], BookState | None], save: Callable[[BookState], None]) -> None:
        self._load, self._save = load, save
        self._lock = threading.Lock()

    def result(self, model_id: str) -> ProbeResult | None:
        """The current probe version's result for `model_id`, or None (never measured, or measured by an older
        probe)."""
        raw = (self._load() or {}).get(model_id)
        if not isinstance(raw, dict) or raw.get("version") != PROBE_VERSION:
            return None
        try:
            return ProbeResult.from_dict(raw)
        except (KeyError, ValueError, TypeError):
            log.warning("capability: a stored probe result is malformed; measuring again")
            return None

    def tier(self, model_id: str) -> Tier:
        """The measured tier; unmeasured models get the lowest (evidence-only) until the probe has run."""
        result = self.result(model_id)
        return result.tier if result else Tier.EVIDENCE_ONLY

    def record(self, model_id: str, result: ProbeResult) -> None:
        with self._lock:
            state = dict(self._load() or {})
            state[model_id] = result.as_dict()
            self._save(state)


class CapabilityProber:
    """Measures models in the background. `ensure` is cheap and idempotent; `close` cancels the probe under way."""

    def __init__(self, book: CapabilityBook, *,
                 on_measured: Callable[[str, ProbeResult], None] | None = None) -> None:
        self.book = book
        self._on_measured = on_measured
        self._lock = threading.Lock()
        self._running: dict[str, Future[ProbeResult]] = {}
        self._cancel = threading.Event()

    def ensure(self, model_id: str, engine: SubmitsPrompts, *, use_grammar: bool) -> Future[ProbeResult]:
        """Start probing `model_id` through `engine` unless it is measured (a done Future with the stored
        result) or already being probed (that probe's Future). The Future fails with the engine's error."""
        with self._lock:
            if model_id in self._running:
                return self._running[model_id]
            fut: Future[ProbeResult] = Future()
            if (known := self.book.result(model_id)) is not None:
                fut.set_result(known)
                return fut
            self._running[model_id] = fut
        threading.Thread(target=self._probe, args=(model_id, engine, use_grammar, fut),
                         name="capability-probe", daemon=True).start()
        return fut

    def _probe(self, model_id: str, engine: SubmitsPrompts, use_grammar: bool, fut: Future[ProbeResult]) -> None:
        try:
            result = run_probe(engine_generate(engine, self._cancel), use_grammar=use_grammar, cancel=self._cancel)
            if not result.cancelled:
                self.book.record(model_id, result)
                log.info("capability: %s measured as %s (%d/%d in %.1f s)", model_id.split(":")[0],
                         result.tier.label, result.passed, result.run, result.seconds)
                if self._on_measured is not None:
                    self._on_measured(model_id, result)
            fut.set_result(result)
        except EngineError as exc:  # the model failed to load or answer: leave it unmeasured, say why
            log.warning("capability: probe failed (%s)", type(exc).__name__)
            fut.set_exception(exc)
        except BaseException as exc:  # noqa: BLE001 - delivered to whoever waits on the Future
            fut.set_exception(exc)
            raise
        finally:
            with self._lock:
                self._running.pop(model_id, None)

    def close(self) -> None:
        """Cancel a probe under way (its partial result is not recorded)."""
        self._cancel.set()
