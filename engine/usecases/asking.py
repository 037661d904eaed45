"""Asking: the one flow behind the Chat page, the quick-ask popup and `reflex-assistant ask`.

    asking = Asking(store=store, llm=lambda: service, sources=lambda q: build_context(retriever, q),
                    context=ContextService(store), usage=UsageTracker(store))
    result = asking.ask(Question("What did Acme ask for?"), on_sentence=show, cancel=stop)

Steps, in order: save the question (a new conversation when there is none) -> prepare (retrieve numbered sources,
build the prompt with the strategic context first so the model's prefix cache is shared) -> generate with cancel
-> verify each complete sentence -> save the answer with its citations and context version -> count the usage.
With the answer engine (`answers`, what the app wires for questions over the user's data) the middle steps are
the engine's: evidence-built cited lines at once (or "not in your data"), then only model sentences its verifier
passes, when `model_writes()` allows the chat model to write (its capability tier). "Ask the cloud for this one"
(`allow_cloud`) still goes to the cloud model with the retrieved sources (redacted and audited).

The output is sentences, not raw tokens: `on_sentence(text)` is called once per complete sentence or line that
passed `verify`, in order, with its [n] citation markers; appending them gives the shown answer (`AskResult.text`).
The default `verify` keeps every sentence; the evidence-first answer engine plugs its verifier in here.

Threads: `ask` blocks the calling thread until the answer is done (run it from a worker); `on_sentence` and
`on_prepared` run on the runtime's owner thread (local answers) or the calling thread. `cancel` stops the
generation within ~100 ms; what arrived so far is kept and saved (finish_reason "cancelled").
Errors: the LLM engine's `LLMError`s (with a next step) propagate; the question stays saved.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from typing import Protocol

from engine.answers import AnswerEngine
from engine.answers.writer import llm_writer
from engine.llm import GROUNDED_ANSWER, Answer, ChatMessage, ContextItem, GenerationParams, LLMService, PromptParts
from engine.retrieval.rag import Citation, RagContext
from engine.store import Store
from engine.usecases.sentences import SentenceStream
from models import Turn

#: The `model` saved with an answer built from the evidence alone (no chat model wrote any of it).
EVIDENCE_MODEL = "evidence"

__all__ = ["AskResult", "Asking", "Prepared", "Question", "Verifier", "keep_every_sentence"]

#: A sentence and the sources the answer may cite -> the sentence to show, or None to drop it.
Verifier = Callable[[str, Sequence[Citation]], "str | None"]


def keep_every_sentence(sentence: str, _citations: Sequence[Citation]) -> str | None:
    """The verifier until the evidence-first answer engine provides one: every sentence is shown as written."""
    return sentence


class PromptContext(Protocol):
    """The strategic context service (`engine.assistant.context.ContextService`): the stable prompt prefix."""

    def parts(self, question: str, *, history: Sequence[ChatMessage] = (), context: Sequence[ContextItem] = (),
              version: int | None = None) -> PromptParts: ...


class UsageCounter(Protocol):
    """Local-only usage figures (`engine.assistant.usage.UsageTracker`)."""

    def question_asked(self) -> None: ...

    def model_call(self, seconds: float, *, cost_usd: float = 0.0) -> None: ...


@dataclass(frozen=True, slots=True)
class Question:
    """One question. `history` is [(role, text)] oldest first (what the conversation showed before it);
    `conversation_id` None starts a new conversation; `use_data` False answers without searching the user's
    data, strategic context included (`ask --no-context`, benchmarks); `save` False keeps nothing (warm-up runs, benchmarks)."""

    text: str
    conversation_id: int | None = None
    history: tuple[tuple[str, str], ...] = ()
    allow_cloud: bool = False
    feature: str = "chat"
    params: GenerationParams = GROUNDED_ANSWER
    use_data: bool = True
    save: bool = True


@dataclass(slots=True)
class Prepared:
    """A question made ready for the model: prompt parts plus the numbered sources its [n] refer to."""

    parts: PromptParts
    citations: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class AskResult:
    """A finished answer: the shown (verified) text, the sources its [n] refer to, who wrote it and its cost.
    `finish_reason` is stop, length or cancelled; `provider` is "local" or the cloud provider;
    `conversation_id` is where it was saved (None when not saved)."""

    text: str
    citations: list[Citation]
    model: str
    provider: str
    tokens_in: int = 0
    tokens_out: int = 0
    finish_reason: str = "stop"
    context_version: int | None = None
    fallback_reason: str = ""
    ttft_s: float = 0.0
    cost_usd: float = 0.0
    conversation_id: int | None = None
    dropped: int = 0  # sentences the verifier withheld
    found: bool = True  # False: "not in your data" (the citations are then the closest sources)
    evidence: list[dict[str, object]] = field(default_factory=list)  # the sentences the answer stands on

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `ask --json`: the answer, its evidence, provenance and the cited sources."""
        return {"text": self.text, "answer": self.text, "found": self.found, "evidence": self.evidence,
                "model": self.model, "provider": self.provider, "tokens_in": self.tokens_in,
                "tokens_out": self.tokens_out, "finish_reason": self.finish_reason,
                "fallback_reason": self.fallback_reason, "conversation_id": self.conversation_id,
                "citations": [c.as_dict() for c in self.citations]}


