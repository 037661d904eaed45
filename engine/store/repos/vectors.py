"""The search index's bookkeeping: chunk vectors per embedding model, and the queue of sources to re-chunk.

Vectors are float32 bytes here (the store holds blobs; `engine.retrieval.catalog` turns them into arrays), so
the store, which every process opens first, never imports numpy. The queue is filled by triggers
(0002_retrieval_index.sql) whenever mail, events, meetings, documents or notes change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Sequence

from engine.store.repos.base import Repo, from_iso


@dataclass(frozen=True, slots=True)
class PendingChunk:
    """A chunk that has no vector of some model yet, with what embedding it needs and what the vector index
    filters on (so the indexer never reads the chunk a second time)."""

    id: int
    title: str
    text: str
    content_hash: str
    source_type: str
    occurred_at: datetime | None
    thread_key: str
    people_tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredVector:
    """One stored vector with the chunk metadata a vector index filters on."""

    chunk_id: int
    vector: bytes  # float32, native byte order
    source_type: str
    occurred_at: datetime | None
    thread_key: str
    people_tokens: tuple[str, ...]


_STORED_COLUMNS = "e.chunk_id, e.vector, c.source_type, c.occurred_at, c.thread_key, c.people_tokens"


def _stored(row: tuple) -> StoredVector:
    return StoredVector(row[0], row[1], row[2], from_iso(row[3]), row[4], tuple(row[5].split()))


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    """A stored vector-index snapshot: its named byte arrays, and the chunks changed since it was taken."""

    parts: dict[str, bytearray]
    dirty: list[int]


class EmbeddingRepo(Repo):
    def pending(self, model_id: str, *, limit: int, below: int | None = None) -> list[PendingChunk]:
        """Chunks without a vector of `model_id`, newest first (highest id: sync and Takeout imports write mail
        oldest first, so a new user can search this year's mail long before the backlog is done), with ids
        below `below` when given (the caller's cursor, so each page costs its own rows only)."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT c.id, c.title, c.text, c.content_hash, c.source_type, c.occurred_at, c.thread_key, "
                "c.people_tokens FROM chunks c LEFT JOIN embeddings e "
                "ON e.chunk_id = c.id AND e.model_id = ? WHERE e.chunk_id IS NULL AND c.id < ? "
                "ORDER BY c.id DESC LIMIT ?", (model_id, (1 << 62) if below is None else below, limit)).fetchall()
        return [PendingChunk(*r[:5], from_iso(r[5]), r[6], tuple(r[7].split())) for r in rows]

    def count_pending(self, model_id: str) -> int:
        with self.store.read() as conn:
            return conn.execute(
                "SELECT count(*) FROM chunks c LEFT JOIN embeddings e ON e.chunk_id = c.id AND e.model_id = ? "
                "WHERE e.chunk_id IS NULL", (model_id,)).fetchone()[0]

    def put(self, model_id: str, rows: Iterable[tuple[int, str, int, bytes]]) -> list[int]:
        """Store (chunk id, content hash the vector was computed from, dim, float32 bytes) rows, each only while
        the chunk's text hash is still that one (a chunk rewritten meanwhile refuses its stale vector).
        Returns the chunk ids stored."""
        stored: list[int] = []
        with self.store.transaction() as conn:
            for chunk_id, content_hash, dim, blob in rows:
                cur = conn.execute(
                    "INSERT OR REPLACE INTO embeddings(chunk_id, model_id, dim, vector) "
                    "SELECT id, ?, ?, ? FROM chunks WHERE id = ? AND content_hash = ?",
                    (model_id, dim, blob, chunk_id, content_hash))
                if cur.rowcount:
                    stored.append(chunk_id)
        return stored

    def vectors(self, model_id: str, chunk_ids: Sequence[int]) -> dict[int, bytes]:
        """The stored vectors of `model_id` among `chunk_ids`."""
        if not chunk_ids:
            return {}
        with self.store.read() as conn:
            return dict(conn.execute(
                f"SELECT chunk_id, vector FROM embeddings WHERE model_id = ? AND chunk_id IN "
                f"({','.join('?' * len(chunk_ids))})", (model_id, *chunk_ids)).fetchall())

    def main_model(self) -> str:
        """The embedding model most chunks have a vector of ("" when nothing is embedded yet)."""
        with self.store.read() as conn:
            row = conn.execute("SELECT model_id FROM embeddings GROUP BY model_id ORDER BY count(*) DESC LIMIT 1"
                               ).fetchone()
        return row[0] if row else ""

    def of_source(self, model_id: str, source_type: str, source_id: int) -> bytes | None:
        """The vector of a source's first chunk (for mail: the subject and the opening), None when not embedded."""
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT e.vector FROM chunks c JOIN embeddings e ON e.chunk_id = c.id AND e.model_id = ? "
                "WHERE c.source_type = ? AND c.source_id = ? ORDER BY c.position LIMIT 1",
                (model_id, source_type, source_id)).fetchone()
        return row[0] if row else None

    def with_ids(self, model_id: str, chunk_ids: Sequence[int]) -> list[StoredVector]:
        """The stored vectors of `model_id` among `chunk_ids`, with their filter metadata (the snapshot's catch-up)."""
        found: list[StoredVector] = []
        ids = list(chunk_ids)
        with self.store.read() as conn:
            for start in range(0, len(ids), 500):
                part = ids[start:start + 500]
                found += [_stored(r) for r in conn.execute(
                    f"SELECT {_STORED_COLUMNS} FROM embeddings e JOIN chunks c ON c.id = e.chunk_id "
                    f"WHERE e.model_id = ? AND e.chunk_id IN ({','.join('?' * len(part))})", (model_id, *part))]
        return found

    def page(self, model_id: str, *, after: int, limit: int) -> list[StoredVector]:
        """Vectors of `model_id` with chunk ids above `after`, in id order: the start-up index rebuild reads
        the whole set in pages so it never holds the store's lock for long."""
        with self.store.read() as conn:
            rows = conn.execute(
                f"SELECT {_STORED_COLUMNS} FROM embeddings e JOIN chunks c ON c.id = e.chunk_id "
                "WHERE e.model_id = ? AND e.chunk_id > ? ORDER BY e.chunk_id LIMIT ?", (model_id, after, limit)).fetchall()
        return [_stored(r) for r in rows]

    def drop_other_models(self, model_id: str) -> int:
        """Delete vectors of other embedding models (after the current one covers every chunk)."""
        with self.store.transaction() as conn:
            return conn.execute("DELETE FROM embeddings WHERE model_id != ?", (model_id,)).rowcount


