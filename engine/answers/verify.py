"""The verifier every model-written sentence passes before the user sees it.

A sentence is kept only when (1) each number, date, amount, percentage, duration, time and name in it appears
in the evidence it cites, compared as normalised values ("$3.4m" == "3,400,000"; "by Thursday" in a mail of
Monday 30 Nov == "Thursday 3 Dec"; a year must be written in the evidence, never inferred), and (2) its
embedding similarity to its closest evidence sentence (or that sentence's whole passage) reaches SIMILARITY_FLOOR,
and (3) it is about the question (similarity to it reaches QUESTION_FLOOR). A sentence without a [n]
marker is checked against the evidence sentence closest to it and gets that sentence's citation.

SIMILARITY_FLOOR was calibrated on Keystone (a tuning set): faithful rewrites that join facts of one mail score
0.5-0.95 against it with MiniLM, generic filler ("The answer to this question lies within the context of the
data.") and sentences about another topic 0.1-0.3. Pure apart from the embedder; thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timezone, tzinfo

import numpy as np

from engine.answers.evidence import EvidenceSentence, SentenceVectors, written_at
from engine.answers.values import Value, find_values
from engine.retrieval.embedder import Embedder

SIMILARITY_FLOOR = 0.50
#: A shown sentence must also be about the question: true sentences on another topic from the same passages
#: ("We land in Pittsburgh on Wednesday" for "When does the container land?") score 0.24-0.40, answers 0.42-0.72.
QUESTION_FLOOR = 0.40
_MARKER = re.compile(r"\s*\[(\d+)\]")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True, slots=True)
class Verdict:
    """`ok`: show it; `sentence`: the text to show (with its citation marker); `reason`: why it was dropped."""

    ok: bool
    sentence: str
    reason: str = ""
    citations: tuple[int, ...] = ()


def markers(sentence: str) -> tuple[int, ...]:
    return tuple(dict.fromkeys(int(n) for n in _MARKER.findall(sentence)))


def strip_markers(sentence: str) -> str:
    return _MARKER.sub("", sentence).strip()


def _supported_keys(evidence: list[EvidenceSentence], tz: tzinfo) -> set[str]:
    keys: set[str] = set()
    seen: set[int] = set()
    for sentence in evidence:
        if id(sentence.citation) in seen:
            continue
        seen.add(id(sentence.citation))
        for value in find_values(sentence.citation.text, written_at(sentence.citation, tz)):
            keys.add(value.key)
            keys.add(_bare(value))
    return keys


def _bare(value: Value) -> str:
    """A duration, amount or percent also counts as its bare number ('18 months' supports '18')."""
    return re.sub(r"^(n:[\d.]+).*$", r"\1", value.key)


def unsupported_values(sentence: str, evidence: list[EvidenceSentence], question: str = "",
                       tz: tzinfo = timezone.utc) -> list[Value]:
    """The values of `sentence` that neither its evidence nor the question states."""
    keys = _supported_keys(evidence, tz)
    keys |= {v.key for v in find_values(question)} | {_bare(v) for v in find_values(question)}
    texts = " ".join(s.citation.text + " " + s.citation.title for s in evidence).lower() + " " + question.lower()
    years = set(_YEAR.findall(texts))
    bad = []
    for value in find_values(sentence, None):
        if value.kind == "name":
            if value.text.lower() not in texts:
                bad.append(value)
        elif value.kind == "date" and any(y not in years for y in _YEAR.findall(value.text)):
            bad.append(value)
        elif value.key not in keys and _bare(value) not in keys:
            bad.append(value)
    return bad


class Verifier:
    """Checks model sentences against the evidence sentences of one answer."""

    def __init__(self, embedder: Embedder | SentenceVectors, evidence: list[EvidenceSentence], *, question: str = "",
                 floor: float = SIMILARITY_FLOOR, tz: tzinfo = timezone.utc) -> None:
        self.tz = tz
        self.embedder = embedder
        self.evidence = evidence
        self.question = question
        self.floor = floor
        # Each evidence sentence, then each one's whole passage (a sentence that joins two facts of one mail
        # is close to the mail, not to either sentence alone).
        texts = [s.text for s in evidence] + [s.citation.text for s in evidence]
        self._vectors = embedder.embed(texts) if evidence else np.zeros((0, 1))

    def check(self, sentence: str) -> Verdict:
        plain = strip_markers(sentence)
        if len(plain.split()) < 3 or not self.evidence:
            return Verdict(False, sentence, "too short or no evidence")
        cited = markers(sentence)
        pool = [i for i, s in enumerate(self.evidence) if s.number in cited] if cited else []
        if cited and not pool:
            return Verdict(False, sentence, f"cites [{', '.join(map(str, cited))}], which is not evidence")
        vector = self.embedder.embed([plain])[0]
        if self.question:
            about = float(self.embedder.embed([self.question])[0] @ vector)
            if about < QUESTION_FLOOR:
                return Verdict(False, sentence, f"similarity to the question {about:.2f} below {QUESTION_FLOOR}")
        both = self._vectors @ vector
        n = len(self.evidence)
        sims = np.maximum(both[:n], both[n:])
        candidates = pool or list(range(len(self.evidence)))
        best = max(candidates, key=lambda i: sims[i])
        if float(sims[best]) < self.floor:
            return Verdict(False, sentence, f"similarity {float(sims[best]):.2f} below {self.floor}")
        support = [self.evidence[i] for i in candidates] if pool else [self.evidence[best]]
        bad = unsupported_values(plain, support, self.question, self.tz)
        if bad:
            return Verdict(False, sentence, "unsupported: " + ", ".join(v.text for v in bad))
        numbers = cited or (self.evidence[best].number,)
        shown = sentence if cited else f"{plain.rstrip(' .')} [{numbers[0]}]"
        return Verdict(True, shown, citations=numbers)
