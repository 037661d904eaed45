"""The learned layer over the priority rules: a small linear model (softmax regression in numpy) whose prior IS
the rules, moved by the user's corrections.

WHY this shape: rules are explainable and right on a first day; corrections must change a pattern quickly (a
few similar ones), and carry over to similar mail from other senders. So the features are what the mail says
(hashed words of the subject and new text, the rule signals: buying, people risk, escalation, automated, who
writes, and the message's embedding when the search index has computed one) and never the sender's address; the weights start where the rules are (the rule's verdict carries a
fixed margin) and are pulled back to that start by an L2 term, so with no corrections the model answers
exactly as the rules do and each correction moves only what it shares with other mail. Fitting is a few
hundred full-batch gradient steps over the corrections (milliseconds). The fitted weights are kept in the
store (settings key `learning.priority_model`) with a key of the corrections they were fitted on.

Explanations name the words that moved a verdict ("tender", "framework"), from the corrected mail.
Thread-safety: `fit` builds new arrays and swaps them in; `predict` only reads.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

import numpy as np

from engine.assistant.signals import MessageSignals

PRIORITIES = ("urgent", "important", "normal", "low")
HASH_DIMS = 2048
_SIGNALS = ("buying", "selling", "people_risk", "escalation", "automated", "approval_ask", "due_today_ask",
            "money", "decision", "asks", "to_me", "cc_only", "free_mail", "outside_org", "no_reply_needed", "deadline")
_KINDS = ("me", "direct_report", "manager", "team", "board", "key_account", "unknown")
DIMS = HASH_DIMS + len(PRIORITIES) + len(_SIGNALS) + len(_KINDS) + 1
RULE_MARGIN = 3.0  # logit the rules' verdict starts with: a new pattern must outweigh it
PULL_WORDS = 0.01  # L2 pull back to the rules' start, for word features (a pattern is said in words)...
PULL_OTHER = 1.0  # ...and, much stronger, for the rule signals and the bias (one correction must not re-rank all)
CORRECTION_WEIGHT = 4.0
MIN_PROB = 0.5  # a learned verdict replaces the rules' only when the model is at least this sure
SETTING = "learning.priority_model"
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_STOP = frozenset("the and for you your with this that have are from our will can please thanks would could "
                  "about what when there their them they been was were has had not but all any its it's".split())


@dataclass(frozen=True, slots=True)
class Features:
    index: np.ndarray  # int32 column ids
    value: np.ndarray  # float32 values
    words: dict[int, str]  # hashed column -> a word that maps to it (for explanations)


def features(s: MessageSignals, rule_priority: str, embedding: np.ndarray | None = None) -> Features:
    """The model's view of one message: hashed words (not the sender), rule signals, the rules' verdict, and
    its embedding (unit length, after the fixed columns) when there is one: similar meaning in other words."""
    words = {w for w in _WORD.findall(s.text) if w not in _STOP}
    cols: dict[int, float] = {}
    named: dict[int, str] = {}
    scale = 1.0 / max(np.sqrt(len(words)), 1.0)
    for w in words:
        col = zlib.crc32(w.encode()) % HASH_DIMS
        cols[col] = scale
        named.setdefault(col, w)
    base = HASH_DIMS
    cols[base + PRIORITIES.index(rule_priority)] = 1.0
    base += len(PRIORITIES)
    for i, name in enumerate(_SIGNALS):
        value = getattr(s, name, None)
        if value:
            cols[base + i] = 1.0
    base += len(_SIGNALS)
    if s.sender_kind in _KINDS:
        cols[base + _KINDS.index(s.sender_kind)] = 1.0
    cols[DIMS - 1] = 1.0  # bias
    if embedding is not None and embedding.size and float(np.linalg.norm(embedding)) > 0:
        unit = embedding / np.linalg.norm(embedding)
        cols.update({DIMS + i: float(v) for i, v in enumerate(unit)})
    keys = sorted(cols)
    return Features(np.array(keys, dtype=np.int32), np.array([cols[k] for k in keys], dtype=np.float32), named)


def _prior(width: int = DIMS) -> np.ndarray:
    w = np.zeros((len(PRIORITIES), width), dtype=np.float32)
    for c in range(len(PRIORITIES)):
        w[c, HASH_DIMS + c] = RULE_MARGIN
    return w


@dataclass(frozen=True, slots=True)
class Learned:
    priority: str
    probability: float
    words: tuple[str, ...]  # the words that pushed it there most


class PriorityModel:
    """Softmax regression over `features`; with no corrections it returns the rules' verdict."""

    def __init__(self) -> None:
        self._w = _prior()
        self._vocab: dict[int, str] = {}
        self.corrections = 0
        self.fitted_on = ""  # what it was fitted on (the caller's key for its corrections): refit when it changes

    def fit(self, examples: list[tuple[Features, str]], *, key: str = "", steps: int = 300, rate: float = 0.5) -> None:
        """`examples`: (features of a corrected message, the priority the user gave it); `key` names them."""
        width = max([DIMS, *(int(f.index[-1]) + 1 for f, _ in examples if f.index.size)])
        w0 = _prior(width)
        w = w0.copy()
        pull = np.full(width, PULL_OTHER, dtype=np.float32)
        pull[:HASH_DIMS] = PULL_WORDS
        pull[DIMS:] = PULL_WORDS  # the embedding says what the mail is about, like its words
        vocab: dict[int, str] = {}
        if examples:
            x = np.zeros((len(examples), width), dtype=np.float32)
            y = np.zeros((len(examples), len(PRIORITIES)), dtype=np.float32)
            for i, (f, label) in enumerate(examples):
                x[i, f.index] = f.value
                y[i, PRIORITIES.index(label)] = 1.0
                vocab.update(f.words)
            for _ in range(steps):
                p = _softmax(x @ w.T)
                grad = CORRECTION_WEIGHT * (p - y).T @ x / len(examples) + pull * (w - w0)
                w -= rate * grad
        self._w, self._vocab, self.corrections, self.fitted_on = w, vocab, len(examples), key

    def predict(self, f: Features) -> Learned:
        keep = f.index < self._w.shape[1]  # an embedding of another size than the fitted one is left out
        index, value = f.index[keep], f.value[keep]
        logits = self._w[:, index] @ value
        p = _softmax(logits[None, :])[0]
        best = int(np.argmax(p))
        moved = (self._w[best, index] - _prior(self._w.shape[1])[best, index]) * value
        top = [int(index[i]) for i in np.argsort(-moved)[:3] if moved[i] > 0.05 and index[i] < HASH_DIMS]
        return Learned(PRIORITIES[best], float(p[best]), tuple(self._vocab.get(c) or f.words.get(c, "") for c in top))

    # -- kept in the store -----------------------------------------------------------------------------------
    def dump(self) -> dict:
        return {"corrections": self.corrections, "fitted_on": self.fitted_on, "shape": list(self._w.shape),
                "weights": base64.b64encode(self._w.astype(np.float32).tobytes()).decode(), "vocab": self._vocab}

    def load(self, data: dict) -> bool:
        """Adopt stored weights; False (nothing changed) when they do not fit this model's shape."""
        shape = list(data.get("shape", [])) if data else []
        if len(shape) != 2 or shape[0] != len(PRIORITIES) or shape[1] < DIMS:
            return False
        self._w = np.frombuffer(base64.b64decode(data["weights"]), dtype=np.float32).reshape(data["shape"]).copy()
        self._vocab = {int(k): v for k, v in data.get("vocab", {}).items()}
        self.corrections = int(data.get("corrections", 0))
        self.fitted_on = str(data.get("fitted_on", ""))
        return True


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
