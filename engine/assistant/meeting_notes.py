"""After-meeting notes: summary, decisions, action items, open questions and a follow-up email draft, each
linked to the transcript segment (id + timestamp) it came from.

Deterministic first (WHY: the bundled model is SmolLM2-135M; rules are explainable and need no model):
- action items = the commitments ledger's own reading of the transcript (`CommitmentLedger.from_meeting`: ledger
  re-scans and re-summarizes share fingerprints) plus phrasings it leaves out ("I'll <anything> by <date>", "Raj
  will have the runbooks to Tom by December 4", "Marcus, slides by Friday, please", "Action item: ...", recorder
  "action item" markers). Due dates come from the clause holding the deliverable, spoken dates made readable
  ("Monday, November thirtieth" -> November 30th), relative to when it was said. A request asked as a question
  and deferred in the reply is an open question, not an action item.
- decisions: "Decision: ...", "we decided/agreed ...", "let's go with ...", "let's <verb>" (not "let's not"), and a
  "we'll/we can ..." proposal the next speaker accepts ("please do", "that helps", "fine").
- open questions: deferred in the reply ("open question", "let's not decide", "come back to you"), marked ("One
  open question: ...?") or never answered.
- key points (`engine.assistant.key_points`): transcript sentences ranked by what they carry (decisions, numbers,
  owners, dates) across every topic, each with its timestamp; evidence first, so they hold with any model.
- summary: with a model, 2-3 sentences over the key points (grammar-constrained JSON), kept only when grounded
  (its numbers and most words occur in the transcript); else the three strongest key points. Items a
  model proposes (`model_items=True`, for larger models) must cite a real line and stay within its words.

`MeetingNotesService.summarize` stores the notes JSON, summary and status "summarized", the action items as
commitments (evidence ("segment", id, quote)) and the follow-up as one pending `draft_email` (origin "meeting",
never sent), in one transaction; re-running is idempotent. One worker at a time; the model call blocks it.
Logs carry ids and counts only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, ValidationError

from engine.assistant.commitments import CommitmentLedger, fingerprint, merge_duplicates
from engine.assistant.drafts import Draft, propose_email
from engine.assistant.key_points import rank_key_points
from engine.assistant.meeting_rules import (
    action_phrase,
    deliverable,
    due_in_clause,
    find_decisions,
    find_open_questions,
    grounded,
)
from engine.assistant.text import first_name, quote, sentences
from engine.errors import EngineError
from engine.llm import ContextItem, GenerationParams, PromptParts, prompts
from engine.speech.linking import apply_event, link_event
from engine.store import Store
from models import Commitment, Event, Evidence, Meeting, TranscriptSegment

log = logging.getLogger(__name__)

SUMMARY_SENTENCES = 3
"""Key points in an extractive summary; the model is asked for two or three sentences."""
PROMPT_POINTS = 8
"""Strongest key points shown to the model (keeps the prompt ~300 tokens for a 2k context)."""


_ECHO = re.compile(r"^(?:summary|meeting|notes)\s*:\s*", re.I)  # a small model repeating the prompt's labels


class MeetingNotesError(EngineError):
    """The meeting cannot be summarized (unknown, no transcript, cancelled)."""


VerifySentences = Callable[[Meeting, list[tuple[TranscriptSegment, str]], list[str]], list[str]]
"""(meeting, key points shown to the model, model sentences) -> the sentences to keep."""


class _Asks(Protocol):  # the part of engine.llm.LLMService used here
    def structured(self, request: Any, schema: Any, *, feature: str = ..., **kwargs: Any) -> Any: ...


# ---- the notes ---------------------------------------------------------------------------------------------------
class Sourced(BaseModel):
    """Where an item was said: segment id, seconds from the meeting start, speaker, sentence; rules or model."""

    segment_id: int
    at: float
    speaker: str = ""
    quote: str = ""
    origin: Literal["rules", "model"] = "rules"


class DecisionNote(Sourced):
    text: str


class ActionItem(Sourced):
    owner: str  # display name ("Luis Ortega")
    owner_email: str = ""
    what: str
    due: date | None = None
    commitment_id: int | None = None  # set once stored in the commitments ledger


class OpenQuestion(Sourced):
    text: str


class KeyPointNote(Sourced):
    """A key point: the transcript sentence itself (never reworded here) and what it is."""

    text: str
    kind: Literal["decision", "action_item", "open_question", "fact"] = "fact"


class FollowUpDraft(BaseModel):
    to: list[str] = Field(default_factory=list)
    subject: str = ""
    body: str = ""
    pending_action_id: int | None = None  # the pending `draft_email` it was proposed as


class MeetingNotes(BaseModel):
    """Everything the Meetings view shows after a meeting; stored as the meeting's notes JSON."""

    meeting_id: int
    title: str
    summary: str = ""
    summary_source: Literal["model", "extractive", "none"] = "none"
    summary_segment_ids: list[int] = Field(default_factory=list)
    key_points: list[KeyPointNote] = Field(default_factory=list)
    decisions: list[DecisionNote] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    follow_up: FollowUpDraft = Field(default_factory=FollowUpDraft)


