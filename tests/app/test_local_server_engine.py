"""A local server's model as the app's chat engine, through the production path (Services -> LLMService ->
ServerEngine -> the openai SDK) against a fake Ollama: listed, chosen as default without a restart, streamed,
cancelled, audited as local, measured, and switched back to the GGUF."""

from __future__ import annotations

import threading

import pytest

from app.context import AppContext
from app.facade import Facade
from app.services import Services
from engine.llm.capability import Tier
from engine.store import Store
from tests.fakes import scripted_model
from tests.fakes.ollama_server import FakeOllama


@pytest.fixture()
def ollama():
    server = FakeOllama(reply=scripted_model.good, chunk_size=8, chunk_delay_s=0.002)
    yield server
    server.stop()


@pytest.fixture()
def app_services(store: Store, ollama):
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    built = Services(ctx, measure_models=True)
    built.save_settings(local_server_urls=[ollama.url])
    yield built
    built.close()


def test_a_local_server_model_becomes_the_chat_engine_without_a_restart(app_services, ollama, store) -> None:
    services = app_services
    listed = [m.id for m in services.engines.local_servers()]
    assert "ollama:llama3.2:3b" in listed
    service = services.llm_service
    local_runtime = service.runtime
    assert Facade(services).use_chat_model("ollama:llama3.2:3b") == "ollama:llama3.2:3b"
    assert service is services.llm_service and service.runtime is not local_runtime  # same service, new engine
    assert services.settings.local_server_model == f"ollama:llama3.2:3b@{ollama.url}"

    pieces: list[str] = []
    answer = service.ask("Say hello to Dana Reyes.", feature="chat", on_token=pieces.append)
    assert answer.provider == "local" and answer.model == "llama3.2:3b" and len(pieces) > 1
    # Local: not redacted. (The background probe's requests interleave, so look through every request.)
    assert any("Dana Reyes" in m["content"] for body in ollama.bodies for m in body["messages"])
    audit = store.audit.since(action="local_server_call")
    assert audit and all(e.detail["local"] and e.target == "ollama" for e in audit)
    assert store.audit.since(action="cloud_call") == []

    cancel = threading.Event()
    ollama.chunk_delay_s = 0.05
    stopped = service.ask("Tell me more.", on_token=lambda _t: cancel.set(), cancel=cancel)
    assert stopped.finish_reason == "cancelled"


def test_a_server_model_is_measured_in_the_background_and_its_tier_is_used(app_services, ollama) -> None:
    services = app_services
    Facade(services).use_chat_model("ollama:llama3.2:3b")
    server = services.engines.local_server_model()
    measured = services.prober.ensure(server.capability_id, services.llm_runtime, use_grammar=False)
    assert measured.result(120).tier == Tier.SYNTHESISE  # the scripted server answers like a capable model
    assert services.engines.model_tier() == Tier.SYNTHESISE and services.engines.judgement_llm() is services.llm_service
    assert services.engines.capability_of(server.capability_id).tier == Tier.SYNTHESISE


def test_switching_back_to_the_bundled_model_needs_no_restart(app_services) -> None:
    services = app_services
    service = services.llm_service
    Facade(services).use_chat_model("ollama:llama3.2:3b")
    bundled = services.models.default().key
    assert Facade(services).use_chat_model(bundled) == bundled
    assert services.engines.local_server_model() is None and service.runtime.model_name == bundled
    with pytest.raises(Exception, match="No model named"):
        Facade(services).use_chat_model("ollama:not-there")
