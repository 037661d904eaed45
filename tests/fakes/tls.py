"""Local HTTP(S) servers for fakes: a self-signed certificate for 127.0.0.1 and a threaded server base.

`LocalServer` binds 127.0.0.1 on a random port, serves HTTP/1.1 with keep-alive (so client libraries
reuse connections as they would in production), logs every request (method, path) for request-count
assertions, and supports scripted faults: `fail(path_part, status, headers=..., body=..., times=n)`
makes the next n matching requests fail before reaching the fake's logic (429 + Retry-After, 5xx...).
Subclasses implement `handle(method, path, query, headers, body) -> Reply`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: object, status: int = 200, headers: Mapping[str, str] | None = None) -> "Reply":
        return cls(status, json.dumps(payload).encode(),
                   {"Content-Type": "application/json; charset=UTF-8", **(headers or {})})


@dataclass
class _Fault:
    path_part: str
    reply: Reply
    times: int


def make_self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """Write cert.pem + key.pem for 127.0.0.1 (SAN IP and DNS localhost); returns their paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class LocalServer:
    """Threaded HTTP(S) server on 127.0.0.1:<random>; use as a context manager or start()/stop()."""

    def __init__(self, *, tls: tuple[Path, Path] | None = None) -> None:
        self.requests: list[tuple[str, str]] = []
        self._faults: list[_Fault] = []
        self._lock = threading.RLock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two send()s; with Nagle on, the body waits for the client's
            # delayed ACK (~40 ms on Linux) on every response. Real front ends do not stall like that.
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                reply = owner.dispatch(self.command, parts.path, parse_qs(parts.query),
                                       {k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> "LocalServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults and request log ---------------------------------------------------------------------

    def fail(self, path_part: str, status: int, *, headers: Mapping[str, str] | None = None,
             body: object = None, times: int = 1) -> None:
        """The next `times` requests whose path contains `path_part` get this reply instead."""
        payload = body if body is not None else {"error": {"code": status, "message": "injected",
                                                           "errors": [{"reason": "injected"}]}}
        with self._lock:
            self._faults.append(_Fault(path_part, Reply.json(payload, status, headers), times))

    def count(self, path_part: str, method: str | None = None) -> int:
        with self._lock:
            return sum(1 for m, p in self.requests if path_part in p and (method is None or m == method))

    def take_fault(self, method: str, path: str) -> Reply | None:
        """Log the request; return the scripted fault reply for it, if one is due."""
        with self._lock:
            self.requests.append((method, path))
            for fault in self._faults:
                if fault.times > 0 and fault.path_part in path:
                    fault.times -= 1
                    return fault.reply
        return None

    def dispatch(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
                 body: bytes) -> Reply:
        fault = self.take_fault(method, path)
        if fault is not None:
            return fault
        return self.handle(method, path, {k: v[-1] for k, v in query.items()}, headers, body)

    def handle(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: bytes) -> Reply:
        raise NotImplementedError