# ---- what the model may answer -----------------------------------------------------------------------------------
class ModelSummary(BaseModel):
    summary: str = Field(min_length=20, max_length=600)


class ModelItem(BaseModel):
    kind: Literal["decision", "action_item", "open_question"]
    line: int = Field(ge=0, le=PROMPT_POINTS)  # the numbered note line it comes from
    text: str = Field(min_length=3, max_length=200)
    owner: str = Field(default="", max_length=60)


class ModelSummaryAndItems(ModelSummary):
    items: list[ModelItem] = Field(default_factory=list, max_length=3)


class _People:
    """Names and addresses of everyone the meeting knows: event and meeting attendees, speakers, the roster."""

    def __init__(self, store: Store, meeting: Meeting, event: Event | None) -> None:
        pairs: list[tuple[str, str]] = []  # (name, email), most specific first
        if event is not None:
            pairs += [(a.name, a.email.lower()) for a in event.attendees]
        for who in meeting.attendees:
            pairs.append(("", who.lower()) if "@" in who else (who, ""))
        pairs += [(seg.speaker, "") for seg in meeting.segments if seg.speaker]
        ctx = store.contexts.latest()
        pairs += [(m.name, m.email.lower()) for m in (ctx.team if ctx else [])]
        self.name_of: dict[str, str] = {}
        self.email_of: dict[str, str] = {}
        for name, email in pairs:
            if email and not self.name_of.get(email):
                contact = store.contacts.get(email) if not name else None
                self.name_of[email] = name or (contact.name if contact else "")
            if name and email:
                self.email_of.setdefault(name.lower(), email)
        self.names = list(dict.fromkeys([n for n, _ in pairs if n] + [n for n in self.name_of.values() if n]))
        invited = [a.email for a in event.attendees] if event is not None else []
        self.attendee_emails = list(dict.fromkeys(e.lower() for e in invited + meeting.attendees if "@" in e))

    def known(self, who: str) -> bool:
        """Whether `who` (a full or first name) is someone this meeting knows."""
        name, email = self.resolve(who)
        return bool(email) or name in self.names

    def resolve(self, who: str) -> tuple[str, str]:
        """(display name, email or "") for an address, a full name or a first name."""
        who = who.strip()
        if "@" in who:
            return self.name_of.get(who.lower()) or who, who.lower()
        full = next((n for n in self.names if n.lower() == who.lower()), None) or next(
            (n for n in self.names if n.split()[0].lower() == who.lower()), who)
        return full, self.email_of.get(full.lower(), "")


# ---- the service -------------------------------------------------------------------------------------------------
def link_calendar_event(store: Store, meeting: Meeting) -> Event | None:
    """Link `meeting` to the calendar event it overlaps best (time + attendees, `engine.speech.link_event`),
    adopting its title and attendees, and save. A meeting already linked is left alone. Returns the event."""
    if meeting.event_id is not None or meeting.id is None:
        return None
    end = meeting.ended_at or meeting.started_at + timedelta(minutes=1)
    event = link_event(meeting, store.events.between(meeting.started_at, end))
    if event is not None:
        apply_event(meeting, event)
        store.meetings.update(meeting)
        log.info("meeting %d linked to event %s", meeting.id, event.id)
    return event


