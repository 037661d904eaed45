"""Documents, chunks and their embeddings (float32 blobs, one set per embedding model)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from models import Chunk, Document
from engine.store.repos.base import Repo, dumps, from_iso, loads, now_iso, to_iso

if TYPE_CHECKING:
    import numpy as np


class DocumentRepo(Repo):
    def upsert(self, doc: Document) -> int:
        """Idempotent by path; a changed file replaces text and hash."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO documents(title, path, kind, text, content_hash, added_at) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT(path) DO UPDATE SET title=excluded.title, kind=excluded.kind, text=excluded.text, "
                "content_hash=excluded.content_hash",
                (doc.title, doc.path, doc.kind, doc.text, doc.content_hash, to_iso(doc.added_at) or now_iso()),
            )
            doc.id = conn.execute("SELECT id FROM documents WHERE path = ?", (doc.path,)).fetchone()[0]
        return doc.id

    def get(self, doc_id: int) -> Document | None:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT title, path, kind, text, content_hash, added_at, id FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
        return Document(*row[:5], added_at=from_iso(row[5]), id=row[6]) if row else None

    def all(self) -> list[Document]:
        with self.store.read() as conn:
            rows = conn.execute("SELECT title, path, kind, '', content_hash, added_at, id FROM documents ORDER BY title").fetchall()
        return [Document(*r[:5], added_at=from_iso(r[5]), id=r[6]) for r in rows]

    def delete(self, doc_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))


class ChunkRepo(Repo):
    def replace_for_source(self, source_type: str, source_id: int, chunks: Iterable[Chunk]) -> list[int]:
        """Swap all chunks of one source in one transaction (their embeddings go with them)."""
        ids = []
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM chunks WHERE source_type = ? AND source_id = ?", (source_type, source_id))
            for ch in chunks:
                ch.id = conn.execute(
                    "INSERT INTO chunks(source_type, source_id, position, title, text, people_json, occurred_at, "
                    "locator) VALUES (?,?,?,?,?,?,?,?)",
                    (source_type, source_id, ch.position, ch.title, ch.text, dumps(ch.people), to_iso(ch.occurred_at),
                     ch.locator),
                ).lastrowid
                ids.append(ch.id)
        return ids

    def get_many(self, ids: Iterable[int]) -> list[Chunk]:
        ids = list(ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT source_type, source_id, text, title, position, people_json, occurred_at, locator, id "
                f"FROM chunks WHERE id IN ({marks})",
                ids,
            ).fetchall()
        by_id = {
            r[8]: Chunk(r[0], r[1], r[2], r[3], r[4], loads(r[5], []), from_iso(r[6]), r[7], r[8]) for r in rows
        }
        return [by_id[i] for i in ids if i in by_id]

    def count(self) -> int:
        with self.store.read() as conn:
            return conn.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def put_embeddings(self, model_id: str, pairs: Iterable[tuple[int, np.ndarray]]) -> None:
        import numpy as np  # lazily: numpy costs ~100 ms at import and the desktop app's first paint needs no vectors

        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings(chunk_id, model_id, dim, vector) VALUES (?,?,?,?)",
                [(cid, model_id, int(vec.shape[0]), np.asarray(vec, dtype=np.float32).tobytes()) for cid, vec in pairs],
            )

    def embeddings(self, model_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids int64[n], vectors float32[n, dim]) for one model, for rebuilding the in-memory index."""
        import numpy as np  # lazily, see put_embeddings

        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT chunk_id, dim, vector FROM embeddings WHERE model_id = ? ORDER BY chunk_id", (model_id,)
            ).fetchall()
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty((0, 0), dtype=np.float32)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vectors = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(len(rows), rows[0][1])
        return ids, vectors.copy()

    def without_embedding(self, model_id: str, *, limit: int = 1000) -> list[int]:
        with self.store.read() as conn:
            return [r[0] for r in conn.execute(
                "SELECT c.id FROM chunks c LEFT JOIN embeddings e ON e.chunk_id = c.id AND e.model_id = ? "
                "WHERE e.chunk_id IS NULL ORDER BY c.id LIMIT ?",
                (model_id, limit),
            )]

    def search(self, query: str, *, limit: int = 50) -> list[tuple[int, float]]:
        """FTS5 BM25: (chunk id, bm25 score; lower is better)."""
        with self.store.read() as conn:
            return conn.execute(
                "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            ).fetchall()
