"""QuantizedIndex: recall against exact float32 search, filters equal to `IndexFilter.matches`, updates and deletes,
and its snapshot in the encrypted store (round trip, catch-up of changes made since, dropped by a purge).

Recall here is on clustered synthetic vectors (topics + noise, like sentence embeddings); bench/scale_bench.py
measures it on real MiniLM vectors of generated mail."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.retrieval import catalog
from engine.retrieval.quantized_index import QuantizedIndex
from engine.retrieval.vector_index import NumpyIndex
from engine.store import Store
from models import ChunkMeta, IndexFilter, person_tokens

from tests.retrieval.rt_builders import message, utc
from tests.retrieval.test_vector_index import FILTERS, _corpus, _oracle, unit_queries

DIM = 384


def clustered(n: int, *, seed: int, topics: int = 200) -> np.ndarray:
    """Unit vectors around `topics` centres, with a shared offset as real embeddings have."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(topics, DIM)) + 0.6 * rng.normal(size=DIM)
    vecs = centres[rng.integers(0, topics, n)] + 0.9 * rng.normal(size=(n, DIM))
    return (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)


def test_recall_at_10_against_exact_search() -> None:
    n = 30_000
    vecs = clustered(n + 100, seed=1)
    ids = list(range(1, n + 1))
    metas = [ChunkMeta("email" if i % 3 else "doc", 1.7e9 + i, f"t{i % 900}", ("dana",) if i % 4 == 0 else ())
             for i in ids]
    exact, quantized = NumpyIndex("m", DIM), QuantizedIndex("m", DIM)
    exact.upsert(ids, vecs[:n], metas)
    quantized.upsert(ids, vecs[:n], metas)
    for filt in (None, IndexFilter(source_types=frozenset({"doc"})), IndexFilter(people=("dana",))):
        hits = 0
        for q in vecs[n:]:
            truth = {c for c, _ in exact.search(q, 10, filt)}
            got = quantized.search(q, 10, filt)
            hits += len(truth & {c for c, _ in got})
            assert all(filt is None or filt.matches(metas[c - 1], c) for c, _ in got)
        assert hits / 1000 >= 0.97, (filt, hits)
    # Scores are cosines within int8 error.
    q = vecs[n]
    got = quantized.search(q, 5)
    assert max(abs(s - float(vecs[c - 1] @ q)) for c, s in got) < 5e-3
    assert quantized.nbytes() < 0.3 * exact._matrix.nbytes + exact._rows.nbytes()  # noqa: SLF001


@pytest.mark.parametrize("filt", FILTERS)
def test_small_corpus_matches_brute_force(filt: IndexFilter) -> None:
    ids, vecs, metas = _corpus(300)
    index = QuantizedIndex("m", 16)  # fewer rows than the candidate budget: ranked by int8 codes alone
    index.upsert(ids, vecs, metas)
    for q in unit_queries(5, 16):
        got = [cid for cid, _ in index.search(q, 10, filt)]
        expect = _oracle(ids, vecs, metas, q, 10, filt)
        # The same answers up to int8 rounding: only near-ties (cosines within 0.01) may swap.
        assert len(got) == len(expect) and all(filt.matches(metas[c - 1000], c) for c in got)
        if expect:
            floor = float(vecs[expect[-1] - 1000] @ q) - 0.01
            assert all(float(vecs[c - 1000] @ q) >= floor for c in got)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["upsert", "delete"]), st.integers(0, 59), st.integers(0, 2)),
                max_size=120))
def test_updates_and_deletes(ops: list[tuple[str, int, int]]) -> None:
    """A re-upsert replaces the row's vector and its metadata (old person tokens no longer match)."""
    ids, _vecs, _metas = _corpus(60, seed=2)
    live: dict[int, ChunkMeta] = {}
    index = QuantizedIndex("m", 16, capacity=4)
    rng = np.random.default_rng(3)
    for op, i, who in ops:
        if op == "upsert":
            v = rng.normal(size=16).astype(np.float32)
            meta = ChunkMeta("email", None, "", person_tokens([("Dana D <d@x.example>", "Raj R <r@x.example>", "")[who]]))
            index.upsert([ids[i]], (v / np.linalg.norm(v))[None], [meta])
            live[ids[i]] = meta
        else:
            index.delete([ids[i]])
            live.pop(ids[i], None)
    assert len(index) == len(live)
    q = np.ones(16, dtype=np.float32) / 4
    assert {c for c, _ in index.search(q, 100)} == set(live)
    dana = {c for c, m in live.items() if "dana" in m.people}
    assert {c for c, _ in index.search(q, 100, IndexFilter(people=("dana",)))} == dana


def _add_chunks(store: Store, model_id: str, vecs: np.ndarray, start: int) -> list[int]:
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = []
    with store.transaction() as conn:
        for k, v in enumerate(vecs):
            cid = start + k
            conn.execute("INSERT INTO chunks(id, source_type, source_id, position, title, text, people_json, "
                         "occurred_at, locator, thread_key, people_tokens, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                         (cid, "email" if cid % 2 else "doc", cid, 0, "t", "x", "[]",
                          (when + timedelta(hours=cid)).strftime("%Y-%m-%dT%H:%M:%SZ"), "", f"th{cid % 7}",
                          " dana " if cid % 3 == 0 else " ", f"h{cid}"))
            rows.append((cid, f"h{cid}", v))
    catalog.put_embeddings(store, model_id, rows)
    return [cid for cid, _, _ in rows]


