"""How much a text touches the user's strategic context: which priorities and goals it mentions.

Used by triage (a thread about a current priority is important) and decision support (alignment per goal).
Matching is lexical and explainable: a priority or goal matches when the text names one of its distinctive
names (capitalised words, codes such as "4.2.1", acronyms such as "NRR"), or shares at least two of its
content words (light stemming). Pure and thread-safe once built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models import StrategicContext

_GENERIC = frozenset(
    "close save reduce hire grow keep make improve get be have with credible honest story date every most "
    "least more than one four two three our the a an and for of in on at by to no below above net new "
    "efficiently wants stay team that this through each other until first need sign clear thing when where "
    "which while from into over under about after before".split()
)
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
                    "july august september october november december".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*|\d+(?:\.\d+)+")


def stem(word: str) -> str:
    w = word.lower().strip("'-")
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s", "al"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


@dataclass(frozen=True, slots=True)
class Aim:
    """One goal or priority with the words that identify it."""

    text: str
    kind: str  # goal | priority | value
    names: frozenset[str]  # distinctive: one is enough
    words: frozenset[str]  # content stems: two are needed


def _aim(text: str, kind: str) -> Aim:
    found = _WORD.findall(text)
    names, words = set(), set()
    for i, w in enumerate(found):
        low = w.lower()
        if low in _MONTHS or low in _GENERIC or (len(low) < 3 and not any(c.isdigit() for c in low)):
            continue
        if i > 0 and (w[0].isupper() or w.isupper() or any(c.isdigit() for c in w)):
            names.add(stem(w))
        elif len(low) >= 4:
            words.add(stem(w))
    return Aim(text, kind, frozenset(names), frozenset(words))


def stems_of(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text or "")}


class StrategicMatcher:
    """`common` are stems that appear in so much of the user's mail that they identify nothing (for a robotics
    company "units" and "fleet"); build it with `common_stems(texts)` over the user's threads."""

    def __init__(self, ctx: StrategicContext | None, *, common: frozenset[str] = frozenset()) -> None:
        ctx = ctx or StrategicContext()
        aims = ([_aim(p, "priority") for p in ctx.priorities] + [_aim(g, "goal") for g in ctx.goals]
                + [_aim(v, "value") for v in ctx.values])
        self.aims = [Aim(a.text, a.kind, a.names - common, a.words - common) for a in aims]

    def matches(self, text: str, *, kinds: tuple[str, ...] = ("priority", "goal")) -> list[Aim]:
        stems = stems_of(text)
        return [a for a in self.aims if a.kind in kinds and (a.names & stems or len(a.words & stems) >= 2)]

    def overlap(self, aim: Aim, text: str) -> float:
        """0..1: the share of an aim's identifying words present in `text` (names count double)."""
        stems = {stem(w) for w in _WORD.findall(text or "")}
        total = 2 * len(aim.names) + len(aim.words)
        return 0.0 if not total else min(1.0, (2 * len(aim.names & stems) + len(aim.words & stems)) / total * 2)


def common_stems(texts: list[str], *, share: float = 0.15, min_texts: int = 20) -> frozenset[str]:
    """Stems found in more than `share` of `texts` (none until there are `min_texts` texts to judge by)."""
    if len(texts) < min_texts:
        return frozenset()
    counts: dict[str, int] = {}
    for text in texts:
        for s in stems_of(text):
            counts[s] = counts.get(s, 0) + 1
    return frozenset(s for s, n in counts.items() if n / len(texts) > share)
