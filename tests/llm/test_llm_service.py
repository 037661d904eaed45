"""LLMService: routing policy cases, redaction on the wire, restoration, audit and cost accounting."""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from engine.llm.accounting import UsageLedger
from engine.llm.budget import ContextItem, PromptParts
from engine.llm.chat import ChatMessage
from engine.llm.cloud import CloudClient, CloudConfig
from engine.llm.errors import ContextOverflow, ModelUnavailable, StructuredOutputError
from engine.llm.router import RoutingPolicy
from engine.llm.runtime import GenerationParams, LocalRuntime
from engine.llm.schema_fit import close_truncated
from engine.llm.service import LLMService
from engine.llm.structured import schema_json, schema_to_gbnf
from tests.fakes.openai_server import FakeOpenAI

CANARY_EMAIL = "canary.ceo@northwind.example"
CANARY_PHONE = "+1 415 555 0132"
CANARY_CARD = "4111 1111 1111 1111"
CANARY_NAME = "Dana Whitfield"
CANARIES = (CANARY_EMAIL, "415 555 0132", "4111 1111 1111 1111", "4111111111111111", CANARY_NAME)
SHORT = GenerationParams(max_tokens=8, temperature=0.0)


@pytest.fixture
def fake():
    server = FakeOpenAI(forbidden=CANARIES)
    yield server
    server.stop()


@pytest.fixture
def audit():
    return []


def make(fake, audit, *, runtime=None, policy=RoutingPolicy(), ledger=None) -> LLMService:
    cloud = CloudClient(CloudConfig("openai", "gpt-4o-mini", base_url=fake.url + "/v1", max_retries=0),
                        key_lookup=lambda _p: "sk-test")
    return LLMService(runtime=runtime, cloud=cloud, policy=policy, audit=audit.append, ledger=ledger,
                      contacts=lambda: [CANARY_NAME, "Omar Haddad"])


@pytest.fixture
def missing_runtime(tmp_path):
    rt = LocalRuntime(tmp_path / "gone.gguf", n_ctx=512, n_threads=1)
    yield rt
    rt.close()


def test_redacts_before_the_wire_and_restores_locally(fake, audit, missing_runtime):
    state: dict = {}
    ledger = UsageLedger(load=lambda: state.get("v"), save=lambda v: state.__setitem__("v", v))
    service = make(fake, audit, runtime=missing_runtime, ledger=ledger)
    parts = PromptParts(
        question=f"Email {CANARY_EMAIL} and call {CANARY_PHONE} about card {CANARY_CARD}.",
        system=f"Executive assistant for {CANARY_NAME}.",
        history=[ChatMessage("user", f"Who is {CANARY_NAME}?"), ChatMessage("assistant", "Your CFO.")],
        context=[ContextItem(f"{CANARY_NAME} <{CANARY_EMAIL}> owns the budget.", 0.9, "mail")],
        context_version=7)
    pieces: list[str] = []
    answer = service.ask(parts, feature="chat", allow_cloud=True, on_token=pieces.append)
    assert fake.violations == [] and len(fake.bodies) == 1
    wire = str(fake.bodies[0])
    assert "[EMAIL_1]" in wire and "[PHONE_1]" in wire and "[CARD_1]" in wire and "[NAME_1]" in wire
    assert CANARY_EMAIL in answer.text and CANARY_CARD in answer.text  # restored locally
    assert "".join(pieces) == answer.text  # restored in the stream too, across chunk splits
    assert (answer.provider, answer.model, answer.context_version) == ("openai", "gpt-4o-mini", 7)
    assert answer.redactions >= 6 and answer.cost_usd > 0
    [entry] = audit
    assert entry.action == "cloud_call" and entry.target == "openai"
    assert entry.detail["redactions"] == answer.redactions and entry.detail["feature"] == "chat"
    assert entry.detail["tokens_in"] == answer.tokens_in > 0
    assert not any(c in repr(entry) for c in CANARIES) and "Email" not in repr(entry)
    today = ledger.day(date.today())["openai"]
    assert today["calls"] == 1 and today["tokens_out"] == answer.tokens_out


