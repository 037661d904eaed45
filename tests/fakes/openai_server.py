"""A fake OpenAI (and Azure OpenAI / OpenAI-compatible) chat server on 127.0.0.1 for the real SDK.

Speaks the wire protocol the `openai` SDK uses: POST .../chat/completions with `stream: true`
answered by Server-Sent Events (`data: {chat.completion.chunk}` lines, a usage chunk, `data: [DONE]`)
written incrementally, JSON error bodies for scripted faults. `FakeChatServer` (the base, shared with
the Anthropic fake) records every request body and flags any request that contains a `forbidden`
string (redaction canaries) in `violations`, answering it with 400 so a leak also fails loudly.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Fault:
    status: int = 0  # 0 = no error, only the delay
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    times: int = 1


def echo_last_user(body: dict) -> str:
    """Default reply: repeats the last user message (so placeholders come back to the client)."""
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    content = users[-1]["content"] if users else ""
    return f"You said: {content}" if isinstance(content, str) else "You said something."


class FakeChatServer:
    """Threaded HTTP server; subclasses implement `path_ok`, `events` and `error_body`."""

    def __init__(self, *, forbidden: tuple[str, ...] = (), reply: Callable[[dict], str] = echo_last_user,
                 chunk_size: int = 4, chunk_delay_s: float = 0.002) -> None:
        self.forbidden = forbidden
        self.reply = reply
        self.chunk_size, self.chunk_delay_s = chunk_size, chunk_delay_s
        self.bodies: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.violations: list[str] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server API
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner._serve(self, raw)

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                owner._serve_get(self)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def fail(self, status: int = 0, *, headers: dict[str, str] | None = None, delay_s: float = 0.0,
             times: int = 1) -> None:
        """Script the next `times` requests: wait `delay_s`, then answer `status` (0 = normally)."""
        with self._lock:
            self._faults.append(Fault(status, headers or {}, delay_s, times))

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next_fault(self) -> Fault | None:
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            fault.times -= 1
            if fault.times <= 0:
                self._faults.pop(0)
            return fault

    def _serve(self, h: BaseHTTPRequestHandler, raw: bytes) -> None:
        text = raw.decode("utf-8", errors="replace")
        leaked = [c for c in self.forbidden if c in text]
        body = json.loads(raw or b"{}")
        with self._lock:
            self.bodies.append(body)
            self.headers.append({k.lower(): v for k, v in h.headers.items()})
            self.violations.extend(leaked)
        fault = self._next_fault()
        if fault and fault.delay_s:
            time.sleep(fault.delay_s)
        if leaked:
            return self._send_json(h, 400, self.error_body(400, "canary leaked"), {})
        if not self.path_ok(h.path):
            return self._send_json(h, 404, self.error_body(404, "unknown path"), {})
        if fault and fault.status:
            return self._send_json(h, fault.status, self.error_body(fault.status, "scripted"), fault.headers)
        reply = self.reply(body)
        pieces = [reply[i:i + self.chunk_size] for i in range(0, len(reply), self.chunk_size)]
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        try:
            for event in self.events(body, pieces):
                h.wfile.write(event.encode())
                h.wfile.flush()
                time.sleep(self.chunk_delay_s)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout / cancel): that is what some tests provoke

    def _serve_get(self, h: BaseHTTPRequestHandler) -> None:
        """GET endpoints (model listings); chat APIs have none, so 404 unless a subclass adds them."""
        payload = self.get_json(h.path.split("?")[0])
        if payload is None:
            return self._send_json(h, 404, self.error_body(404, "unknown path"), {})
        self._send_json(h, 200, payload, {})

    def get_json(self, path: str) -> dict | None:
        return None

    @staticmethod
    def _send_json(h: BaseHTTPRequestHandler, status: int, payload: dict, headers: dict[str, str]) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    # ---- protocol-specific -------------------------------------------------------------------
    def path_ok(self, path: str) -> bool:
        raise NotImplementedError

    def events(self, body: dict, pieces: list[str]) -> Iterator[str]:
        raise NotImplementedError

    def error_body(self, status: int, message: str) -> dict:
        raise NotImplementedError


def count_tokens(text: str) -> int:
    return max(1, len(text.split()))


class FakeOpenAI(FakeChatServer):
    """OpenAI chat completions; also matches Azure's /openai/deployments/<name>/chat/completions."""

    def path_ok(self, path: str) -> bool:
        return path.split("?")[0].endswith("/chat/completions")

    def events(self, body: dict, pieces: list[str]) -> Iterator[str]:
        def chunk(delta: dict, finish: str | None = None, usage: dict | None = None) -> str:
            payload = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                       "model": body.get("model", ""),
                       "choices": [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if usage:
                payload["usage"] = usage
            return f"data: {json.dumps(payload)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        for piece in pieces:
            yield chunk({"content": piece})
        yield chunk({}, "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            prompt = sum(count_tokens(m.get("content", "")) for m in body.get("messages", []))
            out = count_tokens("".join(pieces))
            yield chunk({}, usage={"prompt_tokens": prompt, "completion_tokens": out,
                                   "total_tokens": prompt + out})
        yield "data: [DONE]\n\n"

    def error_body(self, status: int, message: str) -> dict:
        kind = {401: "invalid_request_error", 429: "rate_limit_exceeded"}.get(status, "server_error")
        return {"error": {"message": message, "type": kind, "code": kind, "param": None}}
