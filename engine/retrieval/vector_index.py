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


class NumpyIndex:
    """Exact search: a float32 matrix (rows may be dead after deletes) plus parallel metadata arrays."""

    def __init__(self, model_id: str, dim: int, *, capacity: int = 1024) -> None:
        self.model_id = model_id
        self.dim = dim
        self._lock = threading.RLock()
        self.clear(capacity)

    def clear(self, capacity: int = 1024) -> None:
        with self._lock:
            self._matrix = np.zeros((capacity, self.dim), dtype=np.float32)
            self._ids = np.zeros(capacity, dtype=np.int64)
            self._alive = np.zeros(capacity, dtype=bool)
            self._type = np.zeros(capacity, dtype=np.int16)
            self._time = np.full(capacity, np.nan, dtype=np.float64)
            self._thread = np.zeros(capacity, dtype=np.int32)
            self._n = 0
            self._row_of: dict[int, int] = {}
            self._codes: dict[str, int] = {}
            self._thread_codes: dict[str, int] = {"": 0}
            self._people_rows: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._row_of)

    def _grow(self, need: int) -> None:
        cap = len(self._ids)
        if need <= cap:
            return
        new_cap = max(need, int(cap * 1.5) + 1024)
        for name in ("_matrix", "_ids", "_alive", "_type", "_time", "_thread"):
            old = getattr(self, name)
            fill = np.nan if name == "_time" else 0
            grown = np.full((new_cap, *old.shape[1:]), fill, dtype=old.dtype)
            grown[:cap] = old
            setattr(self, name, grown)

    def upsert(self, ids: Sequence[int], vectors: np.ndarray, metas: Sequence[ChunkMeta]) -> None:
        """Add or replace rows; vectors must be unit length, shape (len(ids), dim)."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(ids) != len(vectors) or len(ids) != len(metas):
            raise ValueError("ids, vectors and metas differ in length")
        if len(ids) and vectors.shape[1] != self.dim:
            raise ValueError(f"vector dimension {vectors.shape[1]} != index dimension {self.dim}")
        with self._lock:
            self._grow(self._n + len(ids))
            for chunk_id, vector, meta in zip(ids, vectors, metas):
                row = self._row_of.get(int(chunk_id))
                if row is None:
                    row = self._n
                    self._n += 1
                    self._row_of[int(chunk_id)] = row
                self._matrix[row] = vector
                self._ids[row] = chunk_id
                self._alive[row] = True
                self._type[row] = self._codes.setdefault(meta.source_type, len(self._codes) + 1)
                self._time[row] = np.nan if meta.occurred_at is None else meta.occurred_at
                self._thread[row] = self._thread_codes.setdefault(meta.thread_key, len(self._thread_codes))
                for token in meta.people:
                    self._people_rows.setdefault(token, []).append(row)

    def delete(self, ids: Iterable[int]) -> None:
        with self._lock:
            for chunk_id in ids:
                row = self._row_of.pop(int(chunk_id), None)
                if row is not None:
                    self._alive[row] = False
            if self._n > 4096 and len(self._row_of) < self._n * 0.7:
                self._compact()

    def _compact(self) -> None:
        """Drop dead rows (and stale person postings) so memory and scan time follow the live size."""
        rows = np.flatnonzero(self._alive[: self._n])
        remap = np.full(self._n, -1, dtype=np.int64)
        remap[rows] = np.arange(len(rows))
        for name in ("_matrix", "_ids", "_alive", "_type", "_time", "_thread"):
            arr = getattr(self, name)
            arr[: len(rows)] = arr[rows]
        self._alive[len(rows):] = False
        self._n = len(rows)
        self._row_of = {int(i): r for r, i in enumerate(self._ids[: self._n])}
        people: dict[str, list[int]] = {}
        for token, old_rows in self._people_rows.items():
            new_rows = sorted({int(r) for r in remap[np.asarray(old_rows)] if r >= 0})
            if new_rows:
                people[token] = new_rows
        self._people_rows = people

    def _mask(self, filt: IndexFilter) -> np.ndarray:
        n = self._n
        mask = self._alive[:n].copy()
        if filt.source_types:
            codes = [self._codes[t] for t in filt.source_types if t in self._codes]
            mask &= np.isin(self._type[:n], codes)
        if filt.thread_keys:
            codes = [self._thread_codes[t] for t in filt.thread_keys if t in self._thread_codes]
            mask &= np.isin(self._thread[:n], codes)
        if filt.since is not None or filt.until is not None:
            times = self._time[:n]
            with np.errstate(invalid="ignore"):
                if filt.since is not None:
                    mask &= times >= filt.since
                if filt.until is not None:
                    mask &= times < filt.until
        for token in filt.people:
            has = np.zeros(n, dtype=bool)
            has[self._people_rows.get(token, [])] = True
            mask &= has
        for chunk_id in filt.exclude_ids:
            row = self._row_of.get(chunk_id)
            if row is not None:
                mask[row] = False
        return mask

    def search(self, vector: np.ndarray, k: int, filt: IndexFilter | None = None) -> list[tuple[int, float]]:
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        with self._lock:
            n = self._n
            if n == 0 or k <= 0:
                return []
            mask = self._mask(filt) if filt is not None and not filt.is_empty else self._alive[:n]
            rows = np.flatnonzero(mask)
            if len(rows) == 0:
                return []
            if len(rows) * 4 < n:  # selective filter: gather the few rows rather than scan all
                scores = self._matrix[rows] @ query
            else:
                scores = self._matrix[:n] @ query
                scores = scores[rows] if len(rows) < n else scores
            top = min(k, len(rows))
            best = np.argpartition(-scores, top - 1)[:top] if top < len(rows) else np.arange(len(rows))
            best = best[np.argsort(-scores[best], kind="stable")]
            return [(int(self._ids[rows[i]]), float(scores[i])) for i in best]