class MeetingNotesService:
    """Builds and stores meeting notes. `llm`: an `LLMService` (or None for rules only); `model_items=True` also
    asks the model for items (worth it only with models larger than the bundled 135M one). `verify`: keeps the
    model summary's sentences its key points support (`engine.usecases.verified_notes.sentence_verifier`, the
    answer engine's verifier); without it the whole summary must pass the word-overlap check `grounded`."""

    def __init__(self, store: Store, *, llm: _Asks | None = None, model_items: bool = False,
                 ledger: CommitmentLedger | None = None, max_tokens: int = 120,
                 verify: VerifySentences | None = None) -> None:
        self.store = store
        self.verify = verify
        self.llm = llm
        self.model_items = model_items
        self.ledger = ledger or CommitmentLedger(store)
        self.max_tokens = max_tokens

    def saved(self, meeting_id: int) -> MeetingNotes | None:
        """The notes stored by the last `summarize`, or None."""
        data = self.store.meetings.notes(meeting_id)
        try:
            return MeetingNotes.model_validate(data) if data else None
        except ValidationError:
            log.warning("meeting %d: stored notes unreadable; summarize again", meeting_id)
            return None

    def summarize(self, meeting_id: int, *, on_progress: Callable[[float], None] | None = None,
                  cancel: threading.Event | None = None) -> MeetingNotes:
        """Build the notes and store them with their commitments and follow-up draft (one transaction).
        Raises `MeetingNotesError` (unknown meeting, no transcript, cancelled: nothing written)."""
        notes, found = self.build(meeting_id, on_progress=on_progress, cancel=cancel)
        previous = self.saved(meeting_id)
        with self.store.transaction():
            for action, (fp, item) in zip(notes.action_items, found):  # rule items come first, in `found` order
                action.commitment_id = self.store.commitments.upsert(fp, item)
            draft = Draft(notes.follow_up.to, notes.follow_up.subject, notes.follow_up.body)
            action = propose_email(self.store, draft, origin="meeting", ref=str(meeting_id))
            notes.follow_up.pending_action_id = action or (previous.follow_up.pending_action_id if previous else None)
            self.store.meetings.set_notes(meeting_id, notes.model_dump(mode="json"))
            meeting = self.store.meetings.get(meeting_id, with_segments=False)
            assert meeting is not None
            meeting.summary, meeting.status = notes.summary, "summarized"
            self.store.meetings.update(meeting)
        if on_progress is not None:
            on_progress(1.0)
        log.info("meeting %d summarized: %d decisions, %d action items, %d open questions (%s summary)", meeting_id,
                 len(notes.decisions), len(notes.action_items), len(notes.open_questions), notes.summary_source)
        return notes

    def build(self, meeting_id: int, *, on_progress: Callable[[float], None] | None = None,
              cancel: threading.Event | None = None) -> tuple[MeetingNotes, list[tuple[str, Commitment]]]:
        """The notes and the (fingerprint, commitment) pairs behind their action items, without writing."""
        meeting = self.store.meetings.get(meeting_id)
        if meeting is None:
            raise MeetingNotesError(f"There is no meeting {meeting_id}.", next_step="List meetings to find its id.")
        segments = [s for s in meeting.segments if s.text.strip() and s.id is not None]
        if not segments:
            raise MeetingNotesError(f"Meeting {meeting_id} has no transcript yet.",
                                    next_step=f"Transcribe it first: `reflex-assistant meetings transcribe {meeting_id}`.")
        event = self.store.events.get(meeting.event_id) if meeting.event_id else None
        people = _People(self.store, meeting, event)
        notes = MeetingNotes(meeting_id=meeting_id, title=meeting.title)
        notes.open_questions = [OpenQuestion(text=t, **_where(g, x)) for g, x, t in find_open_questions(segments)]
        notes.decisions = [DecisionNote(text=t, **_where(g, x)) for g, x, t in find_decisions(segments)]
        found = self._action_items(meeting, segments, people, notes.open_questions)
        notes.action_items = [_item(c, segments, people) for _, c in found]
        if on_progress is not None:
            on_progress(0.2)
        if cancel is not None and cancel.is_set():
            raise MeetingNotesError("Summarizing was cancelled.", next_step="Start it again when you are ready.")
        flagged = {**{(q.segment_id, q.quote): "open_question" for q in notes.open_questions},
                   **{(a.segment_id, a.quote): "action_item" for a in notes.action_items},
                   **{(d.segment_id, d.quote): "decision" for d in notes.decisions}}
        ranked = rank_key_points(segments, flagged=flagged,
                                 marked={s for s, _ in self._marked(meeting_id, segments, "important")})
        by_id = {seg.id: seg for seg in segments}
        notes.key_points = [KeyPointNote(text=k.text, kind=k.kind, segment_id=k.segment_id, at=k.at,  # type: ignore[arg-type]
                                         speaker=k.speaker, quote=quote(k.text)) for k in ranked]
        strongest = sorted(sorted(ranked, key=lambda k: -k.score)[:SUMMARY_SENTENCES], key=lambda k: k.at)
        notes.summary, notes.summary_source = _extractive([(by_id[k.segment_id], k.text) for k in strongest])
        notes.summary_segment_ids = [k.segment_id for k in strongest]
        if self.llm is not None:
            prompt = sorted(sorted(ranked, key=lambda k: -k.score)[:PROMPT_POINTS], key=lambda k: k.at)
            self._with_model(notes, meeting, [(by_id[k.segment_id], k.text) for k in prompt], segments, people)
        notes.follow_up = _follow_up(meeting, notes, people, self.ledger.principal)
        return notes, found

    # -- action items ---------------------------------------------------------------------------------------------
    def _action_items(self, meeting: Meeting, segments: list[TranscriptSegment], people: _People,
                      questions: list[OpenQuestion]) -> list[tuple[str, Commitment]]:
        by_id = {s.id: s for s in segments}
        deferred = {(q.segment_id, q.quote) for q in questions}
        found: list[tuple[str, Commitment]] = []
        for fp, item in self.ledger.from_meeting(meeting):
            ev = item.evidence[0]
            if (ev.source_id, ev.quote) in deferred or ev.source_id not in by_id:
                continue  # a request asked as a question and deferred: an open question, not a task
            item.due = due_in_clause(ev.quote, item.what, _said_at(meeting, by_id[ev.source_id])) or item.due
            found.append((fp, item))
        covered = {(c.evidence[0].source_id, c.evidence[0].quote) for _, c in found}
        covered_segments = {sid for sid, _ in covered}
        for seg in segments:
            for sentence in sentences(seg.text):
                if (seg.id, quote(sentence)) not in covered and (rule := action_phrase(sentence)) is not None:
                    who, what = rule
                    if who not in ("I", "") and not people.known(who):
                        continue  # "Yes, final version by Friday": a capitalised word that is nobody here
                    owner = seg.speaker if who in ("I", "") else who
                    found.append(self._commitment(meeting, seg, sentence, owner, what, people))
                    covered_segments.add(seg.id)
        for seg_id, _ in self._marked(meeting.id or 0, segments, "action item"):
            seg = by_id[seg_id]
            if seg_id not in covered_segments and seg.speaker:
                sentence = sentences(seg.text)[0]
                found.append(self._commitment(meeting, seg, sentence, seg.speaker, deliverable(sentence), people))
                covered_segments.add(seg_id)
        start = {s.id: (s.start, s.id or 0) for s in segments}
        return sorted(merge_duplicates(found), key=lambda pair: start[pair[1].evidence[0].source_id])

    def _commitment(self, meeting: Meeting, seg: TranscriptSegment, sentence: str, owner: str, what: str,
                    people: _People) -> tuple[str, Commitment]:
        name, email = people.resolve(owner)
        me = self.ledger.principal
        me_there = any(me.is_me(a) for a in meeting.attendees) or any(me.is_me(s.speaker) for s in meeting.segments)
        counterparty = me.email if me_there and not me.is_me(email or name) and me.email else "meeting"
        direction = "owed_by_me" if me.is_me(email or name) else "owed_to_me" if counterparty == me.email else "other"
        due = due_in_clause(sentence, what, _said_at(meeting, seg))
        item = Commitment(owner=email or name, counterparty=counterparty, what=what, due=due, direction=direction,
                          evidence=[Evidence("segment", seg.id or 0, quote(sentence))])
        return fingerprint("segment", seg.id or 0, what), item

    def _marked(self, meeting_id: int, segments: list[TranscriptSegment], kind: str) -> list[tuple[int, float]]:
        """(segment id, marker time) for each recorder marker of `kind`: the segment it falls in, else the last
        one that started before it."""
        out = []
        for at, marker_kind, _ in self.store.meetings.markers(meeting_id):
            if marker_kind == kind:
                before = [s for s in segments if s.start <= at]
                if before:
                    out.append((before[-1].id or 0, at))
        return out

    # -- the model ------------------------------------------------------------------------------------------------
    def _with_model(self, notes: MeetingNotes, meeting: Meeting, points: list[tuple[TranscriptSegment, str]],
                    segments: list[TranscriptSegment], people: _People) -> None:
        lines = "\n".join(f"[{i}] {seg.speaker or 'Someone'}: {s}" for i, (seg, s) in enumerate(points))
        question = prompts.render("meeting_summary", title=meeting.title or "Meeting")
        if self.model_items:
            question += "\n" + prompts.load("meeting_items")
        schema = ModelSummaryAndItems if self.model_items else ModelSummary
        try:
            reply = self.llm.structured(  # type: ignore[union-attr]
                # the transcript is quoted as untrusted reference material, never as instructions
                PromptParts(question=question, system=prompts.load("meeting_system"),
                            context=(ContextItem(text=lines, score=1.0, source="meeting notes"),)), schema,
                feature="meeting_notes", params=GenerationParams(max_tokens=self.max_tokens, temperature=0.0))
        except EngineError as err:
            log.info("meeting %d: model summary unavailable (%s); extractive summary kept", notes.meeting_id,
                     type(err).__name__)
            return
        summary = self._verified(_ECHO.sub("", " ".join(reply.summary.split())), meeting, points, segments)
        if summary:
            notes.summary, notes.summary_source = summary, "model"
        else:
            log.info("meeting %d: model summary not grounded in the transcript; extractive summary kept",
                     notes.meeting_id)
        for item in getattr(reply, "items", []):
            merge_model_item(notes, item, points, people)


    def _verified(self, summary: str, meeting: Meeting, points: list[tuple[TranscriptSegment, str]],
                  segments: list[TranscriptSegment]) -> str:
        """The model summary's sentences that its evidence (the key points it was shown) supports; "" when none."""
        if self.verify is None:
            source = " ".join(s.text for s in segments) + " " + meeting.title
            return summary if grounded(summary, source) else ""
        return " ".join(self.verify(meeting, points, sentences(summary)))


