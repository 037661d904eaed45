"""Evidence selection: split retrieved passages into sentences and rank them against the question.

A sentence's score mixes three signals: its embedding similarity to the question (the shipped MiniLM), the
share of the question's content words it contains (words only in its source's subject or people count half),
and whether it holds a value of the kind the question asks for (a date for "when", an amount for "how much").
A sentence answers only when its source states every number and date the question states and, for a value
question, the sentence itself holds one of the question's topic words (near misses: "claim 8" when only claim 7
is in the data; "$144,000 of ARR" for what a report cost). The weights and thresholds were tuned on the demo,
Keystone and Calder question sets only (tests/eval/answer_questions.json); Alpenpay and Ashcombe are held out.

Threads: `select_evidence` embeds at most MAX_EMBEDDED sentences (onnxruntime, tens of milliseconds; vectors are
remembered by `SentenceVectors`); call it off the GUI thread.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timezone, tzinfo

import numpy as np

from engine.answers.question import QuestionFocus, content_words, contradicts, contrast_sides, term_key
from engine.answers.values import Value, find_values, leading_name
from engine.retrieval.embedder import Embedder
from engine.retrieval.rag import Citation

#: Score weights (similarity, word overlap, answer-type match, retrieval rank, the question names the sender,
#: the source is the newest of those retrieved: a later mail updates an earlier one).
W_SIMILARITY, W_OVERLAP, W_TYPE, W_RANK, W_SENDER, W_RECENT = 0.45, 0.35, 0.20, 0.05, 0.06, 0.03
#: The sentence states a number the question states too ("What margin at twelve percent off?": "At 12% off...").
W_SAME_VALUE = 0.08
#: A sentence that says it changes an earlier statement, when the question asks for the latest state.
W_UPDATE = 0.1
_UPDATE = re.compile(r"\b(?:updated?|revised|moved|slips?|slipped|pushed|postponed|rescheduled|instead|now)\b",
                     re.I)
_LATEST = re.compile(r"\b(?:now|latest|updated?|current(?:ly)?|new|still)\b", re.I)
#: Sentences per answer: the best one answers, the next ones support it.
MAX_EVIDENCE = 4

ABBREVIATION_END = re.compile(r"\b(?:St|Dr|Mr|Ms|Mrs|Mt|vs|etc|Inc|Ltd|No|approx|e\.g|i\.e)\.$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•>]|\(?\d{1,2}[.)])\s+")
#: A sentence that asks for something ("Could we get a proposal?", "Please send ...", "We'd like to ...").
_ASKS = re.compile(r"\b(?:could|can|would|will) (?:you|we)\b|\bplease\b|\b(?:we|i)(?:'d| would) like\b|"
                   r"\b(?:we|i) (?:need|want|expect)\b|\bask(?:ing)? for\b|\b(?:wants|needs)\b", re.I)
_REQUEST = re.compile(_ASKS.pattern + r"|\?", re.I)


def _request_match(text: str) -> float:
    """1 for an explicit request ("could you", "please", "I need"), 0.5 for any other question, else 0."""
    return 1.0 if _ASKS.search(text) else 0.5 if "?" in text else 0.0
_SPEAKER = re.compile(r"^[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,3}:\s+")
_GREETING = re.compile(r"^(?:hi|hello|dear|hey|ciao|good (?:morning|afternoon))\b[^,\n]{0,40}[,!]?\s*", re.I)
_SIGN_OFF = re.compile(r"^(?:thanks|thank you|best|regards|kind regards|best regards|cheers|gruess|love|"
                       r"sincerely)\b", re.I)


@dataclass(slots=True)
class EvidenceSentence:
    """One sentence of a cited passage with its values and scores. `topic`: share of the question's
    non-name words found in the sentence or its source's subject; `names_ok`: every name the question uses
    appears in the source."""

    text: str
    citation: Citation
    values: list[Value] = field(default_factory=list)
    similarity: float = 0.0
    overlap: float = 0.0
    topic: float = 1.0
    names_ok: bool = True
    type_match: float = 0.0
    score: float = 0.0
    sender: str = ""
    from_named: bool = False  # its source was written by someone the question names
    own_topic: float = 1.0  # share of the question's non-name words in the sentence itself
    contrasted: bool = False  # it speaks of another side than the question ("per day" for "per week")
    values_ok: bool = True  # its source states every number and date the question states ("claim 8")

    @property
    def number(self) -> int:
        return self.citation.number


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage: paragraphs and list items first (hard-wrapped lines are joined), then sentence
    ends that are not abbreviations ('St. Mary's', 'Dr. Foster'). Greetings and sign-offs are dropped."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text or ""):
        lines = [ln.strip() for ln in para.splitlines() if ln.strip()]
        units: list[str] = []
        for line in lines:
            if _BULLET.match(line) or not units:
                units.append(line)
            else:
                units[-1] += " " + line
        for unit in units:
            out += _sentences(_BULLET.sub("", unit))
    cleaned = []
    for sentence in out:
        sentence = _GREETING.sub("", sentence).strip()
        said = _SPEAKER.sub("", sentence)  # a transcript line: "Mark Delaney: Understood."
        if len(said.split()) < (5 if said != sentence else 3) or _SIGN_OFF.match(said) or _is_signature(sentence):
            continue
        cleaned.append(sentence)
    return cleaned


def _is_signature(sentence: str) -> bool:
    """'Gary Whitman Director of Materials Management St. Mary's Regional Hospital': a line of names and titles
    without a sentence end is a signature, not a statement."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’&.-]*", sentence) if w.lower() not in {"of", "and", "the", "&"}]
    if not words or sentence.rstrip()[-1:] in ".!?":
        return False
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def passage_sentences(citation: Citation) -> list[str]:
    """Sentences of a cited passage. An email passage's leading 'From <sender>' line is context, not a
    sentence; a calendar event's field lines ('When: ...', 'Where: ...') are stated with the event's title."""
    text = citation.text
    if citation.source_type == "email" and text.startswith("From "):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if citation.source_type == "event":
        fields = [f"{citation.title} — {line.strip()}" for line in text.splitlines()
                  if re.match(r"^(?:When|Where): ", line.strip())]
        body = "\n".join(line for line in text.splitlines()
                         if line.strip() and not re.match(r"^(?:When|Where|Attendees): ", line.strip()))
        return fields + split_sentences(body)
    return split_sentences(text)


