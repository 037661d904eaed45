"""Explicit memory: stated facts are stored, editable, and reach answers through retrieval."""

from __future__ import annotations

import pytest

from app.cli import main
from engine.assistant.memory import MemoryService, stated_fact
from engine.errors import EngineError
from engine.store import Store


@pytest.mark.parametrize("message, fact", [
    ("Remember that my EA is Jane Park.", "My EA is Jane Park"),
    ("please remember: the board meets on the first Tuesday", "The board meets on the first Tuesday"),
    ("Note that Priya prefers Slack over email", "Priya prefers Slack over email"),
    ("What did Harborview ask for?", None),
    ("Do you remember what Priya said?", None),
    ("remember?", None),
])
def test_stated_fact(message: str, fact: str | None) -> None:
    assert stated_fact(message) == fact


def test_memory_items_are_editable(store: Store) -> None:
    memory = MemoryService(store)
    mid = memory.remember("My EA is  Jane Park")
    memory.update(mid, "My EA is Jane Park-Lee")
    assert [i.text for i in memory.items()] == ["My EA is Jane Park-Lee"]
    memory.forget(mid)
    assert memory.items() == []
    with pytest.raises(EngineError):
        memory.forget(mid)
    with pytest.raises(EngineError):
        memory.remember("   ")


@pytest.mark.model
def test_a_remembered_fact_is_retrieved_for_a_relevant_question(store: Store) -> None:
    from engine.retrieval import RetrievalService

    MemoryService(store).remember("My executive assistant is Jane Park; she manages my calendar.")
    retrieval = RetrievalService.open(store)
    retrieval.index_now()
    context = retrieval.context("Who is my executive assistant?")
    assert context.found and context.citations[0].source_type == "note"
    assert "Jane Park" in context.citations[0].text


def test_memory_cli_round_trip(tmp_path, capsys) -> None:
    home = str(tmp_path / "h")
    main(["init", "--home", home])
    assert main(["memory", "add", "The board meets on the first Tuesday", "--home", home]) == 0
    assert main(["memory", "list", "--home", home]) == 0
    out = capsys.readouterr().out
    assert "#1  The board meets on the first Tuesday" in out
    assert main(["memory", "remove", "7", "--home", home]) == 1
