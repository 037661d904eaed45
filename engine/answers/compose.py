"""The evidence-built answer: a direct first line made of the evidence spans themselves, then at most three
supporting points, every line cited.

First line shapes: for a question that wants a value, "<value> [n] — <the sentence that states it> [n]"
(a relative date is shown resolved: "Thursday 3 Dec [2] — ... by Thursday ... [2]"); for a question a clause
answers, the best sentence itself with its citation. Nothing here is written by a model, so nothing can be
invented. Pure and thread-safe.
"""

from __future__ import annotations

import re

from engine.answers.evidence import EvidenceSentence, answer_values, answers, sender_answers, subject_answers
from engine.answers.question import STOPWORDS, QuestionFocus, content_words, term_key
from engine.answers.values import Value

MAX_POINTS = 3
#: A supporting point must score at least this share of the best sentence's score.
POINT_SHARE = 0.75
#: Longest clause quoted on the first line, in words (a longer sentence is cut around the answer).
CLAUSE_WORDS = 40


def cite(text: str, number: int) -> str:
    """'text [n]' without doubling the sentence's final punctuation."""
    return f"{text.rstrip(' .;,:')} [{number}]"


_NOT_NOUNS = {"next", "more", "less", "last", "first", "about", "around", "over", "under", "later", "earlier", "ago",
              "before", "after", "across", "within", "during", "until", "since", "between", "per"}
#: Sentences within this score of the best one compete for the answer value.
LEAD_MARGIN = 0.08


def pick_span(focus: QuestionFocus, evidence: list[EvidenceSentence]) -> tuple[Value, EvidenceSentence] | None:
    """The value that answers the question and the sentence that states it. Among the leading answering
    sentences, each value of an asked kind scores its sentence's score, less a little for a later-preferred
    kind, plus its closeness to the question's words ('14 customers' for "how many customers"). A name
    question reads names from the best sentence only, then the subject of a leading sentence whose verb it uses,
    then the sender of a mail in which they speak of themselves ("who asked for X")."""
    if not focus.wants_value or not evidence or not answers(focus, evidence[0]):
        return None
    best = evidence[0]
    pool = [best] if focus.kinds[0] == "name" else _leading(focus, evidence)
    scored = [(s.score - 0.05 * focus.kinds.index(v.kind) + _affinity(focus, s.text, v), i, v, s)
              for i, s in enumerate(pool) for v in answer_values(focus, s)]
    if scored:
        _, _, value, sentence = max(scored, key=lambda t: (t[0], -t[1]))
        if value.shown != value.text:  # a resolved "tomorrow": cite the mail that writes the date, if one does
            written = [(v, s) for _, _, v, s in scored if v.key == value.key and v.shown == v.text]
            value, sentence = written[0] if written else (value, sentence)
        return value, sentence
    for sentence in _leading(focus, evidence):
        subject = subject_answers(focus, sentence)
        if subject is not None:
            return subject, sentence
    if sender_answers(focus, best):
        return Value("name", best.sender, 0, "name:" + best.sender.lower(), best.sender), best
    return None


def _leading(focus: QuestionFocus, evidence: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """The answering sentences that score within LEAD_MARGIN of the best one."""
    return [s for s in evidence if answers(focus, s) and s.score >= evidence[0].score - LEAD_MARGIN]


def _affinity(focus: QuestionFocus, text: str, value: Value) -> float:
    """Closeness of a value to the question's words: next to one (the noun it counts) scores most."""
    words = [(m.start(), term_key(m.group(0))) for m in re.finditer(r"[A-Za-z][\w'-]*", text)]
    hits = [start for start, key in words if key in focus.terms]
    if not hits:
        return 0.0
    content = [(start, key) for start, key in words if key not in STOPWORDS]
    after = [key for start, key in content if start >= value.end][:2]
    before = [key for start, key in content if start < value.start][-2:]
    adjacent = any(k in focus.terms for k in after + before)
    distance = min(len(text[min(h, value.start):max(h, value.start)].split()) for h in hits)
    return (0.08 if adjacent else 0.0) + 0.04 / (1 + distance)


def shown_value(value: Value, sentence: str) -> str:
    """How the first line states the value: a count keeps the noun after it ('1,200 cases')."""
    if value.kind != "count":
        return value.shown
    noun: list[str] = []
    for word in sentence[value.end:].split()[:2]:
        clean = word.rstrip(".,;:)")
        if not clean.isalpha() or clean.lower() in STOPWORDS or clean.lower() in _NOT_NOUNS:
            break
        noun.append(clean)
        if clean != word:
            break
    return " ".join([value.text] + noun)


def clause(sentence: str, around: Value | None = None) -> str:
    """The sentence, cut to CLAUSE_WORDS words around `around` when it is longer."""
    words = sentence.split()
    if len(words) <= CLAUSE_WORDS:
        return sentence
    at = len(sentence[:around.start].split()) if around else 0
    start = max(0, min(at - CLAUSE_WORDS // 2, len(words) - CLAUSE_WORDS))
    cut = " ".join(words[start:start + CLAUSE_WORDS])
    return ("… " if start else "") + cut + " …"


def first_line(focus: QuestionFocus, evidence: list[EvidenceSentence]) -> tuple[str, EvidenceSentence]:
    """The direct answer and the sentence it comes from."""
    span = pick_span(focus, evidence)
    if span is None:
        best = evidence[0]
        return cite(clause(best.text), best.number), best
    value, sentence = span
    return (f"{shown_value(value, sentence.text)} [{sentence.number}] — "
            f"{cite(clause(sentence.text, value), sentence.number)}"), sentence


def supporting_points(focus: QuestionFocus, evidence: list[EvidenceSentence], used: EvidenceSentence) -> list[str]:
    """Up to MAX_POINTS further cited sentences that could answer the question too, score close to the best
    one and add new words."""
    if not evidence:
        return []
    floor = evidence[0].score * POINT_SHARE
    seen = set(content_words(used.text))
    points: list[str] = []
    for sentence in evidence:
        if sentence is used or sentence.score < floor or not answers(focus, sentence):
            continue
        words = set(content_words(sentence.text))
        if len(words - seen) < 3:
            continue
        seen |= words
        points.append(cite(clause(sentence.text), sentence.number))
        if len(points) == MAX_POINTS:
            break
    return points