def _sentences(unit: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z0-9\"'(])", unit):
        head = unit[start:m.end()]
        if ABBREVIATION_END.search(head):
            continue
        pieces.append(head.strip())
        start = m.end()
    pieces.append(unit[start:].strip())
    return [p for p in pieces if p]


def _keys(text: str) -> set[str]:
    return {term_key(w) for w in content_words(text)}


def _overlap(terms: tuple[str, ...], own: set[str], around: set[str]) -> float:
    """Share of `terms` in `own` (1 each) or only in `around` (0.5 each)."""
    if not terms:
        return 0.0
    return sum(1.0 if _has(own, t) else 0.5 if _has(around, t) else 0.0 for t in terms) / len(terms)


def _has(keys: set[str], term: str) -> bool:
    """`term` among `keys`, or sharing a 4-letter start with one ('exec' and 'execu' of executive)."""
    if term in keys:
        return True
    return len(term) >= 4 and any(len(k) >= 4 and (k.startswith(term) or term.startswith(k)) for k in keys)


def _acronym_words(text: str, focus: QuestionFocus) -> set[str]:
    """Question words an acronym in the sentence stands for ('ARR' covers 'annual recurring revenue')."""
    words = re.findall(r"[A-Za-z][\w-]*", focus.text)
    covered: set[str] = set()
    for acronym in set(re.findall(r"\b[A-Z]{2,5}\b", text)):
        n = len(acronym)
        for i in range(len(words) - n + 1):
            if "".join(w[0] for w in words[i:i + n]).upper() == acronym:
                covered |= {term_key(w) for w in words[i:i + n]}
    return covered