def merge_model_item(notes: MeetingNotes, item: ModelItem, points: Sequence[tuple[TranscriptSegment, str]],
                     people: _People) -> bool:
    """Add one model-proposed item if it cites a real note line and stays within that line's words (the model
    may not invent items); skip lines that already hold an item of that kind. Returns whether it was added."""
    if not 0 <= item.line < len(points):
        return False
    seg, sentence = points[item.line]
    if seg.id is None or not grounded(item.text, sentence, min_support=0.6):
        return False
    where = {"segment_id": seg.id, "at": seg.start, "speaker": seg.speaker, "quote": quote(sentence)}
    if item.kind == "decision" and all(d.segment_id != seg.id for d in notes.decisions):
        notes.decisions.append(DecisionNote(text=item.text, origin="model", **where))
    elif item.kind == "open_question" and all(q.segment_id != seg.id for q in notes.open_questions):
        notes.open_questions.append(OpenQuestion(text=item.text, origin="model", **where))
    elif item.kind == "action_item" and all(a.segment_id != seg.id for a in notes.action_items):
        owner, email = people.resolve(item.owner or seg.speaker)
        notes.action_items.append(ActionItem(owner=owner, owner_email=email, what=item.text, origin="model", **where))
    else:
        return False
    return True


def _said_at(meeting: Meeting, seg: TranscriptSegment) -> datetime:
    return meeting.started_at + timedelta(seconds=seg.start)


