"""Scheduling from where the user is: "propose a meeting" with a person, a mail thread or a commitment, free
slots and the paragraph to paste, and answers to invitations — each a pending action the user confirms.

Why a use-case over `engine.assistant.scheduling`: the app needs the same steps the CLI's `free-slots` and
`rsvp` run, plus who a meeting is *with* when it starts from a thread or a promise, and which stored events
still wait on the user's answer (Today's and the Inbox's RSVP buttons). Nothing here writes to a calendar:
`propose_meeting` and `rsvp` add pending actions (`store.pending_actions`); only `app.actions.carry_out`, after
the user's confirmation, creates or answers anything. Store reads only; call from the store worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo

from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.scheduling import Slot, free_slots, proposal_text, propose_event, propose_rsvp
from engine.store import Store
from models import Event

__all__ = ["Invitation", "MeetingTarget", "RESPONSES", "Scheduling", "Suggestion"]

RESPONSES = ("accepted", "tentative", "declined")
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|sv|tr)\s*:\s*)+", re.I)
_INVITE_PREFIX = re.compile(r"^\s*(?:updated\s+)?invitation\s*:\s*", re.I)


@dataclass(frozen=True, slots=True)
class MeetingTarget:
    """Who a proposed meeting is with and what it is about. `origin`/`ref` say where it was started from
    (person | thread | commitment and its id), kept with the pending action so the user sees why it exists."""

    title: str
    attendees: tuple[str, ...]
    origin: str = ""
    ref: str = ""
    note: str = ""  # the description the invitation carries ("About: …")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Free slots (earliest first, in the user's zone) and the paragraph offering the first few."""

    slots: tuple[Slot, ...]
    proposal: str
    duration: timedelta


@dataclass(frozen=True, slots=True)
class Invitation:
    """A stored event that still waits on the user's answer (their attendee row says needsAction)."""

    event_id: int
    title: str
    start: datetime
    end: datetime
    organizer: str
    response: str = "needsAction"
    others: tuple[str, ...] = field(default_factory=tuple)


