"""The answer engine: retrieve, pick evidence, answer from it at once, then add only verified model sentences.

`AnswerEngine.answer(question, on_sentence=..., cancel=..., write=...)`:
1. retrieves passages (`engine.retrieval.rag.build_context`) and ranks their sentences (`evidence.py`);
2. when the evidence is weak, answers "not in your data" and lists the closest sources, never guessing;
3. otherwise emits the evidence-built answer at once (`compose.py`): a direct first line with its citation,
   then at most three cited supporting points;
4. when a chat model is given (`write`), streams its text, cuts it into sentences and emits each one only
   after `Verifier` accepts it; sentences that repeat what is shown or fail are dropped.

Contract: `on_sentence(line)` is called once per complete, verified line (with its [n] markers), in display
order, on the calling thread; `cancel` (a threading.Event) stops between lines and stops the model.
Threads: a worker thread; never the GUI thread (embedding and the model take tens of ms to seconds).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from datetime import timezone, tzinfo
from typing import Callable

import numpy as np

from engine.answers.compose import first_line, supporting_points
from engine.answers.evidence import (
    ABBREVIATION_END, EvidenceSentence, SentenceVectors, answers, select_evidence,
)
from engine.answers.question import QuestionFocus, analyse
from engine.answers.verify import Verifier, strip_markers
from engine.retrieval.rag import Citation, build_context
from engine.retrieval.search import Filters, Retriever, SearchHit

OnSentence = Callable[[str], None]
#: write(prompt, on_token, cancel): a chat model streaming its reply to `prompt` as text pieces.
ModelWriter = Callable[[str, Callable[[str], None], "threading.Event | None"], object]

#: Passages read for evidence: more than a prompt holds, as only the chosen sentences go further.
EVIDENCE_BUDGET_TOKENS = 2400
#: A retrieved passage is read when this close to the question or among the first keyword hits; each of
#: its sentences is then judged on its own (`evidence.answers`).
READ_SIMILARITY = 0.2
READ_BM25_RANK = 5
NOT_FOUND = "Not in your data: Reflex found nothing that answers this."
CLOSEST = 3
#: A sentence end: . ! or ?, any [n] markers after it, then space before the next sentence.
_SENTENCE_END = re.compile(r"[.!?]+[\"')”’]*(?:\s*\[\d+\])*(?=\s+\S)")
_REPEAT_SIMILARITY = 0.92


@dataclass(slots=True)
class AnswerResult:
    """A finished answer. `lines[0]` is the direct answer; `citations` map [n] to sources (for a "not in
    your data" answer: the closest sources); `evidence` the ranked sentences behind it."""

    question: str
    found: bool
    lines: list[str]
    citations: list[Citation]
    evidence: list[EvidenceSentence] = field(default_factory=list)
    model_kept: int = 0
    model_dropped: int = 0
    cancelled: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def first_line(self) -> str:
        return self.lines[0] if self.lines else ""

    def as_dict(self) -> dict[str, object]:
        """The answer, its evidence and citations as plain JSON-ready data (`ask --json`)."""
        return {"question": self.question, "found": self.found, "answer": self.text, "lines": self.lines,
                "citations": [c.as_dict() for c in self.citations],
                "evidence": [{"text": e.text, "citation": e.number, "score": round(e.score, 4)}
                             for e in self.evidence],
                "model_sentences_kept": self.model_kept, "model_sentences_dropped": self.model_dropped}


def worth_reading(hit: SearchHit) -> bool:
    return ((hit.similarity is not None and hit.similarity >= READ_SIMILARITY)
            or (hit.bm25_rank is not None and hit.bm25_rank <= READ_BM25_RANK))


class AnswerEngine:
    """Answers questions over the user's data from evidence. One per process; thread-safe (its only state is
the in-memory cache of sentence vectors)."""

    def __init__(self, retriever: Retriever, *, tz: tzinfo = timezone.utc) -> None:
        """`tz`: the user's time zone; relative dates in a mail resolve against the day it was written there."""
        self.retriever = retriever
        self.tz = tz
        self.embedder = retriever.embedder
        self.vectors = SentenceVectors(retriever.embedder)

    def answer(self, question: str, *, filters: Filters | None = None, on_sentence: OnSentence | None = None,
               cancel: threading.Event | None = None, write: ModelWriter | None = None,
               on_evidence: Callable[[list[Citation]], None] | None = None) -> AnswerResult:
        """Answer `question` (see the module docstring for the contract). `on_evidence` receives the numbered
        sources the lines will cite, before the first line."""
        emit = on_sentence or (lambda _line: None)
        started = time.perf_counter()
        query_vector = self.vectors.embed([question])[0]  # once: retrieval and evidence ranking share it
        context = build_context(self.retriever, question, filters=filters, budget_tokens=EVIDENCE_BUDGET_TOKENS,
                                relevant=worth_reading, query_vector=query_vector)
        retrieved = time.perf_counter()
        focus = analyse(question)
        evidence = select_evidence(focus, context.citations, self.vectors, tz=self.tz) if context.found else []
        timings = {"retrieval": (retrieved - started) * 1000}
        if not evidence or not answers(focus, evidence[0]):
            result = self._not_found(question, filters, evidence, query_vector)
        else:
            line, used = first_line(focus, evidence)
            result = AnswerResult(question=question, found=True, lines=[line] + supporting_points(focus, evidence, used),
                                  citations=context.citations, evidence=evidence)
        timings["first_line"] = (time.perf_counter() - started) * 1000
        result.timings_ms = timings
        if on_evidence is not None:
            on_evidence(result.citations)
        for line in result.lines:
            if cancel is not None and cancel.is_set():
                break
            emit(line)
        if cancel is not None and cancel.is_set():
            result.cancelled = True
        elif write is not None and result.found:
            self._add_model_sentences(focus, result, write, emit, cancel)
        return result

    def _not_found(self, question: str, filters: Filters | None, evidence: list[EvidenceSentence],
                   query_vector: np.ndarray) -> AnswerResult:
        """'Not in your data' with the closest sources (retrieved without the relevance floor)."""
        hits = self.retriever.search(question, filters=filters, limit=CLOSEST, query_vector=query_vector)
        citations = [Citation(number=i, chunk_id=h.chunk.id or 0, source_type=h.chunk.source_type,
                              source_id=h.chunk.source_id, title=h.chunk.title, locator=h.chunk.locator,
                              where=h.where, occurred_at=h.chunk.occurred_at, text=h.chunk.text, score=h.score)
                     for i, h in enumerate(hits, 1)]
        lines = [NOT_FOUND]
        if citations:
            lines.append("Closest sources: " + "; ".join(f"[{c.number}] {c.label}" for c in citations))
        return AnswerResult(question=question, found=False, lines=lines, citations=citations, evidence=evidence)

    def _add_model_sentences(self, focus: QuestionFocus, result: AnswerResult, write: ModelWriter,
                             emit: OnSentence, cancel: threading.Event | None) -> None:
        verifier = Verifier(self.vectors, result.evidence, question=focus.text, tz=self.tz)
        shown = self.vectors.embed([strip_markers(line) for line in result.lines])
        buffer = [""]

        def judge(sentence: str) -> None:
            nonlocal shown
            sentence = sentence.strip()
            if not sentence:
                return
            verdict = verifier.check(sentence)
            if not verdict.ok:
                result.model_dropped += 1
                return
            vector = self.vectors.embed([strip_markers(verdict.sentence)])[0]
            if float(np.max(shown @ vector)) >= _REPEAT_SIMILARITY:
                return  # says what the evidence answer already says
            shown = np.vstack([shown, vector])
            result.model_kept += 1
            result.lines.append(verdict.sentence)
            emit(verdict.sentence)

        def on_token(piece: str) -> None:
            buffer[0] += piece
            done, buffer[0] = complete_sentences(buffer[0])
            for sentence in done:
                judge(sentence)

        write(model_prompt(focus.text, result.evidence), on_token, cancel)
        if not (cancel is not None and cancel.is_set()):
            judge(buffer[0])
        else:
            result.cancelled = True


def complete_sentences(text: str) -> tuple[list[str], str]:
    """The complete sentences at the start of streamed `text` (with their [n] markers) and the rest. An end
    after an abbreviation ("St. Mary's", "Dr. Foster") is not a sentence end."""
    done: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if ABBREVIATION_END.search(text[start:m.start() + 1]):
            continue
        done.append(text[start:m.end()].strip())
        start = m.end()
    return done, text[start:]


def model_prompt(question: str, evidence: list[EvidenceSentence]) -> str:
    """What a chat model sees: the numbered evidence sentences and the rules it is held to."""
    lines = [f"[{e.number}] {e.text}" for e in evidence]
    return ("Evidence from the user's own data:\n" + "\n".join(lines) + f"\n\nQuestion: {question}\n"
            "Answer in one or two short sentences using only facts from the evidence, and end each sentence with "
            "the [n] of the evidence it uses. If the evidence does not answer the question, say so.")
