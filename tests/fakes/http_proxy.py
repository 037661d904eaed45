"""A forwarding HTTP proxy on 127.0.0.1 (plain-HTTP targets only) that records which URLs went through it, to
prove that a client honours HTTP_PROXY/HTTPS_PROXY from the environment."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from tests.fakes.loopback import LoopbackServer, QuietHandler

_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailers", "upgrade"}


class ForwardingProxy(LoopbackServer):
    def __init__(self) -> None:
        self.seen: list[str] = []
        owner = self

        class Handler(QuietHandler):
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

        super().__init__(Handler)
