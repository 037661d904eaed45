"""LocalRuntime: the single owner of a `llama_cpp.Llama` (which is not thread-safe).

Threads: one daemon "llm-owner" thread holds the model; every public method queues a job to it and
(for the blocking ones) waits. `on_text` callbacks therefore run ON THE OWNER THREAD: keep them
short (the UI's LLM worker re-emits them as signals).

Speed: generation drives `Llama.generate` directly (the same loop as a raw benchmark) and only adds
a memoised piece lookup, an incremental UTF-8 decode and a short stop-string scan per token, so the
streaming path keeps >= 0.95 of raw decode speed (`create_completion` streaming only reaches ~0.8).

Prefix cache: `Llama.generate` reuses the KV cache for the longest common token prefix with the
previous request; `budget.assemble` keeps stable text first so that prefix is long.
`Completion.cached_tokens` reports how many prompt tokens were reused. No save_state/RAM cache.

Cancel: checked between tokens (~8 ms each) and, during prompt evaluation, through llama.cpp's
abort callback (installed only for the prefill so the decode loop pays nothing), so a cancel
lands within ~100 ms even in the middle of a long prompt.
"""

from __future__ import annotations

import ctypes
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from engine.llm.budget import FittedPrompt, PromptParts, fit_prompt
from engine.llm.chat import ChatMessage, ChatRenderer
from engine.llm.decode import PieceCache, TextStream
from engine.llm.errors import LLMError, ModelUnavailable
from engine.llm.gguf import GGUFFormatError, read_gguf

log = logging.getLogger(__name__)
T = TypeVar("T")
_READ_CHUNK = 8 << 20


