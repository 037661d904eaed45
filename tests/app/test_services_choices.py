"""Choices the composition root makes for the user: which day usage counts on, when the model is asked to judge."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.context import AppContext
from app.facade import Facade
from app.services import Services
from engine.assistant.usage import usage_report
from engine.store import Store


def _zone_on_another_day() -> str:
    """A zone whose date differs from UTC's right now (UTC+14 from 10:00 UTC, UTC-12 before 12:00 UTC)."""
    return "Pacific/Kiritimati" if datetime.now(timezone.utc).hour >= 10 else "Etc/GMT+12"


def test_answers_are_counted_on_the_users_day_not_the_machines(store: Store) -> None:
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    ctx.settings.timezone = _zone_on_another_day()
    services = Services(ctx)
    try:
        assert services.today() != datetime.now(timezone.utc).date()  # the premise: user's day != UTC day
        services.usage.question_asked()
        services.usage.model_call(0.25)
        report = usage_report(store, end=services.today(), days=1)
        assert report.totals.get("questions_asked") == 1 and report.mean_latency_s == 0.25
    finally:
        services.close()


def _measured(services: Services, tier_name: str) -> None:
    """Store a probe result for the chat model in use, as the background probe would."""
    from engine.llm.capability import ProbeResult, Tier
    from engine.llm.probing import gguf_model_id

    services.capability.record(gguf_model_id(services.engines.chat_model_path()),
                               ProbeResult(Tier[tier_name], passed=25, run=31, total=31, hallucinations=0))


def test_judgement_calls_use_the_model_only_when_it_measured_at_the_synthesise_tier(store: Store) -> None:
    """Unmeasured (the bundled model before its probe) or rephrase-tier models keep decision pros/cons rules-only;
    a model measured at the synthesise tier is asked too. Parameter count plays no part."""
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    services = Services(ctx)
    try:
        assert services.engines.judgement_llm() is None
        _measured(services, "REPHRASE")
        assert services.engines.judgement_llm() is None
        _measured(services, "SYNTHESISE")
        assert services.engines.judgement_llm() is services.llm_service
        ctx.settings.llm_model_path = str(store.path.parent / "missing.gguf")
        assert services.engines.judgement_llm() is None  # an unreadable model file: rules only, no error
    finally:
        services.close()


def test_settings_changes_are_saved_all_or_nothing_and_audited_by_name(store: Store) -> None:
    from app.settings import load_settings

    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    services = Services(ctx)
    try:
        services.save_settings(retention_days_audio=30, retention_days_chat=90)
        [entry] = store.audit.since(action="settings")
        assert entry.detail["changed"] == ["retention_days_audio", "retention_days_chat"]
        with pytest.raises(ValueError):
            services.save_settings(retention_days_mail=7, retention_days_logs=0)  # logs must keep >= 1 day
        assert services.settings.retention_days_mail == 0  # the valid half of a refused change is not applied
        assert load_settings(store.path.parent).retention_days_mail == 0 and len(store.audit.since(action="settings")) == 1
    finally:
        services.close()


@pytest.mark.model
def test_choosing_another_embedding_model_rebuilds_and_reindexes_only_if_it_loads(services, indexed, tmp_path) -> None:
    import shutil

    from engine.bundled import default_embedding, default_embedding_tokenizer
    from engine.errors import EngineError

    before = services.retrieval.embedder.model_id
    with pytest.raises(EngineError):
        Facade(services).set_model("embedding", str(tmp_path))  # an empty folder: refused, nothing changes
    assert services.settings.embedding_model_path == "" and services.retrieval.embedder.model_id == before
    folder = tmp_path / "my-minilm"
    folder.mkdir()
    shutil.copy(default_embedding().path, folder / "model.onnx")
    shutil.copy(default_embedding_tokenizer().path, folder / "tokenizer.json")
    name = Facade(services).set_model("embedding", str(folder))
    assert name.startswith("onnx:my-minilm:") and services.settings.embedding_model_path == str(folder)
    assert services.retrieval.embedder.model_id == name != before  # rebuilt on the new model
    assert indexed.wait(60)  # and re-indexing ran in the background


def test_a_capable_model_also_proposes_meeting_items(services, monkeypatch) -> None:
    """An evidence-only model is not asked (the key points and extractive summary stand); one measured at the
    rephrase tier rewrites the summary (verified) and also proposes items."""
    from datetime import datetime, timedelta, timezone

    from engine.errors import EngineError
    from models import Meeting, TranscriptSegment

    asked: list[str] = []

    class Offline:  # records which schema the notes asked for, then fails like an unreachable model
        def structured(self, parts, schema, **_):  # noqa: ANN001, ANN003, ANN201
            asked.append(schema.__name__)
            raise EngineError("offline")

    started = datetime(2026, 11, 24, 16, tzinfo=timezone.utc)
    meeting_id = services.store.meetings.create(Meeting("Sync", started, started + timedelta(minutes=5), segments=[
        TranscriptSegment(0, 5, "We agreed to ship the pilot in March.", "Dana"),
        TranscriptSegment(6, 9, "Pat will send the contract by Friday.", "Pat")]))
    monkeypatch.setattr(services.engines.llm, "get", Offline)  # stand in for the model
    Facade(services).summarize_meeting(meeting_id)
    _measured(services, "REPHRASE")
    Facade(services).summarize_meeting(meeting_id)
    assert asked == ["ModelSummaryAndItems"]


@pytest.mark.model
def test_the_app_measures_each_chat_model_it_loads_in_the_background(store: Store) -> None:
    import threading

    from engine.events import MODEL_DID_MEASURE
    from engine.llm.probing import gguf_model_id

    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    one_shot, app = Services(ctx), Services(ctx, measure_models=True)
    try:
        one_shot.llm_runtime.load().result()  # a CLI command's load measures nothing
        model_id = gguf_model_id(app.engines.chat_model_path())
        assert one_shot.capability.result(model_id) is None
        measured = threading.Event()
        app.bus.subscribe(MODEL_DID_MEASURE, lambda _name, payload: measured.set())
        app.llm_runtime.load().result()  # returns at once; the probe follows on the runtime's queue
        assert measured.wait(300)
        result = app.capability.result(model_id)
        assert result is not None and app.engines.model_tier() == result.tier
    finally:
        one_shot.close()
        app.close()
