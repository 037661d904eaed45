"""The asking use-case: one flow (save question -> prepare -> generate -> verify -> save answer -> count usage)
shown sentence by sentence, with the real bundled model and a real encrypted store."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.assistant.usage import UsageTracker, usage_report
from engine.events import EventBus
from engine.jobs.indexing import BackgroundIndexing
from engine.llm import GenerationParams, LLMService, LocalRuntime, bundled_model_path
from engine.retrieval.rag import Citation, RagContext
from engine.usecases.asking import Asking, Question
from engine.usecases.sentences import SentenceStream, split_sentences


# -- the sentence stream -------------------------------------------------------------------------------------
@given(st.text(alphabet="ab .!?\n[]1,", max_size=200), st.lists(st.integers(1, 7), min_size=1, max_size=60))
def test_pieces_join_back_to_the_text_however_it_is_streamed(text: str, cuts: list[int]) -> None:
    pieces: list[str] = []
    stream = SentenceStream(pieces.append)
    at, i = 0, 0
    while at < len(text):
        step = cuts[i % len(cuts)]
        stream.feed(text[at:at + step])
        at, i = at + step, i + 1
    stream.finish()
    assert "".join(pieces) == text and all(pieces)
    # streamed one character at a time or all at once, the sentences are the same
    assert pieces == split_sentences(text) or len(text) > 240


def test_sentences_keep_their_citation_markers_and_do_not_break_numbers_or_abbreviations() -> None:
    text = ("Acme wants 40 robots [1]. They asked for 3.5% off, e.g. a pilot discount. [2] Call Li today!\n"
            "- send the proposal\n- book the review\n\nThat is all")
    assert split_sentences(text) == [
        "Acme wants 40 robots [1]. ", "They asked for 3.5% off, e.g. a pilot discount. [2] ", "Call Li today!\n",
        "- send the proposal\n", "- book the review\n\n", "That is all"]


def test_a_sentence_is_emitted_only_once_it_is_complete() -> None:
    pieces: list[str] = []
    stream = SentenceStream(pieces.append)
    for piece in ("The deal", " closes", " Friday.", " [3]", " Next", " steps"):
        stream.feed(piece)
    assert pieces == ["The deal closes Friday. [3] "]  # the marker after the stop stays with its sentence
    stream.finish()
    assert pieces[-1] == "Next steps"


# -- the use-case with the real model --------------------------------------------------------------------------
SOURCE = Citation(number=1, chunk_id=4242, source_type="email", source_id=7, title="Acme expansion", locator="",
                  where="", occurred_at=None, text="Acme wants to expand to 40 robots next quarter.", score=0.9)


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalRuntime]:
    rt = LocalRuntime(bundled_model_path(), n_ctx=2048, n_threads=1)
    yield rt
    rt.close()


def _asking(store, runtime, **kwargs) -> Asking:  # noqa: ANN001
    service = LLMService(runtime=runtime, audit=lambda _entry: None)
    block = f"[1] ({SOURCE.label})\n{SOURCE.text}"
    return Asking(llm=lambda: service, store=store, usage=UsageTracker(store),
                  sources=lambda q: RagContext(q, True, block, citations=[SOURCE]), **kwargs)


SHORT = GenerationParams(max_tokens=40, temperature=0.0)


@pytest.mark.model
def test_one_flow_saves_both_turns_counts_usage_and_shows_whole_sentences(store, runtime) -> None:  # noqa: ANN001
    shown: list[str] = []
    prepared: list[tuple[int | None, list[Citation]]] = []
    result = _asking(store, runtime).ask(Question("How many robots does Acme want?", params=SHORT),
                                         on_sentence=shown.append, on_prepared=lambda *a: prepared.append(a))
    assert result.provider == "local" and result.tokens_out >= 1 and result.finish_reason in ("stop", "length")
    assert shown and "".join(shown) == result.text  # the answer is exactly the sentences shown
    assert all(s.endswith((" ", "\n")) for s in shown[:-1])  # every piece but the last ended at a boundary
    assert prepared == [(result.conversation_id, [SOURCE])]  # sources known before the first sentence
    turns = store.conversations.get(result.conversation_id).turns
    assert [t.role for t in turns] == ["user", "assistant"] and turns[1].content == result.text
    assert turns[1].citations == [SOURCE.chunk_id] and turns[1].model.startswith("local:")
    assert usage_report(store).totals.get("questions_asked") == 1
    # A follow-up continues the same conversation.
    again = _asking(store, runtime).ask(Question("And when?", conversation_id=result.conversation_id, params=SHORT,
                                                 history=(("user", "How many robots?"), ("assistant", result.text))))
    assert again.conversation_id == result.conversation_id
    assert len(store.conversations.get(result.conversation_id).turns) == 4


@pytest.mark.model
def test_the_verifier_decides_what_is_shown_and_saved(store, runtime) -> None:  # noqa: ANN001
    seen: list[str] = []

    def withhold_all(sentence: str, citations) -> None:  # noqa: ANN001
        seen.append(sentence)
        assert citations == [SOURCE]

    shown: list[str] = []
    result = _asking(store, runtime, verify=withhold_all).ask(Question("How many robots?", params=SHORT),
                                                              on_sentence=shown.append)
    assert seen and shown == [] and result.text == "" and result.dropped == len(seen)
    assert [t.role for t in store.conversations.get(result.conversation_id).turns] == ["user"]  # nothing to save
    assert usage_report(store).totals.get("questions_asked") is None


@pytest.mark.model
def test_cancel_stops_the_answer_and_save_false_keeps_nothing(store, runtime) -> None:  # noqa: ANN001
    cancel = threading.Event()
    cancel.set()
    result = _asking(store, runtime).ask(Question("Write a long essay about robots.", save=False,
                                                  params=GenerationParams(max_tokens=200)), cancel=cancel)
    assert result.finish_reason == "cancelled" and result.conversation_id is None
    assert store.conversations.all() == [] and usage_report(store).totals.get("questions_asked") is None


@pytest.mark.model
def test_without_data_the_question_goes_out_without_sources(store, runtime) -> None:  # noqa: ANN001
    asked: list[str] = []
    asking = _asking(store, runtime)
    asking._sources = lambda q: asked.append(q)  # noqa: SLF001 - must not be called
    prepared = asking.prepare("Say hello.", use_data=False)
    assert prepared.citations == [] and prepared.parts.context == () and asked == []


def test_a_question_cancelled_before_it_starts_is_not_asked(store) -> None:  # noqa: ANN001
    def no_model():  # noqa: ANN202 - must not be reached
        raise AssertionError("the model was asked")

    cancel = threading.Event()
    cancel.set()
    result = Asking(llm=no_model, store=store).ask(Question("Replaced by a newer one?"), cancel=cancel)
    assert result.finish_reason == "cancelled" and result.text == "" and store.conversations.all() == []


# -- the use-case with the answer engine (evidence first) ------------------------------------------------------
def test_questions_over_the_data_are_answered_from_the_evidence_without_the_model(store, tmp_path) -> None:  # noqa: ANN001
    from pathlib import Path

    from app.importing import import_paths
    from engine.answers import AnswerEngine
    from engine.retrieval import RetrievalService, default_embedder

    corpus = Path(__file__).resolve().parents[1] / "eval" / "corpora" / "keystone"
    assert not import_paths(store, [corpus / "mail"], account="test").failures
    service = RetrievalService.open(store, embedder=default_embedder())
    service.index_now()

    def no_model() -> LLMService:
        raise AssertionError("an evidence-built answer needs no chat model")

    asking = Asking(llm=no_model, store=store, usage=UsageTracker(store),
                    answers=lambda: AnswerEngine(service.retriever))
    events: list[tuple[str, object]] = []
    result = asking.ask(Question("What does the expedited glove freight cost?"),
                        on_sentence=lambda piece: events.append(("sentence", piece)),
                        on_prepared=lambda cid, citations: events.append(("prepared", (cid, citations))))
    assert events[0][0] == "prepared" and events[0][1][1] == result.citations  # sources before the first line
    pieces = [piece for kind, piece in events if kind == "sentence"]
    assert result.found and result.text == "".join(pieces).rstrip("\n") and result.text.startswith("$2,850 [")
    data = result.as_dict()
    assert data["answer"] == result.text and data["evidence"] and data["citations"]
    turns = store.conversations.get(result.conversation_id).turns
    assert [t.role for t in turns] == ["user", "assistant"] and turns[1].model == "local:evidence"
    assert turns[1].citations == [c.chunk_id for c in result.citations]


@pytest.mark.model
def test_background_work_gives_way_while_a_question_is_answered(store, runtime) -> None:  # noqa: ANN001
    indexing = BackgroundIndexing(lambda: None, EventBus())  # never started: only its busy count is read
    busy_during: list[bool] = []
    asking = _asking(store, runtime, busy=indexing.user_busy)
    asking.ask(Question("How many robots does Acme want?", params=SHORT),
               on_sentence=lambda _s: busy_during.append(indexing._busy > 0))
    assert busy_during and all(busy_during)
    assert indexing._busy == 0  # and the backlog resumes once the answer is done