def physical_cores() -> int:
    """Physical cores (not hyper-threads) from /proc/cpuinfo, else the logical count."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as f:
            cores, phys = set(), "0"
            for line in f:
                if line.startswith("physical id"):
                    phys = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    cores.add((phys, line.split(":")[1].strip()))
            if cores:
                return len(cores)
    except OSError:
        pass
    return os.cpu_count() or 1


def default_threads() -> int:
    """Physical cores minus one, at least 1 (WHY: FACTS — with one core busy elsewhere,
    n_threads=2 collapsed to 29 tok/s while n_threads=1 held 141)."""
    return max(1, physical_cores() - 1)


@dataclass(frozen=True, slots=True)
class GenerationParams:
    """Sampling settings. `temperature=0` is greedy; `seed` makes sampling reproducible for the
    same KV-cache state (a reused prefix changes float rounding, which can flip a sampled token).
    `grammar` is a GBNF string (see `structured.py`)."""

    max_tokens: int = 512
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    repeat_penalty: float = 1.1
    seed: int | None = None
    stop: tuple[str, ...] = ()
    grammar: str | None = None


#: Answers from retrieved sources (chat, quick ask, `ask`): a low temperature keeps a small model close to
#: the cited text instead of improvising around it.
GROUNDED_ANSWER = GenerationParams(max_tokens=300, temperature=0.2, top_p=0.9)


@dataclass(slots=True)
class Completion:
    """A finished local generation. finish_reason: stop | length | cancelled."""

    text: str
    finish_reason: str
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    cached_tokens: int = 0
    ttft_s: float = 0.0
    total_s: float = 0.0
    fitted: FittedPrompt | None = field(default=None, repr=False)


class LocalRuntime:
    """Owns a llama.cpp model on one thread. Construct cheaply; the model loads on first use."""

    supports_grammar = True  # structured output is constrained by a GBNF grammar here

    def __init__(self, model_path: str | Path, *, n_ctx: int = 4096, n_threads: int | None = None,
                 n_batch: int = 256, on_loaded: Callable[[Path], None] | None = None) -> None:
        """`on_loaded(path)` runs on the owner thread after each successful load or swap (keep it short: it
        delays the next queued request; the app starts the background capability probe from it)."""
        self._path = Path(model_path)
        self._on_loaded = on_loaded
        self.n_ctx = n_ctx
        self.n_threads = n_threads or default_threads()
        self._n_batch = n_batch
        self._llm: Any = None
        self._renderer: ChatRenderer | None = None
        self._pieces: PieceCache | None = None
        self._abort_flag: threading.Event | None = None
        self._abort_cb: Any = None
        self._load_cancel = threading.Event()
        self._jobs: queue.Queue[tuple[Callable[[], Any], Future[Any]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name="llm-owner", daemon=True)
        self._thread.start()

    # ---- owner-thread plumbing -------------------------------------------------------------
    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - delivered to the waiting caller
                fut.set_exception(exc)
        self._unload()

    def _submit(self, fn: Callable[[], T]) -> Future[T]:
        if not self._thread.is_alive():
            raise LLMError("The local model runtime has been closed.", next_step="Restart Reflex.")
        fut: Future[T] = Future()
        self._jobs.put((fn, fut))
        return fut

    def close(self) -> None:
        """Stop the owner thread after queued jobs and free the model. Idempotent."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout=10)

    # ---- loading ----------------------------------------------------------------------------
    @property
    def model_path(self) -> Path:
        return self._path

    @property
    def model_name(self) -> str:
        return self._path.stem

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    def load(self, on_progress: Callable[[float], None] | None = None) -> Future[None]:
        """Load (or reload) the current model in the background; progress in [0, 1]."""
        self._load_cancel.clear()
        return self._submit(lambda: self._load(self._path, on_progress))

    def cancel_load(self) -> None:
        """Stop a model load that is reading the file (a large GGUF on a slow disk); it fails with
        `ModelUnavailable` and the next request loads again. Any thread."""
        self._load_cancel.set()

    def swap_model(self, path: str | Path,
                   on_progress: Callable[[float], None] | None = None) -> Future[None]:
        """Replace the model after queued jobs finish; no restart. On failure the old path stays."""
        return self._submit(lambda: self._load(Path(path), on_progress))

    def _unload(self) -> None:
        if self._llm is not None:
            self._llm.close()
        self._llm = self._renderer = self._pieces = None

    def _load(self, path: Path, on_progress: Callable[[float], None] | None) -> None:
        from llama_cpp import Llama

        try:
            header = read_gguf(path)
        except (GGUFFormatError, OSError) as exc:
            raise ModelUnavailable(f"The local model {path.name} cannot be used: {exc}",
                                   next_step="Pick another model in Settings > Models.") from exc
        # Reading the file once warms the page cache, which dominates load time on a cold disk,
        # and gives real progress (llama-cpp-python exposes no load-progress hook).
        buf = bytearray(_READ_CHUNK)
        done = 0
        with open(path, "rb", buffering=0) as f:
            while n := f.readinto(buf):
                if self._load_cancel.is_set():
                    raise ModelUnavailable("Loading the local model was cancelled.",
                                           next_step="Ask again to load it, or pick a smaller model in Settings.")
                done += n
                if on_progress:
                    on_progress(0.9 * done / max(1, header.file_size))
        self._unload()
        try:
            llm = Llama(model_path=str(path), n_ctx=self.n_ctx, n_batch=self._n_batch,
                        n_threads=self.n_threads, n_threads_batch=self.n_threads, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise ModelUnavailable(f"llama.cpp could not load {path.name}.",
                                   next_step="Its architecture may be unsupported; pick another model.") from exc
        self._llm, self._path = llm, path
        self._renderer = ChatRenderer(header.chat_template, bos_token=self._token_text(llm.token_bos()),
                                      eos_token=self._token_text(llm.token_eos()))
        self._pieces = PieceCache(self._piece)
        self._abort_cb = _make_abort_callback(self)
        log.info("llm: loaded model (%d threads, n_ctx %d)", self.n_threads, self.n_ctx)
        if on_progress:
            on_progress(1.0)
        if self._on_loaded is not None:
            self._on_loaded(path)

    def _ensure_loaded(self) -> Any:
        if self._llm is None:
            self._load(self._path, None)
        return self._llm

    # ---- token helpers (owner thread only) -------------------------------------------------
    def _token_text(self, token: int) -> str:
        return self._llm_detok(token, special=True).decode("utf-8", errors="replace") if token >= 0 else ""

    def _llm_detok(self, token: int, *, special: bool) -> bytes:
        import llama_cpp

        buf = ctypes.create_string_buffer(64)
        n = llama_cpp.llama_token_to_piece(self._llm._model.vocab, token, buf, 64, 0, special)
        if n < 0:
            buf = ctypes.create_string_buffer(-n)
            n = llama_cpp.llama_token_to_piece(self._llm._model.vocab, token, buf, -n, 0, special)
        return buf.raw[:n]

    def _piece(self, token: int) -> bytes:
        return self._llm_detok(token, special=False)

    def _tokenize(self, text: str) -> list[int]:
        return self._ensure_loaded().tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def _count(self, messages: list[ChatMessage]) -> int:
        assert self._renderer is not None
        return len(self._tokenize(self._renderer.render(messages)))

    def count_tokens(self, text: str) -> int:
        """Tokens in `text` by the model's tokenizer (blocks; loads the model if needed)."""
        return len(self._submit(lambda: self._tokenize(text)).result())

    def count_messages(self, messages: list[ChatMessage]) -> int:
        """Tokens of the rendered chat prompt (blocks)."""
        return self._submit(lambda: (self._ensure_loaded(), self._count(messages))[1]).result()

    # ---- generation -------------------------------------------------------------------------
    def complete(self, parts: PromptParts, params: GenerationParams = GenerationParams(), *,
                 on_text: Callable[[str], None] | None = None,
                 cancel: threading.Event | None = None) -> Completion:
        """Fit, render and generate; blocks until done. Raises `ModelUnavailable`,
        `ContextOverflow` (prompt cannot fit even after trimming) or `LLMError`."""
        return self.submit(parts, params, on_text=on_text, cancel=cancel).result()

    def submit(self, parts: PromptParts, params: GenerationParams = GenerationParams(), *,
               on_text: Callable[[str], None] | None = None,
               cancel: threading.Event | None = None) -> Future[Completion]:
        """Like `complete` but returns a Future (for latency budgets)."""
        return self._submit(lambda: self._complete(parts, params, on_text, cancel))

    def prompt_tokens(self, parts: PromptParts, params: GenerationParams = GenerationParams()) -> list[int]:
        """The exact prompt tokens `complete` would evaluate (fitted + rendered); blocks."""
        return self._submit(lambda: self._prepare(parts, params)[1]).result()

    def _prepare(self, parts: PromptParts, params: GenerationParams) -> tuple[FittedPrompt, list[int]]:
        self._ensure_loaded()
        assert self._renderer is not None
        reserve = min(params.max_tokens, self.n_ctx // 2)
        fitted = fit_prompt(parts, count_tokens=self._count, budget=self.n_ctx - reserve)
        return fitted, self._tokenize(self._renderer.render(fitted.messages))

    def _complete(self, parts: PromptParts, params: GenerationParams,
                  on_text: Callable[[str], None] | None, cancel: threading.Event | None) -> Completion:
        fitted, tokens = self._prepare(parts, params)
        done = self.generate_tokens(tokens, params, on_text=on_text, cancel=cancel)
        done.fitted = fitted
        return done

    def generate_tokens(self, tokens: list[int], params: GenerationParams, *,
                        on_text: Callable[[str], None] | None = None,
                        cancel: threading.Event | None = None) -> Completion:
        """The decode loop. OWNER THREAD ONLY (called from jobs and the benchmark's job)."""
        import llama_cpp
        from llama_cpp import LlamaGrammar

        llm, pieces, renderer = self._llm, self._pieces, self._renderer
        assert llm is not None and pieces is not None and renderer is not None
        start = time.perf_counter()
        max_new = min(params.max_tokens, self.n_ctx - len(tokens) - 1)
        cached = _common_prefix(llm._input_ids[: llm.n_tokens].tolist(), tokens)
        if cancel is not None and cancel.is_set():
            return Completion("", "cancelled", self.model_name, len(tokens), 0, cached)
        llm.set_seed(params.seed if params.seed is not None else llama_cpp.LLAMA_DEFAULT_SEED)
        grammar = LlamaGrammar.from_string(params.grammar, verbose=False) if params.grammar else None
        stream = TextStream(params.stop + renderer.stop)
        vocab = llm._model.vocab
        ttft, n_out, finish = 0.0, 0, "length"
        self._set_abort(cancel)
        gen = llm.generate(tokens, top_k=params.top_k, top_p=params.top_p, temp=params.temperature,
                           repeat_penalty=params.repeat_penalty, grammar=grammar)
        try:
            for token in gen:
                if not n_out:
                    ttft = time.perf_counter() - start
                    self._set_abort(None)
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    finish = "stop"
                    break
                n_out += 1
                text = stream.feed(pieces(token))
                if text and on_text is not None:
                    on_text(text)
                if stream.stopped:
                    finish = "stop"
                    break
                if cancel is not None and cancel.is_set():
                    finish = "cancelled"
                    break
                if n_out >= max_new:
                    break
        except RuntimeError as exc:  # llama_decode returned 2: aborted by the cancel callback
            if cancel is None or not cancel.is_set():
                raise LLMError("The local model failed while generating.",
                               next_step="Try again; if it persists, pick another model.") from exc
            finish = "cancelled"
        finally:
            gen.close()
            self._set_abort(None)
        if finish != "cancelled" and (tail := stream.finish()) and on_text is not None:
            on_text(tail)
        return Completion(stream.text, finish, self.model_name, len(tokens), n_out, cached, ttft,
                          time.perf_counter() - start)

    def run_job(self, fn: Callable[[Any], T]) -> T:
        """Run `fn(llama)` on the owner thread and return its result (benchmarks, diagnostics)."""
        return self._submit(lambda: fn(self._ensure_loaded())).result()

    def _set_abort(self, flag: threading.Event | None) -> None:
        import llama_cpp

        self._abort_flag = flag
        callback = self._abort_cb if flag else llama_cpp.ggml_abort_callback(0)  # 0 = no callback
        llama_cpp.llama_set_abort_callback(self._llm._ctx.ctx, callback, None)


def _make_abort_callback(runtime: LocalRuntime) -> Any:
    import llama_cpp

    @llama_cpp.ggml_abort_callback
    def should_abort(_data: Any) -> bool:
        flag = runtime._abort_flag
        return bool(flag is not None and flag.is_set())

    return should_abort


def _common_prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n