def _answers(index: QuantizedIndex, queries: np.ndarray) -> list[list[float]]:
    """Per query and filter, the answers' scores (the codes depend on the corpus centre, which a snapshot and a
    full read fix at different moments, so only near-ties within int8 rounding may swap ids)."""
    filters = (None, IndexFilter(source_types=frozenset({"doc"})), IndexFilter(people=("dana",)),
               IndexFilter(thread_keys=frozenset({"th3"})), IndexFilter(since=1_767_225_600.0 + 50 * 3600))
    return [[s for _, s in index.search(q, 10, f)] for q in queries for f in filters]


def test_snapshot_round_trip_and_catch_up(store: Store) -> None:
    model = "onnx:test:1"
    vecs = clustered(3000, seed=5)
    _add_chunks(store, model, vecs[:2500], 1)
    first = QuantizedIndex(model, DIM)
    assert catalog.load_index(store, first) == 2500  # no snapshot yet: read in pages
    assert catalog.refresh_snapshot(store, first) and store.index_snapshots.dirty_count() == 0
    assert not catalog.refresh_snapshot(store, first)  # nothing changed since
    # Changes after the snapshot: new chunks, a deleted one, one whose people changed, one re-embedded.
    _add_chunks(store, model, vecs[2500:2600], 2501)
    with store.transaction() as conn:
        conn.execute("DELETE FROM chunks WHERE id = 10")
        conn.execute("UPDATE chunks SET people_tokens = ' dana ' WHERE id = 11")
    catalog.put_embeddings(store, model, [(12, "h12", vecs[2999])])
    assert store.index_snapshots.dirty_count() == 100 + 3
    # A candidate budget above the size ranks every row by its int8 codes, so answers cannot depend on row order
    # (Hamming ties at the budget's edge would).
    from_snapshot = QuantizedIndex(model, DIM, min_candidates=5000)
    assert catalog.load_index(store, from_snapshot) == 2599
    with store.transaction() as conn:  # the reference: a full read of the same store
        conn.execute("DELETE FROM index_snapshot")
    rebuilt = QuantizedIndex(model, DIM, min_candidates=5000)
    catalog.load_index(store, rebuilt)
    for got, want in zip(_answers(from_snapshot, vecs[2600:2620]), _answers(rebuilt, vecs[2600:2620])):
        assert len(got) == len(want) and np.allclose(got, want, atol=2e-3)
    assert 11 in [c for c, _ in from_snapshot.search(vecs[10], 50, IndexFilter(people=("dana",)))]
    assert from_snapshot.search(vecs[2999], 1)[0][0] == 12


def test_snapshot_of_another_model_is_ignored_and_a_purge_drops_it(store: Store) -> None:
    vecs = clustered(50, seed=6)
    _add_chunks(store, "onnx:a:1", vecs, 1)
    index = QuantizedIndex("onnx:a:1", DIM)
    catalog.load_index(store, index)
    catalog.refresh_snapshot(store, index, force=True)
    assert catalog.load_index(store, QuantizedIndex("onnx:b:2", DIM)) == 0
    store.messages.upsert([message("old-1", "Pricing", "Old body", when=utc(2020, 1, 1))])
    with store.transaction() as conn:  # a chunk of that old mail, so the purge deletes chunks
        old_id = conn.execute("SELECT id FROM messages").fetchone()[0]
        conn.execute("UPDATE chunks SET source_id = ? WHERE id = 1", (old_id,))
    assert store.index_snapshots.exists()
    store.purge.mail_bodies_before(utc(2021, 1, 1))
    assert not store.index_snapshots.exists()


def test_a_float_source_re_ranks_the_int8_shortlist_exactly(store: Store) -> None:
    """With the store's float32 vectors (`catalog.float_refiner`), the answers are exact search's, scores included;
    a chunk whose vector is gone keeps its int8 score instead of failing the search."""
    model = "onnx:test:1"
    vecs = clustered(3100, seed=12)
    _add_chunks(store, model, vecs[:3000], 1)
    index, exact = QuantizedIndex(model, DIM), NumpyIndex(model, DIM)
    catalog.load_index(store, index)
    catalog.load_index(store, exact)
    index.refine = catalog.float_refiner(store, model, DIM)
    for q in vecs[3000:3040]:
        got, want = index.search(q, 10), exact.search(q, 10)
        assert [c for c, _ in got] == [c for c, _ in want]
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-6)
    top = index.search(vecs[3000], 3)
    with store.transaction() as conn:
        conn.execute("DELETE FROM embeddings WHERE chunk_id = ?", (top[0][0],))
    again = index.search(vecs[3000], 3)  # (the index has not heard of the deletion yet)
    assert top[0][0] in [c for c, _ in again] and len(again) == 3
