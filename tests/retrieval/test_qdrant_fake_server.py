"""Qdrant server mode against a fake that speaks Qdrant's REST API over TLS (#20 item 6): the real qdrant-client's
requests carry the API key from the keyring, configure int8 quantization kept in RAM with float rescoring, send
only digests of people and threads, every call lands in the egress audit, and without quantization the results
equal exact search (the fake answers by brute force with Qdrant's filter semantics)."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import keyring
import numpy as np
import pytest

from engine.privacy import AuditLog
from engine.retrieval.qdrant_index import QDRANT_KEYRING_SERVICE, QdrantIndex, new_salt
from engine.retrieval.service import qdrant_index
from engine.retrieval.vector_index import NumpyIndex
from engine.store import Store
from models import ChunkMeta, IndexFilter
from tests.fakes.qdrant_server import FakeQdrant
from tests.fakes.tls import make_self_signed_cert

DIM = 8
API_KEY = "qk-test-secret"


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201
    with FakeQdrant(tls=make_self_signed_cert(tmp_path), api_key=API_KEY) as fake:
        yield fake


def _trusting(cert: Path):  # noqa: ANN202 - a client factory that trusts the fake's self-signed certificate
    from qdrant_client import QdrantClient

    def factory(**kwargs: object) -> QdrantClient:
        # (its version probe would not use `verify`; the fake's version is not what is tested)
        return QdrantClient(**kwargs, verify=ssl.create_default_context(cafile=str(cert)),
                            check_compatibility=False)
    return factory


def _corpus(n: int = 120, seed: int = 4) -> tuple[list[int], np.ndarray, list[ChunkMeta]]:
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    metas = [ChunkMeta(("email", "doc", "event")[i % 3], 1.7e9 + 3600 * i, f"thread-{i % 7}",
                       ("dana@acme.example",) if i % 4 == 0 else ("raj@acme.example",)) for i in range(n)]
    return list(range(1, n + 1)), vecs, metas


def test_requests_over_tls_carry_the_key_the_quantization_and_only_digests(store: Store, server: FakeQdrant,
                                                                          tmp_path: Path) -> None:
    keyring.set_password(QDRANT_KEYRING_SERVICE, server.url, API_KEY)
    index = qdrant_index(store, server.url, model_id="onnx:test:1", dim=DIM,
                         client_factory=_trusting(tmp_path / "cert.pem"))
    ids, vecs, metas = _corpus()
    index.upsert(ids, vecs, metas)
    got = index.search(vecs[3], 5, IndexFilter(people=("dana@acme.example",)))
    assert got and all(i % 4 == 1 for i, _ in got)  # (ids are 1-based: row i % 4 == 0 has Dana)
    [create] = server.sent("PUT", f"/collections/{index.collection}")
    scalar = create.body["quantization_config"]["scalar"]
    assert scalar["type"] == "int8" and scalar["always_ram"] is True
    assert create.body["vectors"]["on_disk"] is True and create.body["vectors"]["distance"] == "Dot"
    [query] = server.sent("POST", "/points/query")
    assert query.body["params"]["quantization"] == {"ignore": False, "rescore": True, "oversampling": 2.0} or (
        query.body["params"]["quantization"]["rescore"] is True
        and query.body["params"]["quantization"]["oversampling"] == 2.0)
    api_calls = [r for r in server.calls if r.path != "/"]
    assert api_calls and all(r.headers.get("api-key") == API_KEY for r in api_calls)
    sent = json.dumps([r.body for r in server.calls if r.body])
    assert "dana@acme.example" not in sent and "thread-3" not in sent  # digests under this install's salt
    entries = AuditLog(store).entries(actions=["vector_call"])
    assert [e.detail["operation"] for e in entries] == ["open", "upsert", "search"]
    assert {e.target for e in entries} == {"127.0.0.1"} and all(e.detail["outcome"] == "ok" for e in entries)


def test_a_wrong_key_fails_as_a_retrieval_error_in_the_audit(store: Store, server: FakeQdrant, tmp_path: Path) -> None:
    from engine.errors import RetrievalError

    keyring.set_password(QDRANT_KEYRING_SERVICE, server.url, "wrong")
    with pytest.raises(RetrievalError, match="did not answer"):
        qdrant_index(store, server.url, model_id="onnx:test:1", dim=DIM, client_factory=_trusting(tmp_path / "cert.pem"))
    [entry] = AuditLog(store).entries(actions=["vector_call"])
    assert entry.detail["outcome"] == "failed"


FILTERS = [None, IndexFilter(source_types=frozenset({"doc"})), IndexFilter(people=("raj@acme.example",)),
           IndexFilter(thread_keys=frozenset({"thread-2", "thread-5"})), IndexFilter(since=1.7e9 + 3600 * 40,
                                                                                      until=1.7e9 + 3600 * 90),
           IndexFilter(source_types=frozenset({"email"}), exclude_ids=frozenset({2, 5, 8}))]


def test_results_equal_exact_search_without_quantization(server: FakeQdrant, tmp_path: Path) -> None:
    from qdrant_client import QdrantClient

    client = QdrantClient(url=server.url, api_key=API_KEY, verify=ssl.create_default_context(cafile=str(tmp_path / "cert.pem")),
                          check_compatibility=False)
    index = QdrantIndex(client, model_id="onnx:test:1", dim=DIM, salt=new_salt(), quantization=False)
    exact = NumpyIndex("onnx:test:1", DIM)
    ids, vecs, metas = _corpus()
    for target in (index, exact):
        target.upsert(ids, vecs, metas)
        target.delete([7, 9])
    assert len(index) == len(exact) == len(ids) - 2
    rng = np.random.default_rng(8)
    for q in rng.normal(size=(5, DIM)).astype(np.float32):
        for filt in FILTERS:
            got, want = index.search(q, 10, filt), exact.search(q, 10, filt)
            assert [i for i, _ in got] == [i for i, _ in want], filt
            assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-5)
    assert "quantization_config" not in server.sent("PUT", f"/collections/{index.collection}")[0].body or \
        server.sent("PUT", f"/collections/{index.collection}")[0].body["quantization_config"] is None
