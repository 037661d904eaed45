"""The vector index interface and the laptop's exact in-memory implementation.

Why numpy and not qdrant-client's local mode (FACTS.md, re-measured by bench/search_bench.py): local mode
is a pure-Python brute force (65-75 ms at 100k, ~0.7 s with a payload filter) and its `path=` mode writes
pickled points with plaintext payloads to an unencrypted file. An exact float32 matrix product over 100k x 384
takes ~5 ms on one core, and filters run as vectorised masks over small metadata arrays. The index holds ids,
vectors and filterable metadata only — never text — and lives in memory: it is rebuilt from the encrypted
store at start (`engine.retrieval.catalog.load_index`). Teams with a bigger corpus use `QdrantIndex` (server
mode) behind the same interface.

Threads: `NumpyIndex` methods may be called from any thread (one lock; a search holds it for milliseconds).
"""

from __future__ import annotations

import threading
from typing import Iterable, Protocol, Sequence, runtime_checkable

import numpy as np

from engine.retrieval.index_rows import RowTable
from models import ChunkMeta, IndexFilter


@runtime_checkable
class VectorIndex(Protocol):
    """Nearest-neighbour search over unit vectors of one embedding model (cosine = dot product)."""

    model_id: str
    dim: int

    def upsert(self, ids: Sequence[int], vectors: np.ndarray, metas: Sequence[ChunkMeta]) -> None: ...

    def delete(self, ids: Iterable[int]) -> None: ...

    def search(self, vector: np.ndarray, k: int, filt: IndexFilter | None = None) -> list[tuple[int, float]]:
        """Up to k (chunk id, cosine) pairs, best first."""
        ...

    def clear(self) -> None: ...

    def __len__(self) -> int: ...


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` highest scores, best first (ties keep position order)."""
    top = min(k, len(scores))
    best = np.argpartition(-scores, top - 1)[:top] if top < len(scores) else np.arange(len(scores))
    return best[np.argsort(-scores[best], kind="stable")]


class RowIndex:
    """What the in-memory indexes share: a lock, a `RowTable` of metadata, and deletes with compaction.
    Subclasses add their per-row vector arrays in `_add_columns`."""

    def __init__(self, model_id: str, dim: int, *, capacity: int = 1024) -> None:
        self.model_id = model_id
        self.dim = dim
        self._lock = threading.RLock()
        self.clear(capacity)

    def _add_columns(self) -> None:
        raise NotImplementedError

    def clear(self, capacity: int = 1024) -> None:
        with self._lock:
            self._rows = RowTable(capacity)
            self._add_columns()
            self._rows.reserve(capacity)

    def __len__(self) -> int:
        return self._rows.live

    def _mask(self, k: int, filt: IndexFilter | None) -> np.ndarray | None:
        """Rows [0, n) a search may return (None: nothing to search). Call with the lock held."""
        if self._rows.n == 0 or k <= 0:
            return None
        return self._rows.mask(filt) if filt is not None and not filt.is_empty else self._rows.live_rows()

    def delete(self, ids: Iterable[int]) -> None:
        with self._lock:
            self._rows.kill(np.fromiter((int(i) for i in ids), dtype=np.int64))
            if self._rows.needs_compaction():
                self._rows.compact()


class NumpyIndex(RowIndex):
    """Exact search: a float32 matrix (rows may be dead after deletes) beside a `RowTable` of metadata.

    4 bytes per dimension: 1.5 GB at a million 384-d chunks. The app uses `QuantizedIndex`; this one is the
    exact reference its recall is measured against."""

    def _add_columns(self) -> None:
        self._matrix = np.zeros((0, self.dim), dtype=np.float32)
        self._rows.add_column(self, "_matrix")

    def upsert(self, ids: Sequence[int], vectors: np.ndarray, metas: Sequence[ChunkMeta]) -> None:
        """Add or replace rows; vectors must be unit length, shape (len(ids), dim)."""
        vectors = check_batch(ids, vectors, metas, self.dim)
        with self._lock:
            rows, keep = self._rows.append(ids, metas)
            self._matrix[rows] = vectors[keep]

    def search(self, vector: np.ndarray, k: int, filt: IndexFilter | None = None) -> list[tuple[int, float]]:
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        with self._lock:
            table, n, mask = self._rows, self._rows.n, self._mask(k, filt)
            if mask is None:
                return []
            rows = np.flatnonzero(mask)
            if len(rows) == 0:
                return []
            if len(rows) * 4 < n:  # selective filter: gather the few rows rather than scan all
                scores = self._matrix[rows] @ query
            else:
                scores = self._matrix[:n] @ query
                scores = scores[rows] if len(rows) < n else scores
            best = top_k(scores, k)
            return [(int(table.ids[rows[i]]), float(scores[i])) for i in best]


def check_batch(ids: Sequence[int], vectors: np.ndarray, metas: Sequence[ChunkMeta], dim: int) -> np.ndarray:
    """`vectors` as float32 after checking the batch's lengths and dimension (ValueError otherwise)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(ids) != len(vectors) or len(ids) != len(metas):
        raise ValueError("ids, vectors and metas differ in length")
    if len(ids) and (vectors.ndim != 2 or vectors.shape[1] != dim):
        raise ValueError(f"vector dimension {vectors.shape[-1]} != index dimension {dim}")
    return vectors
