"""What a chat model can be trusted with, measured by a small built-in probe instead of guessed from its size.

Tiers (ordered; features ask for the lowest tier they need, `Tier.EVIDENCE_ONLY` being "no model prose"):
  * EVIDENCE_ONLY — answers are built from the evidence itself; the model's free text is not shown and it
    makes no judgement calls (the bundled 135M model lands here).
  * REPHRASE — the model may rephrase what one source says (still verified sentence by sentence) and propose
    items that cite a transcript line.
  * SYNTHESISE — the model may combine several sources and make judgement calls (a decision's pros and cons).

The probe (`resources/models/capability_probe.json`, a few dozen items: grounded questions, two-source
synthesis, JSON extraction and questions the sources do not answer) runs through the same prompt assembly
as the product (`PromptParts` with numbered passages). Each answer is checked by rules independent of the
model: the gold facts must be stated, and every number and mid-sentence name must appear in the sources
(else it counts as a hallucination). It stops as soon as the tier is decided, so a weak model is measured in
a few items. Pure Python; no Qt. `run_probe` blocks: run it on a worker (`CapabilityProber` does).
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import IntEnum

from pydantic import BaseModel

from engine.llm.budget import ContextItem, PromptParts
from engine.llm.runtime import GenerationParams

#: Bump when the items or the scoring change: stored results of older versions are measured again.
PROBE_VERSION = 1
#: Greedy, short: the probe measures what the model does by default, and stays well under a minute.
PROBE_PARAMS = GenerationParams(max_tokens=48, temperature=0.0, top_p=1.0, repeat_penalty=1.0)
EXTRACT_PARAMS = GenerationParams(max_tokens=64, temperature=0.0, top_p=1.0, repeat_penalty=1.0)

# generate(parts, params) -> the model's reply text (blocking; raises LLMError on failure)
Generate = Callable[[PromptParts, GenerationParams], str]


class Tier(IntEnum):
    """What a model may do; compare with `>=`."""

    EVIDENCE_ONLY = 0
    REPHRASE = 1
    SYNTHESISE = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_label(cls, label: str) -> Tier:
        return cls[label.upper().replace("-", "_")]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Minimum pass rates per kind and the most hallucinations (share of free-text answers) for a tier."""

    grounded: float
    synthesis: float
    extract: float
    refusal: float
    hallucination: float


#: Set before any model was probed, from what each tier lets a feature do: rephrasing needs most single-source
#: answers right and few inventions; synthesis needs nearly all of them right and almost no invention.
TIER_RULES: dict[Tier, Thresholds] = {
    Tier.SYNTHESISE: Thresholds(grounded=0.85, synthesis=0.65, extract=0.8, refusal=0.8, hallucination=0.05),
    Tier.REPHRASE: Thresholds(grounded=0.7, synthesis=0.0, extract=0.6, refusal=0.5, hallucination=0.1),
}


class _Extraction(BaseModel):
    person: str
    amount: str
    deadline: str


@dataclass(frozen=True, slots=True)
class ProbeItem:
    id: str
    kind: str  # grounded | synthesis | extract | refusal
    question: str = ""
    sources: tuple[str, ...] = ()
    gold: tuple[tuple[str, ...], ...] = ()  # every group must match; any alternative within a group
    text: str = ""  # extract only
    fields: tuple[tuple[str, str], ...] = ()  # extract only


@dataclass(frozen=True, slots=True)
class Probe:
    version: int
    system: str
    items: tuple[ProbeItem, ...]


@functools.cache
def builtin_probe() -> Probe:
    """The shipped probe (read once)."""
    raw = json.loads(importlib.resources.files("resources").joinpath("models/capability_probe.json")
                     .read_text("utf-8"))
    items = tuple(ProbeItem(id=i["id"], kind=i["kind"], question=i.get("question", ""),
                            sources=tuple(i.get("sources", ())), gold=tuple(tuple(g) for g in i.get("gold", ())),
                            text=i.get("text", ""), fields=tuple(i.get("fields", {}).items()))
                  for i in raw["items"])
    return Probe(version=raw["version"], system=raw["system"], items=items)


