"""The row bookkeeping both in-memory vector indexes share: chunk ids, liveness and filterable metadata as
compact numpy arrays, so a million rows cost tens of megabytes rather than the hundreds a dict per row would.

- `row_of` is a dense int32 array indexed by chunk id (the store's rowids are dense), not a dict.
- A thread key is kept as a 64-bit digest (filters compare digests; no string table of 200k threads).
- Person tokens are posting arrays (token -> int32 rows), appended per batch.
- An upsert of a known id writes a new row and kills the old one, so stale postings never match; `compact`
  reclaims dead rows once they pass 30%.

The owner (an index) registers its per-row vector arrays as extra columns; growing and compacting move them
with the metadata. Not thread-safe by itself: the owning index holds its lock around every call.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from models import ChunkMeta, IndexFilter

_NO_ROW = -1


def thread_digest(key: str) -> int:
    """A stable signed 64-bit digest of a thread key (0 for none)."""
    if not key:
        return 0
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True)


class RowTable:
    """Metadata rows [0, n) plus owner columns; rows may be dead after deletes or re-upserts."""

    META = ("ids", "alive", "types", "times", "threads")

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        self.capacity = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.alive = np.zeros(0, dtype=bool)
        self.types = np.zeros(0, dtype=np.int16)
        self.times = np.zeros(0, dtype=np.float64)
        self.threads = np.zeros(0, dtype=np.int64)
        self.row_of = np.zeros(0, dtype=np.int32)
        self.type_codes: dict[str, int] = {}
        self.postings: dict[str, np.ndarray] = {}
        self.live = 0
        self._columns: dict[str, tuple[object, int, float]] = {}  # name -> (owner, row axis, fill)
        self._capacity_hint = capacity

    def add_column(self, owner: object, name: str, *, axis: int = 0, fill: float = 0) -> None:
        """Let `owner.<name>` (an array with one row per index row along `axis`) grow and compact with us."""
        self._columns[name] = (owner, axis, fill)

    # -- growth ---------------------------------------------------------------------------------------------------
    def reserve(self, rows: int) -> None:
        """Make room for `rows` rows in total (metadata and owner columns)."""
        if rows <= self.capacity:
            return
        new_cap = max(rows, int(self.capacity * 1.5) + 1024, self._capacity_hint)
        self.ids = _resized(self.ids, new_cap, 0, 0)
        self.alive = _resized(self.alive, new_cap, 0, False)
        self.types = _resized(self.types, new_cap, 0, 0)
        self.times = _resized(self.times, new_cap, 0, np.nan)
        self.threads = _resized(self.threads, new_cap, 0, 0)
        for name, (owner, axis, fill) in self._columns.items():
            setattr(owner, name, _resized(getattr(owner, name), new_cap, axis, fill))
        self.capacity = new_cap

    def _map_ids(self, ids: np.ndarray) -> None:
        top = int(ids.max(initial=-1)) + 1
        if top > len(self.row_of):
            self.row_of = _resized(self.row_of, max(top, int(len(self.row_of) * 1.25) + 1024), 0, _NO_ROW)

    # -- writes ---------------------------------------------------------------------------------------------------
    def append(self, ids: Sequence[int], metas: Sequence[ChunkMeta]) -> tuple[np.ndarray, np.ndarray]:
        """Write new rows for `ids` (killing any older row of the same id). Returns (rows written, positions in
        `ids` they hold): the owner writes its vectors[positions] into those rows."""
        id_arr = np.asarray(ids, dtype=np.int64)
        if len(id_arr) and int(id_arr.min()) < 0:
            raise ValueError("chunk ids must be non-negative")
        self.kill(id_arr)
        # The last occurrence of a repeated id in one batch wins, as sequential upserts would.
        _, last = np.unique(id_arr[::-1], return_index=True)
        keep = np.sort(len(id_arr) - 1 - last)
        id_arr = id_arr[keep]
        metas = [metas[i] for i in keep]
        start = self.n
        rows = np.arange(start, start + len(id_arr), dtype=np.int64)
        self.reserve(start + len(id_arr))
        self._map_ids(id_arr)
        self.ids[rows] = id_arr
        self.alive[rows] = True
        self.types[rows] = [self.type_codes.setdefault(m.source_type, len(self.type_codes) + 1) for m in metas]
        self.times[rows] = [np.nan if m.occurred_at is None else m.occurred_at for m in metas]
        self.threads[rows] = [thread_digest(m.thread_key) for m in metas]
        self.row_of[id_arr] = rows
        grouped: dict[str, list[int]] = {}
        for row, meta in zip(rows.tolist(), metas):
            for token in meta.people:
                grouped.setdefault(token, []).append(row)
        for token, new_rows in grouped.items():
            old = self.postings.get(token)
            fresh = np.asarray(new_rows, dtype=np.int32)
            self.postings[token] = fresh if old is None else np.concatenate([old, fresh])
        self.n += len(id_arr)
        self.live += len(id_arr)
        return rows, keep

    def kill(self, ids: np.ndarray) -> None:
        """Mark the rows of `ids` dead (unknown ids are ignored)."""
        ids = ids[(ids >= 0) & (ids < len(self.row_of))]
        rows = self.row_of[ids]
        rows = np.unique(rows[rows != _NO_ROW])
        if len(rows):
            self.alive[rows] = False
            self.row_of[self.ids[rows]] = _NO_ROW
            self.live -= len(rows)

    def needs_compaction(self) -> bool:
        return self.n > 4096 and self.live < self.n * 0.7

    def compact(self) -> None:
        """Drop dead rows (and their postings) so memory and scan time follow the live size."""
        rows = np.flatnonzero(self.alive[: self.n])
        remap = np.full(self.n, _NO_ROW, dtype=np.int64)
        remap[rows] = np.arange(len(rows))
        for arr in (self.ids, self.alive, self.types, self.times, self.threads):
            arr[: len(rows)] = arr[rows]
        for name, (owner, axis, _fill) in self._columns.items():
            arr = getattr(owner, name)
            if axis == 0:
                arr[: len(rows)] = arr[rows]
            else:
                arr[:, : len(rows)] = arr[:, rows]
        self.alive[len(rows):] = False
        self.n = len(rows)
        self.row_of[self.ids[: self.n]] = np.arange(self.n, dtype=np.int32)
        postings = {}
        for token, old in self.postings.items():
            new = remap[old]
            new = new[new >= 0].astype(np.int32)
            if len(new):
                postings[token] = new
        self.postings = postings

    # -- reads ----------------------------------------------------------------------------------------------------
    def mask(self, filt: IndexFilter) -> np.ndarray:
        """Live rows [0, n) that satisfy `filt` (the meaning of `IndexFilter.matches`)."""
        n = self.n
        mask = self.alive[:n].copy()
        if filt.source_types:
            codes = [self.type_codes[t] for t in filt.source_types if t in self.type_codes]
            mask &= np.isin(self.types[:n], codes)
        if filt.thread_keys:
            mask &= np.isin(self.threads[:n], [thread_digest(t) for t in filt.thread_keys])
        if filt.since is not None or filt.until is not None:
            times = self.times[:n]
            with np.errstate(invalid="ignore"):
                if filt.since is not None:
                    mask &= times >= filt.since
                if filt.until is not None:
                    mask &= times < filt.until
        for token in filt.people:
            has = np.zeros(n, dtype=bool)
            has[self.postings.get(token, np.zeros(0, dtype=np.int32))] = True
            mask &= has
        if filt.exclude_ids:
            excluded = np.fromiter(filt.exclude_ids, dtype=np.int64)
            excluded = excluded[(excluded >= 0) & (excluded < len(self.row_of))]
            rows = self.row_of[excluded]
            mask[rows[rows != _NO_ROW]] = False
        return mask

    def live_rows(self) -> np.ndarray:
        return self.alive[: self.n]

    def nbytes(self) -> int:
        return (sum(a.nbytes for a in (self.ids, self.alive, self.types, self.times, self.threads, self.row_of))
                + sum(p.nbytes for p in self.postings.values()))


def _resized(arr: np.ndarray, new_len: int, axis: int, fill: float) -> np.ndarray:
    shape = list(arr.shape)
    old_len = shape[axis]
    shape[axis] = new_len
    grown = np.full(shape, fill, dtype=arr.dtype)
    keep = min(old_len, new_len)
    if axis == 0:
        grown[:keep] = arr[:keep]
    else:
        grown[:, :keep] = arr[:, :keep]
    return grown
