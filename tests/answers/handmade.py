"""Hand-made evidence sentences for tests of the pure answer steps (no model, no store)."""

from __future__ import annotations

from engine.answers import EvidenceSentence, find_values
from engine.retrieval.rag import Citation


def sentence(text: str, number: int, score: float, *, source_type: str = "email",
             type_match: float = 0.0) -> EvidenceSentence:
    """An answering-grade sentence of an email (or event) passage; `type_match` as select_evidence sets it."""
    citation = Citation(number=number, chunk_id=number, source_type=source_type, source_id=number, title="Pour",
                        locator="", where="", occurred_at=None, text=text, score=1.0)
    return EvidenceSentence(text=text, citation=citation, values=find_values(text), similarity=0.6, overlap=0.8,
                            topic=1.0, score=score, sender="Mick Dunne", type_match=type_match)
