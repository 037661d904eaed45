"""Retrieval-augmented context: retrieve -> keep what is relevant -> pack into a token budget -> numbered citations.

`build_context(retriever, question)` returns a `RagContext`. When nothing relevant is found, `found` is False
and `prompt_block` tells the model to say so, so the answer never invents sources. Each `Citation` resolves
to what the UI opens: an email, an event, a transcript at its timestamp, a document page (`Citation.target`).

`context_provider(retriever)` is the function the `ask` command and chat call (the LLM engine assembles the
final prompt; citation numbers here equal passage numbers there, as both number by descending score).
Threads: same as `Retriever.search`. Pure apart from the search itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

import numpy as np

from engine.retrieval.chunking import count_tokens, make_locator, parse_locator
from engine.retrieval.search import Filters, Retriever, SearchHit

#: A hit counts as relevant at this cosine, or at RELEVANT_WITH_KEYWORDS when BM25 also matched it.
#: Tuned on tests/eval (MiniLM: related passages ~0.35-0.7, unrelated ones < 0.25). A chunk not embedded yet
#: (indexing or re-embedding in progress) counts when it is among BM25's first RELEVANT_BM25_RANK.
RELEVANT_SIMILARITY = 0.35
RELEVANT_WITH_KEYWORDS = 0.22
RELEVANT_BM25_RANK = 3
DEFAULT_BUDGET_TOKENS = 1200
MAX_PASSAGES = 8

NOTHING_FOUND = (
    "No relevant passages were found in the user's email, calendar, meetings, documents or notes for this "
    "question. Say plainly that you found nothing about it in their data; do not guess or invent sources."
)

_TYPE_LABEL = {"email": "email", "event": "event", "meeting": "meeting", "doc": "document", "note": "note",
               "task": "task"}


@dataclass(frozen=True, slots=True)
class Citation:
    """Numbered source of a passage. `target` is what the UI opens, e.g. 'reflex://meeting/3?t=83.5'."""

    number: int
    chunk_id: int
    source_type: str
    source_id: int
    title: str
    locator: str
    where: str
    occurred_at: datetime | None
    text: str
    score: float

    @property
    def target(self) -> str:
        """A document's names its page and the cited chunk, so the viewer opens there and marks the passage."""
        loc = parse_locator(self.locator)
        base = f"reflex://{self.source_type}/{self.source_id}"
        if "start" in loc:
            return f"{base}?t={loc['start']}"
        if self.source_type == "doc":
            return f"{base}?{make_locator(page=loc.get('page'), chunk=self.chunk_id)}"
        if "page" in loc:
            return f"{base}?page={loc['page']}"
        return base

    @property
    def label(self) -> str:
        """'email · Q3 pricing · 2026-03-02' (+ ' · page 3' or the timestamp)."""
        bits = [_TYPE_LABEL.get(self.source_type, self.source_type), self.title]
        if self.occurred_at:
            bits.append(self.occurred_at.strftime("%Y-%m-%d"))
        if self.where:
            bits.append(self.where)
        return " · ".join(b for b in bits if b)

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "chunk_id": self.chunk_id, "source_type": self.source_type,
                "source_id": self.source_id, "title": self.title, "locator": self.locator, "where": self.where,
                "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None, "target": self.target,
                "label": self.label}


@dataclass(slots=True)
class RagContext:
    """What to put in front of the model. `prompt_block` is ready to embed; `citations` map [n] to sources."""

    question: str
    found: bool
    prompt_block: str
    citations: list[Citation] = field(default_factory=list)
    tokens: int = 0

    def context_items(self) -> list[dict[str, object]]:
        """Passages as plain dicts (text, score, source) in citation order, for the LLM engine's ContextItem."""
        return [{"text": c.text, "score": c.score, "source": c.label} for c in self.citations]


def is_relevant(hit: SearchHit) -> bool:
    if hit.similarity is None:
        return hit.bm25_rank is not None and hit.bm25_rank <= RELEVANT_BM25_RANK
    return hit.similarity >= RELEVANT_SIMILARITY or (hit.bm25_rank is not None
                                                     and hit.similarity >= RELEVANT_WITH_KEYWORDS)


def pack(hits: list[SearchHit], *, budget_tokens: int = DEFAULT_BUDGET_TOKENS, max_passages: int = MAX_PASSAGES,
         count: Callable[[str], int] = count_tokens) -> list[tuple[SearchHit, int]]:
    """Best hits first while they fit the budget (a too-long one is skipped, a shorter later one may still fit)."""
    packed: list[tuple[SearchHit, int]] = []
    used = 0
    for hit in hits:
        cost = count(hit.chunk.text) + count(hit.chunk.title) + 12  # + the "[n] (label)" line
        if used + cost > budget_tokens:
            continue
        packed.append((hit, cost))
        used += cost
        if len(packed) == max_passages:
            break
    return packed


def build_context(retriever: Retriever, question: str, *, filters: Filters | None = None,
                  budget_tokens: int = DEFAULT_BUDGET_TOKENS, max_passages: int = MAX_PASSAGES,
                  count: Callable[[str], int] = count_tokens,
                  relevant: Callable[[SearchHit], bool] = is_relevant,
                  query_vector: np.ndarray | None = None) -> RagContext:
    """Retrieve for `question`, keep the hits `relevant` accepts, pack them into `budget_tokens` with numbered
    citations. (The answer engine passes a looser `relevant`, as it judges each sentence itself, and the
    question's embedding it already made.)"""
    hits = [h for h in retriever.search(question, filters=filters, limit=max_passages * 2,
                                        query_vector=query_vector) if relevant(h)]
    packed = pack(hits, budget_tokens=budget_tokens, max_passages=max_passages, count=count)
    if not packed:
        return RagContext(question=question, found=False, prompt_block=NOTHING_FOUND)
    citations = [Citation(number=i, chunk_id=h.chunk.id or 0, source_type=h.chunk.source_type,
                          source_id=h.chunk.source_id, title=h.chunk.title, locator=h.chunk.locator, where=h.where,
                          occurred_at=h.chunk.occurred_at, text=h.chunk.text, score=h.score)
                 for i, (h, _) in enumerate(packed, 1)]
    block = "\n\n".join(f"[{c.number}] ({c.label})\n{c.text}" for c in citations)
    block += "\n\nCite the passages you use as [n]. If they do not answer the question, say so."
    return RagContext(question=question, found=True, prompt_block=block, citations=citations,
                      tokens=sum(cost for _, cost in packed))


def context_provider(retriever: Retriever, *, budget_tokens: int = DEFAULT_BUDGET_TOKENS,
                     count: Callable[[str], int] = count_tokens) -> Callable[..., RagContext]:
    """A `provide(question, filters=None) -> RagContext` function bound to `retriever` for `ask` and chat."""

    def provide(question: str, filters: Filters | None = None) -> RagContext:
        return build_context(retriever, question, filters=filters, budget_tokens=budget_tokens, count=count)

    return provide
