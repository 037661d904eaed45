"""The answer engine's behaviour on a real imported mailbox (Keystone corpus, real encrypted store, bundled MiniLM):
evidence-built first line with its citation, relative dates resolved against the mail, "not in your data",
streaming order, cancel, and the verifier between a chat model and the user. Model writers here are plain
functions that stream fixed text (good, hallucinated and filler sentences); the bundled model is exercised in
test_answer_model.py without asserting its words."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import keyring
import pytest

from app.importing import import_paths
from engine.answers import NOT_FOUND, AnswerEngine, find_values
from engine.answers.evidence import written_at
from engine.retrieval.rag import Citation
from engine.retrieval import RetrievalService, default_embedder
from engine.store import Store, StoreKey
from tests.fakes.keyring_backend import MemoryKeyring

CORPUS = Path(__file__).resolve().parents[1] / "eval" / "corpora" / "keystone"
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    store = Store.create(tmp_path_factory.mktemp("answers") / "reflex.db", StoreKey.generate())
    report = import_paths(store, [CORPUS / "mail", CORPUS / "calendar", CORPUS / "docs"], account="test")
    assert not report.failures
    service = RetrievalService.open(store, embedder=default_embedder())
    service.index_now()
    yield AnswerEngine(service.retriever, tz=ZoneInfo("America/New_York"))
    store.close()
    keyring.set_keyring(previous)


def _writer(text: str, seen: dict | None = None):  # noqa: ANN202
    """A model that streams `text` in small pieces (as a real one does) and records what it was asked."""

    def write(prompt: str, on_token, cancel):  # noqa: ANN001, ANN202
        if seen is not None:
            seen["prompt"], seen["cancel"] = prompt, cancel
        for i in range(0, len(text), 7):
            if cancel is not None and cancel.is_set():
                return None
            on_token(text[i:i + 7])
        return None

    return write


def test_first_line_states_the_amount_with_the_citation_of_its_mail(engine: AnswerEngine) -> None:
    result = engine.answer("How much did Lakeview spend with us over the last twelve months?")
    assert result.found
    assert result.first_line.startswith("$6.8 million [")
    number = int(re.search(r"\[(\d+)\]", result.first_line).group(1))
    cited = next(c for c in result.citations if c.number == number)
    assert "6.8 million" in cited.text and cited.source_type == "email"
    assert all(re.search(r"\[\d+\]", line) for line in result.lines)
    assert len(result.lines) <= 4


def test_relative_dates_resolve_against_the_mail_and_never_gain_a_year(engine: AnswerEngine) -> None:
    # "by Wednesday" in a mail sent on Monday 16 Nov 2026
    result = engine.answer("When can Tanya get the 400 cases to St. Mary's?")
    assert result.first_line.startswith("Wednesday 18 Nov [")
    assert "2026" not in result.first_line


def test_relative_dates_use_the_day_in_the_users_time_zone() -> None:
    """A mail sent Tuesday 24 Nov 16:20 in Seattle is 00:20 Wednesday in UTC: "tomorrow" in it is Wednesday."""
    sent = datetime(2026, 11, 25, 0, 20, tzinfo=timezone.utc)
    citation = Citation(number=1, chunk_id=1, source_type="email", source_id=1, title="Budget", locator="",
                        where="", occurred_at=sent, text="Reminder: headcount plans are due tomorrow.", score=1.0)
    local = written_at(citation, ZoneInfo("America/Los_Angeles"))
    assert local == date(2026, 11, 24)
    due = [v for v in find_values(citation.text, local) if v.kind == "date"]
    assert [v.shown for v in due] == ["25 Nov"]


def test_weak_evidence_answers_not_in_your_data_with_the_closest_sources(engine: AnswerEngine) -> None:
    result = engine.answer("How many forklifts are at the Erie depot?")
    assert not result.found
    assert result.first_line == NOT_FOUND
    assert result.citations and result.lines[1].startswith("Closest sources: [1]")


def test_lines_stream_in_order_then_only_verified_model_sentences(engine: AnswerEngine) -> None:
    shown: list[str] = []
    model = ("Lakeview wants its proposal by Friday 20 Nov. "  # a date the cited mail resolves to: kept
             "Lakeview also asked for a $250,000 rebate [1]. "  # invented amount: dropped
             "The answer to this question lies within the context of the data. ")  # filler: dropped
    result = engine.answer("By when does Elaine Foster want our renewal proposal?", on_sentence=shown.append,
                           write=_writer(model))
    assert result.found and shown == result.lines
    assert shown[0].startswith("Friday 20 Nov [")
    assert not any("250,000" in line or "lies within" in line for line in shown)
    assert result.model_dropped >= 2


def test_a_supported_rephrasing_is_shown_with_a_citation(engine: AnswerEngine) -> None:
    shown: list[str] = []
    model = "So far 2,610 of the 3,140 recalled infusion sets that went to 14 customers have been recovered."
    result = engine.answer("How many recalled units have we recovered so far?", on_sentence=shown.append,
                           write=_writer(model))
    assert result.found and result.model_kept == 1
    assert re.search(r"2,610 of the 3,140 .*\[\d+\]$", shown[-1])


def test_cancel_stops_between_lines_and_reaches_the_model(engine: AnswerEngine) -> None:
    cancel = threading.Event()
    shown: list[str] = []
    seen: dict = {}

    def on_sentence(line: str) -> None:
        shown.append(line)
        cancel.set()

    result = engine.answer("What does the expedited glove freight cost?", on_sentence=on_sentence, cancel=cancel,
                           write=_writer("Freight is $2,850. " * 5, seen))
    assert result.cancelled and len(shown) == 1
    assert "prompt" not in seen  # the model never started: it was cancelled before

    cancel2 = threading.Event()
    shown2: list[str] = []
    result2 = engine.answer("What does the expedited glove freight cost?", on_sentence=shown2.append,
                            cancel=cancel2, write=lambda p, on_token, c: (cancel2.set(), on_token("Freight ")))
    assert result2.cancelled and all("Freight " != line for line in shown2)


def test_as_dict_carries_answer_evidence_and_citations(engine: AnswerEngine) -> None:
    data = engine.answer("Which lot of Bexley infusion sets was recalled?").as_dict()
    assert data["found"] and "22-4471" in data["answer"]
    assert data["evidence"] and data["citations"]
    assert {e["citation"] for e in data["evidence"]} <= {c["number"] for c in data["citations"]}


@pytest.mark.parametrize("question", ["What did Gary Whitman ask for?", "What did Gary ask Ruth to do?"])
def test_what_someone_asked_for_is_their_request(engine: AnswerEngine, question: str) -> None:
    result = engine.answer(question)
    assert result.found and "split-ship 400 cases" in result.first_line
    number = int(re.search(r"\[(\d+)\]", result.first_line).group(1))
    assert next(c for c in result.citations if c.number == number).text.startswith("From Gary Whitman")


def test_a_number_the_question_states_must_be_in_the_source(engine: AnswerEngine) -> None:
    """Near misses: the data has PO 55812, not PO 55813; an answer about the one is no answer about the other."""
    assert engine.answer("How many cases of nitrile gloves are on PO 55812?").found
    near = engine.answer("How many cases of nitrile gloves are on PO 55813?")
    assert not near.found and near.first_line == NOT_FOUND


def test_a_cost_question_is_not_answered_by_a_count(engine: AnswerEngine) -> None:
    """"What does X cost" wants money: the glove mail's "1,200 cases" and "nine days" do not answer it."""
    result = engine.answer("How much did the nitrile glove backorder cost St. Mary's?")
    assert not result.found or re.search(r"[$€£]|\bUSD\b", result.first_line.split("—")[0])


def test_a_person_question_is_not_answered_by_a_place_or_a_bystanding_sender(engine: AnswerEngine) -> None:
    """"The new warehouse management system at Harrisburg goes live ...": neither Harrisburg nor the mail's
    sender is the vendor; the sentence that names the vendor answers."""
    result = engine.answer("Who is the vendor of the new warehouse management system?")
    assert result.first_line.startswith("Corrigan Systems [")