# ---- checking (independent of the model; pure) ------------------------------------------------------------
_REFUSALS = ("not in the sources", "not in sources", "no information", "does not say", "doesn t say",
             "not mentioned", "does not mention", "doesn t mention", "cannot find", "can t find", "not found",
             "do not know", "don t know", "not specified", "not stated", "no mention", "unknown")
_FUNCTION_WORDS = frozenset(
    "the this that these those they there their then based according source sources not yes no it its he she "
    "we you i in on at for and but or so if as by with from to of a an is are was will".split())


def normalise(text: str) -> str:
    """Lowercase words and plain numbers: "$48,000." -> "48000", "5-year" -> "5 year"."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _tokens(text: str) -> set[str]:
    return set(normalise(text).split())


def _matches(gold: Iterable[str], answer_tokens: set[str]) -> bool:
    return any(_tokens(alt) and _tokens(alt) <= answer_tokens for alt in gold)


def unsupported(answer: str, supported_text: str) -> list[str]:
    """Numbers and mid-sentence capitalised names in `answer` that `supported_text` never mentions.
    Citation marks like "[2]" are not numbers."""
    answer = re.sub(r"\[\d+\]", " ", answer)
    known = _tokens(supported_text)
    known_numbers = set(re.findall(r"\d+", normalise(supported_text)))
    out = sorted(n for n in set(re.findall(r"\d+", normalise(answer))) if n not in known_numbers)
    for sentence in re.split(r"(?<=[.!?:])\s+|\n+", answer):
        for word in re.findall(r"[A-Za-z][\w'-]*", sentence)[1:]:
            if (word[0].isupper() and not word.isupper() and word.lower() not in _FUNCTION_WORDS
                    and not set(normalise(word).split()) <= known):
                out.append(word)
    return out


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    id: str
    kind: str
    passed: bool
    hallucinated: bool


def check(item: ProbeItem, reply: str) -> ItemOutcome:
    """Score one reply. Extraction passes when the JSON parses and every field holds its gold value."""
    if item.kind == "extract":
        try:
            got = _Extraction.model_validate_json(_json_part(reply))
        except ValueError:
            return ItemOutcome(item.id, item.kind, False, False)
        values = got.model_dump()
        passed = all(_matches([gold], _tokens(values[name])) for name, gold in item.fields)
        return ItemOutcome(item.id, item.kind, passed, False)
    supported = " ".join([*item.sources, item.question, *(a for g in item.gold for a in g)])
    invented = bool(unsupported(reply, supported))
    normal = normalise(reply)
    if item.kind == "refusal":
        passed = any(r in normal for r in _REFUSALS) and not invented
    else:
        tokens = set(normal.split())
        passed = all(_matches(group, tokens) for group in item.gold) and not invented
    return ItemOutcome(item.id, item.kind, passed, invented)


def _json_part(reply: str) -> str:
    start, end = reply.find("{"), reply.rfind("}")
    return reply[start:end + 1] if 0 <= start < end else reply


# ---- scoring ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class ProbeResult:
    """A model's measured capability. `score` = passed / items run."""

    tier: Tier
    passed: int
    run: int
    total: int
    hallucinations: int
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [passed, run]
    seconds: float = 0.0
    version: int = PROBE_VERSION
    cancelled: bool = False

    @property
    def score(self) -> float:
        return self.passed / self.run if self.run else 0.0

    def summary(self) -> str:
        """One line for `models list` and Settings > Models."""
        return f"{self.tier.label} (probe {self.passed}/{self.run})"

    def as_dict(self) -> dict[str, object]:
        return {"tier": self.tier.label, "score": round(self.score, 3), "passed": self.passed, "run": self.run,
                "total": self.total, "hallucinations": self.hallucinations, "by_kind": self.by_kind,
                "seconds": round(self.seconds, 2), "version": self.version}

    @classmethod
    def from_dict(cls, raw: dict) -> ProbeResult:
        return cls(tier=Tier.from_label(raw["tier"]), passed=raw["passed"], run=raw["run"], total=raw["total"],
                   hallucinations=raw["hallucinations"], by_kind={k: list(v) for k, v in raw["by_kind"].items()},
                   seconds=raw.get("seconds", 0.0), version=raw.get("version", 0))


