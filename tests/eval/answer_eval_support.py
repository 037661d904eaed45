"""Loads an evaluation workspace through the product's import path and scores the answer engine on its
questions with the independent checker (answer_checker.py). Shared by test_answer_eval.py and by tuning runs.

A workspace is the demo (its own loader, which goes through `import_paths`) or a corpus folder under
tests/eval/corpora imported exactly as `reflex-assistant import` does (.eml, .mbox, .ics, documents).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from answer_checker import states, unsupported
from app.demo import load_demo
from app.importing import import_paths
from connectors.mime import parse_message
from engine.answers import AnswerEngine, AnswerResult
from engine.retrieval import RetrievalService
from engine.store import Store

REPO = Path(__file__).resolve().parents[2]
QUESTIONS = json.loads((Path(__file__).with_name("answer_questions.json")).read_text(encoding="utf-8"))


def load_workspace(store: Store, name: str) -> None:
    root = REPO / QUESTIONS["sets"][name]["root"]
    if name == "demo":
        load_demo(store, root)
        return
    report = import_paths(store, [root / "mail", root / "calendar", root / "docs"], account="eval")
    assert not report.failures, report.failures


class SourceNames:
    """A cited source -> the ids the question file uses ('mail/<file>', '<message-id local part>',
    'docs/<file>', 'calendar:<uid>'), plus its text and date for the checker."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        root = REPO / QUESTIONS["sets"][name]["root"]
        self.files = {parse_message(p.read_bytes()).message_id_header: f"mail/{p.name}"
                      for p in (root / "mail").glob("*.eml")}

    def names(self, source_type: str, source_id: int) -> set[str]:
        if source_type == "email":
            header = self.store.messages.get(source_id).message_id_header
            local = header.strip("<>").split("@")[0]
            return {local, self.files.get(header, "?")}
        if source_type == "doc":
            return {"docs/" + Path(self.store.documents.get(source_id).path).name}
        if source_type == "event":
            return {"calendar:" + self.store.events.get(source_id).provider_id.split("#")[0]}
        return {f"{source_type}:{source_id}"}


#: Issue 14's targets for the bundled model (the asserted floors in test_answer_eval.py are what the engine
#: measurably reaches, a little lower; these are where it should be).
TARGETS = {"stated": (">=", 0.90), "unsupported": ("<=", 0.02), "not_in_data": (">=", 0.90), "citation": (">=", 0.95)}


@dataclass
class Scores:
    """Per-set figures on the answer's first line."""

    answerable: int = 0
    stated: int = 0
    answered: int = 0
    unsupported: int = 0
    cited_right: int = 0
    cited_total: int = 0
    unanswerable: int = 0
    refused: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for key in ("answerable", "stated", "answered", "unsupported", "cited_right", "cited_total",
                    "unanswerable", "refused"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.misses += other.misses

    def figures(self) -> dict[str, float]:
        return {"stated": self.stated / max(1, self.answerable),
                "unsupported": self.unsupported / max(1, self.answered),
                "not_in_data": self.refused / max(1, self.unanswerable),
                "citation": self.cited_right / max(1, self.cited_total)}

    def against_targets(self, label: str) -> str:
        """Where `label` stands against issue 14's targets (TARGETS), each marked met or not."""
        f = self.figures()
        met = {key: f[key] >= target if op == ">=" else f[key] <= target for key, (op, target) in TARGETS.items()}
        parts = [f"{key} {f[key]:.3f} {op} {target:.2f} {'met' if met[key] else 'NOT met'}"
                 for key, (op, target) in TARGETS.items()]
        return f"EVAL answers {label} against issue 14's targets: " + "; ".join(parts)

    def line(self, label: str) -> str:
        f = self.figures()
        return (f"EVAL answers {label}: gold fact stated {f['stated']:.3f} ({self.stated}/{self.answerable}), "
                f"unsupported {f['unsupported']:.3f} ({self.unsupported}/{self.answered}), "
                f"'not in your data' {f['not_in_data']:.3f} ({self.refused}/{self.unanswerable}), "
                f"citation right {f['citation']:.3f} ({self.cited_right}/{self.cited_total})")


def _cited(result: AnswerResult, line: str) -> list:  # noqa: ANN001
    import re

    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
    by_number = {c.number: c for c in result.citations}
    return [by_number[n] for n in dict.fromkeys(numbers) if n in by_number]


def score_set(store: Store, service: RetrievalService, name: str, engine: AnswerEngine | None = None) -> Scores:
    """Ask every question of set `name` (already loaded into `store`) and score the first lines."""
    engine = engine or AnswerEngine(service.retriever, tz=ZoneInfo(QUESTIONS["sets"][name]["timezone"]))
    names = SourceNames(store, name)
    spec = QUESTIONS["sets"][name]
    scores = Scores()
    for item in spec["questions"]:
        result = engine.answer(item["q"])
        line = result.first_line
        scores.answerable += 1
        ok = result.found and all(states(fact, line) for fact in item["gold"])
        scores.stated += ok
        if not result.found:
            scores.misses.append(f"{name}: REFUSED {item['q']}")
            continue
        scores.answered += 1
        cited = _cited(result, line)
        sources = [(c.text + " " + c.title, c.occurred_at) for c in cited]
        bad = unsupported(line, sources, " ".join(item["gold"]) + " " + item["q"])
        scores.unsupported += bool(bad)
        scores.cited_total += 1
        right = bool(cited) and (item["source"] in names.names(cited[0].source_type, cited[0].source_id)
                                 or all(states(fact, cited[0].text) for fact in item["gold"]))
        scores.cited_right += right
        if not ok or bad or not right:
            scores.misses.append(f"{name}: {'' if ok else 'MISSED '}{'UNSUPPORTED ' + str(bad) + ' ' if bad else ''}"
                                 f"{'' if right else 'WRONG-CITE '}{item['q']} -> {item['gold']} || {line}")
    for question in spec["unanswerable"]:
        result = engine.answer(question)
        scores.unanswerable += 1
        scores.refused += not result.found
        if result.found:
            scores.misses.append(f"{name}: ANSWERED-UNANSWERABLE {question} || {result.first_line}")
    return scores
