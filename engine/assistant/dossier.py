"""Meeting and stakeholder dossiers: what to know before walking into a room or a call.

A meeting dossier holds the attendees (role, relationship, their recent threads), the last related meeting's
decisions and still-open action items, related opportunities and related documents/threads. A person dossier
holds the same for one stakeholder. Everything is read from the store (works offline, no model); every item
carries evidence. Use from one worker at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from engine.assistant.context import Relationships
from engine.assistant.identity import Principal
from engine.assistant.text import normalize_name, quote, sentences, tokens
from engine.store import Store
from models import Commitment, Event, Evidence, Meeting, Opportunity

_DECISION = re.compile(r"\b(?:we decided|decision(?: is)?:|we(?:'ve| have)? agreed|agreed to|let's go with|"
                       r"we'll go with|we will go with|approved|final answer|we're going ahead|go ahead with)\b", re.I)


@dataclass(slots=True)
class BriefItem:
    """One line of a dossier. `kind`: thread | decision | action | opportunity | document | commitment."""

    kind: str
    title: str
    detail: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class PersonCard:
    email: str
    name: str
    role: str = ""
    relationship: str = ""  # me | direct_report | manager | team | board | key_account | unknown
    recent_threads: list[BriefItem] = field(default_factory=list)
    open_commitments: list[BriefItem] = field(default_factory=list)
    opportunities: list[BriefItem] = field(default_factory=list)


@dataclass(slots=True)
class MeetingDossier:
    attendees: list[PersonCard] = field(default_factory=list)
    last_meeting: str = ""
    decisions: list[BriefItem] = field(default_factory=list)
    open_actions: list[BriefItem] = field(default_factory=list)
    opportunities: list[BriefItem] = field(default_factory=list)
    related: list[BriefItem] = field(default_factory=list)  # threads and documents on the meeting's topic

    def items(self) -> list[BriefItem]:
        """Every relevant item, attendees' threads included."""
        threads = [t for a in self.attendees for t in a.recent_threads]
        return [*self.decisions, *self.open_actions, *self.opportunities, *self.related, *threads]