class Asking:
    """The asking use-case. Collaborators are passed in; `llm` and `sources` are called per question, so a chat
    model or embedding model changed in Settings is used from the next question on.

    `store` None (no workspace yet) saves nothing; `sources` None or `context` None answer without the user's
    data or strategic context; `usage` None counts nothing."""

    def __init__(self, *, llm: Callable[[], LLMService], store: Store | None = None,
                 sources: Callable[[str], RagContext] | None = None, context: PromptContext | None = None,
                 usage: UsageCounter | None = None, verify: Verifier = keep_every_sentence,
                 answers: Callable[[], AnswerEngine] | None = None,
                 model_writes: Callable[[], bool] = lambda: False,
                 busy: Callable[[], AbstractContextManager[object]] = nullcontext) -> None:
        self._llm = llm
        self._store = store
        self._sources = sources
        self._context = context
        self._usage = usage
        self.verify = verify
        self._answers = answers
        self._model_writes = model_writes
        self._busy = busy  # around each answer: background work (the embedding backlog) gives way meanwhile

    def using(self, llm: Callable[[], LLMService]) -> Asking:
        """The same use-case answering with another LLM service (`ask --model FILE`)."""
        return Asking(llm=llm, store=self._store, sources=self._sources, context=self._context, usage=self._usage,
                      verify=self.verify, answers=self._answers, model_writes=self._model_writes, busy=self._busy)

    def prepare(self, question: str, history: Sequence[tuple[str, str]] = (), *, use_data: bool = True) -> Prepared:
        """Retrieve sources for `question` and build the prompt (system + strategic context first, so the
        model's prefix cache reuses it). Worker thread: it searches the index."""
        turns = [ChatMessage(role, text) for role, text in history]
        if not use_data or self._sources is None:  # no search, no strategic context: the default system prompt
            return Prepared(replace(self._llm().parts(question), history=tuple(turns)))
        rag = self._sources(question)
        items = [ContextItem(text=c.text, score=c.score, source=c.label) for c in rag.citations]
        if not rag.found:
            question = f"{question}\n\n({rag.prompt_block})"
        if self._context is None:
            parts = replace(self._llm().parts(question), history=tuple(turns), context=tuple(items))
        else:
            parts = self._context.parts(question, history=turns, context=items)
        return Prepared(parts=parts, citations=list(rag.citations))

    def ask(self, question: Question, *, on_sentence: Callable[[str], None] | None = None,
            cancel: threading.Event | None = None,
            on_prepared: Callable[[int | None, list[Citation]], None] | None = None) -> AskResult:
        """Answer `question` (see the module docstring for the steps, threads and errors). `on_prepared`
        receives the conversation id and the numbered sources before the first sentence arrives. A question
        cancelled before it starts (a newer quick-ask replaced it) is not asked: nothing is saved or counted."""
        if cancel is not None and cancel.is_set():
            return AskResult("", [], model="", provider="", finish_reason="cancelled",
                             conversation_id=question.conversation_id)
        with self._busy():
            return self._ask(question, on_sentence, cancel, on_prepared)

    def _ask(self, question: Question, on_sentence: Callable[[str], None] | None, cancel: threading.Event | None,
             on_prepared: Callable[[int | None, list[Citation]], None] | None) -> AskResult:
        conversation_id = self._save_question(question)
        if self._answers is not None and question.use_data and not question.allow_cloud:
            return self._ask_from_evidence(question, conversation_id, on_sentence, cancel, on_prepared)
        prepared = self.prepare(question.text, question.history, use_data=question.use_data)
        if on_prepared is not None:
            on_prepared(conversation_id, prepared.citations)
        shown: list[str] = []
        dropped = 0

        def show(sentence: str) -> None:
            nonlocal dropped
            kept = self.verify(sentence, prepared.citations)
            if kept is None:
                dropped += 1
                return
            shown.append(kept)
            if on_sentence is not None:
                on_sentence(kept)

        stream = SentenceStream(show)
        answer = self._llm().ask(prepared.parts, feature=question.feature, allow_cloud=question.allow_cloud,
                                 params=question.params, cancel=cancel, on_token=stream.feed)
        if not shown and not dropped and answer.text:
            stream.feed(answer.text)  # a route that did not stream (nothing was shown yet)
        stream.finish()
        result = _result("".join(shown), prepared.citations, answer, conversation_id, dropped)
        self._save_answer(question, result, answer)
        return result

    def _ask_from_evidence(self, question: Question, conversation_id: int | None,
                           on_sentence: Callable[[str], None] | None, cancel: threading.Event | None,
                           on_prepared: Callable[[int | None, list[Citation]], None] | None) -> AskResult:
        """The answer engine answers from the evidence at once (a cited first line, then cited points, or "not in
        your data"); the chat model then adds only sentences its verifier passes, when `model_writes()` says the
        model may write. Each line is one `on_sentence` piece ending in a line break."""
        shown: list[str] = []

        def emit(line: str) -> None:
            shown.append(line + "\n")
            if on_sentence is not None:
                on_sentence(line + "\n")

        started = time.perf_counter()
        llm = self._llm() if self._model_writes() else None
        write = (llm_writer(llm, feature=question.feature, allow_cloud=question.allow_cloud, params=question.params)
                 if llm is not None else None)
        found = self._answers().answer(
            question.text, on_sentence=emit, cancel=cancel, write=write,
            on_evidence=(lambda citations: on_prepared(conversation_id, citations)) if on_prepared else None)
        writer = llm.runtime.model_name if llm is not None and llm.runtime is not None and found.model_kept else ""
        answer = Answer(text="".join(shown).rstrip("\n"), provider="local",
                        model=f"{EVIDENCE_MODEL}+{writer}" if writer else EVIDENCE_MODEL,
                        finish_reason="cancelled" if found.cancelled else "stop",
                        ttft_s=found.timings_ms.get("first_line", 0.0) / 1000 or time.perf_counter() - started)
        result = _result(answer.text, found.citations, answer, conversation_id, found.model_dropped)
        result.evidence = [{"text": e.text, "citation": e.number, "score": round(e.score, 4)} for e in found.evidence]
        result.found = found.found
        self._save_answer(question, result, answer)
        return result

    def _save_question(self, question: Question) -> int | None:
        if not question.save or self._store is None:
            return question.conversation_id
        store = self._store
        with store.transaction():
            cid = question.conversation_id or store.conversations.create(question.text[:80])
            store.conversations.add_turn(cid, Turn("user", question.text))
        return cid

    def _save_answer(self, question: Question, result: AskResult, answer: Answer) -> None:
        """Save the answer (with the chunk ids its [n] refer to and the strategic context that shaped it) and
        count it, in one transaction. Nothing is saved or counted for an empty answer."""
        if not question.save or self._store is None or not result.text:
            return
        with self._store.transaction():
            if result.conversation_id is not None:
                self._store.conversations.add_turn(result.conversation_id, Turn(
                    "assistant", result.text, model=f"{answer.provider}:{answer.model}",
                    citations=[c.chunk_id for c in result.citations], context_version=answer.context_version))
            if self._usage is not None:
                self._usage.question_asked()
                self._usage.model_call(answer.ttft_s, cost_usd=answer.cost_usd or 0.0)


def _result(text: str, citations: list[Citation], answer: Answer, conversation_id: int | None,
            dropped: int) -> AskResult:
    return AskResult(text=text, citations=citations, model=answer.model, provider=answer.provider,
                     tokens_in=answer.tokens_in, tokens_out=answer.tokens_out, finish_reason=answer.finish_reason,
                     context_version=answer.context_version, fallback_reason=answer.fallback_reason,
                     ttft_s=answer.ttft_s, cost_usd=answer.cost_usd, conversation_id=conversation_id,
                     dropped=dropped)