def _where(seg: TranscriptSegment, sentence: str) -> dict[str, Any]:
    return {"segment_id": seg.id or 0, "at": seg.start, "speaker": seg.speaker, "quote": quote(sentence)}


def _extractive(points: list[tuple[TranscriptSegment, str]]) -> tuple[str, Literal["extractive", "none"]]:
    chosen = points
    text = " ".join(f"{seg.speaker}: {s}" if seg.speaker else s for seg, s in chosen)
    return text, "extractive" if text else "none"


def _item(c: Commitment, segments: list[TranscriptSegment], people: _People) -> ActionItem:
    ev = c.evidence[0]
    seg = next(s for s in segments if s.id == ev.source_id)
    name, email = people.resolve(c.owner)
    return ActionItem(owner=name, owner_email=email, what=c.what, due=c.due, segment_id=ev.source_id, at=seg.start,
                      speaker=seg.speaker, quote=ev.quote)


def _follow_up(meeting: Meeting, notes: MeetingNotes, people: _People, me: Any) -> FollowUpDraft:
    """A recap mail to the other attendees; a template (works with no model), proposed, never sent."""
    to = [e for e in people.attendee_emails if not me.is_me(e)]
    names = [first_name(people.name_of.get(e) or e) for e in to]
    greeting = "Hi " + (", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else (names[0] if names else "all"))
    lines = [f"{greeting},", "", f"Thanks for the meeting on {meeting.started_at:%a %d %b}. A short recap:"]
    if notes.summary_source == "model":
        lines += ["", notes.summary]
    sections = [("Decisions", [d.text for d in notes.decisions]),
                ("Action items", [f"{a.owner}: {a.what}" + (f" (due {a.due:%a %d %b})" if a.due else "")
                                  for a in notes.action_items]),
                ("Open questions", [q.text for q in notes.open_questions])]
    for title, items in sections:
        if items:
            lines += ["", f"{title}:"] + [f"- {item}" for item in items]
    lines += ["", "Let me know if I missed anything.", "", "Best,", first_name(me.name) if me.name else ""]
    return FollowUpDraft(to=to, subject=f"Follow-up: {meeting.title}", body="\n".join(lines).rstrip())
