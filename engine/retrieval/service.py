"""One object that wires the retrieval engine for the app: embedder, vector index, retriever, indexer.

`RetrievalService.open(store, ...)` loads the embedding model, builds the vector index (in-memory numpy by
default, rebuilt from the encrypted store; a Qdrant server when `qdrant_url` is set) and returns the service.
The app builds one per process and passes it to the CLI, chat and UI workers.

Threads: `open` takes about a second per 100k vectors (the rebuild) plus model load; call it off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import urlsplit
from dataclasses import dataclass
from datetime import timezone, tzinfo
from typing import Callable

from engine.retrieval import catalog
from engine.retrieval.embedder import Embedder, load_embedder
from engine.retrieval.indexer import Indexer, IndexReport
from engine.privacy.audit import VECTOR_CALL, AuditLog
from engine.retrieval.qdrant_index import QdrantIndex, new_salt
from engine.retrieval.rag import RagContext, build_context
from engine.retrieval.search import Filters, Retriever, SearchHit
from engine.retrieval.quantized_index import QuantizedIndex
from engine.retrieval.vector_index import VectorIndex
from engine.store import Store

log = logging.getLogger(__name__)


QDRANT_SALT = "retrieval.qdrant_salt"  # in the encrypted store: the digests' secret, kept with the data


def qdrant_index(store: Store, url: str, *, model_id: str, dim: int,
                 client_factory: Callable[..., object] | None = None) -> QdrantIndex:
    """The server index of this store: its per-install secret salt (made once), every call in the egress audit."""
    salt = store.settings.get(QDRANT_SALT)
    if not salt:
        salt = new_salt()
        store.settings.set(QDRANT_SALT, salt)
    audit = AuditLog(store)
    host = urlsplit(url).hostname or url

    def on_call(operation: str, items: int, outcome: str) -> None:
        audit.egress(VECTOR_CALL, host, items=items, outcome=outcome, operation=operation)

    return QdrantIndex.connect(url, model_id=model_id, dim=dim, salt=salt, on_call=on_call,
                               client_factory=client_factory)


@dataclass
class RetrievalService:
    store: Store
    embedder: Embedder
    index: VectorIndex
    retriever: Retriever
    indexer: Indexer

    @classmethod
    def open(cls, store: Store, *, embedding_model: str = "", qdrant_url: str = "", threads: int | None = None,
             embedder: Embedder | None = None, tz: tzinfo = timezone.utc) -> RetrievalService:
        """Load the embedder (`embedding_model`: '' = bundled MiniLM, an ONNX folder or a .gguf file) and the index.
        `tz` is the user's time zone (event times in chunks are written in it)."""
        embedder = embedder or load_embedder(embedding_model, threads=threads)
        index: VectorIndex
        if qdrant_url:
            index = qdrant_index(store, qdrant_url, model_id=embedder.model_id, dim=embedder.dim)
            if len(index) == 0:  # a new collection (or a new model): fill it from the store's vectors
                catalog.load_index(store, index)
        else:
            index = QuantizedIndex(embedder.model_id, embedder.dim)
            index.refine = catalog.float_refiner(store, embedder.model_id, embedder.dim)
            loaded = catalog.load_index(store, index)
            log.info("vector index loaded: %d vectors", loaded)
            catalog.refresh_snapshot(store, index)
        return cls(store=store, embedder=embedder, index=index,
                   retriever=Retriever(store=store, embedder=embedder, index=index),
                   indexer=Indexer(store=store, embedder=embedder, index=index, tz=tz))

    def search(self, query: str, *, filters: Filters | None = None, limit: int = 10) -> list[SearchHit]:
        return self.retriever.search(query, filters=filters, limit=limit)

    def context(self, question: str, *, filters: Filters | None = None, budget_tokens: int = 1200) -> RagContext:
        return build_context(self.retriever, question, filters=filters, budget_tokens=budget_tokens)

    def index_now(self, *, on_progress: Callable[[float], None] | None = None,
                  cancel: threading.Event | None = None) -> IndexReport:
        return self.indexer.run(on_progress=on_progress, cancel=cancel)
