"""Hybrid search over the real encrypted store with the real embedder: fusion, filters, dedup, snippets."""

from __future__ import annotations

from datetime import date

import pytest

from engine.errors import RetrievalError
from engine.retrieval import Filters, RetrievalService, rrf
from rt_builders import event, meeting, message, utc

pytestmark = pytest.mark.model


@pytest.fixture
def corpus(service: RetrievalService) -> RetrievalService:
    store = service.store
    store.messages.upsert([
        message("m1", "Acme renewal pricing", "Acme asks for a 12% discount on the renewal if signed by March 31.",
                thread="acme", when=utc(2026, 3, 2, 9)),
        message("m2", "Re: Acme renewal pricing", "We can offer 8% with a two-year term.",
                sender=("ceo@northwind.example", "Chris Ng"), to=("dana@acme.example", "Dana Whitfield"),
                thread="acme", when=utc(2026, 3, 3, 9)),
        message("m3", "Offsite logistics", "The leadership offsite moves to the lake house in Tahoe.",
                sender=("ops@northwind.example", "Pat Ops"), to=("team@northwind.example", "Team"),
                when=utc(2026, 1, 15, 9)),
        message("m4", "Fwd: Offsite logistics", "The leadership offsite moves to the lake house in Tahoe.",
                sender=("ops@northwind.example", "Pat Ops"), to=("team@northwind.example", "Team"),
                when=utc(2026, 1, 16, 9)),
    ])
    store.events.upsert([event("e1", "Board prep", "Agenda: hiring plan and runway.", when=utc(2026, 3, 5, 15))])
    m = meeting("Pipeline review", [(0, 20, "Raj", "Globex is stuck in legal review for three weeks."),
                                   (20, 45, "Dana", "Initech signed; the kickoff is on Monday.")])
    store.meetings.create(m)
    service.index_now()
    return service


def test_hybrid_finds_by_meaning_and_by_keyword(corpus: RetrievalService) -> None:
    top = corpus.search("what discount does Acme want")[0]
    assert (top.chunk.source_type, top.chunk.title) == ("email", "Acme renewal pricing")
    assert top.bm25_rank is not None and top.vector_rank is not None and top.similarity > 0.4
    # Paraphrase without shared keywords: the vector side carries it.
    hit = corpus.search("contract negotiation blocked by lawyers")[0]
    assert hit.chunk.source_type == "meeting" and "Globex" in hit.chunk.text
    assert hit.where.startswith("0:00-")


def test_filters_by_type_person_date_and_thread(corpus: RetrievalService) -> None:
    def titles(**kw: object) -> set[str]:
        return {h.chunk.title for h in corpus.search("renewal offsite board pipeline", filters=Filters(**kw))}

    assert titles(types=("event",)) == {"Board prep"}
    assert titles(types=("meeting",)) == {"Pipeline review"}
    assert titles(person="Chris Ng") == {"Acme renewal pricing", "Re: Acme renewal pricing"}
    # The two offsite mails are near-duplicates: one of them stands for both.
    assert titles(person="pat") in ({"Offsite logistics"}, {"Fwd: Offsite logistics"})
    assert "Acme renewal pricing" not in titles(person="ops@northwind.example")
    assert titles(since=date(2026, 3, 3)) >= {"Re: Acme renewal pricing", "Board prep"}
    assert "Acme renewal pricing" not in titles(since=date(2026, 3, 3))
    assert titles(until=date(2026, 2, 1)) <= {"Offsite logistics", "Fwd: Offsite logistics"}
    assert titles(thread="acme") == {"Acme renewal pricing", "Re: Acme renewal pricing"}
    with pytest.raises(RetrievalError):
        corpus.search("x", filters=Filters(types=("fax",)))


def test_near_duplicates_are_collapsed(corpus: RetrievalService) -> None:
    hits = corpus.search("leadership offsite lake house")
    offsite = [h for h in hits if "lake house" in h.chunk.text]
    assert len(offsite) == 1


def test_snippets_highlight_query_terms(corpus: RetrievalService) -> None:
    hit = corpus.search("discount renewal")[0]
    marked = hit.marked_snippet("[", "]")
    assert "[discount]" in marked and "[renewal]" in marked
    assert hit.as_dict()["source_type"] == "email"


def test_deleted_source_disappears_at_once(corpus: RetrievalService) -> None:
    store = corpus.store
    assert any(h.chunk.title == "Board prep" for h in corpus.search("hiring plan runway"))
    store.events.delete_provider_ids("demo", ["e1"])
    assert all(h.chunk.title != "Board prep" for h in corpus.search("hiring plan runway"))
    corpus.index_now()
    assert len(corpus.index) == store.counts()["chunks"]


def test_modes_and_empty_queries(corpus: RetrievalService) -> None:
    bm25 = corpus.retriever.search("Tahoe", mode="bm25")
    assert bm25 and all(h.vector_rank is None for h in bm25)
    vec = corpus.retriever.search("Tahoe", mode="vector")
    assert vec and all(h.bm25_rank is None for h in vec)
    assert corpus.search("   ") == []
    assert corpus.search('"; DROP TABLE chunks; --') is not None  # FTS syntax is quoted, never injected


def test_rrf_orders_by_summed_reciprocal_ranks() -> None:
    fused = rrf([["a", "b", "c"], ["c", "a"]])
    assert [k for k, _ in fused] == ["a", "c", "b"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)
