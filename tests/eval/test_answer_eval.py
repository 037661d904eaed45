"""Answer quality (issue 14) over three workspaces from different industries and writing styles, scored on the
answer's first line by an independent checker (answer_checker.py: its own normalisation of numbers, money and
dates, the gold facts and the source text; it never calls the product's verifier).

Question sets: tests/eval/answer_questions.json (265 questions with gold facts and source mail, 76 whose answer
is not in the data). Each was written from its source data before the answer code it scores.
- TUNING sets: "demo" (Northwind Robotics, resources/demo), "keystone" (Keystone Clinical Supply,
  tests/eval/corpora/keystone) and "calder" (Calder Constructions, a Melbourne builder, tests/eval/corpora/calder:
  near-miss unanswerables such as the budget of a project when only another project's budget is in the data,
  questions whose answer type the closest mail lacks, facts quoted again in replies). The engine's weights and
  thresholds were tuned on these only.
- HELD OUT (never tuned against; figures reported per set, misses never printed):
  - "alpenpay" (Alpenpay AG, Swiss payments fintech, tests/eval/corpora/alpenpay, one .mbox).
  - "ashcombe" (Ashcombe Reid LLP, a London commercial law firm: formal British English, quoted replies, an
    Outlook-style reply, tests/eval/corpora/ashcombe). HELD OUT since 2026-12-02: written before that day's
    answer-engine changes (near-miss unanswerables: a number, entity or date close to one in the data).

Each workspace is loaded through the product's import path (`import_paths`, as `reflex-assistant import` does)
into a real encrypted store and indexed with the bundled MiniLM. The first line is built from evidence only, so
these figures do not depend on the chat model and hold on any machine.

Issue 14's targets (answer_eval_support.TARGETS): gold fact stated >= 0.90, answers with an unsupported value
<= 0.02, correct "not in your data" >= 0.90, citation of the answering sentence right >= 0.95. The asserts below are
floors a little under what this engine measurably reaches (a regression fails the test); the figures printed say
where each set stands against the targets, met or not.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import keyring
import pytest

from answer_eval_support import QUESTIONS, Scores, load_workspace, score_set
from engine.retrieval import RetrievalService, default_embedder
from engine.store import Store, StoreKey
from eval_figures import report
from tests.fakes.keyring_backend import MemoryKeyring

pytestmark = pytest.mark.model

TUNING = ("demo", "keystone", "calder")
HELD_OUT = tuple(QUESTIONS["held_out"])


def _score(name: str, tmp: Path) -> Scores:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        store = Store.create(tmp / "reflex.db", StoreKey.generate())
        try:
            load_workspace(store, name)
            # The user's time zone, as the app passes it: event times in the index are written in it.
            service = RetrievalService.open(store, embedder=default_embedder(),
                                            tz=ZoneInfo(QUESTIONS["sets"][name]["timezone"]))
            service.index_now()
            return score_set(store, service, name)
        finally:
            store.close()
    finally:
        keyring.set_keyring(previous)


def test_question_sets_cover_three_industries_with_enough_questions() -> None:
    sets = QUESTIONS["sets"]
    assert len(sets) >= 4 and set(HELD_OUT) == {"alpenpay", "ashcombe"}
    assert all(not sets[name]["tuning"] for name in HELD_OUT) and sets["ashcombe"]["held_out_since"]
    assert sum(len(s["questions"]) for s in sets.values()) >= 150
    assert sum(len(s["unanswerable"]) for s in sets.values()) >= 30
    for spec in sets.values():
        for item in spec["questions"]:
            assert item["gold"] and item["source"], item


def _scores(names: tuple[str, ...], label: str, tmp: pytest.TempPathFactory) -> Scores:
    total = Scores()
    for name in names:
        scores = _score(name, tmp.mktemp(name))
        report(scores.line(f"{label} set {name}"))
        total.add(scores)
    return total


def test_answers_on_the_tuning_sets(tmp_path_factory: pytest.TempPathFactory) -> None:
    total = _scores(TUNING, "tuning", tmp_path_factory)
    report(total.line("tuning sets together"))
    report(total.against_targets("tuning sets together"))
    for miss in total.misses:
        print("  ", miss)
    f = total.figures()  # measured 2026-12-02: 0.938, 0.000, 0.900, 0.952
    assert f["stated"] >= 0.91
    assert f["unsupported"] <= 0.01
    assert f["not_in_data"] >= 0.86
    assert f["citation"] >= 0.93


#: Floors per held-out set, a little below the figures measured once at the end of 2026-12-02's tuning (a
#: regression fails): Alpenpay 0.820, 0.021, 0.600, 0.957 (before that day: 0.840, 0.021, 0.500, 0.957);
#: Ashcombe, first measured then: 0.913, 0.000, 0.750, 1.000.
HELD_OUT_FLOORS = {
    "alpenpay": {"stated": 0.78, "unsupported": 0.045, "not_in_data": 0.50, "citation": 0.93},
    "ashcombe": {"stated": 0.88, "unsupported": 0.02, "not_in_data": 0.68, "citation": 0.95},
}


@pytest.mark.parametrize("name", sorted(HELD_OUT_FLOORS))
def test_answers_on_a_held_out_set(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A held-out set was never looked at while tuning: these figures say how the engine generalises. Its misses
    are deliberately not printed: nobody tunes against it."""
    scores = _scores((name,), "HELD-OUT", tmp_path_factory)
    report(scores.against_targets(f"HELD-OUT set {name}"))
    f, floors = scores.figures(), HELD_OUT_FLOORS[name]
    assert f["stated"] >= floors["stated"]
    assert f["unsupported"] <= floors["unsupported"]
    assert f["not_in_data"] >= floors["not_in_data"]
    assert f["citation"] >= floors["citation"]
