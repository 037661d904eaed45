"""A fake Hugging Face hub on 127.0.0.1 for the real `huggingface_hub` client.

Serves `HEAD`/`GET /{repo}/resolve/{revision}/{file}` as the hub does: `X-Repo-Commit`, an `ETag`, and for LFS
files (anything over 10 kB here, like the hub's LFS threshold for model weights) `X-Linked-Etag` = the sha256
and `X-Linked-Size`; small files get the git blob sha1 as their ETag. `Range: bytes=N-` is answered with 206.
Errors carry the hub's `X-Error-Code` header (RepoNotFound, EntryNotFound, RevisionNotFound, GatedRepo), which
`huggingface_hub` turns into its typed exceptions. Test knobs: `gated` repos need `Authorization: Bearer
<token>`; `corrupt` serves different bytes than the published hash; `rate_bps` throttles the body;
`stall_after` stops sending after N bytes of a body (a dropped connection).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.fakes.loopback import LoopbackServer, QuietHandler

LFS_THRESHOLD = 10_000
_CHUNK = 64 * 1024


@dataclass
class Served:
    data: bytes
    sha256: str
    sha1: str


@dataclass
class Request:
    method: str
    path: str
    range: str = ""
    authorized: bool = False


@dataclass
class FakeHub(LoopbackServer):
    repos: dict[str, dict[str, Path]] = field(default_factory=dict)  # repo -> {file name: local file}
    commit: str = "0123456789abcdef0123456789abcdef01234567"
    gated: dict[str, str] = field(default_factory=dict)  # repo -> token that opens it
    corrupt: set[str] = field(default_factory=set)  # file names served with flipped bytes
    rate_bps: float = 0.0  # 0 = as fast as possible
    stall_after: int = 0  # 0 = never: else send this many body bytes, then drop the connection
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._cache: dict[Path, Served] = {}
        self._lock = threading.Lock()
        owner = self

        class Handler(QuietHandler):
            def do_HEAD(self) -> None:  # noqa: N802 - http.server API
                owner._serve(self, body=False)

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                owner._serve(self, body=True)

        LoopbackServer.__init__(self, Handler)

    def served(self, path: Path) -> Served:
        with self._lock:
            if path not in self._cache:
                data = path.read_bytes()
                self._cache[path] = Served(data, hashlib.sha256(data).hexdigest(),
                                           hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest())
            return self._cache[path]

    def gets(self) -> list[Request]:
        return [r for r in self.requests if r.method == "GET"]

    # ---- protocol ---------------------------------------------------------------------------------------
    def _serve(self, h: BaseHTTPRequestHandler, *, body: bool) -> None:
        auth = h.headers.get("Authorization", "")
        match = re.fullmatch(r"/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)", h.path.split("?")[0])
        with self._lock:
            self.requests.append(Request(h.command, h.path, h.headers.get("Range", ""), bool(auth)))
        if match is None or match["repo"] not in self.repos:
            return self._error(h, 404, "RepoNotFound", "Repository not found")
        repo, rev, name = match["repo"], match["rev"], match["file"]
        if repo in self.gated and auth != f"Bearer {self.gated[repo]}":
            return self._error(h, 401, "GatedRepo", "Access to this model is restricted")
        if rev not in ("main", self.commit):
            return self._error(h, 404, "RevisionNotFound", "Invalid rev id")
        if name not in self.repos[repo]:
            return self._error(h, 404, "EntryNotFound", "Entry not found")
        served = self.served(self.repos[repo][name])
        data = served.data
        if name in self.corrupt:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        lfs = len(data) > LFS_THRESHOLD
        start = 0
        if body and (m := re.fullmatch(r"bytes=(\d+)-", h.headers.get("Range", ""))):
            start = int(m[1])
        h.send_response(206 if start else 200)
        h.send_header("X-Repo-Commit", self.commit)
        h.send_header("Accept-Ranges", "bytes")
        if lfs:
            h.send_header("ETag", f'"{served.sha256}"')
            h.send_header("X-Linked-Etag", f'"{served.sha256}"')
            h.send_header("X-Linked-Size", str(len(data)))
        else:
            h.send_header("ETag", f'"{served.sha1}"')
        if start:
            h.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        h.send_header("Content-Length", str(len(data) - start))
        h.send_header("Content-Type", "application/octet-stream")
        h.end_headers()
        if body:
            self._send_body(h, data[start:])

    def _send_body(self, h: BaseHTTPRequestHandler, data: bytes) -> None:
        sent, began = 0, time.perf_counter()
        try:
            while sent < len(data):
                if self.stall_after and sent >= self.stall_after:
                    h.close_connection = True
                    return
                piece = data[sent:sent + _CHUNK]
                h.wfile.write(piece)
                sent += len(piece)
                if self.rate_bps:  # throttle: never ahead of the configured rate
                    ahead = sent / self.rate_bps - (time.perf_counter() - began)
                    if ahead > 0:
                        time.sleep(ahead)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client cancelled

    @staticmethod
    def _error(h: BaseHTTPRequestHandler, status: int, code: str, message: str) -> None:
        data = f'{{"error": "{message}"}}'.encode()
        h.send_response(status)
        h.send_header("X-Error-Code", code)
        h.send_header("X-Error-Message", message)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(data)
