"""The retrieval side of the encrypted store: chunk rows, their vectors, the FTS5 index and the index queue.

All text and vectors live here, in SQLCipher; the vector index is a cache rebuilt from these rows. Writes join
an enclosing `store.transaction()`. Times are the store's ISO-8601 UTC text; filters arrive as `IndexFilter`.
Threads: every function goes through the store's lock, so any thread may call them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Sequence

import numpy as np

from engine.retrieval.vector_index import ChunkMeta, IndexFilter, VectorIndex, epoch, person_tokens
from engine.store import Store
from models import Chunk

_CHUNK_COLUMNS = "id, source_type, source_id, position, title, text, people_json, occurred_at, locator, thread_key, " \
                 "content_hash"
_LOAD_BATCH = 5000


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str | None) -> datetime | None:
    """The store's ISO-8601 UTC text back to an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _chunk(row: Sequence[object]) -> Chunk:
    return Chunk(id=row[0], source_type=row[1], source_id=row[2], position=row[3], title=row[4], text=row[5],
                 people=json.loads(row[6] or "[]"), occurred_at=parse_time(row[7]), locator=row[8],
                 thread_key=row[9], content_hash=row[10])


def meta_of(chunk: Chunk) -> ChunkMeta:
    return ChunkMeta(chunk.source_type, epoch(chunk.occurred_at), chunk.thread_key, person_tokens(chunk.people))


def embedding_text(title: str, text: str) -> str:
    """What gets embedded: the title gives short chunks their topic (an email's subject, a document's name)."""
    return f"{title}\n{text}" if title else text


@dataclass(slots=True)
class SourceDelta:
    """What writing one source's chunks changed: ids to (re-)embed and ids to drop from the vector index."""

    changed: list[int]
    removed: list[int]
    kept: list[int]


