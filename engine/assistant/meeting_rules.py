"""Pure rules behind meeting notes (see `engine.assistant.meeting_notes` for what they find and why): spoken
dates, the due date of a deliverable's clause, action-item phrasings the commitments ledger leaves out, decisions,
open questions, sentence salience, and whether model text stays grounded in the transcript. Thread-safe.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

from engine.assistant.dates import find_due
from engine.assistant.promises import clean_what
from engine.assistant.text import sentences, tokens
from models import TranscriptSegment

Found = tuple[TranscriptSegment, str, str]
"""(segment, the sentence, the item's text)."""

_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth"]
_ORDINALS = {w: i + 1 for i, w in enumerate(_UNITS)} | {w: i + 10 for i, w in enumerate(_TEENS)} | {
    "twentieth": 20, "thirtieth": 30, **{f"twenty[- ]{w}": 21 + i for i, w in enumerate(_UNITS)}, "thirty[- ]first": 31}
_SPOKEN_DAY = re.compile(rf"\b({_MONTH})\s+(?:the\s+)?({'|'.join(sorted(_ORDINALS, key=len, reverse=True))})\b", re.I)
_WEEKDAY_BEFORE_DATE = re.compile(rf"\b{_WD},?\s+(?:the\s+)?(?=(?:{_MONTH})\s+\d|\d)", re.I)

_CONDITIONAL = re.compile(r"^(?:if|once|when|whether|unless)\b", re.I)
_FUTURE = re.compile(r"(?:^|[,;:]\s*|\b(?:and|then|so)\s+)(I|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
                     r"(?:'ll| will| is going to|'m going to| am going to)\s+(?!be\b|not\b|never\b)(.+)")
_ADDRESSED = re.compile(r"^([A-Z][a-z]+),\s+(?:(?:you|please)\s+)?([a-z0-9].+)")
_ACTION_PREFIX = re.compile(r"^(?:action items?|action|todo|to-do)\s*[:\-]\s*(.+)", re.I)
_NOT_PERSON = {"i", "we", "you", "they", "it", "this", "that", "there", "he", "she", "then", "so", "and", "what"}

_DECISION = re.compile(
    r"^(?:decision|decided|agreed)\s*:\s*(.+)"
    r"|\b(?:we(?:'ve| have)? (?:decided|agreed)(?: to| that| on)?|let's go with|we'll go with|we're going with|"
    r"we are going with|the decision is(?: to| that)?)\s+(.+)", re.I)
_LETS = re.compile(r"^(?:ok(?:ay)?,?\s+|so,?\s+|all right[.,]?\s+)?let's\s+(?!not\b|see\b|start\b)(.+)", re.I)
_PROPOSAL = re.compile(r"\bwe(?:'ll| will| can| could| should)\b", re.I)
_ACCEPT = re.compile(r"^(?:please do|that works|sounds good|agreed|perfect|great|deal|that helps|fine|"
                     r"let's do (?:it|that)|go ahead)\b", re.I)
_DEFER = re.compile(r"\bopen question\b|\blet's not decide\b|\bcan(?:'t|not) answer\b|\bdon't (?:want to )?"
                    r"(?:promise|know)\b|\bnot sure\b|\b(?:come|get) back to you\b|\btake (?:it|that) offline\b|"
                    r"\bneed to check\b|\bpark (?:it|that)\b|\btbd\b", re.I)
_QUESTION_LEAD = re.compile(r"^(?:(?:one|an|the|my|our) open questions?\s*(?:is)?\s*[:,-]\s*|(?:and|so|but)\s+)",
                            re.I)
_NUMBER = re.compile(r"\d+")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def spoken_dates(text: str) -> str:
    """"by Monday, November thirtieth" -> "by November 30th": spoken ordinals after a month become digits, and a
    weekday in front of an explicit date is dropped, so `find_due` reads the date (not the nearest Monday)."""
    def day(m: re.Match[str]) -> str:
        word = re.sub(r"\s+", " ", m.group(2).lower().replace("-", " "))
        n = next(v for k, v in _ORDINALS.items() if re.fullmatch(k, word))
        return f"{m.group(1)} {n}th"

    return _WEEKDAY_BEFORE_DATE.sub("", _SPOKEN_DAY.sub(day, text))


def due_in_clause(sentence: str, what: str, said_at: datetime) -> date | None:
    """The due date in the part of `sentence` from the deliverable on (else anywhere in it)."""
    text = spoken_dates(sentence)
    head = " ".join(what.split()[:3]).lower()
    at = text.lower().find(head) if head else -1
    found = find_due(text[at:], said_at) if at >= 0 else None
    found = found or find_due(text, said_at)
    return found.due if found else None


def grounded(text: str, source: str, *, min_support: float = 0.75) -> bool:
    """Whether generated `text` stays within `source`: every number it states occurs there, and at least
    `min_support` of its content words do (compared on 5-letter stems, so "outage"/"outages" match)."""
    if _NUMBER.findall(text) and not set(_NUMBER.findall(text)) <= set(_NUMBER.findall(source)):
        return False
    words = {t[:5] for t in tokens(text) if len(t) > 2}
    known = {t[:5] for t in tokens(source) if len(t) > 2}
    return bool(words) and len(words & known) / len(words) >= min_support


def by_time(point: tuple[TranscriptSegment, str]) -> tuple[float, int]:
    return point[0].start, point[0].id or 0


def action_phrase(sentence: str) -> tuple[str, str] | None:
    """(owner word: "I", a name or "" for the speaker, what) for action-item phrasings the ledger leaves out.
    Future statements and addressed requests count only with a due date or "please" (else they are talk)."""
    text = spoken_dates(sentence.strip())
    if _CONDITIONAL.search(text):
        return None
    if m := _ACTION_PREFIX.match(text):
        named = re.match(r"([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?: will| to|'ll)\s+(.+)", m.group(1))
        return (named.group(1), deliverable(named.group(2))) if named else ("", deliverable(m.group(1)))
    due = find_due(text, date(2000, 1, 1))
    if m := _FUTURE.search(text):
        who = m.group(1)
        if due is not None and who.lower() not in _NOT_PERSON - {"i"}:
            return who, deliverable(m.group(2), due.phrase)
        return None
    if (m := _ADDRESSED.match(text)) and (due is not None or re.search(r"\bplease\b", text, re.I)):
        if m.group(1).lower() in _NOT_PERSON or re.match(r"(?:thank|thanks|sorry)\b", m.group(2), re.I):
            return None
        what = deliverable(re.sub(r",?\s*please\.?$", "", m.group(2), flags=re.I), due.phrase if due else "")
        return (m.group(1), what) if what else None
    return None


def deliverable(text: str, due_phrase: str = "") -> str:
    """`clean_what`, keeping version numbers whole ("the 4.2.1 hotfix" is not a sentence end)."""
    return clean_what(_DECIMAL.sub("\u2024", text), due_phrase).replace("\u2024", ".")


def find_decisions(segments: Sequence[TranscriptSegment]) -> list[Found]:
    """(segment, sentence, decision text) for each decision, in transcript order."""
    out: list[Found] = []
    for i, seg in enumerate(segments):
        reply = next((s for s in segments[i + 1:] if s.speaker != seg.speaker), None)
        for sentence in sentences(seg.text):
            if _CONDITIONAL.search(sentence):
                continue
            if m := _DECISION.search(sentence):
                text = m.group(1) or m.group(2)
            elif m := _LETS.match(sentence):
                text = m.group(1)
            elif _PROPOSAL.search(sentence) and reply is not None and seg.speaker and _ACCEPT.match(reply.text):
                text = sentence
            else:
                continue
            text = text.strip().rstrip(".!")
            out.append((seg, sentence, text[:1].upper() + text[1:]))
    return out


def find_open_questions(segments: Sequence[TranscriptSegment]) -> list[Found]:
    """(segment, sentence, question text) for each question deferred, marked open or never answered."""
    out: list[Found] = []
    for i, seg in enumerate(segments):
        reply = next((s for s in segments[i + 1:] if s.speaker != seg.speaker or not seg.speaker), None)
        for sentence in sentences(seg.text):
            if not sentence.endswith("?"):
                continue
            if reply is None or _DEFER.search(sentence) or _DEFER.search(reply.text):
                text = _QUESTION_LEAD.sub("", sentence).strip()
                out.append((seg, sentence, text[:1].upper() + text[1:]))
    return out


def salient(segments: Sequence[TranscriptSegment], *, boost: set[int]) -> list[tuple[TranscriptSegment, str]]:
    """Sentences by salience: how many of the meeting's recurring content words they carry (length-normalised,
    so a long ramble does not win), with a bonus for decisions and "important" markers. Best first."""
    candidates = [(seg, s) for seg in segments for s in sentences(seg.text) if len(tokens(s)) >= 4]
    freq = Counter(t for _, s in candidates for t in set(tokens(s)))

    def score(point: tuple[TranscriptSegment, str]) -> float:
        words = set(tokens(point[1]))
        value = sum(freq[t] - 1 for t in words) / max(len(words), 1) ** 0.5
        return value * (1.5 if point[0].id in boost else 1.0)

    return sorted(candidates, key=lambda p: (-score(p), by_time(p)))