class Dossiers:
    def __init__(self, store: Store, principal: Principal, rel: Relationships, *, lookback_days: int = 30) -> None:
        self.store = store
        self.principal = principal
        self.rel = rel
        self.lookback = timedelta(days=lookback_days)
        self._mail: list[tuple[datetime, int, str, set[str]]] | None = None

    def _recent_mail(self) -> list[tuple[datetime, int, str, set[str]]]:
        """(sent_at, id, subject, participants) of recent mail, loaded once."""
        if self._mail is None:
            self._mail = []
            for s in self.store.messages.recent(limit=3000):
                m = self.store.messages.get(s.id)
                if m and m.sent_at:
                    people = {c.email.lower() for c in m.participants}
                    self._mail.append((m.sent_at, m.id or 0, m.subject, people))
        return self._mail

    # -- people ------------------------------------------------------------------------------------------------------
    def person(self, who: str, *, before: datetime | None = None, limit: int = 5) -> PersonCard:
        """A stakeholder dossier for an address or a name (roster or contacts)."""
        email = self._email_for(who)
        contact = self.store.contacts.get(email) if email else None
        member = self.rel.member(email) or self.rel.member(who)
        card = PersonCard(email=email, name=(member.name if member else "") or (contact.name if contact else who),
                          role=(member.role if member else "") or (contact.role if contact else ""),
                          relationship=self.rel.kind(email, contact.name if contact else ""))
        seen: set[str] = set()
        for sent_at, mid, subject, people in sorted(self._recent_mail(), reverse=True):
            if email in people and (before is None or sent_at < before) and subject not in seen:
                if before is not None and sent_at < before - self.lookback:
                    continue
                seen.add(subject)
                card.recent_threads.append(BriefItem("thread", subject, f"{sent_at:%d %b}", [Evidence("email", mid, subject)]))
                if len(card.recent_threads) >= limit:
                    break
        for c in self.store.commitments.list(status="open"):
            if email and email in (c.owner.lower(), c.counterparty.lower()):
                card.open_commitments.append(_commitment_item(c))
        domain = email.rsplit("@", 1)[-1] if "@" in email else ""
        for opp in self.store.opportunities.list():
            if email and (opp.contact_email == email or (domain and domain == opp.contact_email.rsplit("@", 1)[-1])):
                card.opportunities.append(_opportunity_item(opp))
        return card

    def _email_for(self, who: str) -> str:
        who = who.strip()
        if "@" in who:
            return who.lower()
        member = self.rel.member(who) or next(
            (m for m in self.rel.ctx.team if m.name.split()[0].lower() == who.lower()), None)
        if member and member.email:
            return member.email.lower()
        for contact in self.store.contacts.all():
            if contact.name and (contact.name.lower() == who.lower() or contact.name.split()[0].lower() == who.lower()):
                return contact.email.lower()
        return ""

    # -- meetings ----------------------------------------------------------------------------------------------------
    def meeting(self, event: Event) -> MeetingDossier:
        dossier = MeetingDossier()
        guests = [a for a in event.attendees if a.email and not self.principal.is_me(a.email)]
        for a in guests:
            dossier.attendees.append(self.person(a.email, before=event.start, limit=3))
        last = self._last_meeting(event)
        if last is not None:
            dossier.last_meeting = f"{last.title} ({last.started_at:%d %b})"
            full = self.store.meetings.get(last.id)
            for seg in full.segments if full else []:
                for sentence in sentences(seg.text):
                    if _DECISION.search(sentence):
                        dossier.decisions.append(BriefItem("decision", quote(sentence, 140), seg.speaker,
                                                           [Evidence("segment", seg.id or 0, quote(sentence))]))
            seg_ids = {s.id for s in (full.segments if full else [])}
            for c in self.store.commitments.list(status="open"):
                if any(e.source_type == "segment" and e.source_id in seg_ids for e in c.evidence):
                    dossier.open_actions.append(_commitment_item(c))
        emails = {a.email.lower() for a in guests}
        domains = {e.rsplit("@", 1)[-1] for e in emails if not self.rel.is_internal(e)}
        title = normalize_name(event.title)
        for opp in self.store.opportunities.list():
            first = normalize_name(opp.account.split()[0])
            if opp.contact_email in emails or opp.contact_email.rsplit("@", 1)[-1] in domains or (first and first in title):
                dossier.opportunities.append(_opportunity_item(opp))
        dossier.related = self._related(event)
        return dossier

    def _last_meeting(self, event: Event) -> Meeting | None:
        words = set(tokens(event.title))
        names = {a.name.lower() for a in event.attendees if a.name} | {a.email.lower() for a in event.attendees}
        best, best_score = None, 0.0
        for m in self.store.meetings.all():
            if m.started_at >= event.start:
                continue
            title_overlap = len(words & set(tokens(m.title))) / max(len(words | set(tokens(m.title))), 1)
            people = {p.lower() for p in m.attendees}
            people_overlap = len(names & people) / max(len(people), 1)
            score = title_overlap + 0.5 * people_overlap
            if score > best_score or (score == best_score and best and m.started_at > best.started_at):
                best, best_score = m, score
        return best if best_score >= 0.3 else None

    def _related(self, event: Event, limit: int = 3) -> list[BriefItem]:
        words = [w for w in tokens(event.title) if len(w) >= 4 and w.isalpha()][:6]
        if not words:
            return []
        query = " OR ".join(f'"{w}"' for w in words)
        out: list[BriefItem] = []
        for chunk in self.store.chunks.get_many([cid for cid, _ in self.store.chunks.search(query, limit=10)]).values():
            if chunk.source_type == "doc" and all(i.title != chunk.title for i in out):
                out.append(BriefItem("document", chunk.title, quote(chunk.text, 120),
                                     [Evidence("doc", chunk.source_id, quote(chunk.text, 160))]))
            if len(out) >= limit:
                break
        for mid in self.store.messages.search(query, limit=5):
            m = self.store.messages.get(mid)
            if m and m.sent_at and m.sent_at < event.start and all(i.title != m.subject for i in out):
                out.append(BriefItem("thread", m.subject, f"{m.sent_at:%d %b}", [Evidence("email", mid, m.subject)]))
            if len(out) >= 2 * limit:
                break
        return out


def _commitment_item(c: Commitment) -> BriefItem:
    due = f" (due {c.due:%a %d %b})" if c.due else ""
    return BriefItem("commitment", f"{c.owner} → {c.counterparty}: {c.what}{due}", c.direction, list(c.evidence))


def _opportunity_item(o: Opportunity) -> BriefItem:
    amount = f" {o.currency} {o.amount:,.0f}" if o.amount else ""
    return BriefItem("opportunity", f"{o.account}: {o.kind}{amount}, {o.stage}", o.next_step, list(o.evidence[:3]))