def write_source_chunks(store: Store, source_type: str, source_id: int, chunks: Sequence[Chunk]) -> SourceDelta:
    """Make the stored chunks of one source equal `chunks` (matched by position).

    A chunk whose text hash is unchanged keeps its id and its embedding (metadata is refreshed); a changed one
    keeps its id but loses its embedding; extra old positions are deleted. Idempotent.
    """
    delta = SourceDelta([], [], [])
    with store.transaction() as conn:
        old = {pos: (cid, h) for cid, pos, h in conn.execute(
            "SELECT id, position, content_hash FROM chunks WHERE source_type = ? AND source_id = ?",
            (source_type, source_id))}
        for ch in chunks:
            values = (ch.title, ch.text, json.dumps(ch.people, ensure_ascii=False),
                      ch.occurred_at and _iso(epoch(ch.occurred_at) or 0), ch.locator, ch.thread_key,
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
                conn.execute("UPDATE chunks SET people_json=?, occurred_at=?, locator=?, thread_key=?, people_tokens=? "
                             "WHERE id=?", (*values[2:7], ch.id))
                delta.kept.append(ch.id)
            else:
                conn.execute("UPDATE chunks SET title=?, text=?, people_json=?, occurred_at=?, locator=?, thread_key=?, "
                             "people_tokens=?, content_hash=? WHERE id=?", (*values, ch.id))
                conn.execute("DELETE FROM embeddings WHERE chunk_id = ?", (ch.id,))
                delta.changed.append(ch.id)
        for cid, _ in old.values():
            conn.execute("DELETE FROM chunks WHERE id = ?", (cid,))
            delta.removed.append(cid)
    return delta


def get_chunks(store: Store, ids: Iterable[int]) -> dict[int, Chunk]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    out: dict[int, Chunk] = {}
    with store.read() as conn:
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            rows = conn.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE id IN ({','.join('?' * len(part))})", part)
            out.update((r[0], _chunk(r)) for r in rows)
    return out


def vectors_for(store: Store, model_id: str, ids: Sequence[int]) -> dict[int, np.ndarray]:
    with store.read() as conn:
        rows = conn.execute(
            f"SELECT chunk_id, vector FROM embeddings WHERE model_id = ? AND chunk_id IN ({','.join('?' * len(ids))})",
            (model_id, *ids)).fetchall() if ids else []
    return {cid: np.frombuffer(blob, dtype=np.float32) for cid, blob in rows}


def pending_embeddings(store: Store, model_id: str, *, limit: int) -> list[tuple[int, str, str, str]]:
    """(id, title, text, content_hash) of chunks without a vector of `model_id`, oldest first."""
    with store.read() as conn:
        return conn.execute(
            "SELECT c.id, c.title, c.text, c.content_hash FROM chunks c LEFT JOIN embeddings e "
            "ON e.chunk_id = c.id AND e.model_id = ? WHERE e.chunk_id IS NULL ORDER BY c.id LIMIT ?",
            (model_id, limit)).fetchall()


def count_pending_embeddings(store: Store, model_id: str) -> int:
    with store.read() as conn:
        return conn.execute(
            "SELECT count(*) FROM chunks c LEFT JOIN embeddings e ON e.chunk_id = c.id AND e.model_id = ? "
            "WHERE e.chunk_id IS NULL", (model_id,)).fetchone()[0]


def put_embeddings(store: Store, model_id: str, rows: Sequence[tuple[int, str, np.ndarray]]) -> list[int]:
    """Store vectors for chunks whose text hash is still the one embedded; returns the ids stored."""
    stored: list[int] = []
    with store.transaction() as conn:
        for cid, content_hash, vector in rows:
            vec = np.asarray(vector, dtype=np.float32)
            cur = conn.execute(
                "INSERT OR REPLACE INTO embeddings(chunk_id, model_id, dim, vector) "
                "SELECT id, ?, ?, ? FROM chunks WHERE id = ? AND content_hash = ?",
                (model_id, int(vec.shape[0]), vec.tobytes(), cid, content_hash))
            if cur.rowcount:
                stored.append(cid)
    return stored


def drop_other_models(store: Store, model_id: str) -> int:
    """Delete vectors of other embedding models (after the current one covers every chunk)."""
    with store.transaction() as conn:
        return conn.execute("DELETE FROM embeddings WHERE model_id != ?", (model_id,)).rowcount


def metas_for(store: Store, ids: Sequence[int]) -> dict[int, ChunkMeta]:
    return {cid: meta_of(ch) for cid, ch in get_chunks(store, ids).items()}


def load_index(store: Store, index: VectorIndex) -> int:
    """Fill `index` with every stored vector of its model (the start-up rebuild); returns the count."""
    index.clear()
    total = 0
    last = -1
    while True:
        with store.read() as conn:
            rows = conn.execute(
                "SELECT e.chunk_id, e.vector, c.source_type, c.occurred_at, c.thread_key, c.people_tokens "
                "FROM embeddings e JOIN chunks c ON c.id = e.chunk_id WHERE e.model_id = ? AND e.chunk_id > ? "
                "ORDER BY e.chunk_id LIMIT ?", (index.model_id, last, _LOAD_BATCH)).fetchall()
        if not rows:
            return total
        ids = [r[0] for r in rows]
        vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        metas = [ChunkMeta(r[2], epoch(parse_time(r[3])), r[4], tuple(r[5].split())) for r in rows]
        index.upsert(ids, vectors, metas)
        total += len(rows)
        last = ids[-1]


# -- keyword search (FTS5 BM25) ---------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it its "
    "me my of on or our so than that the their them then there these they this to was we were what when where "
    "which who whom why will with would you your about any all also just more most not only over some such "
    "tell show find give list get said say says".split())


def query_terms(text: str) -> list[str]:
    """Lower-cased query words without stop words (all words when only stop words were given)."""
    words = [w.lower() for w in _WORD.findall(text)]
    kept = [w for w in words if w not in STOPWORDS and len(w) > 1]
    return list(dict.fromkeys(kept or words))


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
        params.append(_iso(filt.since))
    if filt.until is not None:
        where.append(f"{alias}.occurred_at < ?")
        params.append(_iso(filt.until))
    for token in filt.people:
        where.append(f"{alias}.people_tokens LIKE ? ESCAPE '\\'")
        params.append("% " + token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + " %")
    if filt.exclude_ids:
        where.append(f"{alias}.id NOT IN ({','.join('?' * len(filt.exclude_ids))})")
        params += sorted(filt.exclude_ids)
    return " AND " + " AND ".join(where), params


