"""The keyword side's SQL filters mean exactly what `IndexFilter.matches` (and so the vector index) means,
and chunk writes are idempotent diffs that keep unchanged chunks' ids and vectors."""

from __future__ import annotations

import numpy as np
import pytest

from engine.retrieval import catalog
from engine.retrieval.chunking import content_hash
from engine.store import Store
from engine.store.repos.knowledge import filter_sql
from models import Chunk, IndexFilter, epoch
from rt_builders import utc

PEOPLE = [["Dana Whitfield <dana@acme.example>"], ["Raj Patel <raj@northwind.example>", "Dana Lee"], []]


def _chunks(n: int) -> list[Chunk]:
    out = []
    for i in range(n):
        text = f"chunk {i} about renewal pricing"
        out.append(Chunk(source_type=("email", "event", "meeting", "doc")[i % 4], source_id=i, text=text,
                         title=f"t{i}", position=0, people=PEOPLE[i % 3],
                         occurred_at=None if i % 5 == 0 else utc(2026, 1, 1 + i % 28, 9),
                         thread_key=f"th{i % 3}", content_hash=content_hash(f"t{i}", text)))
    return out


@pytest.mark.parametrize("filt", [
    IndexFilter(),
    IndexFilter(source_types=frozenset({"email", "meeting"})),
    IndexFilter(people=("dana",)),
    IndexFilter(people=("dana", "lee")),
    IndexFilter(people=("raj@northwind.example",)),
    IndexFilter(people=("d%",)),
    IndexFilter(since=epoch(utc(2026, 1, 10)), until=epoch(utc(2026, 1, 20))),
    IndexFilter(thread_keys=frozenset({"th1"}), source_types=frozenset({"event", "doc"})),
])
def test_sql_filter_equals_python_meaning(store: Store, filt: IndexFilter) -> None:
    chunks = _chunks(40)
    for ch in chunks:
        store.chunks.write_source(ch.source_type, ch.source_id, [ch])
    metas = {ch.id: catalog.meta_of(ch) for ch in chunks}
    cond, params = filter_sql(filt)
    with store.read() as conn:
        got = {r[0] for r in conn.execute(f"SELECT c.id FROM chunks c WHERE 1{cond}", params)}
    assert got == {cid for cid, meta in metas.items() if filt.matches(meta, cid)}
    # And the FTS query with the same filter returns exactly the matching chunks that contain the words.
    assert {cid for cid, _ in catalog.keyword_search(store, "renewal", filt, limit=100)} == got


def test_rewriting_a_source_keeps_unchanged_chunks_and_their_vectors(store: Store) -> None:
    def doc(texts: list[str]) -> list[Chunk]:
        return [Chunk("doc", 1, t, title="Plan", position=i, content_hash=content_hash("Plan", t))
                for i, t in enumerate(texts)]

    first = store.chunks.write_source("doc", 1, doc(["a b", "c d", "e f"]))
    assert len(first.changed) == 3
    rows = store.embeddings.pending("m", limit=10)
    catalog.put_embeddings(store, "m", [(r.id, r.content_hash, np.ones(4, dtype=np.float32)) for r in rows])
    second = store.chunks.write_source("doc", 1, doc(["a b", "c d changed"]))
    assert second.kept == first.changed[:1] and second.changed == first.changed[1:2]
    assert second.removed == first.changed[2:]
    assert [r.id for r in store.embeddings.pending("m", limit=10)] == first.changed[1:2]
    # A vector computed for the old text is refused once the text changed.
    stale = catalog.put_embeddings(store, "m", [(first.changed[1], content_hash("Plan", "c d"), np.ones(4))])
    assert stale == []
    assert store.chunks.write_source("doc", 1, doc(["a b", "c d changed"])).changed == []


def test_common_terms_are_dropped_on_large_corpora(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [Chunk("doc", i, f"robot fleet report {i}" + (" lidar" if i % 10 == 0 else ""), title="r", position=0,
                    content_hash=str(i)) for i in range(60)]
    for ch in chunks:
        store.chunks.write_source("doc", ch.source_id, [ch])
    monkeypatch.setattr(catalog, "MIN_COMMON_DOCS", 10)
    monkeypatch.setattr(catalog, "COMMON_TERM_SHARE", 0.5)
    lidar = {ch.id for ch in chunks if "lidar" in ch.text}
    # 'robot' is in every chunk: only the informative 'lidar' decides, and the ranking is lidar's.
    assert {cid for cid, _ in catalog.keyword_search(store, "robot lidar", limit=100)} == lidar
    # All terms common: every one must match (AND), not any.
    assert len(catalog.keyword_search(store, "robot fleet", limit=100)) == 60
    assert len(catalog.keyword_search(store, "robot fleet nonexistentword", limit=100)) == 60  # typos do not empty it
    assert catalog.keyword_search(store, "nonexistentword otherword", limit=100) == []
    # Stemming matches the index's: 'reports' is looked up as 'report'.
    assert len(catalog.keyword_search(store, "reports lidar", limit=100)) == len(lidar)