class IndexQueueRepo(Repo):
    def next(self, *, limit: int) -> list[tuple[str, int]]:
        """Up to `limit` queued (source type, source id), oldest first."""
        with self.store.read() as conn:
            return conn.execute("SELECT source_type, source_id FROM index_queue "
                                "ORDER BY queued_at, source_type, source_id LIMIT ?", (limit,)).fetchall()

    def size(self) -> int:
        with self.store.read() as conn:
            return conn.execute("SELECT count(*) FROM index_queue").fetchone()[0]

    def remove(self, sources: Iterable[tuple[str, int]]) -> None:
        """Dequeue (source type, source id) pairs."""
        with self.store.transaction() as conn:
            conn.executemany("DELETE FROM index_queue WHERE source_type = ? AND source_id = ?", list(sources))


#: Snapshot arrays are stored in parts of this many bytes (SQLite handles blobs of tens of MB well).
SNAPSHOT_PART_BYTES = 32 << 20


class IndexSnapshotRepo(Repo):
    """The vector index's snapshot (migration 0005): a cache of `embeddings` + `chunks`, never the truth."""

    def save(self, model_id: str, take_parts: Callable[[], dict[str, bytes | memoryview]]) -> None:
        """Replace any snapshot with the one `take_parts()` returns. It is called inside the write transaction,
        so no writer can change a vector between the index's state and the dirty list being cleared."""
        with self.store.transaction() as conn:
            parts = take_parts()
            conn.execute("DELETE FROM index_snapshot")
            conn.execute("DELETE FROM index_snapshot_dirty")
            for name, data in parts.items():
                view = memoryview(data)
                for number, start in enumerate(range(0, max(len(view), 1), SNAPSHOT_PART_BYTES)):
                    piece = view[start:start + SNAPSHOT_PART_BYTES]
                    conn.execute("INSERT INTO index_snapshot(model_id, name, part, size, data) VALUES (?,?,?,?,?)",
                                 (model_id, name, number, len(piece), piece))

    def load(self, model_id: str) -> IndexSnapshot | None:
        """The snapshot of `model_id` (each array in one writable buffer, read in one pass), or None."""
        with self.store.read() as conn:
            sizes = dict(conn.execute("SELECT name, sum(size) FROM index_snapshot WHERE model_id = ? GROUP BY name",
                                      (model_id,)).fetchall())
            if not sizes:
                return None
            parts = {name: bytearray(size) for name, size in sizes.items()}
            offsets = dict.fromkeys(sizes, 0)
            for name, data in conn.execute("SELECT name, data FROM index_snapshot WHERE model_id = ? "
                                           "ORDER BY name, part", (model_id,)):
                parts[name][offsets[name]:offsets[name] + len(data)] = data
                offsets[name] += len(data)
            dirty = [r[0] for r in conn.execute("SELECT chunk_id FROM index_snapshot_dirty")]
        return IndexSnapshot(parts, dirty)

    def dirty_count(self) -> int:
        with self.store.read() as conn:
            return conn.execute("SELECT count(*) FROM index_snapshot_dirty").fetchone()[0]

    def exists(self) -> bool:
        with self.store.read() as conn:
            return conn.execute("SELECT EXISTS (SELECT 1 FROM index_snapshot)").fetchone()[0] == 1

    def drop(self) -> None:
        """Forget the snapshot (after a purge: it still holds codes and person tokens of deleted chunks)."""
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM index_snapshot")
            conn.execute("DELETE FROM index_snapshot_dirty")