def test_anthropic_gets_the_redacted_prompt_too(audit, missing_runtime):
    """Redaction sits in the service, before any provider: the Anthropic wire never sees the canaries either."""
    from tests.fakes.anthropic_server import FakeAnthropic

    server = FakeAnthropic(forbidden=CANARIES)
    try:
        cloud = CloudClient(CloudConfig("anthropic", "claude-3-5-haiku-latest", base_url=server.url, max_retries=0),
                            key_lookup=lambda _p: "sk-test")
        service = LLMService(runtime=missing_runtime, cloud=cloud, policy=RoutingPolicy(), audit=audit.append,
                             contacts=lambda: [CANARY_NAME])
        parts = PromptParts(question=f"Email {CANARY_EMAIL} and call {CANARY_PHONE} about card {CANARY_CARD}.",
                            system=f"Executive assistant for {CANARY_NAME}.")
        answer = service.ask(parts, feature="chat", allow_cloud=True)
        assert server.violations == [] and len(server.bodies) == 1
        assert "[EMAIL_1]" in str(server.bodies[0]) and CANARY_EMAIL in answer.text  # restored locally
        [entry] = audit
        assert entry.target == "anthropic" and entry.detail["redactions"] == answer.redactions >= 3
    finally:
        server.stop()


def test_failed_cloud_call_is_audited_too(fake, audit):
    fake.fail(401)
    with pytest.raises(Exception, match="rejected"):
        make(fake, audit).ask("hi", allow_cloud=True)
    assert audit[0].detail["outcome"] == "ApiKeyRejected"


# ---- routing policy (pure) ------------------------------------------------------------------
def test_policy_plans():
    default = RoutingPolicy()
    assert default.plan("chat", False, True).primary == "local"
    assert default.plan("chat", False, True).cloud_fallbacks == frozenset()
    assert default.plan("chat", True, True).primary == "cloud"  # "ask cloud" for one request
    assert default.plan("chat", True, False).primary == "local"  # no cloud configured
    per_feature = RoutingPolicy(cloud_features=frozenset({"briefing"}), fallback_on_failure=True)
    assert per_feature.plan("briefing", False, True).cloud_fallbacks == {"model_missing", "local_failed"}
    assert per_feature.plan("chat", False, True).cloud_fallbacks == frozenset()
    prefer = RoutingPolicy(cloud_enabled=True, prefer_cloud_features=frozenset({"briefing"}))
    assert prefer.plan("briefing", False, True).primary == "cloud"
    everything = RoutingPolicy(cloud_enabled=True, fallback_on_failure=True, fallback_on_overflow=True,
                               latency_budget_s=2)
    assert everything.plan("chat", False, True).cloud_fallbacks == {
        "model_missing", "local_failed", "context_overflow", "latency"}


# ---- routing through the service ----------------------------------------------------------
def test_missing_model_stays_local_without_opt_in(fake, audit, missing_runtime):
    with pytest.raises(ModelUnavailable):
        make(fake, audit, runtime=missing_runtime,
             policy=RoutingPolicy(fallback_on_failure=True)).ask("hi")
    assert fake.bodies == [] and audit == []


def test_missing_model_falls_back_when_allowed(fake, audit, missing_runtime):
    policy = RoutingPolicy(cloud_enabled=True, fallback_on_failure=True)
    answer = make(fake, audit, runtime=missing_runtime, policy=policy).ask("hi")
    assert answer.provider == "openai" and answer.fallback_reason == "model_missing"
    assert audit[0].detail["fallback_reason"] == "model_missing"


def test_missing_model_without_fallback_flag_raises(fake, audit, missing_runtime):
    with pytest.raises(ModelUnavailable):
        make(fake, audit, runtime=missing_runtime, policy=RoutingPolicy(cloud_enabled=True)).ask("hi")
    assert fake.bodies == []


@pytest.mark.model
def test_local_by_default(fake, audit, runtime):
    answer = make(fake, audit, runtime=runtime, policy=RoutingPolicy(cloud_enabled=True)).ask(
        "Say hello.", params=SHORT)
    assert answer.is_local and answer.model == runtime.model_name and answer.text
    assert fake.bodies == []


@pytest.mark.model
def test_per_feature_cloud_preference(fake, audit, runtime):
    policy = RoutingPolicy(cloud_features=frozenset({"briefing"}),
                           prefer_cloud_features=frozenset({"briefing"}))
    service = make(fake, audit, runtime=runtime, policy=policy)
    assert service.ask("Brief me.", feature="briefing", params=SHORT).provider == "openai"
    assert service.ask("Brief me.", feature="chat", params=SHORT).is_local


@pytest.mark.model
def test_overflow_falls_back_only_when_allowed(fake, audit, runtime):
    huge = "budget review " * 1500  # ~3,000 tokens > the fixture's 2,048 context
    fake.reply = lambda _body: "Cloud answer."
    with pytest.raises(ContextOverflow):
        make(fake, audit, runtime=runtime, policy=RoutingPolicy(cloud_enabled=True)).ask(huge, params=SHORT)
    answer = make(fake, audit, runtime=runtime,
                  policy=RoutingPolicy(cloud_enabled=True, fallback_on_overflow=True)).ask(huge, params=SHORT)
    assert answer.provider == "openai" and answer.fallback_reason == "context_overflow"