def _tier_for(passed: dict[str, int], totals: dict[str, int], hallucinations: int, free_text: int) -> Tier:
    for tier in (Tier.SYNTHESISE, Tier.REPHRASE):
        rule = TIER_RULES[tier]
        rates = {kind: passed.get(kind, 0) / totals[kind] for kind in totals if totals[kind]}
        if (all(rates.get(kind, 1.0) >= getattr(rule, kind) for kind in ("grounded", "synthesis", "extract",
                                                                          "refusal"))
                and hallucinations <= rule.hallucination * free_text):
            return tier
    return Tier.EVIDENCE_ONLY


def _bounds(outcomes: list[ItemOutcome], items: tuple[ProbeItem, ...]) -> tuple[Tier, Tier]:
    """The tier if every remaining item fails and invents (lowest) or passes cleanly (highest)."""
    totals: dict[str, int] = {}
    for it in items:
        totals[it.kind] = totals.get(it.kind, 0) + 1
    free_text = sum(n for kind, n in totals.items() if kind != "extract")
    passed: dict[str, int] = {}
    for o in outcomes:
        passed[o.kind] = passed.get(o.kind, 0) + o.passed
    invented = sum(o.hallucinated for o in outcomes)
    remaining = items[len(outcomes):]
    best = dict(passed)
    for it in remaining:
        best[it.kind] = best.get(it.kind, 0) + 1
    worst_invented = invented + sum(it.kind != "extract" for it in remaining)
    return (_tier_for(passed, totals, worst_invented, free_text), _tier_for(best, totals, invented, free_text))


def run_probe(generate: Generate, *, use_grammar: bool, probe: Probe | None = None,
              cancel: threading.Event | None = None, on_progress: Callable[[float], None] | None = None
              ) -> ProbeResult:
    """Ask the probe's items one at a time until the tier is decided. `use_grammar` constrains the JSON
    extraction for engines that accept a GBNF grammar (the local runtime); servers must produce JSON
    themselves. Raises what `generate` raises (`LLMError`); a cancel returns the partial result marked."""
    probe = probe or builtin_probe()
    grammar = None
    if use_grammar:
        from engine.llm.structured import schema_json, schema_to_gbnf

        grammar = schema_to_gbnf(schema_json(_Extraction))
    started = time.monotonic()
    outcomes: list[ItemOutcome] = []
    cancelled = False
    for n, item in enumerate(probe.items):
        low, high = _bounds(outcomes, probe.items)
        if low == high:
            break
        if cancel is not None and cancel.is_set():
            cancelled = True
            break
        parts, params = _request(probe, item, grammar)
        outcomes.append(check(item, generate(parts, params)))
        if on_progress:
            on_progress((n + 1) / len(probe.items))
    by_kind: dict[str, list[int]] = {}
    for o in outcomes:
        counts = by_kind.setdefault(o.kind, [0, 0])
        counts[0] += o.passed
        counts[1] += 1
    tier = _bounds(outcomes, probe.items)[0]
    return ProbeResult(tier=tier, passed=sum(o.passed for o in outcomes), run=len(outcomes),
                       total=len(probe.items), hallucinations=sum(o.hallucinated for o in outcomes),
                       by_kind=by_kind, seconds=time.monotonic() - started, version=probe.version,
                       cancelled=cancelled)


def _request(probe: Probe, item: ProbeItem, grammar: str | None) -> tuple[PromptParts, GenerationParams]:
    if item.kind == "extract":
        names = ", ".join(name for name, _ in item.fields)
        question = (f"Extract the person who must act, the amount (digits only) and the deadline from this text. "
                    f"Reply with JSON only, with the keys {names}.\n\nText: {item.text}")
        return PromptParts(question=question), replace(EXTRACT_PARAMS, grammar=grammar)
    context = [ContextItem(text=s, score=1.0 - i / 10, source="note") for i, s in enumerate(item.sources)]
    return PromptParts(question=item.question, system=probe.system, context=context), PROBE_PARAMS