def _names_sender(focus: QuestionFocus, citation: Citation) -> float:
    """1 when the question names who wrote the passage ("what does Daniel propose", "what does Lakeview want")."""
    line = citation.text.split("\n", 1)[0] if citation.source_type == "email" else ""
    squashed = _squash(line)
    return 1.0 if line and any(_squash(n) in squashed for n in focus.writers) else 0.0


def _recency(citations: list[Citation], *, strong: bool) -> dict[int, float]:
    """citation number -> 0..1 by date among the dated passages (1 = newest); doubled when the question asks
    for the latest state ("when is the beta now?")."""
    dated = sorted((c.occurred_at.timestamp(), c.number) for c in citations if c.occurred_at is not None)
    if len(dated) < 2:
        return {}
    scale = 2.0 if strong else 1.0
    return {number: scale * i / (len(dated) - 1) for i, (_, number) in enumerate(dated)}


def _states_all(asked: list[Value], citation: Citation, tz: tzinfo) -> bool:
    """The cited source (its subject and text) states every value the question states, as the same normalised
    value or with the same figures ("in Q3" / "Q3 revenue"): "progress claim 8" is not answered by a mail about
    claim 7, nor "the 2025 budget" by the 2026 one."""
    if not asked:
        return True
    text = citation.title + "\n" + citation.text
    stated = {v.key for v in find_values(text, written_at(citation, tz))}
    words = set(re.findall(r"[\w.]*\d[\w.]*", text.lower()))
    return all(v.key in stated or set(re.findall(r"[\w.]*\d[\w.]*", v.text.lower())) <= words for v in asked)


def _names_covered(names: tuple[str, ...], squashed: str) -> bool:
    """The source names what the question names: the one name, or at least half of several (a question may
    also name the user, whom their own mail seldom names)."""
    if not names:
        return True
    found = sum(_squash(name) in squashed for name in names)
    return found == len(names) if len(names) == 1 else 2 * found >= len(names)


def _squash(text: str) -> str:
    """Lower case letters and digits only, so 'Tri-State' meets 'tristatefreight' and "St. Mary's"."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def sender_of(citation: Citation) -> str:
    """The sender named on an email passage's 'From <name> <address>' line ('' when there is none)."""
    if citation.source_type != "email" or not citation.text.startswith("From "):
        return ""
    line = citation.text.split("\n", 1)[0][5:]
    return re.sub(r"\s*<[^>]*>\s*$", "", line).strip().strip('"')


#: A question about a person ("who ...", "whom ...").
WHO_QUESTION = re.compile(r"\s*(?:who|whom|whose)\b", re.I)


_PLACE_BEFORE = re.compile(r"\b(?:at|in|near)\s+(?:the\s+)?$", re.I)
#: A number after a label names a thing, it does not count it ("Level 4", "claim 7", "Variation 12", "PO 55812").
_LABEL_BEFORE = re.compile(r"(?:\b[A-Z][\w-]*|\b(?:level|claim|variation|invoice|lot|version|phase|stage|floor|room|"
                           r"no|number|item|clause|section|order|ticket|case|build)\.?|#)\s*$")
_FIRST_PERSON = re.compile(r"\b(?:I|I'd|I'll|I've|I'm|I’d|I’ll|I’ve|I’m)\b")


def answer_values(focus: QuestionFocus, sentence: EvidenceSentence) -> list[Value]:
    """Values of `sentence` of the kinds the question asks for, minus those the question itself states ('400
    cases'). A place never answers who does something: an event's place line ("... — Where: Pinecrest Medical
    Supply") or a name after 'at'/'in' ("the new system at Harrisburg")."""
    who = bool(WHO_QUESTION.match(focus.text))
    if who and " — Where: " in sentence.text:
        return []
    asked = {v.key for v in find_values(focus.text)}
    return [v for v in sentence.values if v.kind in focus.kinds and v.key not in asked
            and not (who and v.kind == "name" and _PLACE_BEFORE.search(sentence.text[:v.start]))
            and not (v.kind == "count" and _LABEL_BEFORE.search(sentence.text[:v.start]))]