@pytest.mark.model
def test_latency_budget_falls_back_when_allowed(fake, audit, runtime):
    slow = "Summarise: " + "the quarterly plan changed again " * 200  # seconds of prefill
    fake.reply = lambda _body: "Cloud answer."
    policy = RoutingPolicy(cloud_enabled=True, latency_budget_s=0.2)
    t0 = time.monotonic()
    answer = make(fake, audit, runtime=runtime, policy=policy).ask(slow, params=SHORT)
    assert answer.fallback_reason == "latency" and answer.provider == "openai"
    assert time.monotonic() - t0 < 1.5
    # without the cloud opt-in the budget does not apply: the local model is never abandoned
    assert RoutingPolicy(latency_budget_s=0.2).plan("chat", False, True).latency_budget_s == 0


@pytest.mark.model
def test_cloud_unreachable_answers_locally_when_allowed(fake, audit, runtime):
    fake.stop()
    answer = make(fake, audit, runtime=runtime).ask("Say hello.", allow_cloud=True, params=SHORT)
    assert answer.is_local and answer.fallback_reason == "cloud_failed"
    assert audit[0].detail["outcome"] == "CloudUnreachable"


@pytest.mark.model
def test_user_cancel_through_the_service(fake, audit, runtime):
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    answer = make(fake, audit, runtime=runtime).ask("Write a long story.", cancel=cancel,
                                                    params=GenerationParams(max_tokens=400))
    assert answer.finish_reason == "cancelled"


class Meeting(BaseModel):
    title: str = Field(min_length=1, max_length=40)
    minutes: Literal[15, 30, 45, 60]
    remote: bool


@pytest.mark.model
def test_structured_output_is_valid_json_over_20_prompts(fake, audit, runtime):
    """A caller's tight budget (40 tokens) cannot cut a bounded schema's reply: the service sizes the budget from
    the schema, so every prompt yields a valid instance on any machine, whatever words the model picks."""
    service = make(fake, audit, runtime=runtime)
    topics = ["budget", "hiring", "Q3 roadmap", "board prep", "pricing", "churn", "security review",
              "offsite", "vendor contract", "press release", "all-hands", "OKRs", "sales pipeline",
              "product launch", "legal", "partnership", "fundraising", "customer escalation",
              "performance reviews", "office move"]
    for i, topic in enumerate(topics):
        meeting = service.structured(f"Plan a meeting about {topic}.", Meeting,
                                     params=GenerationParams(max_tokens=40, temperature=0.7, seed=i))
        assert isinstance(meeting, Meeting) and meeting.title
    assert fake.bodies == []


class Note(BaseModel):
    text: str = Field(min_length=60)  # unbounded, and more than 8 tokens can hold


@pytest.mark.model
def test_a_reply_cut_by_the_budget_is_closed_into_valid_json(runtime):
    """An unbounded field runs out of tokens; the cut reply is still closed into JSON holding what was written
    (validation then reports the too-short text, instead of a JSON syntax error)."""
    grammar = schema_to_gbnf(schema_json(Note))
    cut = GenerationParams(max_tokens=8, temperature=0.0, grammar=grammar)
    done = runtime.complete(PromptParts("Write a long note about the quarterly business review."), cut)
    assert done.finish_reason == "length"
    with pytest.raises(ValueError):
        json.loads(done.text)  # the raw reply really was cut
    closed = json.loads(close_truncated(done.text))
    assert list(closed) == ["text"] and isinstance(closed["text"], str) and closed["text"]


class Budget(BaseModel):
    amount: int = Field(ge=1_000_000_000)  # a range the grammar cannot express


@pytest.mark.model
def test_structured_output_retries_once_then_fails_clearly(fake, audit, runtime):
    calls: list[str] = []
    service = make(fake, audit, runtime=runtime)
    original = service._local

    def counting(parts, *args):
        calls.append(parts.question)
        return original(parts, *args)

    service._local = counting  # observe the real local calls
    with pytest.raises(StructuredOutputError, match="did not match") as err:
        service.structured("What is the team budget? Reply with a small number like 5.", Budget,
                           params=GenerationParams(max_tokens=20, temperature=0.0))
    assert len(calls) == 2 and "not valid" in calls[1] and err.value.next_step
