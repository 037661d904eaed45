"""Hybrid search: FTS5 BM25 + vector similarity, fused by reciprocal rank, filtered, de-duplicated, with snippets.

`Retriever.search` is what the CLI, the UI's search box and RAG call. Filters apply on both sides *before*
ranking (SQL conditions for BM25, metadata masks in the vector index), so a filtered query still returns its
best `limit` hits. Every hit carries a `similarity` (cosine of the query to the chunk's stored vector) that
RAG uses to decide whether anything relevant was found at all.

Threads: `search` may be called from any thread (the store and index serialise internally); it runs its
keyword half on one worker thread of its own. It takes a few to a few tens of milliseconds (bench/search_bench.py). Errors: store failures raise `StoreError`.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

import numpy as np

from engine.errors import RetrievalError
from engine.retrieval import catalog
from engine.retrieval.chunking import describe_locator
from engine.retrieval.embedder import Embedder
from engine.retrieval.fusion import dedupe, mark, rrf, snippet
from engine.retrieval.vector_index import VectorIndex
from engine.store import Store
from models import Chunk, IndexFilter, epoch, person_tokens

log = logging.getLogger(__name__)

SOURCE_TYPES = ("email", "event", "meeting", "doc", "note", "task")
#: Candidates taken from each side before fusion.
CANDIDATES = 50
#: Vector-only candidates below this cosine are noise for MiniLM (unrelated sentences score ~0-0.15).
MIN_VECTOR_SIMILARITY = 0.15


@dataclass(frozen=True, slots=True)
class Filters:
    """User-level filters: `person` is a name or address fragment ("Dana", "dana@acme.com");
    `since`/`until` are dates (whole days, UTC) or datetimes; `thread` is a thread key or "meeting:<id>"."""

    types: tuple[str, ...] = ()
    person: str = ""
    since: date | datetime | None = None
    until: date | datetime | None = None
    thread: str = ""

    def to_index_filter(self) -> IndexFilter:
        unknown = [t for t in self.types if t not in SOURCE_TYPES]
        if unknown:
            raise RetrievalError(f"Unknown source type {', '.join(unknown)}",
                                 next_step=f"Use one of: {', '.join(SOURCE_TYPES)}.")
        return IndexFilter(source_types=frozenset(self.types), people=person_tokens([self.person]),
                           since=_to_epoch(self.since), until=_to_epoch(self.until),
                           thread_keys=frozenset([self.thread]) if self.thread else frozenset())


def _to_epoch(value: date | datetime | None) -> float | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=timezone.utc)
    return epoch(value)


@dataclass(slots=True)
class SearchHit:
    """One result. `score` is the fused RRF score; ranks are 1-based or None when a side did not return it."""

    chunk: Chunk
    score: float
    similarity: float | None  # cosine to the query; None while the chunk has no vector of this model yet
    bm25_rank: int | None = None
    vector_rank: int | None = None
    snippet: str = ""
    highlights: list[tuple[int, int]] = field(default_factory=list)

    @property
    def where(self) -> str:
        """Human position inside the source: 'page 3 · Pricing', '12:04-12:51'."""
        return describe_locator(self.chunk.source_type, self.chunk.locator)

    def marked_snippet(self, open_: str = "**", close: str = "**") -> str:
        return mark(self.snippet, self.highlights, open_, close)

    def as_dict(self) -> dict[str, object]:
        c = self.chunk
        return {"chunk_id": c.id, "source_type": c.source_type, "source_id": c.source_id, "title": c.title,
                "occurred_at": c.occurred_at.isoformat() if c.occurred_at else None, "people": c.people,
                "locator": c.locator, "where": self.where, "thread_key": c.thread_key, "score": round(self.score, 6),
                "similarity": None if self.similarity is None else round(self.similarity, 4),
                "bm25_rank": self.bm25_rank, "vector_rank": self.vector_rank, "snippet": self.snippet,
                "highlights": self.highlights}


class Retriever:
    """Hybrid search over the store's chunks with `embedder` for queries and `index` for vectors."""

    def __init__(self, *, store: Store, embedder: Embedder, index: VectorIndex) -> None:
        if embedder.model_id != index.model_id:
            raise RetrievalError("The vector index belongs to another embedding model.",
                                 next_step="Rebuild the index (restart Reflex).")
        self.store = store
        self.embedder = embedder
        self.index = index
        # The keyword side runs beside the query embedding and vector scan: SQLite, onnxruntime and numpy all
        # release the GIL, so on two cores the two halves overlap instead of adding up.
        self._keyword_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reflex-bm25")

    def search(self, query: str, *, filters: Filters | None = None, limit: int = 10,
               mode: str = "hybrid", query_vector: np.ndarray | None = None) -> list[SearchHit]:
        """Best `limit` hits for `query`. `mode`: 'hybrid' (default), 'bm25' or 'vector' (for evaluation).
        `query_vector`: the query's embedding when the caller already has it (the answer engine does)."""
        if mode not in ("hybrid", "bm25", "vector"):
            raise ValueError(f"unknown mode {mode!r}")
        if not query.strip():
            return []
        filt = (filters or Filters()).to_index_filter()
        keyword = (self._keyword_worker.submit(catalog.keyword_search, self.store, query, filt, limit=CANDIDATES)
                   if mode in ("hybrid", "bm25") else None)
        qvec = query_vector if query_vector is not None else self.embedder.embed([query])[0]
        vector: list[int] = []
        if mode in ("hybrid", "vector"):
            vector = [cid for cid, sim in self.index.search(qvec, CANDIDATES, filt) if sim >= MIN_VECTOR_SIMILARITY]
        bm25 = [cid for cid, _ in keyword.result()] if keyword is not None else []
        fused = rrf([r for r in (bm25, vector) if r])
        # Look at a few more than `limit`: some may vanish (deleted since) or be near-duplicates.
        head = [cid for cid, _ in fused[: limit * 3]]
        chunks = self.store.chunks.get_many(head)
        stale = [cid for cid in head if cid not in chunks]
        if stale:  # deleted sources: their chunks are gone from the store, drop them from the cache too
            self.index.delete(stale)
        bm25_rank = {cid: i for i, cid in enumerate(bm25, 1)}
        vec_rank = {cid: i for i, cid in enumerate(vector, 1)}
        scores = dict(fused)
        ordered = dedupe([cid for cid in head if cid in chunks], lambda cid: chunks[cid].text, limit=limit)
        sims = self._similarities(qvec, ordered)
        terms = catalog.query_terms(query)
        hits = []
        for cid in ordered:
            text, spans = snippet(chunks[cid].text, terms)
            hits.append(SearchHit(chunk=chunks[cid], score=scores[cid], similarity=sims.get(cid),
                                  bm25_rank=bm25_rank.get(cid), vector_rank=vec_rank.get(cid),
                                  snippet=text, highlights=spans))
        log.debug("search mode=%s bm25=%d vector=%d hits=%d", mode, len(bm25), len(vector), len(hits))
        return hits

    def _similarities(self, qvec: np.ndarray, ids: list[int]) -> dict[int, float]:
        vectors = catalog.vectors_for(self.store, self.embedder.model_id, ids)
        return {cid: float(np.dot(vec, qvec)) for cid, vec in vectors.items()}


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str) -> date:
    """'2026-03-01' -> date, for --since/--until; raises `RetrievalError` on anything else."""
    if not _DATE.match(text.strip()):
        raise RetrievalError(f"'{text}' is not a date", next_step="Write dates as YYYY-MM-DD, e.g. 2026-03-01.")
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise RetrievalError(f"'{text}' is not a date", next_step="Write dates as YYYY-MM-DD.") from exc
