"""The commitments ledger: who owes what to whom, by when, from mail and meeting transcripts.

`CommitmentLedger.scan()` extracts promises/requests (engine.assistant.promises) from the new text of each
message and from transcript segments, resolves people to addresses where it can, upserts them by a fingerprint
of their source (re-scanning never duplicates, and a status the user set is kept), then auto-closes open items
whose promised thing was later sent (a later mail from the owner to the counterparty that says "attached /
here is / as promised" or carries an attachment, and names the same thing). Reminders and follow-up drafts for
overdue items owed to the user come from the stored ledger.

Directions: owed_by_me | owed_to_me | other (between two other people). Evidence: ("email", message id, sentence) or
("segment", transcript segment id, sentence). Thread-safety: use from one worker at a time.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Callable

from engine.assistant.context import Relationships
from engine.assistant.dates import find_due
from engine.assistant.drafts import Draft, propose_email
from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.model_reading import Verified
from engine.assistant.promises import VERBS, Promise, find_promises
from engine.assistant.signals import automated_reason
from engine.assistant.text import first_name, new_text, quote, sentences, tokens
from engine.store import Store
from models import Commitment, Contact, Evidence, Meeting, Message

log = logging.getLogger(__name__)

_SENT = re.compile(r"\b(?:attached|attaching|here is|here's|here are|please find|enclosed|sending (?:over|you)|"
                   r"as promised|sent you|shared (?:the|it)|just shared|uploaded)\b", re.I)
_VERB_WORDS = set(re.findall(r"[a-z]+", VERBS)) | {"me", "you", "us", "them", "over", "back", "up"}


@dataclass(frozen=True, slots=True)
class Reminder:
    """Something to act on today: `kind` is due_today | overdue | nudge (overdue, owed to the user)."""

    kind: str
    commitment: Commitment
    days_overdue: int


def thing(what: str) -> str:
    """The object of a commitment: "get me the Q1 numbers" -> "the Q1 numbers"."""
    rest = re.sub(rf"^(?:{VERBS})\b\s*", "", what, count=1, flags=re.I)
    rest = re.sub(r"^(?:me|us|you|them|over|back|on|in|up|about|with)\b\s*", "", rest, flags=re.I)
    rest = re.sub(r"^(?:on|about|with|to)\b\s*", "", rest, flags=re.I)
    return rest or what


def fingerprint(source_type: str, source_id: int, what: str) -> str:
    key = f"{source_type}:{source_id}:{' '.join(tokens(what))}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _similar(a: Commitment, b: Commitment) -> bool:
    if (a.owner, a.counterparty) != (b.owner, b.counterparty) and (a.owner, a.direction) != (b.owner, b.direction):
        return False
    if "@" in a.counterparty and "@" in b.counterparty and a.counterparty != b.counterparty:
        return False  # a proposal owed to one customer is not the proposal owed to another
    ta = {t for t in tokens(thing(a.what)) if t not in _VERB_WORDS}
    tb = {t for t in tokens(thing(b.what)) if t not in _VERB_WORDS}
    if not ta or not tb:
        return False
    if a.due is not None and a.due == b.due and ta & tb:
        return True  # same people, same day, same thing named: "the final proposal" / "the final version"
    close_in_time = a.due is None or b.due is None or abs((a.due - b.due).days) <= 7
    return close_in_time and len(ta & tb) / len(ta | tb) >= 0.34


@dataclass(slots=True)
class Mention:
    """Where and how a commitment was said: `place` is the thread key or "meeting:<id>"; `kinds` the
    promise/request/action_item forms merged into it."""

    place: str
    kinds: set[str]


def _content(item: Commitment) -> set[str]:
    return {t for t in tokens(thing(item.what)) if t not in _VERB_WORDS}


def content_key(what: str) -> str:
    """What a commitment is about, as a key: its content words, sorted ("send the Q4 deck" -> "deck q4")."""
    return " ".join(sorted({t for t in tokens(thing(what)) if t not in _VERB_WORDS}))


DISMISSED = "learning.dismissed_commitments"  # settings key: content keys of commitments the user dismissed


_POINTER = re.compile(r"\b(?:it|them|this|that|these|those)\b", re.I)


def concrete(item: Commitment) -> bool:
    """Something deliverable: an object ("the deck"), a pointer to one the conversation names ("send it"), or
    a date ("we'll confirm by December 1"). "Let me confirm and come back to you" is none of these."""
    return bool(_content(item) or _POINTER.search(item.what) or item.due)


def _same_exchange(a: Commitment, b: Commitment, ma: Mention, mb: Mention) -> bool:
    """A request and the reply that accepts it ("Can you confirm capacity by Wednesday?" / "I'll confirm by
    Wednesday"), or one promise restated in the same conversation: same place, same owner and counterparty,
    and at least one shared content word (or no object at all on one side: "will do")."""
    if ma.place != mb.place or a.owner != b.owner or a.counterparty != b.counterparty:
        return False
    ca, cb = _content(a), _content(b)
    return not ca or not cb or bool(ca & cb)


def merge_duplicates(found: list[tuple[str, Commitment]], mentions: dict[str, Mention] | None = None
                     ) -> list[tuple[str, Commitment]]:
    """One commitment said twice (in mail and again in a meeting, or asked and then accepted in a thread)
    becomes one item with both evidences; the first mention keeps its fingerprint, so re-scans stay
    idempotent. `mentions` (fingerprint -> Mention) enables the same-conversation merge and is updated."""
    mentions = mentions if mentions is not None else {}
    out: list[tuple[str, Commitment]] = []
    # Twins share an owner, and a counterparty when both name an address: compare within those buckets only
    # (a mailbox yields thousands of items; comparing every pair would be quadratic in all of them).
    buckets: dict[tuple[str, str], list[tuple[str, Commitment]]] = defaultdict(list)
    for fp, item in found:
        mine = mentions.get(fp)
        other = item.counterparty if "@" in item.counterparty else "*"
        if other == "*":
            candidates = [x for key, xs in buckets.items() if key[0] == item.owner for x in xs]
        else:
            candidates = [*buckets.get((item.owner, other), []), *buckets.get((item.owner, "*"), [])]
        twin = next((tfp for tfp, c in candidates if _similar(c, item) or (
            mine is not None and tfp in mentions and _same_exchange(c, item, mentions[tfp], mine))), None)
        if twin is None:
            out.append((fp, item))
            buckets[(item.owner, other)].append((fp, item))
            continue
        kept = next(c for tfp, c in candidates if tfp == twin)
        kept.evidence.extend(e for e in item.evidence if e not in kept.evidence)
        kept.due = kept.due or item.due
        if len(_content(item)) > len(_content(kept)):
            kept.what = item.what  # "confirm" accepted "confirm production capacity": keep the thing named
        if mine is not None and twin in mentions:
            mentions[twin].kinds |= mine.kinds
    return out


def settled(found: list[tuple[str, Commitment]], mentions: dict[str, Mention]) -> list[tuple[str, Commitment]]:
    """Drop loose asks: a request with no due date that nobody accepted is not (yet) a commitment."""
    return [(fp, c) for fp, c in found
            if not (fp in mentions and mentions[fp].kinds == {"request"} and c.due is None)]


_DEADLINE_STATEMENT = re.compile(r"\b(?:need|needs|needed|due|deadline|by|before|within|no later than|appreciate|"
                                 r"expect|hope to receive|latest)\b", re.I)
_THEN = re.compile(r"\b(?:by|before|until) then\b", re.I)


def _due_nearby(p: Promise, said: list[str], i: int, written_at: datetime) -> Promise:
    """A deadline stated beside the ask: "Please send a draft contract. We need it by next Tuesday." (the next
    sentence states when, and asks nothing itself) or "... on Thursday, so please approve by then" (the
    previous one)."""
    if _THEN.search(said[i]) and i > 0:
        due = find_due(said[i - 1], written_at)
        if due is not None:
            return replace(p, due=due.due, due_phrase=due.phrase)
    if i + 1 < len(said) and _DEADLINE_STATEMENT.search(said[i + 1]) and not find_promises(said[i + 1], written_at):
        due = find_due(said[i + 1], written_at)
        if due is not None:
            return replace(p, due=due.due, due_phrase=due.phrase)
    return p


class CommitmentLedger:
    def __init__(self, store: Store, *, principal: Principal | None = None,
                 relationships: Relationships | None = None,
                 model_reader: Callable[[Message], Verified] | None = None) -> None:
        """`model_reader`: a capable model's verified reading of a mail (`engine.assistant.model_reading`),
        given only when `model_may_read_mail` allows; its commitments are merged after the rules' own."""
        self.store = store
        self.model_reader = model_reader
        self.principal = principal or resolve_principal(store)
        self.rel = relationships or Relationships(store.contexts.latest(), self.principal)
        self.mentions: dict[str, Mention] = {}  # fingerprint -> where/how it was said (filled by extraction)
        self._directory: dict[str, list[str]] | None = None  # name -> addresses, built on first use

    # -- extraction ----------------------------------------------------------------------------------------------
    def from_message(self, message: Message) -> list[tuple[str, Commitment]]:
        """Commitments in one message's new text (none from automated mail)."""
        if message.sent_at is None or automated_reason(message):
            return []
        people = [message.sender, *message.to, *message.cc]
        out = []
        said = sentences(new_text(message))
        for i, sentence in enumerate(said):
            for p in find_promises(sentence, message.sent_at):
                p = p if p.due is not None else _due_nearby(p, said, i, message.sent_at)
                if p.kind == "request" and p.owner == "reader" and len(message.to) > 1:
                    continue  # "Please confirm by Friday" to several people: nobody in particular owes it
                owner = self._resolve(p.owner, writer=message.sender.email, readers=message.to, people=people)
                other = self._resolve(p.counterparty, writer=message.sender.email, readers=message.to, people=people)
                if p.kind == "action_item" and "@" not in owner:
                    continue  # "Ready to draft the offer": a capitalised word that is nobody we know
                out.append(self._commitment(p, owner, other, Evidence("email", message.id or 0, quote(sentence)),
                                            place=f"thread:{message.thread_key}"))
        if self.model_reader is not None:
            out += self._model_commitments(message, people)
        return [(fp, c) for fp, c in out if concrete(c)]

    def _model_commitments(self, message: Message, people: list[Contact]) -> list[tuple[str, Commitment]]:
        """The model's quoted commitments as the rules would have written them; listed after the rules' own, so
        `merge_duplicates` folds one the rules found too into theirs (the rules' wording and fingerprint stay)."""
        assert self.model_reader is not None and message.sent_at is not None
        out = []
        for c in self.model_reader(message).commitments:
            if c.owner == "reader" and len(message.to) > 1:
                continue  # as for the rules: a request to several people is owed by nobody in particular
            roles = ("writer", "reader") if c.owner == "writer" else ("reader", "writer")
            owner, other = (self._resolve(r, writer=message.sender.email, readers=message.to, people=people)
                            for r in roles)
            due = find_due(c.due, message.sent_at) or find_due(c.quote, message.sent_at)
            kind = "promise" if c.owner == "writer" else "request"
            promise = Promise(c.owner, roles[1], c.what.strip(), due.due if due else None,
                              due.phrase if due else "", c.quote, kind)
            out.append(self._commitment(promise, owner, other, Evidence("email", message.id or 0, quote(c.quote)),
                                        place=f"thread:{message.thread_key}"))
        return out

    def from_meeting(self, meeting: Meeting) -> list[tuple[str, Commitment]]:
        """Commitments spoken in a transcript; the speaker is the writer, the addressee (or the user, if they
        attended) the reader."""
        attendees = [Contact(a if "@" in a else "", a if "@" not in a else "") for a in meeting.attendees]
        me_there = any(self.principal.is_me(a) for a in meeting.attendees) or any(
            self.principal.is_me(s.speaker) for s in meeting.segments)
        out = []
        for seg in meeting.segments:
            when = meeting.started_at + timedelta(seconds=seg.start)
            speaker = self._person(seg.speaker) or seg.speaker
            for sentence in sentences(seg.text):
                for p in find_promises(sentence, when):
                    default_reader = self.principal.email if me_there and not self.principal.is_me(speaker) else "meeting"
                    owner = self._resolve(p.owner, writer=speaker, readers=[], people=attendees, default=default_reader)
                    other = self._resolve(p.counterparty, writer=speaker, readers=[], people=attendees,
                                          default=default_reader)
                    if owner == other or (p.kind == "action_item" and "@" not in owner):
                        continue
                    out.append(self._commitment(p, owner, other, Evidence("segment", seg.id or 0, quote(sentence)),
                                                place=f"meeting:{meeting.id}"))
        return [(fp, c) for fp, c in out if concrete(c)]

    def _commitment(self, p: Promise, owner: str, other: str, evidence: Evidence, *, place: str
                    ) -> tuple[str, Commitment]:
        if self.principal.is_me(owner):
            direction = "owed_by_me"
        elif self.principal.is_me(other):
            direction = "owed_to_me"
        else:
            direction = "other"
        item = Commitment(owner=owner, counterparty=other, what=p.what, due=p.due, direction=direction,
                          evidence=[evidence])
        fp = fingerprint(evidence.source_type, evidence.source_id, p.what)
        self.mentions[fp] = Mention(place, {p.kind})
        return fp, item

    def _person(self, name: str) -> str:
        """A roster member's address for a spoken name ("Pat", "Pat Lee"), else ""."""
        if not name:
            return ""
        if self.principal.is_me(name):
            return self.principal.email
        member = self.rel.member(name) or next(
            (m for m in self.rel.ctx.team if m.name.split()[0].lower() == name.split()[0].lower()), None)
        return member.email if member and member.email else ""

    def _resolve(self, who: str, *, writer: str, readers: list[Contact], people: list[Contact],
                 default: str = "") -> str:
        if who == "writer":
            return writer
        if who in ("reader", "meeting"):
            return readers[0].email if readers else (default or "meeting")
        named = next((c.email for c in people if c.email and first_name(c.name or c.email).lower() == who.lower()), "")
        return named or self._person(who) or self._known(who) or who

    def _known(self, name: str) -> str:
        """The address of the one person called `name` (first name, or full name) among everyone the user has
        mail with, the user's own organisation first; "" when nobody or several people are."""
        if self._directory is None:
            self._directory = {}
            for c in self.store.contacts.all():
                if c.name and c.email:
                    for key in {c.name.lower(), c.name.split()[0].lower()}:
                        self._directory.setdefault(key, []).append(c.email.lower())
        found = self._directory.get(name.lower(), [])
        mine = [e for e in found if self.rel.is_internal(e)]
        pick = mine if len(mine) == 1 else found
        return pick[0] if len(set(pick)) == 1 else ''

    # -- the ledger ----------------------------------------------------------------------------------------------
    def scan(self, *, since: str | None = None, limit: int = 5000, meetings: bool = True,
             cancel: threading.Event | None = None, on_progress: Callable[[float], None] | None = None
             ) -> list[Commitment]:
        """Extract from recent mail (and transcripts), store, auto-close; returns what was found this scan."""
        found: list[tuple[str, Commitment]] = []
        summaries = self.store.messages.recent(limit=limit, since=since)
        metas = self.store.meetings.all() if meetings else []
        total = max(len(summaries) + len(metas), 1)
        for i, summary in enumerate(summaries):
            if cancel is not None and cancel.is_set():
                return []
            message = self.store.messages.get(summary.id)
            if message is not None:
                found += self.from_message(message)
            if on_progress is not None and i % 50 == 0:
                on_progress(i / total)
        for meta in metas:
            meeting = self.store.meetings.get(meta.id)
            if meeting is not None:
                found += self.from_meeting(meeting)
        found = settled(merge_duplicates(found, self.mentions), self.mentions)
        dismissed = set(self.store.settings.get(DISMISSED) or [])
        # the user said "not a commitment" to this wording: never propose it again (stored rows keep their status)
        found = [(fp, c) for fp, c in found if content_key(c.what) not in dismissed]
        with self.store.transaction():
            for fp, item in found:
                self.store.commitments.upsert(fp, item)
        self.auto_close()
        if on_progress is not None:
            on_progress(1.0)
        log.info("commitments: %d found", len(found))
        return [item for _, item in found]

    def auto_close(self) -> list[Commitment]:
        """Mark open commitments done when a later mail from the owner delivers the promised item. Done items
        get their proof back too: a re-scan rewrites each item from its sources, without the delivery."""
        closed = []
        sent: dict[str, list[int]] = defaultdict(list)  # sender -> their message ids, newest first (one query)
        for summary in self.store.messages.recent(limit=1_000_000):
            sent[summary.sender_email].append(summary.id)
        cache: dict[int, Message | None] = {}
        for item in self.store.commitments.list():
            made = self._made_at(item) if item.status in ("open", "done") else None
            if made is None or "@" not in item.owner:
                continue
            proof = self._delivery(item, made, sent.get(item.owner.lower(), []), cache)
            if proof is not None and proof not in item.evidence:
                updated = replace(item, status="done", evidence=[*item.evidence, proof])
                self.store.commitments.update(updated)
                if item.status == "open":
                    closed.append(updated)
        return closed

    def _made_at(self, item: Commitment) -> datetime | None:
        ev = item.evidence[0] if item.evidence else None
        if ev is None or ev.source_type != "email":
            return None
        message = self.store.messages.get(ev.source_id)
        return message.sent_at if message else None

    def _delivery(self, item: Commitment, made: datetime, owners_mail: list[int],
                  cache: dict[int, Message | None]) -> Evidence | None:
        """A later mail from the owner (`owners_mail`: their message ids) that delivers the item."""
        keywords = {t for t in tokens(item.what) if len(t) >= 4 and t not in _VERB_WORDS}
        if not keywords:
            return None
        for message_id in reversed(owners_mail):  # oldest first: the first delivery is the proof
            if message_id == item.evidence[0].source_id:
                continue
            if message_id not in cache:
                cache[message_id] = self.store.messages.get(message_id)
            message = cache[message_id]
            if message is None or message.sent_at is None or message.sent_at <= made:
                continue
            recipients = {c.email.lower() for c in [*message.to, *message.cc]}
            if "@" in item.counterparty and item.counterparty.lower() not in recipients:
                continue
            body = new_text(message)
            text = f"{message.subject} {body} {' '.join(a.filename for a in message.attachments)}"
            if not (message.attachments or _SENT.search(body)):
                continue
            if keywords & set(tokens(text)):
                return Evidence("email", message.id or 0, quote(next(
                    (s for s in sentences(body) if _SENT.search(s)), message.subject)))
        return None

    def open(self, direction: str | None = None) -> list[Commitment]:
        return [c for c in self.store.commitments.list(status="open") if direction in (None, c.direction)]

    def reminders(self, day: date) -> list[Reminder]:
        """Open items the user must do today or has let slip, and overdue items owed to them (nudges)."""
        out = []
        for item in self.store.commitments.list(status="open", due_before=day):
            late = (day - item.due).days if item.due else 0
            if item.direction == "owed_by_me":
                out.append(Reminder("overdue" if late > 0 else "due_today", item, late))
            elif item.direction == "owed_to_me" and late > 0:
                out.append(Reminder("nudge", item, late))
        return out

    def draft_follow_ups(self, day: date) -> list[int]:
        """Pending `draft_email` actions for overdue items owed to the user (one per item, never sent)."""
        ids = []
        for r in self.reminders(day):
            if r.kind != "nudge" or "@" not in r.commitment.owner:
                continue
            c = r.commitment
            name = first_name(self._display(c.owner))
            body = (f"Hi {name},\n\nJust following up on {thing(c.what)}"
                    f"{f' (due {c.due:%a %d %b})' if c.due else ''}. Could you send it over when you get a "
                    f"chance, or let me know a new date?\n\nThanks,\n{first_name(self.principal.name) or ''}").rstrip()
            draft = Draft([c.owner], f"Following up: {c.what}", body)
            action = propose_email(self.store, draft, origin="commitments", ref=str(c.id))
            if action is not None:
                ids.append(action)
        return ids

    def _display(self, email: str) -> str:
        contact = self.store.contacts.get(email)
        return contact.name if contact and contact.name else email