def subject_answers(focus: QuestionFocus, sentence: EvidenceSentence) -> Value | None:
    """For a who-question, the capitalised words opening the sentence when the verb after them is the
    question's ("Boral are supplying the concrete" for "who is supplying the concrete")."""
    subject = leading_name(sentence.text) if WHO_QUESTION.match(focus.text) else None
    return subject[0] if subject is not None and term_key(subject[1]) in focus.terms else None


def sender_answers(focus: QuestionFocus, sentence: EvidenceSentence) -> bool:
    """A person question is answered by the sender of a mail in which they speak of themselves or ask for
    something ("I'd like to tour the warehouse" for "who wants to tour it"), never by the sender of a mail
    that states a fact about others."""
    return (focus.kinds[:1] == ("name",) and bool(sentence.sender)
            and bool(_FIRST_PERSON.search(sentence.text) or _ASKS.search(sentence.text)))


def _type_match(focus: QuestionFocus, sentence: EvidenceSentence) -> float:
    if not focus.wants_value:
        return 0.0
    kinds = {v.kind for v in answer_values(focus, sentence)}
    if focus.kinds[0] in kinds or subject_answers(focus, sentence) is not None:
        return 1.0
    return 0.6 if kinds else 0.0


def written_at(citation: Citation, tz: tzinfo = timezone.utc) -> date | None:
    """The day the cited source was written, in the user's time zone `tz` (relative dates in it resolve
    against this: "tomorrow" in a mail sent Tuesday 16:20 in Seattle is Wednesday, whatever UTC says)."""
    if citation.source_type not in ("email", "note", "meeting") or citation.occurred_at is None:
        return None
    when = citation.occurred_at if citation.occurred_at.tzinfo else citation.occurred_at.replace(tzinfo=timezone.utc)
    return when.astimezone(tz).date()


class SentenceVectors:
    """Embeds sentences through `embedder`, remembering the last `size` vectors (in memory only): the same
    passages come back for related questions, and a question should not wait for them twice. Thread-safe."""

    def __init__(self, embedder: Embedder, size: int = 4096) -> None:
        self.embedder = embedder
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vectors = self.embedder.embed(missing)
            with self._lock:
                for text, vector in zip(missing, vectors):
                    self._cache[text] = vector
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        with self._lock:
            for text in texts:
                if text in self._cache:
                    self._cache.move_to_end(text)
            return np.stack([self._cache.get(t) if t in self._cache else self.embedder.embed([t])[0]
                             for t in texts])


#: Sentences embedded per question, chosen by their word and answer-type scores (embedding is the costly step).
MAX_EMBEDDED = 6


