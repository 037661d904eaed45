"""`WorkPort`: what the scheduling dialog, the RSVP buttons, the People and Tasks pages and the Slack reply ask of
the app — one narrow protocol, reached as `services.work` (the app's `app.work.Work`).

Every member blocks on the store (or, for `execute_action`, the network): call them from the task runner's
workers — the store worker, except `execute_action` on the IO pool — and render on the GUI thread. Engine and
model types cross as they are. Every write here only *proposes*: it adds a pending action and returns its id;
nothing happens at a provider until the user confirms it (`execute_action`).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from engine.assistant.scheduling import Slot
    from engine.usecases.people import Person, StakeholderDossier
    from engine.usecases.scheduling import Invitation, MeetingTarget, Suggestion
    from models.tasks import Task

__all__ = ["WorkPort"]


class WorkPort(Protocol):
    @property
    def tz(self) -> tzinfo:
        """The user's zone: every time shown."""

    # -- scheduling ---------------------------------------------------------------------------------------
    def meeting_target(self, origin: str, ref: str, name: str = "") -> "MeetingTarget":
        """Who and what a meeting started from `origin` (person | thread | commitment) and `ref` (an address, a
        message id, a commitment id) is about. KeyError when the thread or commitment is gone."""

    def free_slots(self, attendees: list[str], *, minutes: int, days: int) -> "Suggestion": ...

    def propose_meeting(self, target: "MeetingTarget", slot: "Slot", *, title: str, attendees: list[str]) -> int:
        """A pending create_event; its action id."""

    def invitations(self) -> "list[Invitation]":
        """Upcoming invitations still waiting on the user's answer."""

    def invitation_for_message(self, message_id: int) -> "Invitation | None": ...

    def rsvp(self, event_id: int, response: str, *, note: str = "") -> int:
        """A pending rsvp (accepted | tentative | declined); its action id."""

    # -- people, Slack and tasks -------------------------------------------------------------------------
    def people(self, query: str = "") -> "list[Person]": ...
    def dossier(self, who: str) -> "StakeholderDossier": ...

    def propose_slack_reply(self, message_id: int, text: str) -> int:
        """A pending Slack thread reply; its action id."""

    def tasks(self, query: str = "", *, open_only: bool = True) -> "list[Task]": ...

    # -- the pending action just proposed ----------------------------------------------------------------
    def pending_action(self, action_id: int) -> "tuple[str, dict[str, Any]] | None":
        """(kind, payload) of a still-pending action, or None once decided."""

    def execute_action(self, action_id: int) -> str:
        """Carry out the action the user confirmed; what happened, in words. IO pool."""

    def reject_action(self, action_id: int) -> None: ...
