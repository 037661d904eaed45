"""`reflex-assistant ask` answers from the knowledge base: it indexes what is new, cites its sources and saves the
conversation (`engine.usecases.asking`)."""

from __future__ import annotations

import json

import pytest

from app.cli import main


@pytest.mark.model
def test_ask_indexes_then_cites_the_demo_sources(tmp_path, capsys) -> None:
    home = str(tmp_path / "h")
    assert main(["demo", "--home", home]) == 0
    capsys.readouterr()
    code = main(["ask", "What did Harborview Logistics ask for?", "--max-tokens", "12", "--home", home, "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["provider"] == "local" and result["tokens_out"] >= 1
    labels = [c["label"] for c in result["citations"]]
    assert labels and any("Harborview" in label for label in labels[:3])
    # The question is counted in the local-only usage figures.
    assert main(["usage", "--home", home, "--json"]) == 0
    usage = json.loads(capsys.readouterr().out)
    assert usage["totals"].get("questions_asked") == 1 and usage["mean_latency_s"] is not None
    # ... and saved as a conversation, the answer with the chunk ids its [n] refer to.
    from pathlib import Path

    from app.context import AppContext

    ctx = AppContext(home=Path(home), log=False)
    try:
        turns = ctx.store.conversations.get(result["conversation_id"]).turns
        assert [t.role for t in turns] == ["user", "assistant"] and turns[1].content == result["text"]
        assert turns[1].citations == [c["chunk_id"] for c in result["citations"]]
    finally:
        ctx.close()
