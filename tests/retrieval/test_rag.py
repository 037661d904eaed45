"""RAG packing: relevant passages within the budget, numbered citations that resolve, explicit "nothing found"."""

from __future__ import annotations

import pytest

from engine.retrieval import NOTHING_FOUND, RetrievalService, context_provider
from engine.retrieval.chunking import count_tokens
from models import Meeting, TranscriptSegment
from rt_builders import make_pdf, message, utc

pytestmark = pytest.mark.model


@pytest.fixture
def corpus(service: RetrievalService, tmp_path) -> RetrievalService:  # noqa: ANN001
    from engine.retrieval import add_documents

    store = service.store
    store.messages.upsert([message("m1", "Acme renewal", "Acme asks for a 12% discount on the renewal.")])
    store.meetings.create(Meeting(title="Pipeline review", started_at=utc(2026, 3, 3, 14), segments=[
        TranscriptSegment(0, 30, "Intro and agenda for the pipeline review.", "Chris"),
        TranscriptSegment(65, 90, "Globex legal review is blocking the Acme expansion.", "Raj")]))
    (tmp_path / "board.pdf").write_bytes(make_pdf([["Board pack"], ["Acme is our largest account at 2.1M ARR."]]))
    add_documents(store, [tmp_path / "board.pdf"])
    service.index_now()
    return service


def test_context_has_numbered_resolvable_citations(corpus: RetrievalService) -> None:
    ctx = corpus.context("What do we know about Acme?")
    assert ctx.found and len(ctx.citations) >= 2
    assert [c.number for c in ctx.citations] == list(range(1, len(ctx.citations) + 1))
    for c in ctx.citations:
        assert f"[{c.number}] ({c.label})" in ctx.prompt_block
        assert c.target.startswith(f"reflex://{c.source_type}/{c.source_id}")
    targets = {c.source_type: c.target for c in ctx.citations}
    assert "?page=2&chunk=" in targets["doc"]  # the viewer opens the page and marks the cited passage
    blocking = corpus.context("Is anything blocking the Acme expansion?")
    meeting = next(c for c in blocking.citations if c.source_type == "meeting")
    assert meeting.target.endswith("?t=65.0") and meeting.where == "1:05-1:30"
    # Citation numbers follow descending score, as the LLM engine numbers its passages.
    scores = [c.score for c in ctx.citations]
    assert scores == sorted(scores, reverse=True)
    assert [i["source"] for i in ctx.context_items()] == [c.label for c in ctx.citations]


def test_budget_is_respected(corpus: RetrievalService) -> None:
    ctx = corpus.context("What do we know about Acme?", budget_tokens=40)
    assert ctx.found and ctx.tokens <= 40 and len(ctx.citations) == 1
    assert sum(count_tokens(c.text) for c in ctx.citations) <= 40


def test_nothing_relevant_says_so(corpus: RetrievalService) -> None:
    for question in ("What is the boiling point of mercury?", "Who won the 1998 football world cup?"):
        ctx = corpus.context(question)
        assert not ctx.found and ctx.citations == [] and ctx.prompt_block == NOTHING_FOUND


def test_context_provider_is_a_plain_function(corpus: RetrievalService) -> None:
    provide = context_provider(corpus.retriever, budget_tokens=500)
    ctx = provide("Acme discount")
    assert ctx.found and ctx.citations[0].source_type == "email" and ctx.tokens <= 500
