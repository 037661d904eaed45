"""Server mode: the vector index on a Qdrant server or cluster, behind the `VectorIndex` interface.

For teams whose corpus outgrows one laptop. The server receives chunk ids, vectors and filterable metadata
only — never text: the thread key and person tokens are sent as SHA-256 digests salted with a random secret of
this install (kept in the encrypted store; a public salt would let the server recover addresses by trying a
dictionary), source type and time as-is. Text stays in the encrypted store and is looked up by id.

One collection per embedding model and salt (its name carries a digest of both), so vectors of two models are
never compared; the collection of older versions (public salt) is deleted when found. The API key comes from the
OS keyring (`QDRANT_KEYRING_SERVICE`, user = server URL), never from settings files, and only travels over HTTPS
(plain HTTP only to this computer). Every call is reported to `on_call` (the egress audit): operation, item
count, outcome.

At the size of a ten-year mailbox (a million chunks of 384 dimensions, #20) a collection is configured like the
laptop's index: int8 scalar quantization kept in RAM (~400 MB per million vectors instead of 1.5 GB), the float
vectors on disk, and each search rescoring 2x the wanted candidates with the float vectors (Qdrant's
`oversampling` + `rescore`). `quantization=False` keeps exact float search (small collections, parity tests).

Threads: qdrant-client is safe to share between threads. Errors: server failures raise `RetrievalError`.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Callable, Iterable, Sequence

import numpy as np

from engine.endpoints import credentials_allowed
from engine.errors import RetrievalError
from models import ChunkMeta, IndexFilter

log = logging.getLogger(__name__)

QDRANT_KEYRING_SERVICE = "reflex-qdrant"
_UPSERT_BATCH = 256
#: Candidates rescored with the float vectors, as a multiple of the results wanted.
RESCORE_OVERSAMPLING = 2.0


def _digest(value: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}\x00{value}".encode()).hexdigest()[:24]


OnCall = Callable[[str, int, str], None]  # (operation, items, outcome "ok" | "failed")


def new_salt() -> str:
    """A per-install secret for the payload digests (store it; digests only match under the same salt)."""
    return secrets.token_hex(16)


class QdrantIndex:
    """A `VectorIndex` on a Qdrant collection; `client` may be any `QdrantClient` (tests use ':memory:')."""

    def __init__(self, client: object, *, model_id: str, dim: int, salt: str, on_call: OnCall | None = None,
                 collection_prefix: str = "reflex", quantization: bool = True) -> None:
        from qdrant_client import models

        if len(salt) < 16:
            raise ValueError("the salt must be a random secret (new_salt())")
        self._client = client
        self._m = models
        self.model_id = model_id
        self.dim = dim
        self._salt = salt
        self._on_call = on_call or (lambda _op, _n, _outcome: None)
        self._quantization = quantization
        self.collection = f"{collection_prefix}_{_digest(model_id, salt)[:12]}"
        self._legacy_collection = f"{collection_prefix}_{hashlib.sha256(model_id.encode()).hexdigest()[:12]}"
        self._call("open", 0, self._ensure_collection)

    @classmethod
    def connect(cls, url: str, *, model_id: str, dim: int, salt: str, on_call: OnCall | None = None,
                timeout_s: int = 10, client_factory: Callable[..., object] | None = None) -> QdrantIndex:
        """Connect to a server over HTTPS (plain HTTP only to this computer); the API key is read from the keyring
        (none: an unauthenticated server)."""
        import keyring

        if not credentials_allowed(url):
            raise RetrievalError(f"The Qdrant server {url} must be reached over https:// (plain http only on this "
                                 "computer): vectors and the API key would cross the network unencrypted.",
                                 next_step="Use the server's https:// URL in Settings, or leave it empty for local "
                                 "search.")
        if client_factory is None:
            from qdrant_client import QdrantClient as client_factory  # noqa: N813
        api_key = keyring.get_password(QDRANT_KEYRING_SERVICE, url)
        return cls(client_factory(url=url, api_key=api_key, timeout=timeout_s), model_id=model_id, dim=dim,
                   salt=salt, on_call=on_call)

    def _call(self, operation: str, items: int, fn, *args, **kwargs):  # noqa: ANN001, ANN202
        """Run one client call, report it to `on_call`, translate its errors."""
        try:
            result = fn(*args, **kwargs)
        except RetrievalError:
            self._on_call(operation, items, "failed")
            raise
        except Exception as exc:  # noqa: BLE001 - HTTP, gRPC and validation errors of the client
            self._on_call(operation, items, "failed")
            log.warning("qdrant call failed: %s", type(exc).__name__)
            raise RetrievalError(f"The Qdrant server did not answer ({type(exc).__name__})",
                                 next_step="Check the server URL and API key in Settings, or switch to local search.") from exc
        self._on_call(operation, items, "ok")
        return result

    def _ensure_collection(self) -> None:
        m = self._m
        if self._client.collection_exists(self._legacy_collection):  # digests under the old public salt
            self._client.delete_collection(self._legacy_collection)
        if self._client.collection_exists(self.collection):
            return
        quantized = self._quantization
        self._client.create_collection(
            self.collection, vectors_config=m.VectorParams(size=self.dim, distance=m.Distance.DOT, on_disk=quantized),
            quantization_config=m.ScalarQuantization(scalar=m.ScalarQuantizationConfig(
                type=m.ScalarType.INT8, quantile=0.99, always_ram=True)) if quantized else None)
        for name, schema in (("source_type", m.PayloadSchemaType.KEYWORD), ("thread", m.PayloadSchemaType.KEYWORD),
                             ("people", m.PayloadSchemaType.KEYWORD), ("at", m.PayloadSchemaType.FLOAT)):
            self._client.create_payload_index(self.collection, name, field_schema=schema)

    def _payload(self, meta: ChunkMeta) -> dict[str, object]:
        payload: dict[str, object] = {
            "source_type": meta.source_type,
            "thread": _digest(meta.thread_key, self._salt),
            "people": [_digest(p, self._salt) for p in meta.people],
        }
        if meta.occurred_at is not None:
            payload["at"] = meta.occurred_at
        return payload

    def upsert(self, ids: Sequence[int], vectors: np.ndarray, metas: Sequence[ChunkMeta]) -> None:
        m = self._m
        vectors = np.asarray(vectors, dtype=np.float32)
        for start in range(0, len(ids), _UPSERT_BATCH):
            points = [m.PointStruct(id=int(i), vector=v.tolist(), payload=self._payload(meta))
                      for i, v, meta in zip(ids[start:start + _UPSERT_BATCH], vectors[start:start + _UPSERT_BATCH],
                                            metas[start:start + _UPSERT_BATCH])]
            self._call("upsert", len(points), self._client.upsert, self.collection, points=points, wait=True)

    def delete(self, ids: Iterable[int]) -> None:
        ids = [int(i) for i in ids]
        if ids:
            self._call("delete", len(ids), self._client.delete, self.collection,
                       points_selector=self._m.PointIdsList(points=ids))

    def _filter(self, filt: IndexFilter | None):  # noqa: ANN202 - qdrant models.Filter
        m = self._m
        if filt is None or filt.is_empty:
            return None
        must: list[object] = []
        if filt.source_types:
            must.append(m.FieldCondition(key="source_type", match=m.MatchAny(any=sorted(filt.source_types))))
        if filt.thread_keys:
            must.append(m.FieldCondition(key="thread", match=m.MatchAny(
                any=[_digest(t, self._salt) for t in sorted(filt.thread_keys)])))
        for token in filt.people:
            must.append(m.FieldCondition(key="people", match=m.MatchValue(value=_digest(token, self._salt))))
        if filt.since is not None or filt.until is not None:
            must.append(m.FieldCondition(key="at", range=m.Range(gte=filt.since, lt=filt.until)))
        must_not = [m.HasIdCondition(has_id=sorted(filt.exclude_ids))] if filt.exclude_ids else None
        return m.Filter(must=must or None, must_not=must_not)

    def search(self, vector: np.ndarray, k: int, filt: IndexFilter | None = None) -> list[tuple[int, float]]:
        params = self._m.SearchParams(quantization=self._m.QuantizationSearchParams(
            rescore=True, oversampling=RESCORE_OVERSAMPLING)) if self._quantization else None
        response = self._call("search", k, self._client.query_points, self.collection,
                              query=np.asarray(vector, dtype=np.float32).tolist(), limit=k,
                              query_filter=self._filter(filt), with_payload=False, search_params=params)
        return [(int(p.id), float(p.score)) for p in response.points]

    def clear(self) -> None:
        self._call("clear", 0, self._client.delete_collection, self.collection)
        self._call("open", 0, self._ensure_collection)

    def __len__(self) -> int:
        return int(self._call("count", 0, self._client.count, self.collection, exact=True).count)
