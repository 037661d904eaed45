"""Retrieval over the encrypted store's chunks: vectors as arrays, the start-up index rebuild, keyword queries.

All text and vectors live in SQLCipher and are read and written through the store's repositories
(`store.chunks`, `store.embeddings`, `store.index_queue`); the vector index is a cache rebuilt from them here.
This module adds what is retrieval's own: float32 arrays, filter metadata, and which query words to match.
Threads: every function goes through the store's lock, so any thread may call them.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np

from engine.retrieval.quantized_index import QuantizedIndex
from engine.retrieval.vector_index import VectorIndex
from engine.store import Store
from engine.store.repos.vectors import PendingChunk, StoredVector
from models import Chunk, ChunkMeta, IndexFilter, epoch, person_tokens

_LOAD_BATCH = 5000


def meta_of(chunk: Chunk) -> ChunkMeta:
    return ChunkMeta(chunk.source_type, epoch(chunk.occurred_at), chunk.thread_key, person_tokens(chunk.people))


def pending_meta(row: PendingChunk | StoredVector) -> ChunkMeta:
    """The index metadata of a row read with it (a pending chunk, or a stored vector)."""
    return ChunkMeta(row.source_type, epoch(row.occurred_at), row.thread_key, row.people_tokens)


def embedding_text(title: str, text: str) -> str:
    """What gets embedded: the title gives short chunks their topic (an email's subject, a document's name)."""
    return f"{title}\n{text}" if title else text


def vectors_for(store: Store, model_id: str, ids: Sequence[int]) -> dict[int, np.ndarray]:
    return {cid: np.frombuffer(blob, dtype=np.float32) for cid, blob in store.embeddings.vectors(model_id, ids).items()}


def float_refiner(store: Store, model_id: str, dim: int) -> Callable[[np.ndarray], np.ndarray]:
    """`QuantizedIndex.refine` from the store: the float32 vectors of chunk ids, NaN rows for ids without one."""
    def refine(ids: np.ndarray) -> np.ndarray:
        found = store.embeddings.vectors(model_id, [int(i) for i in ids])
        out = np.full((len(ids), dim), np.nan, dtype=np.float32)
        for row, cid in enumerate(ids.tolist()):
            if cid in found and len(found[cid]) == 4 * dim:
                out[row] = np.frombuffer(found[cid], dtype=np.float32)
        return out
    return refine


def put_embeddings(store: Store, model_id: str, rows: Sequence[tuple[int, str, np.ndarray]]) -> list[int]:
    """Store vectors for chunks whose text hash is still the one embedded; returns the ids stored."""
    arrays = [(cid, content_hash, np.asarray(vector, dtype=np.float32)) for cid, content_hash, vector in rows]
    return store.embeddings.put(model_id, [(cid, h, int(vec.shape[0]), vec.tobytes()) for cid, h, vec in arrays])


def metas_for(store: Store, ids: Sequence[int]) -> dict[int, ChunkMeta]:
    return {cid: meta_of(ch) for cid, ch in store.chunks.get_many(ids).items()}


def _upsert_stored(index: VectorIndex, rows: Sequence[StoredVector]) -> None:
    vectors = np.frombuffer(b"".join(r.vector for r in rows), dtype=np.float32).reshape(len(rows), -1)
    metas = [pending_meta(r) for r in rows]
    index.upsert([r.chunk_id for r in rows], vectors, metas)


def load_index(store: Store, index: VectorIndex) -> int:
    """Fill `index` with every stored vector of its model (the start-up load); returns the count.

    A `QuantizedIndex` starts from the store's snapshot when there is one (a few large blobs, one pass) and then
    re-reads only the chunks changed since; otherwise every vector is read in pages."""
    if isinstance(index, QuantizedIndex):
        snapshot = store.index_snapshots.load(index.model_id)
        if snapshot is not None and index.load_parts(snapshot.parts):
            index.delete(snapshot.dirty)
            for start in range(0, len(snapshot.dirty), _LOAD_BATCH):
                rows = store.embeddings.with_ids(index.model_id, snapshot.dirty[start:start + _LOAD_BATCH])
                if rows:
                    _upsert_stored(index, rows)
            return len(index)
    index.clear()
    last = -1
    while True:
        rows = store.embeddings.page(index.model_id, after=last, limit=_LOAD_BATCH)
        if not rows:
            return len(index)
        _upsert_stored(index, rows)
        last = rows[-1].chunk_id


#: The snapshot is rewritten once this share of the index (and at least SNAPSHOT_MIN_DIRTY chunks) changed
#: since it was taken: re-reading that many rows at start costs about as much as writing a new snapshot.
SNAPSHOT_DIRTY_SHARE = 0.02
SNAPSHOT_MIN_DIRTY = 2000


def refresh_snapshot(store: Store, index: VectorIndex, *, force: bool = False) -> bool:
    """Store a new snapshot of `index` when it has none or too much changed since (or `force`); returns whether
    it wrote one. Run it off the GUI thread: at a million chunks it writes ~470 MB inside one transaction."""
    if not isinstance(index, QuantizedIndex) or (len(index) == 0 and not force):
        return False
    snapshots = store.index_snapshots
    if not force and snapshots.exists() and (
            snapshots.dirty_count() < max(SNAPSHOT_MIN_DIRTY, SNAPSHOT_DIRTY_SHARE * len(index))):
        return False
    snapshots.save(index.model_id, index.to_parts)
    return True


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


#: A term in more than this share of chunks (and at least MIN_COMMON_DOCS of them) adds little to BM25
#: (idf <= log 49 ~ 3.9, against ~7-10 for a rare term) but costs scoring its whole posting list; it is dropped
#: when the query has rarer terms (Lucene's "common terms" idea). When every term is common, the query asks
#: for all of them (AND) instead of any. Small corpora are never pruned.
COMMON_TERM_SHARE = 0.02
MIN_COMMON_DOCS = 2000


def _match_expression(store: Store, terms: list[str]) -> str:
    """The FTS5 MATCH expression: any of the informative terms, or all terms when every one is common.

    Document frequencies are the index's, for the words as it stems them (`ChunkRepo.document_frequencies`).
    """
    quoted = {t: f'"{t}"' for t in terms}  # phrases: user input is never read as FTS syntax
    total = store.chunks.id_span()
    if total < MIN_COMMON_DOCS or len(terms) < 2:
        return " OR ".join(quoted.values())
    df = store.chunks.document_frequencies(terms)
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
    return store.chunks.keyword_search(_match_expression(store, terms), filt, limit=limit)