#: A term in more than this share of chunks (and at least MIN_COMMON_DOCS of them) adds little to BM25
#: (idf <= log 49 ~ 3.9, against ~7-10 for a rare term) but costs scoring its whole posting list; it is dropped
#: when the query has rarer terms (Lucene's "common terms" idea). When every term is common, the query asks
#: for all of them (AND) instead of any. Small corpora are never pruned.
COMMON_TERM_SHARE = 0.02
MIN_COMMON_DOCS = 2000


def _match_expression(conn, terms: list[str]) -> str:  # noqa: ANN001 - sqlcipher connection
    """The FTS5 MATCH expression: any of the informative terms, or all terms when every one is common.

    Document frequencies come from an fts5vocab view of the index; query words are stemmed by a scratch FTS5
    table with the same tokenizer, so 'pricing' is looked up as the index's 'price'. Both live in the
    connection's in-memory temp schema.
    """
    quoted = {t: f'"{t}"' for t in terms}  # phrases: user input is never read as FTS syntax
    total = conn.execute("SELECT max(rowid) FROM chunks").fetchone()[0] or 0
    if total < MIN_COMMON_DOCS or len(terms) < 2:
        return " OR ".join(quoted.values())
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_chunk_terms USING fts5vocab(main, chunks_fts, row)")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_query USING fts5(x, tokenize='porter unicode61')")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_query_terms USING fts5vocab(temp, rt_query, instance)")
    conn.execute("DELETE FROM temp.rt_query")
    conn.executemany("INSERT INTO temp.rt_query(rowid, x) VALUES (?, ?)", list(enumerate(terms)))
    stems: dict[int, set[str]] = {}
    for doc, term in conn.execute("SELECT doc, term FROM temp.rt_query_terms"):
        stems.setdefault(doc, set()).add(term)
    conn.execute("DELETE FROM temp.rt_query")
    df: dict[str, int] = {}
    for i, word in enumerate(terms):
        counts = [(conn.execute("SELECT doc FROM temp.rt_chunk_terms WHERE term = ?", (stem,)).fetchone() or (0,))[0]
                  for stem in stems.get(i, ())]
        df[word] = min(counts, default=0)
    limit = max(COMMON_TERM_SHARE * total, MIN_COMMON_DOCS)
    rare = [quoted[w] for w in terms if 0 < df[w] <= limit]
    common = [quoted[w] for w in terms if df[w] > limit]
    if rare or not common:  # (words found nowhere, e.g. typos, would only empty an AND)
        return " OR ".join(rare or quoted.values())
    return " AND ".join(common)


def keyword_search(store: Store, text: str, filt: IndexFilter | None = None, *, limit: int = 50) -> list[tuple[int, float]]:
    """FTS5 BM25 over chunk titles (weight 2) and texts: (chunk id, score; higher is better), best first.

    Any of the query's informative words matches (see `_match_expression`).
    """
    terms = query_terms(text)
    if not terms:
        return []
    cond, params = filter_sql(filt)
    sql = ("SELECT c.id, -bm25(chunks_fts, 2.0, 1.0) AS score FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid "
           f"WHERE chunks_fts MATCH ?{cond} ORDER BY bm25(chunks_fts, 2.0, 1.0) LIMIT ?")
    with store.read() as conn:
        match = _match_expression(conn, terms)
        return [(int(r[0]), float(r[1])) for r in conn.execute(sql, (match, *params, limit))]


# -- the index queue ---------------------------------------------------------------------------------------------

def queued(store: Store, *, limit: int) -> list[tuple[str, int]]:
    with store.read() as conn:
        return conn.execute("SELECT source_type, source_id FROM index_queue ORDER BY queued_at, source_type, source_id "
                            "LIMIT ?", (limit,)).fetchall()


def queue_size(store: Store) -> int:
    with store.read() as conn:
        return conn.execute("SELECT count(*) FROM index_queue").fetchone()[0]


def dequeue(store: Store, source_type: str, source_id: int) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM index_queue WHERE source_type = ? AND source_id = ?", (source_type, source_id))

