"""Learning from the user's triage corrections: a TF-IDF nearest-neighbour vote in numpy.

WHY nearest neighbours rather than naive Bayes: it is useful from the very first correction (naive Bayes needs
examples of several classes before it can discriminate) and its decision is explainable ("like the message from
X you re-filed as personal"). Features are the subject and new text's words plus the sender's address and
domain, so "same sender, similar mail" is what it picks up. Training is a few milliseconds for thousands of
corrections; rebuild after every correction. Not thread-safe for concurrent `fit`; `predict` is read-only.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from engine.assistant.text import new_text, tokens
from models import Message

#: Minimum similarity for a learned value to override the rules (cosine, 0..1).
OVERRIDE_AT = 0.45


def features(message: Message) -> list[str]:
    sender = message.sender.email.lower()
    words = tokens(f"{message.subject} {new_text(message)}")[:300]
    # The sender counts like several words: who wrote is the strongest cue people re-file by.
    return words + [f"from:{sender}"] * 4 + [f"domain:{sender.rsplit('@', 1)[-1]}"] * 2


@dataclass(frozen=True, slots=True)
class Learned:
    value: str
    similarity: float
    example_id: int  # the corrected message this resembles most


class CorrectionModel:
    """Fit on (message, field -> value) corrections; predict a field's value for a new message."""

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._idf = np.zeros(0, dtype=np.float32)
        self._rows: dict[str, tuple[np.ndarray, list[str], list[int]]] = {}
        self._domains: dict[int, str] = {}  # corrected message id -> its sender's domain

    def __len__(self) -> int:
        return sum(len(v[1]) for v in self._rows.values())

    def fit(self, examples: list[tuple[Message, dict[str, str]]]) -> None:
        """`examples`: each corrected message with its corrected fields."""
        docs = [features(m) for m, _ in examples]
        df = Counter(term for doc in docs for term in set(doc))
        self._vocab = {term: i for i, term in enumerate(sorted(df))}
        n = max(len(docs), 1)
        self._idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(df)], dtype=np.float32)
        per_field: dict[str, tuple[list[np.ndarray], list[str], list[int]]] = {}
        self._domains = {m.id or 0: _domain(m) for m, _ in examples}
        for (message, fields), doc in zip(examples, docs):
            vec = self._vector(doc)
            for name, value in fields.items():
                vecs, values, ids = per_field.setdefault(name, ([], [], []))
                vecs.append(vec)
                values.append(value)
                ids.append(message.id or 0)
        self._rows = {k: (np.vstack(v[0]), v[1], v[2]) for k, v in per_field.items()}

    def _vector(self, doc: list[str]) -> np.ndarray:
        vec = np.zeros(len(self._vocab), dtype=np.float32)
        for term, count in Counter(doc).items():
            idx = self._vocab.get(term)
            if idx is not None:
                vec[idx] = (1.0 + math.log(count)) * self._idf[idx]
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def predict(self, message: Message, field: str) -> Learned | None:
        """The value of the most similar corrected messages (similarity-weighted vote over the top 5), or None
        when nothing corrected is similar enough (`OVERRIDE_AT`)."""
        if field not in self._rows:
            return None
        matrix, values, ids = self._rows[field]
        sims = matrix @ self._vector(features(message))
        order = np.argsort(-sims)[:5]
        votes: dict[str, float] = {}
        here = _domain(message)
        for i in order:
            # same sender's organisation only: patterns across senders are the linear layer's (priority_model)
            if sims[i] >= OVERRIDE_AT and self._domains.get(ids[i]) == here:
                votes[values[i]] = votes.get(values[i], 0.0) + float(sims[i])
        if not votes:
            return None
        best = max(votes, key=votes.__getitem__)
        top = next(i for i in order if values[i] == best)
        return Learned(best, float(sims[top]), ids[top])


def _domain(message: Message) -> str:
    return message.sender.email.lower().rsplit("@", 1)[-1]
