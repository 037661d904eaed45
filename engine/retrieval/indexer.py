"""The indexing pipeline: queued sources -> chunks (FTS5 follows by trigger) -> embeddings -> vector index.

Incremental and resumable by construction: store triggers put every inserted, changed or deleted message,
event, meeting, document and note into `index_queue` within the writer's own transaction (migration 0002).
`Indexer.run` drains that queue source by source — each source's chunks and its dequeue commit together —
then embeds chunks that have no vector of the current model, one committed batch at a time. Interrupted
anywhere (cancel, crash, restart), the next run continues with what is left; unchanged chunks keep their
vectors, so re-indexing an unchanged source costs no embedding.

Changing the embedding model: chunks without a vector of the new `model_id` are simply pending again; once
all are embedded, vectors of older models are deleted. The index only ever holds vectors of its own model.

Threads: `run` blocks (the app runs it on `engine.jobs.BackgroundIndexing`'s worker, with progress and cancel).
Only one run at a time per `Indexer` (a lock). Logs carry counts and ids, never text.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import timezone, tzinfo
from typing import Callable

import numpy as np

from engine.errors import IngestError, RetrievalError
from engine.retrieval import catalog
from engine.retrieval.chunking import chunk_event, chunk_meeting, chunk_message, chunk_sections, chunk_task
from engine.retrieval.embedder import Embedder
from engine.retrieval.extract import Section, sections_from_text
from engine.retrieval.vector_index import VectorIndex
from engine.store import Store
from models import Chunk

log = logging.getLogger(__name__)

#: Sources chunked per transaction.
SOURCE_BATCH = 64
#: Chunks embedded per round: the embedder sorts a round by length so its batches pad little; 64 wasted ~30% of
#: the bare embedder's rate on padding, store round trips and metadata reads. A cancel still stops within one
#: ONNX batch of 16 texts.
EMBED_BATCH = 512
#: Chunks embedded between two passes of the gate (about a second of a laptop's two cores).
EMBED_SLICE = 64


@dataclass(slots=True)
class IndexReport:
    sources: int = 0
    chunks_written: int = 0
    chunks_removed: int = 0
    embedded: int = 0
    cancelled: bool = False
    failed: list[tuple[str, int, str]] = field(default_factory=list)  # (source type, id, error class)


class Indexer:
    """Keeps chunks, vectors and the in-memory `index` in step with the store."""

    def __init__(self, *, store: Store, embedder: Embedder, index: VectorIndex, tz: tzinfo = timezone.utc) -> None:
        """`tz`: the user's time zone, in which event times are written into their chunks."""
        self.store = store
        self.embedder = embedder
        self.index = index
        self.tz = tz
        self._running = threading.Lock()

    # -- public -----------------------------------------------------------------------------------------------
    def pending(self) -> tuple[int, int]:
        """(sources queued for chunking, chunks without a vector of the current model)."""
        return self.store.index_queue.size(), self.store.embeddings.count_pending(self.embedder.model_id)

    def run(self, *, on_progress: Callable[[float], None] | None = None, cancel: threading.Event | None = None,
            gate: Callable[[], None] | None = None) -> IndexReport:
        """Drain the queue and embed what is missing. Returns early (report.cancelled) when `cancel` is set.
        `gate` is called between steps of about a second (a batch of sources, a slice of `EMBED_SLICE` chunks) and
        may block: how the background job yields to the user's own work and pauses on battery."""
        if not self._running.acquire(blocking=False):
            raise RetrievalError("Indexing is already running.", next_step="Wait for it to finish.")
        try:
            return self._run(on_progress, cancel, gate or (lambda: None))
        finally:
            self._running.release()

    # -- internals --------------------------------------------------------------------------------------------
    def _run(self, on_progress: Callable[[float], None] | None, cancel: threading.Event | None,
             gate: Callable[[], None]) -> IndexReport:
        report = IndexReport()
        queued, unembedded = self.pending()
        # Chunking is ~100x cheaper than embedding; weigh the two phases by rough cost for a smooth bar.
        est_new_chunks = queued * 2
        total = max(1, queued * 0.05 + unembedded + est_new_chunks)
        done = 0.0

        def progress(step: float) -> None:
            nonlocal done
            done += step
            if on_progress:
                on_progress(min(0.99, done / total))

        while not _cancelled(cancel):
            gate()
            batch = self.store.index_queue.next(limit=SOURCE_BATCH)
            if not batch:
                break
            self._index_sources(batch, report)
            progress(0.05 * len(batch))
        below: int | None = None  # newest first; a chunk refused below (rewritten meanwhile) waits for the next run
        while not _cancelled(cancel):
            rows = self.store.embeddings.pending(self.embedder.model_id, limit=EMBED_BATCH, below=below)
            if not rows:
                break
            below = rows[-1].id
            try:
                vectors = self._embed([catalog.embedding_text(r.title, r.text) for r in rows], cancel, gate)
            except RetrievalError:
                if _cancelled(cancel):
                    break
                raise
            stored = set(catalog.put_embeddings(self.store, self.embedder.model_id,
                                                [(r.id, r.content_hash, v) for r, v in zip(rows, vectors)]))
            keep = [k for k, r in enumerate(rows) if r.id in stored]
            self.index.upsert([rows[k].id for k in keep], vectors[keep], [catalog.pending_meta(rows[k]) for k in keep])
            report.embedded += len(keep)
            progress(len(rows))
        report.cancelled = _cancelled(cancel)
        if not report.cancelled and self.store.embeddings.count_pending(self.embedder.model_id) == 0:
            dropped = self.store.embeddings.drop_other_models(self.embedder.model_id)
            if dropped:
                log.info("dropped %d vectors of previous embedding models", dropped)
        if report.embedded or report.chunks_removed or report.chunks_written:
            catalog.refresh_snapshot(self.store, self.index)  # (only once enough changed since the last one)
        if on_progress and not report.cancelled:
            on_progress(1.0)
        log.info("indexing sources=%d chunks=%d removed=%d embedded=%d failed=%d cancelled=%s", report.sources,
                 report.chunks_written, report.chunks_removed, report.embedded, len(report.failed), report.cancelled)
        return report

    def _embed(self, texts: list[str], cancel: threading.Event | None, gate: Callable[[], None]) -> np.ndarray:
        """Vectors of a round's texts, embedded in length order slice by slice (each slice pads as little as the
        whole round would), passing the gate between slices."""
        vectors = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), EMBED_SLICE):
            if start:
                gate()
            part = order[start:start + EMBED_SLICE]
            vectors[part] = self.embedder.embed([texts[i] for i in part], cancel=cancel)
        return vectors

    def _index_sources(self, sources: list[tuple[str, int]], report: IndexReport) -> None:
        """Re-chunk sources and dequeue them, in one transaction (one commit per source made chunking a
        ten-year mailbox commit-bound). A source that fails to chunk is logged and dequeued (so it cannot block
        the queue forever); its old chunks stay searchable."""
        deltas = []
        with self.store.transaction():
            for source_type, source_id in sources:
                try:
                    chunks = self._chunks_for(source_type, source_id)  # None: the source is gone
                except (IngestError, ValueError, AssertionError) as exc:
                    log.warning("cannot index %s %d: %s", source_type, source_id, type(exc).__name__)
                    report.failed.append((source_type, source_id, type(exc).__name__))
                    continue
                deltas.append(self.store.chunks.write_source(source_type, source_id, chunks or []))
            self.store.index_queue.remove(sources)
        for delta in deltas:
            # Changed chunks lose their stale vectors now; kept ones get fresh metadata (people, time) in the index.
            self.index.delete(delta.removed + delta.changed)
            report.sources += 1
            report.chunks_written += len(delta.changed)
            report.chunks_removed += len(delta.removed)
        kept = [cid for delta in deltas for cid in delta.kept]
        if kept:
            vectors = catalog.vectors_for(self.store, self.embedder.model_id, kept)
            metas = catalog.metas_for(self.store, list(vectors))
            ids = [i for i in vectors if i in metas]
            if ids:
                self.index.upsert(ids, np.stack([vectors[i] for i in ids]), [metas[i] for i in ids])

    def _chunks_for(self, source_type: str, source_id: int) -> list[Chunk] | None:
        s = self.store
        if source_type == "email":
            msg = s.messages.get(source_id)
            return None if msg is None else chunk_message(msg)
        if source_type == "event":
            event = s.events.get(source_id)
            return None if event is None else chunk_event(event, tz=self.tz)
        if source_type == "meeting":
            meeting = s.meetings.get(source_id)
            return None if meeting is None else chunk_meeting(meeting)
        if source_type == "doc":
            doc = s.documents.get(source_id)
            if doc is None:
                return None
            return chunk_sections(sections_from_text(doc.text, doc.kind), source_type="doc", source_id=source_id,
                                  title=doc.title, occurred_at=doc.added_at)
        if source_type == "note":
            note = s.memories.get(source_id)
            if note is None:
                return None
            text, created_at = note
            return chunk_sections([Section(text)], source_type="note", source_id=source_id, title="Note",
                                  occurred_at=created_at)
        if source_type == "task":
            task = s.tasks.by_id(source_id)
            return None if task is None else chunk_task(task)
        raise ValueError(f"unknown source type {source_type}")


def _cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()

