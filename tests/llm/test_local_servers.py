"""Local model servers (Ollama, LM Studio, llama-server) as engines, against a fake Ollama speaking its API:
found on loopback, streamed, cancelled, audited as local; other hosts are never engines (they are cloud
providers, whose plain-HTTP rules tests/privacy covers)."""

from __future__ import annotations

import threading

import pytest

from engine.llm.budget import PromptParts
from engine.llm.errors import CloudNotAllowed, ModelUnavailable
from engine.llm.runtime import GenerationParams
from engine.llm.servers import ServerEngine, ServerModel, discover, is_loopback, parse_model_ref
from tests.fakes.ollama_server import FakeOllama

REPLY = "The pilot starts on 3 March and Dana signs the order form."


@pytest.fixture()
def ollama():
    server = FakeOllama(reply=lambda body: REPLY, chunk_size=6, chunk_delay_s=0.01)
    yield server
    server.stop()


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_servers_on_loopback_are_found_with_their_models(ollama) -> None:
    lmstudio = FakeOllama(("qwen2.5-7b-instruct",), tags=False)
    try:
        found = discover(ports=[("ollama", _port(ollama.url)), ("lmstudio", _port(lmstudio.url))])
        assert [m.id for m in found] == ["ollama:llama3.2:3b", "ollama:qwen2.5:7b-instruct",
                                         "lmstudio:qwen2.5-7b-instruct"]
        assert found[0].size_bytes > 0 and found[0].base_url == ollama.url
        extra = discover([lmstudio.url, "http://192.0.2.10:11434"], ports=[])  # a remote host is not an engine
        assert [m.id for m in extra] == ["openai-compatible:qwen2.5-7b-instruct"]
        assert parse_model_ref(found[0].ref).ref == found[0].ref
    finally:
        lmstudio.stop()


def test_a_server_model_streams_through_the_engine_and_is_audited_as_local(ollama) -> None:
    audit: list = []
    engine = ServerEngine(ServerModel("ollama", ollama.url, "llama3.2:3b"), audit=audit.append)
    try:
        pieces: list[str] = []
        done = engine.submit(PromptParts("When does the pilot start?", system="Be brief."),
                             GenerationParams(max_tokens=64), on_text=pieces.append).result(60)
        assert done.text == REPLY and len(pieces) > 3 and "".join(pieces) == REPLY
        assert done.finish_reason == "stop" and done.ttft_s > 0 and done.tokens_out > 0
        body = ollama.bodies[-1]
        assert body["model"] == "llama3.2:3b" and body["stream"] is True
        assert body["messages"][-1]["content"] == "When does the pilot start?"  # local: nothing redacted
        [entry] = audit
        assert entry.action == "local_server_call" and entry.target == "ollama"
        assert entry.detail["local"] is True and entry.detail["host"] == ollama.url.removeprefix("http://")
        assert REPLY not in str(entry.detail) and "pilot" not in str(entry.detail)  # never content
    finally:
        engine.close()


def test_a_server_answer_can_be_cancelled_mid_stream(ollama) -> None:
    ollama.chunk_delay_s = 0.05
    engine = ServerEngine(ServerModel("ollama", ollama.url, "llama3.2:3b"), audit=[].append)
    cancel = threading.Event()
    try:
        done = engine.submit(PromptParts("Go on."), on_text=lambda _t: cancel.set(), cancel=cancel).result(60)
        assert done.finish_reason == "cancelled" and 0 < len(done.text) < len(REPLY)
    finally:
        engine.close()


def test_a_stopped_server_is_a_clear_error(ollama) -> None:
    engine = ServerEngine(ServerModel("ollama", ollama.url, "llama3.2:3b"), audit=[].append)
    ollama.stop()
    try:
        with pytest.raises(ModelUnavailable, match="not answering") as err:
            engine.submit(PromptParts("Hello?")).result(30)
        assert "bundled model always works" in err.value.next_step
        with pytest.raises(Exception, match="no longer offers"):
            engine.load().result(60)
    finally:
        engine.close()


def test_only_loopback_servers_can_be_engines() -> None:
    assert is_loopback("http://127.0.0.1:11434") and is_loopback("http://[::1]:1234") and is_loopback("http://localhost")
    assert not is_loopback("http://192.168.1.20:11434") and not is_loopback("https://ollama.example.com")
    with pytest.raises(CloudNotAllowed, match="not on this computer"):
        ServerEngine(ServerModel("ollama", "http://192.168.1.20:11434", "llama3.2:3b"), audit=[].append)
