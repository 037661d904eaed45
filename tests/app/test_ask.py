"""`reflex-assistant ask` answers from the knowledge base: it indexes what is new, then cites its sources."""

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