class Scheduling:
    """Scheduling steps for one store. `now` gives an aware datetime (tests pass a fixed clock)."""

    def __init__(self, store: Store, *, tz: tzinfo = timezone.utc, working_hours: str = "09:00-18:00",
                 now: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.tz = tz
        self.working_hours = working_hours
        self._now = now or (lambda: datetime.now(tz))

    def _me(self) -> Principal:
        return resolve_principal(self.store)

    # -- who a meeting is with -----------------------------------------------------------------------------------
    def for_person(self, email: str, name: str = "") -> MeetingTarget:
        """A meeting with one person (the dossier page's "Propose a meeting")."""
        who = name or email
        return MeetingTarget(f"Meeting with {who}", (email.lower(),) if email else (), "person", email.lower())

    def for_thread(self, message_id: int) -> MeetingTarget:
        """A meeting with everyone on the thread of `message_id` but the user, about its subject.
        Raises KeyError when the message is gone."""
        ids = self.store.messages.thread_of(message_id) or [message_id]
        messages = [m for mid in ids if (m := self.store.messages.get(mid)) is not None]
        if not messages:
            raise KeyError(message_id)
        me = self._me()
        people: list[str] = []
        for m in messages:
            for c in m.participants:
                email = c.email.lower()
                if email and "@" in email and not me.is_me(email) and email not in people:
                    people.append(email)
        subject = _REPLY_PREFIX.sub("", messages[0].subject).strip() or "Follow-up"
        return MeetingTarget(subject, tuple(people), "thread", str(message_id), f"About the thread “{subject}”.")

    def for_commitment(self, commitment_id: int) -> MeetingTarget:
        """A meeting with the other side of a promise (owner or counterparty, whichever is not the user), about
        what was promised. Raises KeyError when the commitment is gone."""
        found = next((c for c in self.store.commitments.list(status=None) if c.id == commitment_id), None)
        if found is None:
            raise KeyError(commitment_id)
        me = self._me()
        people = tuple(p.lower() for p in (found.owner, found.counterparty) if "@" in p and not me.is_me(p))
        due = f" (due {found.due:%a %d %b})" if found.due else ""
        return MeetingTarget(found.what[:80], people, "commitment", str(commitment_id),
                             f"About the commitment: {found.owner} → {found.counterparty}: {found.what}{due}.")

    # -- free time ------------------------------------------------------------------------------------------------
    def suggest(self, attendees: tuple[str, ...] | list[str], *, minutes: int = 30, days: int = 5,
                start: date | None = None, per_day: int = 3) -> Suggestion:
        """Free slots of `minutes` over `days` days from `start` (default: from now) where the user and the
        attendees (as far as the user's calendars show) are free. Raises ValueError for a bad duration or
        working hours."""
        duration = timedelta(minutes=minutes)
        now = self._now().astimezone(self.tz)
        slots = free_slots(self.store, start=start or now.date(), days=days, duration=duration, tz=self.tz,
                           working_hours=self.working_hours, attendees=list(attendees), per_day=per_day,
                           not_before=None if start else now)
        return Suggestion(tuple(slots), proposal_text(slots, duration), duration)

    def propose_meeting(self, target: MeetingTarget, slot: Slot, *, title: str = "",
                        attendees: tuple[str, ...] | list[str] | None = None) -> int:
        """A pending `create_event` for `slot` (the user confirms it; then the invitations go out). Returns the
        action id. Raises ValueError without a title."""
        name = (title or target.title).strip()
        if not name:
            raise ValueError("A meeting needs a title.")
        people = [a.strip().lower() for a in (target.attendees if attendees is None else attendees) if a.strip()]
        return propose_event(self.store, slot, title=name, attendees=people, description=target.note,
                             origin=target.origin, ref=target.ref)

    # -- invitations ----------------------------------------------------------------------------------------------
    def invitations(self, *, days: int = 14) -> list[Invitation]:
        """Upcoming events (now .. `days` ahead) that the user was invited to by someone else, with their
        answer (needsAction first, then tentative), earliest first."""
        me = self._me()
        now = self._now().astimezone(timezone.utc)
        out = []
        for event in self.store.events.between(now, now + timedelta(days=days)):
            invitation = _invitation(event, me)
            if invitation is not None and invitation.response in ("needsAction", "tentative"):
                out.append(invitation)
        return sorted(out, key=lambda i: (i.response != "needsAction", i.start))

    def invitation_for_message(self, message_id: int, *, days: int = 60) -> Invitation | None:
        """The upcoming invitation a mail is about (an invitation from its sender whose title the subject
        carries), or None. Lets the Inbox show RSVP buttons on invitation mail."""
        message = self.store.messages.get(message_id)
        if message is None:
            return None
        subject = _INVITE_PREFIX.sub("", _REPLY_PREFIX.sub("", message.subject)).lower()
        sender = message.sender.email.lower()
        me = self._me()
        now = self._now().astimezone(timezone.utc)
        for event in self.store.events.between(now, now + timedelta(days=days)):
            title = event.title.strip().lower()
            invitation = _invitation(event, me)
            if (invitation is not None and title and title in subject
                    and sender in {invitation.organizer.lower(), *(a.email.lower() for a in event.attendees)}):
                return invitation
        return None

    def rsvp(self, event_id: int, response: str, *, note: str = "") -> int:
        """A pending `rsvp` action (accepted | tentative | declined); returns its id. Raises ValueError for
        another answer, KeyError when the event is gone."""
        return propose_rsvp(self.store, event_id, response, note=note)


def _invitation(event: Event, me: Principal) -> Invitation | None:
    """The user's invitation to `event`, or None when they organise it, are not on it, or it was cancelled."""
    if event.status == "cancelled" or event.id is None:
        return None
    mine = next((a for a in event.attendees if me.is_me(a.email)), None)
    organizer = event.organizer or next((a.email for a in event.attendees if a.organizer), "")
    if mine is None or mine.organizer or (organizer and me.is_me(organizer)):
        return None
    others = tuple(a.name or a.email for a in event.attendees if not me.is_me(a.email))
    return Invitation(event.id, event.title, event.start, event.end, organizer, mine.response, others)
