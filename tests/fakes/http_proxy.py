"""A forwarding HTTP proxy on 127.0.0.1 (plain-HTTP targets only) that records which URLs went through it, to
prove that a client honours HTTP_PROXY/HTTPS_PROXY from the environment."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailers", "upgrade"}


class ForwardingProxy:
    def __init__(self) -> None:
        self.seen: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                owner.seen.append(f"{self.command} {self.path}")
                target = urlsplit(self.path)
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                upstream.request(self.command, target.path + (f"?{target.query}" if target.query else ""),
                                 headers=headers)
                reply = upstream.getresponse()
                self.send_response(reply.status)
                for k, v in reply.getheaders():
                    if k.lower() not in _HOP:
                        self.send_header(k, v)
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                if self.command != "HEAD":
                    while chunk := reply.read(1 << 16):
                        self.wfile.write(chunk)
                upstream.close()

            do_GET = do_HEAD = _forward  # noqa: N815 - http.server API

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
