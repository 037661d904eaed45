"""The key points of a meeting, ranked from the transcript itself: what a reader needs after a meeting is its
decisions, numbers, owners and dates, across every topic discussed — not the three chattiest sentences.

Each key point is a transcript sentence kept word for word, with its segment and timestamp (so it can never state
something nobody said). Ranking, evidence first:
- what the sentence carries: a decision (or what the next speaker agreed to), an action item or an open question
  found by the rules (meeting_rules / the commitments ledger), a number or amount (digits or spoken: "ninety-six thousand dollars"), a date, a person
  who owns something ("I'll", "Raj will", "Ben, cost the pop-up");
- how central it is (recurring content words, `meeting_rules.salient`);
- minus small talk ("Thanks, everyone.", "Will do.", "Fine by me.") and arranging the next call.
Topic coverage: the transcript is cut into topic segments where the vocabulary shifts between consecutive turns;
every topic contributes its best sentence before any topic gets a second, so a long first topic cannot crowd out
the others. How many: `POINTS_PER_TURN` per turn (short meetings are dense: most turns carry a fact), between
`MIN_POINTS` and `MAX_POINTS`.
Pure functions; thread-safe.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from engine.assistant.dates import find_due
from engine.assistant.meeting_rules import salient, spoken_dates
from engine.assistant.text import quote, sentences, tokens
from models import TranscriptSegment

__all__ = ["KeyPoint", "MAX_POINTS", "MIN_POINTS", "POINTS_PER_TURN", "rank_key_points", "topic_segments"]

MIN_POINTS = 4
MAX_POINTS = 14
POINTS_PER_TURN = 0.6

_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                 r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                 r"thousand|million|billion|half|dozen")
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))*\b", re.I)
_AMOUNT = re.compile(r"[$€£%]|\b(?:percent|dollars?|euros?|pounds?|k|m|bn|million|thousand|units?|points?|"
                     r"weeks?|hours?|days?|months?)\b", re.I)
_OWNER = re.compile(r"\b(?:I'll|I will|we'll|we will|[A-Z][a-z]+ will|[A-Z][a-z]+'ll)\b|^[A-Z][a-z]+,\s", re.M)
_SMALL_TALK = re.compile(r"^(?:thanks?|thank you|morning|good morning|hi|hello|will do|fine|noted|perfect|"
                         r"understood|all right|great|sounds good|okay|ok|yes|no|sure|good idea)\b[^.?!]{0,30}[.?!]?$",
                         re.I)
_LOGISTICS = re.compile(r"\b(?:on the calendar|talk again|meet again|catch up|speak again|next call)\b", re.I)
_AGREED = re.compile(r"^(?:agreed|sounds good|please do|that works|perfect|deal|good idea|let's do (?:it|that)|"
                     r"fine by me|yes)\b", re.I)
_REQUEST = re.compile(r"\b(?:can|could|would|will) you\b.*\b(?:by|before|until)\b", re.I)  # a request, not a question
_FILLER_LEAD = re.compile(r"^(?:so|okay|ok|well|right|and|but|then|concretely)\b,?\s+", re.I)


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """One point: the sentence as said, who said it, where (segment id, seconds from the start), what it is."""

    text: str
    segment_id: int
    at: float
    speaker: str
    kind: str  # decision | action_item | open_question | fact
    score: float
    topic: int


def topic_segments(segments: Sequence[TranscriptSegment], *, min_turns: int = 2) -> list[int]:
    """The topic index of each segment: a new topic starts where a turn shares no content word with the three
    turns before it (and the current topic has at least `min_turns` turns)."""
    topics, current, length = [], 0, 0
    for i, seg in enumerate(segments):
        before = {t for s in segments[max(0, i - 3):i] for t in tokens(s.text)}
        words = set(tokens(seg.text))
        if i and length >= min_turns and words and not words & before:
            current, length = current + 1, 0
        topics.append(current)
        length += 1
    return topics


def rank_key_points(segments: Sequence[TranscriptSegment], *, flagged: Mapping[tuple[int, str], str] | None = None,
                    marked: Iterable[int] = (), limit: int | None = None) -> list[KeyPoint]:
    """The key points of the meeting in transcript order. `flagged` maps (segment id, quoted sentence) to what the
    rules found there (decision | action_item | open_question); `marked` are segment ids of "important" markers."""
    segments = [s for s in segments if s.id is not None and s.text.strip()]
    if not segments:
        return []
    flagged, marked = flagged or {}, set(marked)
    boost = {sid for sid, _ in flagged} | marked
    central = {(seg.id, s): rank for rank, (seg, s) in enumerate(salient(segments, boost=boost))}
    topic_of = dict(zip((s.id for s in segments), topic_segments(segments)))
    points = []
    for i, seg in enumerate(segments):
        said = sentences(seg.text)
        reply = next((s for s in segments[i + 1:] if s.speaker != seg.speaker), None)
        agreed = reply is not None and bool(_AGREED.match(reply.text))
        for sentence in said:
            text = _FILLER_LEAD.sub("", sentence).strip()
            if not text or len(tokens(text)) < 2:
                continue
            kind = flagged.get((seg.id or 0, quote(sentence)), "fact")
            centrality = 1 - central.get((seg.id, sentence), len(central)) / max(len(central), 1)
            score = _carries(text, kind, seg.id in marked) + 1.0 * centrality
            if agreed and sentence == said[-1]:
                score += 1.5  # what the next speaker agreed to is settled
            points.append(KeyPoint(text[:1].upper() + text[1:], seg.id or 0, seg.start, seg.speaker, kind,
                                   round(score, 3), topic_of[seg.id]))
    wanted = limit or min(MAX_POINTS, max(MIN_POINTS, math.ceil(len(segments) * POINTS_PER_TURN)))
    return sorted(_spread(points, wanted), key=lambda p: (p.at, p.segment_id))


def _carries(text: str, kind: str, marked: bool) -> float:
    """What a sentence tells the reader, as a score (see the module docstring)."""
    if _SMALL_TALK.match(text):
        return -3.0
    score = {"decision": 2.0, "action_item": 1.5, "open_question": 1.5}.get(kind, 0.0)
    numeric = bool(_NUMBER.search(text))
    if numeric:
        score += 2.0 + (1.0 if _AMOUNT.search(text) else 0.0)
    if find_due(spoken_dates(text), date(2000, 1, 3)) is not None:
        score += 1.0
    if _OWNER.search(text):
        score += 0.75
    if text.endswith("?") and kind != "open_question" and not _REQUEST.search(text):
        score -= 1.0  # a question someone answered: the answer is the point
    if _LOGISTICS.search(text):
        score -= 2.0  # arranging the next meeting is not what this one was about
    if len(tokens(text)) < 4 and not numeric:
        score -= 1.0
    return score + (1.5 if marked else 0.0)


def _spread(points: list[KeyPoint], wanted: int) -> list[KeyPoint]:
    """The best `wanted` points: each topic first gets its share (by its number of turns, at least one), then the
    rest go to the best remaining points; at most two per turn. Points that carry nothing (score <= 0) never."""
    ranked = sorted((p for p in points if p.score > 0), key=lambda p: -p.score)
    turns: dict[int, set[int]] = {}
    for point in points:
        turns.setdefault(point.topic, set()).add(point.segment_id)
    total = sum(len(t) for t in turns.values()) or 1
    share = {topic: max(1, round(wanted * len(t) / total)) for topic, t in turns.items()}
    chosen: list[KeyPoint] = []
    per_turn: dict[int, int] = {}

    def fits(point: KeyPoint) -> bool:
        """Room left, room in its turn, and not mostly a repeat of a stronger point already chosen."""
        words = set(tokens(point.text))
        repeat = any(len(words & set(tokens(c.text))) > 0.6 * len(words) for c in chosen)
        return len(chosen) < wanted and per_turn.get(point.segment_id, 0) < 2 and not repeat

    def take(point: KeyPoint) -> None:
        chosen.append(point)
        per_turn[point.segment_id] = per_turn.get(point.segment_id, 0) + 1

    for point in ranked:
        if share.get(point.topic, 0) and fits(point):
            share[point.topic] -= 1
            take(point)
    for point in ranked:
        if point not in chosen and fits(point):
            take(point)
    return chosen
