"""`reflex-assistant ask` answers from the knowledge base: it indexes what is new, answers from the evidence with
its citations (or says "not in your data") and saves the conversation (`engine.usecases.asking`)."""

from __future__ import annotations

import json
import re

import pytest

from app.cli import main


@pytest.mark.model
def test_ask_indexes_then_cites_the_demo_sources(tmp_path, capsys) -> None:
    home = str(tmp_path / "h")
    assert main(["demo", "--home", home]) == 0
    capsys.readouterr()
    code = main(["ask", "How much would the Harborview fleet expansion be worth per year?", "--home", home, "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["provider"] == "local" and result["found"]
    # the first line is built from the evidence: the amount, then the sentence that states it, both cited
    first = result["answer"].splitlines()[0]
    number = int(re.search(r"\[(\d+)\]", first).group(1))
    cited = next(c for c in result["citations"] if c["number"] == number)
    assert "480,000" in first and "Harborview" in cited["label"]
    assert result["evidence"] and {e["citation"] for e in result["evidence"]} <= {c["number"] for c in result["citations"]}
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


@pytest.mark.model
def test_ask_says_not_in_your_data_and_lists_the_closest_sources(tmp_path, capsys) -> None:
    home = str(tmp_path / "h")
    assert main(["demo", "--home", home]) == 0
    capsys.readouterr()
    assert main(["ask", "How much did we pay for the Salish Lodge offsite?", "--home", home]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Not in your data") and "Closest sources: [1]" in out and "Salish" in out
    assert "\nSources:" not in out  # the closest sources are named once
