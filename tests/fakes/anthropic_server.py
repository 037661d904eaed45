"""A fake Anthropic Messages API on 127.0.0.1 for the real `anthropic` SDK: POST /v1/messages with
`stream: true` answered by the documented SSE event sequence (message_start, content_block_*,
message_delta with usage, message_stop). Shares `FakeChatServer` (canary checks, faults)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from tests.fakes.openai_server import FakeChatServer, count_tokens


class FakeAnthropic(FakeChatServer):
    def path_ok(self, path: str) -> bool:
        return path.split("?")[0].endswith("/v1/messages")

    def events(self, body: dict, pieces: list[str]) -> Iterator[str]:
        def event(kind: str, payload: dict) -> str:
            return f"event: {kind}\ndata: {json.dumps({'type': kind, **payload})}\n\n"

        prompt = count_tokens(str(body.get("system", ""))) + sum(
            count_tokens(str(m.get("content", ""))) for m in body.get("messages", []))
        yield event("message_start", {"message": {
            "id": "msg_fake", "type": "message", "role": "assistant", "model": body.get("model", ""),
            "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": prompt, "output_tokens": 1}}})
        yield event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}})
        yield event("ping", {})
        for piece in pieces:
            yield event("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": piece}})
        yield event("content_block_stop", {"index": 0})
        yield event("message_delta", {"delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                      "usage": {"output_tokens": count_tokens("".join(pieces))}})
        yield event("message_stop", {})

    def error_body(self, status: int, message: str) -> dict:
        kind = {401: "authentication_error", 429: "rate_limit_error"}.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}
