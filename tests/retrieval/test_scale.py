"""Scaled-down variants of bench/scale_bench.py (#20): the workspace generator is deterministic and goes through
the real importer, and the quantized index's memory per row keeps a million chunks within 600 MB (limits, not
wall time)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from app.importing import import_paths
from bench.workspace_gen import generate
from engine.retrieval.quantized_index import QuantizedIndex
from engine.store import Store
from models import ChunkMeta

from tests.retrieval.test_quantized_index import DIM, clustered


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def test_generated_workspace_is_deterministic_and_imports(tmp_path: Path, store: Store) -> None:
    counts = generate(tmp_path / "a", mails=400, events=60, documents=5)
    generate(tmp_path / "b", mails=400, events=60, documents=5)
    assert counts == {"mails": 400, "events": 60, "documents": 5}
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    mbox = (tmp_path / "a" / "mail.mbox").read_text(encoding="utf-8")
    assert "List-Unsubscribe" in mbox and "text/html" in mbox and "Content-Disposition: attachment" in mbox
    assert "In-Reply-To" in mbox and "> " in mbox  # threads whose replies quote their parent
    ics = (tmp_path / "a" / "calendar.ics").read_text(encoding="utf-8")
    assert "RRULE:" in ics
    report = import_paths(store, [tmp_path / "a" / "mail.mbox", tmp_path / "a" / "calendar.ics"])
    assert report.messages == 400 and report.events >= 60
    with store.read() as conn:
        threads = conn.execute("SELECT count(DISTINCT thread_id) FROM messages").fetchone()[0]
        words = conn.execute("SELECT group_concat(body_text, ' ') FROM messages").fetchone()[0]
    assert 50 < threads < 400
    for topical in ("renewal", "board", "shipment", "offer"):  # business content, not filler
        assert topical in words.lower()


def test_a_million_rows_fit_in_600_mb() -> None:
    n = 20_000
    index = QuantizedIndex("m", DIM)
    vecs = clustered(n, seed=11)
    index.upsert(list(range(1, n + 1)), vecs,
                 [ChunkMeta("email", 1.7e9 + i, f"t{i // 3}", (f"p{i % 300}", f"p{(i * 7) % 300}")) for i in range(n)])
    per_row = sum(memoryview(p).nbytes for p in index.to_parts().values()) / n  # the live rows' arrays, as stored
    assert per_row * 1_000_000 <= 600 * 2**20, per_row
    assert index.nbytes() <= 1.6 * per_row * n  # in memory: at most the growth reserve and the id map on top
    assert np.isclose(index.search(vecs[5], 1)[0][1], 1.0, atol=5e-3)


def test_backlog_is_embedded_newest_first(store: Store, embedder) -> None:  # noqa: ANN001 - the session's embedder
    """Pending chunks come newest (highest id) first, page by page below the indexer's cursor, and the indexer
    still embeds every one of them."""
    from engine.retrieval.indexer import Indexer

    generate(store.path.parent / "ws", mails=30, events=1, documents=1)
    assert import_paths(store, [store.path.parent / "ws" / "mail.mbox"]).messages == 30
    index = QuantizedIndex(embedder.model_id, embedder.dim)
    Indexer(store=store, embedder=embedder, index=index).run()
    assert store.embeddings.count_pending(embedder.model_id) == 0 and len(index) >= 30
    first = store.embeddings.pending("other:1", limit=5)
    assert [c.id for c in first] == sorted((c.id for c in first), reverse=True)
    assert first[0].id == max(index._rows.ids[: index._rows.n])  # noqa: SLF001 - the newest chunk comes first
    after = store.embeddings.pending("other:1", limit=5, below=first[-1].id)
    assert after and after[0].id < first[-1].id
