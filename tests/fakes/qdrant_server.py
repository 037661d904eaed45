"""A fake Qdrant server speaking the REST API that qdrant-client uses, over HTTP or TLS on 127.0.0.1.

It keeps collections in memory, records every request (method, path, headers, JSON body) for assertions, and
answers queries by exact brute force with Qdrant's filter semantics for the conditions Reflex sends (match any /
match value on keyword or keyword-array payloads, range, has_id in must_not). So a test sees what the client
really sends (quantization settings, search params, the API key header, payload digests) and that results agree
with exact search when the server does not quantize.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests.fakes.tls import LocalServer, Reply

SERVER_VERSION = "1.15.0"


@dataclass
class Collection:
    config: dict
    points: dict[int, tuple[np.ndarray, dict]] = field(default_factory=dict)
    indexes: dict[str, object] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None


def _ok(result: object) -> Reply:
    return Reply.json({"result": result, "status": "ok", "time": 0.0001})


def _matches(payload: dict, point_id: int, flt: dict | None) -> bool:
    if not flt:
        return True
    for cond in flt.get("must") or []:
        if not _condition(payload, point_id, cond):
            return False
    return not any(_condition(payload, point_id, cond) for cond in flt.get("must_not") or [])


def _condition(payload: dict, point_id: int, cond: dict) -> bool:
    if "has_id" in cond:
        return point_id in set(cond["has_id"])
    value = payload.get(cond["key"])
    values = value if isinstance(value, list) else [value]
    if cond.get("match") is not None:
        match = cond["match"]
        wanted = set(match["any"]) if "any" in match else {match["value"]}
        return any(v in wanted for v in values)
    if cond.get("range") is not None:
        bounds = cond["range"]
        if value is None:
            return False
        return all(op is None or test for op, test in (
            (bounds.get("gte"), value >= (bounds.get("gte") or 0)), (bounds.get("gt"), value > (bounds.get("gt") or 0)),
            (bounds.get("lt"), value < (bounds.get("lt") or 0)), (bounds.get("lte"), value <= (bounds.get("lte") or 0))))
    raise AssertionError(f"condition the fake does not know: {cond}")


class FakeQdrant(LocalServer):
    """`calls` lists what the client sent; `api_key` (when set) is required in the `api-key` header."""

    def __init__(self, *, tls: tuple[Path, Path] | None = None, api_key: str | None = None) -> None:
        super().__init__(tls=tls)
        self.api_key = api_key
        self.collections: dict[str, Collection] = {}
        self.calls: list[Request] = []
        self._data_lock = threading.Lock()

    def sent(self, method: str, path_end: str) -> list[Request]:
        return [r for r in self.calls if r.method == method and r.path.endswith(path_end)]

    def handle(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: bytes) -> Reply:
        payload = json.loads(body) if body else None
        lowered = {k.lower(): v for k, v in headers.items()}
        with self._data_lock:
            self.calls.append(Request(method, path, lowered, payload))
            if path == "/":
                return Reply.json({"title": "qdrant - vector search engine", "version": SERVER_VERSION})
            if self.api_key is not None and lowered.get("api-key") != self.api_key:
                return Reply.json({"status": {"error": "Must provide an API key"}}, status=401)
            return self._route(method, path.strip("/").split("/"), payload)

    def _route(self, method: str, parts: list[str], body: dict | None) -> Reply:
        if len(parts) < 2 or parts[0] != "collections":
            return Reply.json({"status": {"error": "not found"}}, status=404)
        name, rest = parts[1], parts[2:]
        coll = self.collections.get(name)
        if rest == ["exists"] and method == "GET":
            return _ok({"exists": coll is not None})
        if not rest and method == "PUT":
            self.collections[name] = Collection(config=body or {})
            return _ok(True)
        if not rest and method == "DELETE":
            return _ok(self.collections.pop(name, None) is not None)
        if coll is None:
            return Reply.json({"status": {"error": f"Collection `{name}` doesn't exist!"}}, status=404)
        if rest == ["index"] and method == "PUT":
            coll.indexes[body["field_name"]] = body.get("field_schema")
            return _ok({"operation_id": 0, "status": "completed"})
        if rest == ["points"] and method == "PUT":
            for point in body["points"]:
                coll.points[int(point["id"])] = (np.asarray(point["vector"], dtype=np.float32), point.get("payload") or {})
            return _ok({"operation_id": 1, "status": "completed"})
        if rest == ["points", "delete"] and method == "POST":
            for pid in body["points"]:
                coll.points.pop(int(pid), None)
            return _ok({"operation_id": 2, "status": "completed"})
        if rest == ["points", "count"] and method == "POST":
            return _ok({"count": len(coll.points)})
        if rest == ["points", "query"] and method == "POST":
            return _ok({"points": self._query(coll, body)})
        return Reply.json({"status": {"error": f"the fake does not serve {method} {'/'.join(parts)}"}}, status=404)

    @staticmethod
    def _query(coll: Collection, body: dict) -> list[dict]:
        raw = body["query"]
        query = np.asarray(raw["nearest"] if isinstance(raw, dict) else raw, dtype=np.float32)
        scored = [(float(vec @ query), pid) for pid, (vec, payload) in coll.points.items()
                  if _matches(payload, pid, body.get("filter"))]
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [{"id": pid, "version": 0, "score": score} for score, pid in scored[: int(body.get("limit", 10))]]