def select_evidence(focus: QuestionFocus, citations: list[Citation], vectors: SentenceVectors,
                    *, limit: int = MAX_EVIDENCE, tz: tzinfo = timezone.utc) -> list[EvidenceSentence]:
    """The sentences of `citations` ranked for the question, best first; sentences that can answer it
    (`answers`) come before those that cannot. At most `limit` (an empty list when there is no sentence)."""
    sentences: list[EvidenceSentence] = []
    for citation in citations:
        sender = sender_of(citation)
        for text in passage_sentences(citation):
            sentences.append(EvidenceSentence(text=text, citation=citation, sender=sender,
                                              values=find_values(text, written_at(citation, tz))))
    if not sentences:
        return []
    latest = bool(_LATEST.search(focus.text))
    asked_values = [v for v in find_values(focus.text) if v.kind != "name"]
    asked = {v.key for v in asked_values}  # "at twelve percent off", "PO 55812"
    newest = _recency(citations, strong=latest)
    contexts: dict[int, tuple[set[str], str, bool]] = {}
    sides = contrast_sides(focus.text)
    for s in sentences:
        c = s.citation
        if c.number not in contexts:
            around = " ".join([c.title, c.text])
            contexts[c.number] = (_keys(around), around.lower().replace("’", "'"), _states_all(asked_values, c, tz))
        around_keys, around_text, s.values_ok = contexts[c.number]
        own = _keys(s.text)
        near = own | _keys(c.title) | _keys(s.sender) | _acronym_words(s.text, focus)
        s.overlap = _overlap(focus.terms, own, around_keys)
        s.topic = _overlap(focus.topic, near, around_keys) if focus.topic else 1.0
        ids = {k for k in _keys(c.title) if any(ch.isdigit() for ch in k)}  # 'Fleet OS 5.0' in the subject
        s.own_topic = _overlap(focus.topic, own | ids | _acronym_words(s.text, focus), set()) if focus.topic else 1.0
        s.contrasted = bool(sides) and contradicts(sides, contrast_sides(s.text))
        s.names_ok = _names_covered(focus.names, _squash(around_text))
        s.type_match = _request_match(s.text) if focus.request else _type_match(focus, s)
        speaker = _SPEAKER.match(s.text)
        same = W_SAME_VALUE if asked & {v.key for v in s.values if v.kind != "name"} else 0.0
        s.from_named = bool(_names_sender(focus, c)) or bool(
            speaker and any(_squash(n) in _squash(speaker.group(0)) for n in focus.writers))
        s.score = (W_OVERLAP * s.overlap + W_TYPE * s.type_match + W_RANK / c.number
                   + W_SENDER * s.from_named + W_RECENT * newest.get(c.number, 0.0)
                   + (W_UPDATE if latest and _UPDATE.search(s.text) else 0.0) + same)
    sentences.sort(key=lambda s: -s.score)
    head = sentences[:MAX_EMBEDDED]
    embedded = vectors.embed([focus.text] + [s.text for s in head])
    for s, sim in zip(head, np.asarray(embedded[1:] @ embedded[0], dtype=float)):
        s.similarity = float(sim)
        s.score += W_SIMILARITY * s.similarity
    head.sort(key=lambda s: (not answers(focus, s), -s.score))
    return head[:limit]


#: Gates for a sentence to answer (tuned on the demo, Keystone and Calder sets; Alpenpay and Ashcombe are held out).
MIN_SIMILARITY = 0.30
MIN_TOPIC = 0.34
#: A sentence less close in meaning still answers when it holds most of the question's words.
MIN_SIMILARITY_ON_WORDS, WORDS_TOPIC = 0.20, 0.60


def answers(focus: QuestionFocus, sentence: EvidenceSentence) -> bool:
    """Whether `sentence` can answer: it is about the question (meaning and words), its source names what the
    question names, and it holds a value of the asked kind when the question wants one (a person question may
    be answered by the sender; "what did X ask for" by a request in a mail X wrote)."""
    if focus.request:  # "what did X ask for": a request X wrote (or one close to the question) in X's source
        return (sentence.names_ok and sentence.topic >= MIN_TOPIC and bool(_REQUEST.search(sentence.text))
                and (sentence.from_named if focus.names else sentence.similarity >= MIN_SIMILARITY))
    close = sentence.similarity >= MIN_SIMILARITY or (sentence.similarity >= MIN_SIMILARITY_ON_WORDS
                                                      and sentence.topic >= WORDS_TOPIC)
    if (not close or sentence.topic < MIN_TOPIC or not sentence.names_ok or not sentence.values_ok
            or sentence.contrasted):
        return False
    if focus.wants_value and not sentence.type_match:
        return sender_answers(focus, sentence)
    if focus.wants_value and not sentence.own_topic and focus.kinds != ("name",):
        return False  # "$144,000 of ARR" in a mail about a report does not say what the report cost
    return True
