"""Settings > Models: each chat model shows its measured capability tier and probe score."""

from __future__ import annotations

from engine.llm.capability import ProbeResult, Tier
from engine.llm.probing import gguf_model_id


def test_models_show_their_measured_tier(qtbot, main_window, services):  # noqa: ANN001
    settings = main_window.show_page("settings")
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    assert "tier: measuring when loaded" in settings.models_list.item(0).text()
    services.capability.record(gguf_model_id(services.chat_model_path()),
                               ProbeResult(Tier.REPHRASE, passed=24, run=31, total=31, hallucinations=1))
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    assert "tier: rephrase (probe 24/31)" in settings.models_list.item(0).text()
