"""The capability probe: tiers are measured (scripted servers for the higher tiers, the bundled model for the
lowest), stored per model, re-measured when the probe changes, and measuring never blocks the caller."""

from __future__ import annotations

import json
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.llm.capability import (
    PROBE_VERSION,
    ProbeResult,
    Tier,
    builtin_probe,
    check,
    run_probe,
    unsupported,
)
from engine.llm.probing import CapabilityBook, CapabilityProber, engine_generate, gguf_model_id
from engine.llm.servers import ServerEngine, ServerModel
from tests.fakes import scripted_model
from tests.fakes.ollama_server import FakeOllama


def _book() -> tuple[CapabilityBook, dict]:
    saved: dict = {}
    return CapabilityBook(load=lambda: saved.get("state"), save=lambda s: saved.__setitem__("state", s)), saved


@pytest.fixture()
def scripted():
    """A fake Ollama whose answers a test scripts by setting `server.reply`."""
    server = FakeOllama(chunk_size=64, chunk_delay_s=0)
    audit: list = []
    engine = ServerEngine(ServerModel("ollama", server.url, "llama3.2:3b"), audit=audit.append)
    yield server, engine, audit
    engine.close()
    server.stop()


def _item(item_id: str):
    return next(i for i in builtin_probe().items if i.id == item_id)


def test_the_probe_has_a_few_dozen_items_of_every_kind() -> None:
    probe = builtin_probe()
    kinds = {i.kind for i in probe.items}
    assert 24 <= len(probe.items) <= 40 and kinds == {"grounded", "synthesis", "extract", "refusal"}
    assert len({i.id for i in probe.items}) == len(probe.items)


def test_checker_credits_the_gold_fact_and_flags_invented_numbers_and_names() -> None:
    item = _item("g01")  # Harlow Foods asked for a 12% discount
    assert check(item, "Harlow Foods asked for a 12% discount [1].").passed
    assert not check(item, "They asked for a 15% discount.").passed
    invented = check(item, "A 12% discount, agreed with Paul Grant in 2024.")
    assert not invented.passed and invented.hallucinated
    assert check(_item("r01"), "Not in the sources.").passed
    assert not check(_item("r01"), "The budget is $40,000.").passed
    assert check(_item("x01"), json.dumps({"person": "Marco Bellini", "amount": "EUR 48,000",
                                           "deadline": "14 March"})).passed
    assert not check(_item("x01"), '{"person": "Ana", "amount": "48000", "deadline": "14 March"}').passed
    assert not check(_item("x01"), "not json").passed


@given(st.sampled_from(builtin_probe().items), st.integers(0, 1))
def test_quoting_a_source_never_counts_as_invention(item, which) -> None:
    if item.sources:
        sentence = item.sources[which % len(item.sources)]
        assert unsupported(f"According to the notes, {sentence} [1]", " ".join(item.sources)) == []


@pytest.mark.parametrize(("reply", "tier"), [
    (scripted_model.good, Tier.SYNTHESISE),
    (scripted_model.single_source, Tier.REPHRASE),
    (scripted_model.hallucinating, Tier.EVIDENCE_ONLY),
    (scripted_model.bad, Tier.EVIDENCE_ONLY),
])
def test_a_local_server_model_is_measured_into_its_tier(scripted, reply, tier) -> None:
    server, engine, audit = scripted
    server.reply = reply
    result = run_probe(engine_generate(engine), use_grammar=False)
    assert result.tier == tier and not result.cancelled
    assert len(server.bodies) == result.run and audit and all(e.detail["local"] for e in audit)
    if tier == Tier.SYNTHESISE:
        assert result.passed == result.run >= result.total - 2 and result.hallucinations == 0
    if reply in (scripted_model.hallucinating, scripted_model.bad):
        assert result.run < result.total / 2  # decided early: a weak model costs only a few items
    assert (result.hallucinations > 0) == (reply is scripted_model.hallucinating)


def test_measuring_runs_in_the_background_and_is_stored_per_model(scripted) -> None:
    server, engine, _ = scripted
    server.reply = scripted_model.good
    book, _ = _book()
    measured: list = []
    prober = CapabilityProber(book, on_measured=lambda mid, r: measured.append((mid, r.tier)))
    model_id = engine.model.capability_id
    assert book.tier(model_id) == Tier.EVIDENCE_ONLY and book.result(model_id) is None  # unmeasured: lowest tier
    gate = threading.Event()
    original = server.reply
    server.reply = lambda body: (gate.wait(10), original(body))[1]  # the server holds the first answer back
    future = prober.ensure(model_id, engine, use_grammar=False)
    assert not future.done()  # `ensure` returned while the probe waits on the server
    assert prober.ensure(model_id, engine, use_grammar=False) is future  # one probe per model at a time
    gate.set()
    assert future.result(30).tier == Tier.SYNTHESISE
    assert book.tier(model_id) == Tier.SYNTHESISE and measured == [(model_id, Tier.SYNTHESISE)]
    asked = len(server.bodies)
    assert prober.ensure(model_id, engine, use_grammar=False).result(1).tier == Tier.SYNTHESISE
    assert len(server.bodies) == asked  # measured once: not asked again


def test_a_result_from_an_older_probe_counts_as_unmeasured() -> None:
    book, saved = _book()
    result = ProbeResult(Tier.REPHRASE, passed=20, run=25, total=31, hallucinations=1, by_kind={"grounded": [12, 14]})
    book.record("gguf:a.gguf:1", result)
    assert book.result("gguf:a.gguf:1").as_dict() == result.as_dict()
    saved["state"]["gguf:a.gguf:1"]["version"] = PROBE_VERSION - 1
    assert book.result("gguf:a.gguf:1") is None and book.tier("gguf:a.gguf:1") == Tier.EVIDENCE_ONLY
    saved["state"]["gguf:b.gguf:1"] = {"version": PROBE_VERSION, "tier": "no-such-tier"}
    assert book.result("gguf:b.gguf:1") is None  # malformed: measured again, no error


def test_a_failing_engine_leaves_the_model_unmeasured(scripted) -> None:
    from engine.errors import LLMError

    server, engine, _ = scripted
    server.fail(500, times=10)
    book, _ = _book()
    future = CapabilityProber(book).ensure(engine.model.capability_id, engine, use_grammar=False)
    with pytest.raises(LLMError):
        future.result(30)
    assert book.result(engine.model.capability_id) is None


@pytest.mark.model
def test_the_bundled_model_is_measured_in_the_background(runtime, model_path) -> None:
    """The 135M model is measured (a few items decide it) and lands below the synthesis tier; its words are not
    asserted (they differ across CPUs)."""
    book, _ = _book()
    result = CapabilityProber(book).ensure(gguf_model_id(model_path), runtime, use_grammar=True).result(300)
    assert 1 <= result.run <= result.total and result.tier < Tier.SYNTHESISE
    assert book.result(gguf_model_id(model_path)).as_dict() == result.as_dict()
