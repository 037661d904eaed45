"""Retrieval quality on the demo workspace: recall@10 of BM25, vector and hybrid search over 70+ questions
with known answer sources (tests/eval/retrieval_questions.json), plus RAG's "nothing found" on off-topic
questions. Real data path: the demo loader, the indexer, the bundled int8 MiniLM."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.demo import demo_root, load_demo
from connectors.mime import parse_message
from engine.retrieval import RetrievalService, default_embedder
from engine.store import Store
from eval_figures import report

pytestmark = pytest.mark.model

QUESTIONS = json.loads((Path(__file__).with_name("retrieval_questions.json")).read_text(encoding="utf-8"))


def _source_namer(store: Store, root: Path):  # noqa: ANN202
    """chunk -> the source's id in the questions file ('mail/<file>', 'calendar:<uid>', ...)."""
    by_message_id = {parse_message(p.read_bytes()).message_id_header: f"mail/{p.name}"
                     for p in (root / "mail").glob("*.eml")}
    by_title = {json.loads(p.read_text(encoding="utf-8"))["title"]: f"transcripts/{p.name}"
                for p in (root / "transcripts").glob("*.json")}

    def name(source_type: str, source_id: int) -> str:
        if source_type == "email":
            return by_message_id.get(store.messages.get(source_id).message_id_header, "?")
        if source_type == "event":
            return "calendar:" + store.events.get(source_id).provider_id.split("#")[0]
        if source_type == "meeting":
            return by_title.get(store.meetings.get(source_id, with_segments=False).title, "?")
        if source_type == "doc":
            return "docs/" + Path(store.documents.get(source_id).path).name
        return f"{source_type}:{source_id}"

    return name


def test_recall_at_10_hybrid_beats_both_sides(store: Store) -> None:
    root = demo_root()
    load_demo(store, root)
    service = RetrievalService.open(store, embedder=default_embedder())
    indexed = service.index_now()
    assert indexed.failed == [] and indexed.embedded > 200
    name = _source_namer(store, root)
    questions = QUESTIONS["questions"]
    assert len(questions) >= 60
    recall: dict[str, float] = {}
    misses: dict[str, list[str]] = {}
    for mode in ("bm25", "vector", "hybrid"):
        total = 0.0
        for item in questions:
            hits = service.retriever.search(item["q"], limit=10, mode=mode)
            found = {name(h.chunk.source_type, h.chunk.source_id) for h in hits}
            share = len(found & set(item["relevant"])) / len(item["relevant"])
            total += share
            if share < 1:
                misses.setdefault(mode, []).append(item["q"])
        recall[mode] = total / len(questions)
    report(f"EVAL retrieval recall@10 over {len(questions)} questions: "
           + ", ".join(f"{mode} {value:.3f}" for mode, value in recall.items()))
    for mode, qs in misses.items():
        print(f"  {mode} misses ({len(qs)}): " + " | ".join(qs[:8]))
    assert recall["hybrid"] >= recall["bm25"] and recall["hybrid"] >= recall["vector"]
    assert recall["hybrid"] >= 0.90

    answered = sum(service.context(item["q"]).found for item in questions)
    report(f"EVAL RAG found context for {answered}/{len(questions)} answerable questions")
    assert answered >= 0.9 * len(questions)
    for question in QUESTIONS["negatives"]:
        ctx = service.context(question)
        assert not ctx.found, (question, [c.label for c in ctx.citations])
