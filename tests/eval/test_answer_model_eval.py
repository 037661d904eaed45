"""The answer engine with the bundled chat model (SmolLM2-135M) writing after the evidence answer.

Never asserts the model's words (greedy output differs across CPUs): it asserts that the evidence-built first line
comes first and is the same with or without a model, and that every model sentence the user sees passes the
independent checker of tests/eval (its numbers, dates and names are in the sources it cites). The share of model
sentences kept is printed as an evaluation figure.
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import keyring
import pytest

from answer_checker import unsupported
from app.importing import import_paths
from engine.answers import AnswerEngine
from engine.answers.writer import llm_writer
from engine.llm import LLMService, LocalRuntime
from engine.llm.catalogue import bundled_model_path
from engine.retrieval import RetrievalService, default_embedder
from engine.store import Store, StoreKey
from eval_figures import report
from tests.fakes.keyring_backend import MemoryKeyring

CORPUS = Path(__file__).resolve().parent / "corpora" / "keystone"  # a tuning set
QUESTIONS = [
    "How much did Lakeview spend with us over the last twelve months?",
    "When does the Sempra container land?",
    "Who wants to tour the Harrisburg warehouse?",
    "What was driver overtime in October?",
    "How many units from the recalled lot did we ship?",
    "What is the total WMS project cost?",
]
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def engine_and_writer(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    store = Store.create(tmp_path_factory.mktemp("answers-model") / "reflex.db", StoreKey.generate())
    assert not import_paths(store, [CORPUS / "mail", CORPUS / "docs"], account="test").failures
    service = RetrievalService.open(store, embedder=default_embedder())
    service.index_now()
    runtime = LocalRuntime(bundled_model_path(), n_ctx=2048, n_threads=1)
    runtime.load().result()
    llm = LLMService(runtime=runtime, audit=lambda _entry: None)
    yield AnswerEngine(service.retriever, tz=ZoneInfo("America/New_York")), llm_writer(llm, feature="test")
    runtime.close()
    store.close()
    keyring.set_keyring(previous)


def test_model_sentences_shown_are_verified_against_their_sources(engine_and_writer) -> None:  # noqa: ANN001
    engine, write = engine_and_writer
    kept = dropped = 0
    for question in QUESTIONS:
        plain = engine.answer(question)
        shown: list[str] = []
        result = engine.answer(question, on_sentence=shown.append, write=write)
        assert shown == result.lines and shown[0] == plain.first_line
        by_number = {c.number: c for c in result.citations}
        for line in shown[len(plain.lines):]:  # what the model added
            numbers = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
            assert numbers and all(n in by_number for n in numbers), line
            sources = [(by_number[n].text + " " + by_number[n].title, by_number[n].occurred_at) for n in numbers]
            assert not unsupported(line, sources, question), line
        kept += result.model_kept
        dropped += result.model_dropped
    report(f"EVAL answers bundled model after the evidence answer: {kept} model sentence(s) shown, {dropped} dropped "
           f"by the verifier over {len(QUESTIONS)} Keystone questions")
