"""Qdrant server mode is audited and private (issue #16 item 11): a random secret salt per install for the
payload digests (a public one let the server recover addresses with a dictionary), every call in the egress
audit, and the server only over HTTPS (plain HTTP to this computer only)."""

from __future__ import annotations

import hashlib
import shutil
import warnings

import numpy as np
import pytest

from engine.errors import RetrievalError
from engine.privacy import AuditLog
from engine.retrieval.qdrant_index import QdrantIndex
from engine.retrieval.service import qdrant_index
from engine.store import Store
from models import ChunkMeta

# Local mode stands in for the server here: it searches exactly and says so about the quantization settings.
pytestmark = pytest.mark.filterwarnings("ignore:Local mode performs exact")


class LocalServer:
    """A qdrant-client in local mode standing in for the server (the client API is the same)."""

    def __init__(self) -> None:
        from qdrant_client import QdrantClient

        self.client = QdrantClient(":memory:")
        self.urls: list[str] = []

    def __call__(self, *, url: str, api_key: str | None, timeout: int) -> object:
        self.urls.append(url)
        return self.client


def _index(store: Store, server: LocalServer, url: str = "https://qdrant.corp.example:6333") -> QdrantIndex:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Payload indexes have no effect")
        return qdrant_index(store, url, model_id="onnx:test:1", dim=4, client_factory=server)


def _people_digests(server: LocalServer, index: QdrantIndex) -> set[str]:
    points, _ = server.client.scroll(index.collection, limit=100, with_payload=True)
    return {d for p in points for d in p.payload["people"]}


def test_digests_use_a_secret_salt_of_this_install(store: Store, tmp_path) -> None:
    server = LocalServer()
    index = _index(store, server)
    index.upsert([1], np.ones((1, 4), dtype=np.float32), [ChunkMeta("email", people=("dana@acme.example",))])
    [digest] = _people_digests(server, index)
    public = hashlib.sha256(b"onnx:test:1").hexdigest()[:16]  # the salt of earlier versions: derivable by anyone
    assert digest != hashlib.sha256(f"{public}\x00dana@acme.example".encode()).hexdigest()[:24]
    assert _index(store, server).collection == index.collection  # the salt is kept: filters keep matching
    other = tmp_path / "other.db"
    shutil.copyfile(store.path, other)
    with Store.open(other, store.key) as copy:
        copy.settings.delete("retrieval.qdrant_salt")  # another install
        assert _index(copy, LocalServer()).collection != index.collection


def test_every_server_call_is_in_the_egress_audit(store: Store) -> None:
    server = LocalServer()
    index = _index(store, server)
    index.upsert([1, 2], np.ones((2, 4), dtype=np.float32), [ChunkMeta("email"), ChunkMeta("email")])
    index.search(np.ones(4, dtype=np.float32), 5)
    entries = AuditLog(store).entries(actions=["vector_call"])
    assert [e.detail["operation"] for e in entries] == ["open", "upsert", "search"]
    assert {e.target for e in entries} == {"qdrant.corp.example"} and entries[1].detail["items"] == 2


@pytest.mark.parametrize("url", ["http://qdrant.corp.example:6333", "http://192.168.1.20:6333"])
def test_plain_http_to_another_machine_is_refused(store: Store, url: str) -> None:
    server = LocalServer()
    with pytest.raises(RetrievalError, match="https"):
        _index(store, server, url)
    assert server.urls == []  # no client was even built


def test_plain_http_to_this_computer_is_allowed(store: Store) -> None:
    server = LocalServer()
    _index(store, server, "http://127.0.0.1:6333")
    assert server.urls == ["http://127.0.0.1:6333"]
