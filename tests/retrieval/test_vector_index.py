"""NumpyIndex against a brute-force oracle (with filters, updates and deletes), and QdrantIndex through
qdrant-client's local ':memory:' mode standing in for the server API: same answers, no text in payloads."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.retrieval.qdrant_index import QdrantIndex
from engine.retrieval.vector_index import NumpyIndex
from models import ChunkMeta, IndexFilter, person_tokens

TYPES = ("email", "event", "meeting", "doc")
PEOPLE = [("Dana Whitfield <dana@acme.example>",), ("Raj Patel <raj@northwind.example>",), ()]


def _corpus(n: int, dim: int = 16, seed: int = 0) -> tuple[list[int], np.ndarray, list[ChunkMeta]]:
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    metas = [ChunkMeta(TYPES[i % 4], None if i % 7 == 0 else 1_700_000_000.0 + i * 3600, f"thread-{i % 5}",
                       person_tokens(PEOPLE[i % 3])) for i in range(n)]
    return [1000 + i for i in range(n)], vecs, metas


def _oracle(ids, vecs, metas, query, k, filt):  # noqa: ANN001, ANN202
    rows = [i for i, m in enumerate(metas) if filt.matches(m, ids[i])]
    scored = sorted(((float(vecs[i] @ query), ids[i]) for i in rows), key=lambda t: -t[0])
    return [cid for _, cid in scored[:k]]


def unit_queries(n: int, dim: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    qs = rng.normal(size=(n, dim)).astype(np.float32)
    return qs / np.linalg.norm(qs, axis=1, keepdims=True)


FILTERS = [
    IndexFilter(),
    IndexFilter(source_types=frozenset({"email", "doc"})),
    IndexFilter(people=("dana",)),
    IndexFilter(people=("raj", "patel")),
    IndexFilter(since=1_700_000_000.0 + 50 * 3600, until=1_700_000_000.0 + 150 * 3600),
    IndexFilter(thread_keys=frozenset({"thread-2"}), source_types=frozenset({"meeting"})),
    IndexFilter(exclude_ids=frozenset({1000, 1001, 1002})),
    IndexFilter(people=("nobody",)),
]


@pytest.mark.parametrize("filt", FILTERS)
def test_numpy_index_equals_brute_force(filt: IndexFilter) -> None:
    ids, vecs, metas = _corpus(300)
    index = NumpyIndex("m", 16)
    index.upsert(ids, vecs, metas)
    for q in unit_queries(5, 16):
        got = [cid for cid, _ in index.search(q, 10, filt)]
        assert got == _oracle(ids, vecs, metas, q, 10, filt)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["upsert", "delete"]), st.integers(0, 59)), max_size=120))
def test_numpy_index_after_updates_and_deletes(ops: list[tuple[str, int]]) -> None:
    ids, vecs, metas = _corpus(60, seed=2)
    live: dict[int, tuple[np.ndarray, ChunkMeta]] = {}
    index = NumpyIndex("m", 16, capacity=4)
    rng = np.random.default_rng(3)
    for op, i in ops:
        if op == "upsert":
            v = rng.normal(size=16).astype(np.float32)
            v /= np.linalg.norm(v)
            index.upsert([ids[i]], v[None], [metas[i]])
            live[ids[i]] = (v, metas[i])
        else:
            index.delete([ids[i]])
            live.pop(ids[i], None)
    assert len(index) == len(live)
    q = vecs[0]
    for filt in (IndexFilter(), IndexFilter(source_types=frozenset({"email"})), IndexFilter(people=("dana",))):
        keys = list(live)
        expect = _oracle(keys, np.stack([live[k][0] for k in keys]) if keys else np.zeros((0, 16)),
                         [live[k][1] for k in keys], q, 5, filt)
        assert [cid for cid, _ in index.search(q, 5, filt)] == expect


def test_compaction_keeps_results() -> None:
    ids, vecs, metas = _corpus(6000, seed=4)
    index = NumpyIndex("m", 16)
    index.upsert(ids, vecs, metas)
    index.delete(ids[:3000])
    assert index._rows.n == 3000  # noqa: SLF001 - compacted, not just masked
    filt = IndexFilter(people=("dana",))
    assert [c for c, _ in index.search(vecs[4000], 10, filt)] == _oracle(ids[3000:], vecs[3000:], metas[3000:],
                                                                         vecs[4000], 10, filt)


def test_dimension_mismatch_is_refused() -> None:
    index = NumpyIndex("m", 16)
    with pytest.raises(ValueError):
        index.upsert([1], np.zeros((1, 8), dtype=np.float32), [ChunkMeta("email")])


def _local_qdrant_index(client: object, model_id: str) -> QdrantIndex:
    # Local mode warns that payload indexes only matter on a real server, which is where they are meant for.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Payload indexes have no effect")
        return QdrantIndex(client, model_id=model_id, dim=16, salt="test-salt-0123456789abcdef")


@pytest.fixture
def qdrant() -> QdrantIndex:
    from qdrant_client import QdrantClient

    return _local_qdrant_index(QdrantClient(":memory:"), "onnx:test:abc")


@pytest.mark.parametrize("filt", FILTERS)
def test_qdrant_server_mode_matches_numpy(qdrant: QdrantIndex, filt: IndexFilter) -> None:
    ids, vecs, metas = _corpus(200, seed=5)
    qdrant.upsert(ids, vecs, metas)
    local = NumpyIndex("m", 16)
    local.upsert(ids, vecs, metas)
    for q in vecs[:3]:
        assert [c for c, _ in qdrant.search(q, 10, filt)] == [c for c, _ in local.search(q, 10, filt)]


def test_qdrant_payload_holds_no_text_and_deletes_work(qdrant: QdrantIndex) -> None:
    ids, vecs, metas = _corpus(20, seed=6)
    qdrant.upsert(ids, vecs, metas)
    points, _ = qdrant._client.scroll(qdrant.collection, limit=100, with_payload=True)  # noqa: SLF001
    dumped = repr([p.payload for p in points]).lower()
    for secret in ("dana", "acme", "raj", "thread-"):
        assert secret not in dumped
    qdrant.delete(ids[:5])
    assert len(qdrant) == 15
    assert ids[0] not in [c for c, _ in qdrant.search(vecs[0], 20)]


def test_qdrant_collections_are_per_model() -> None:
    from qdrant_client import QdrantClient

    client = QdrantClient(":memory:")
    a = _local_qdrant_index(client, "onnx:a:1")
    b = _local_qdrant_index(client, "gguf:b:2")
    ids, vecs, metas = _corpus(10)
    a.upsert(ids, vecs, metas)
    assert a.collection != b.collection and len(a) == 10 and len(b) == 0
    a.clear()
    assert len(a) == 0
