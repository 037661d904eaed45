"""Documents and the search chunks of every source (mail, events, meetings, documents, notes) with their FTS5 index.

The one data-access layer for chunks: retrieval (`engine.retrieval.catalog`) and the dossiers read and write
chunks only through `ChunkRepo`. Filters arrive as `models.IndexFilter`, whose `matches` is the meaning the SQL
conditions here must equal (tests/retrieval/test_catalog.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Sequence

from engine.store.repos.base import Repo, dumps, from_iso, loads, now_iso, to_iso
from models import Chunk, Document, IndexFilter, person_tokens

_CHUNK_COLUMNS = "id, source_type, source_id, position, title, text, people_json, occurred_at, locator, thread_key, " \
                 "content_hash"
_ID_BATCH = 500  # ids per `IN (...)`, well below SQLite's parameter limit


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

    def hashes_by_path(self) -> dict[str, tuple[int, str]]:
        """Every stored document's path -> (id, file hash), without loading texts (an import skips unchanged files)."""
        with self.store.read() as conn:
            return {path: (doc_id, digest) for doc_id, path, digest in
                    conn.execute("SELECT id, path, content_hash FROM documents")}

    def delete(self, doc_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def put_file(self, doc_id: int, data: bytes) -> None:
        """Keep a document's original bytes (a PDF to render at a cited page); replaces what was kept."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO document_files(document_id, data) VALUES (?, ?) "
                         "ON CONFLICT(document_id) DO UPDATE SET data = excluded.data", (doc_id, data))

    def with_files(self) -> set[int]:
        """Ids of the documents whose original bytes are kept."""
        with self.store.read() as conn:
            return {doc_id for (doc_id,) in conn.execute("SELECT document_id FROM document_files")}

    def file(self, doc_id: int) -> bytes | None:
        """A document's original bytes, or None when none were kept (its text is what there is to show)."""
        with self.store.read() as conn:
            row = conn.execute("SELECT data FROM document_files WHERE document_id = ?", (doc_id,)).fetchone()
        return bytes(row[0]) if row else None


@dataclass(slots=True)
class SourceDelta:
    """What writing one source's chunks changed: ids to (re-)embed and ids to drop from the vector index."""

    changed: list[int]
    removed: list[int]
    kept: list[int]


class ChunkRepo(Repo):
    def write_source(self, source_type: str, source_id: int, chunks: Sequence[Chunk]) -> SourceDelta:
        """Make the stored chunks of one source equal `chunks` (matched by position); sets each chunk's `id`.

        A chunk whose text hash is unchanged keeps its id and its embeddings (metadata is refreshed); a changed
        one keeps its id but loses its embeddings; extra old positions are deleted. Idempotent; one transaction.
        """
        delta = SourceDelta([], [], [])
        with self.store.transaction() as conn:
            old = {pos: (cid, h) for cid, pos, h in conn.execute(
                "SELECT id, position, content_hash FROM chunks WHERE source_type = ? AND source_id = ?",
                (source_type, source_id))}
            for ch in chunks:
                values = (ch.title, ch.text, dumps(ch.people), to_iso(ch.occurred_at), ch.locator, ch.thread_key,
                          " " + " ".join(person_tokens(ch.people)) + " ", ch.content_hash)
                previous = old.pop(ch.position, None)
                if previous is None:
                    ch.id = conn.execute(
                        "INSERT INTO chunks(title, text, people_json, occurred_at, locator, thread_key, people_tokens, "
                        "content_hash, source_type, source_id, position) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (*values, source_type, source_id, ch.position)).lastrowid
                    delta.changed.append(ch.id)
                    continue
                ch.id = previous[0]
                if previous[1] == ch.content_hash:
                    conn.execute("UPDATE chunks SET people_json=?, occurred_at=?, locator=?, thread_key=?, "
                                 "people_tokens=? WHERE id=?", (*values[2:7], ch.id))
                    delta.kept.append(ch.id)
                else:
                    conn.execute("UPDATE chunks SET title=?, text=?, people_json=?, occurred_at=?, locator=?, "
                                 "thread_key=?, people_tokens=?, content_hash=? WHERE id=?", (*values, ch.id))
                    conn.execute("DELETE FROM embeddings WHERE chunk_id = ?", (ch.id,))
                    delta.changed.append(ch.id)
            for cid, _ in old.values():
                conn.execute("DELETE FROM chunks WHERE id = ?", (cid,))
                delta.removed.append(cid)
        return delta

    def get_many(self, ids: Iterable[int]) -> dict[int, Chunk]:
        """The stored chunks among `ids`, keyed by id, in the order asked (missing ids are left out)."""
        ids = list(dict.fromkeys(int(i) for i in ids))
        found: dict[int, Chunk] = {}
        with self.store.read() as conn:
            for start in range(0, len(ids), _ID_BATCH):
                part = ids[start:start + _ID_BATCH]
                rows = conn.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE id IN ({','.join('?' * len(part))})",
                                    part)
                found.update((r[0], _chunk(r)) for r in rows)
        return {i: found[i] for i in ids if i in found}

    def search(self, query: str, *, limit: int = 50) -> list[tuple[int, float]]:
        """FTS5 BM25 for an FTS5 query expression: (chunk id, bm25 score; lower is better)."""
        with self.store.read() as conn:
            return conn.execute(
                "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?",
                (query, limit),
            ).fetchall()

    def keyword_search(self, match: str, filt: IndexFilter | None, *, limit: int) -> list[tuple[int, float]]:
        """FTS5 BM25 over titles (weight 2) and texts for the MATCH expression `match`, among chunks that pass
        `filt`: (chunk id, score; higher is better), best first."""
        cond, params = filter_sql(filt)
        sql = ("SELECT c.id, -bm25(chunks_fts, 2.0, 1.0) AS score FROM chunks_fts JOIN chunks c "
               f"ON c.id = chunks_fts.rowid WHERE chunks_fts MATCH ?{cond} ORDER BY bm25(chunks_fts, 2.0, 1.0) LIMIT ?")
        with self.store.read() as conn:
            return [(int(r[0]), float(r[1])) for r in conn.execute(sql, (match, *params, limit))]

    def id_span(self) -> int:
        """The highest chunk id (0 when empty): a cheap upper bound of the chunk count."""
        with self.store.read() as conn:
            return conn.execute("SELECT max(rowid) FROM chunks").fetchone()[0] or 0

    def document_frequencies(self, words: Sequence[str]) -> dict[str, int]:
        """How many chunks contain each word as the index stems it ('pricing' is looked up as 'price'); a word
        the tokenizer splits counts its rarest part. Read from an fts5vocab view of the index; the words are
        stemmed by a scratch FTS5 table with the same tokenizer. Both live in the connection's in-memory temp
        schema, so nothing is written to the database file."""
        with self.store.read() as conn:
            conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_chunk_terms USING fts5vocab(main, chunks_fts, row)")
            conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_query USING fts5(x, tokenize='porter unicode61')")
            conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_query_terms USING fts5vocab(temp, rt_query, instance)")
            conn.execute("DELETE FROM temp.rt_query")
            conn.executemany("INSERT INTO temp.rt_query(rowid, x) VALUES (?, ?)", list(enumerate(words)))
            stems: dict[int, set[str]] = {}
            for doc, term in conn.execute("SELECT doc, term FROM temp.rt_query_terms"):
                stems.setdefault(doc, set()).add(term)
            conn.execute("DELETE FROM temp.rt_query")
            return {word: min((
                (conn.execute("SELECT doc FROM temp.rt_chunk_terms WHERE term = ?", (stem,)).fetchone() or (0,))[0]
                for stem in stems.get(i, ())), default=0) for i, word in enumerate(words)}


def _chunk(row: Sequence[object]) -> Chunk:
    return Chunk(id=row[0], source_type=row[1], source_id=row[2], position=row[3], title=row[4], text=row[5],
                 people=loads(row[6], []), occurred_at=from_iso(row[7]), locator=row[8],
                 thread_key=row[9], content_hash=row[10])


def _utc_text(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def filter_sql(filt: IndexFilter | None, alias: str = "c") -> tuple[str, list[object]]:
    """The SQL condition (and its parameters) equivalent to `filt`, for joins over `chunks`."""
    if filt is None or filt.is_empty:
        return "", []
    where: list[str] = []
    params: list[object] = []
    if filt.source_types:
        where.append(f"{alias}.source_type IN ({','.join('?' * len(filt.source_types))})")
        params += sorted(filt.source_types)
    if filt.thread_keys:
        where.append(f"{alias}.thread_key IN ({','.join('?' * len(filt.thread_keys))})")
        params += sorted(filt.thread_keys)
    if filt.since is not None:
        where.append(f"{alias}.occurred_at >= ?")
        params.append(_utc_text(filt.since))
    if filt.until is not None:
        where.append(f"{alias}.occurred_at < ?")
        params.append(_utc_text(filt.until))
    for token in filt.people:
        where.append(f"{alias}.people_tokens LIKE ? ESCAPE '\\'")
        params.append("% " + token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %")
    if filt.exclude_ids:
        where.append(f"{alias}.id NOT IN ({','.join('?' * len(filt.exclude_ids))})")
        params += sorted(filt.exclude_ids)
    return " AND " + " AND ".join(where), params
