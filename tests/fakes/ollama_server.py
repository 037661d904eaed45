"""A fake Ollama server on 127.0.0.1 speaking the API Reflex uses: `GET /api/tags` (its model list, with sizes
and details as Ollama reports them), `GET /v1/models` and `POST /v1/chat/completions` (its OpenAI-compatible
API, streamed as Server-Sent Events). LM Studio and llama-server answer the same `/v1` paths, so
`FakeOllama(tags=False)` stands in for them. Replies are scripted (`reply=`, see `scripted_model`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from engine.llm.servers import ServerEngine, ServerModel
from engine.llm.service import LLMService
from tests.fakes.openai_server import FakeOpenAI


class FakeOllama(FakeOpenAI):
    def __init__(self, models: tuple[str, ...] = ("llama3.2:3b", "qwen2.5:7b-instruct"), *, tags: bool = True,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.models, self.tags = models, tags

    def path_ok(self, path: str) -> bool:
        return path.split("?")[0] == "/v1/chat/completions"

    def get_json(self, path: str) -> dict | None:
        if path == "/api/tags" and self.tags:
            return {"models": [{"name": name, "model": name, "modified_at": "2026-11-30T10:00:00Z",
                                "size": 2_019_393_189, "digest": f"{i:064x}",
                                "details": {"format": "gguf", "family": "llama", "parameter_size": "3.2B",
                                            "quantization_level": "Q4_K_M"}}
                               for i, name in enumerate(self.models)]}
        if path == "/v1/models":
            return {"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "library"}
                                               for name in self.models]}
        return None


@contextmanager
def llm_on(server: FakeOllama, model: str = "qwen2.5:7b-instruct") -> Iterator[LLMService]:
    """The production chat path (LLMService -> ServerEngine -> the openai SDK) to `model` on `server`."""
    engine = ServerEngine(ServerModel("ollama", server.url, model), audit=[].append)
    try:
        yield LLMService(runtime=engine, audit=[].append)
    finally:
        engine.close()
