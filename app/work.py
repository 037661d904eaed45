"""The app side of #18's scheduling, people, Slack and Asana pages (`ui.work_port.WorkPort`): each member is
one engine call with the app's store, zone and working hours filled in, so windows never reach the store.

Threads: everything but `execute_action` reads or writes the store (the store worker); `execute_action` talks
to the provider (the IO pool).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from engine.usecases.carrying_out import carry_out
from engine.usecases.people import Person, StakeholderDossier, people, stakeholder_dossier
from engine.usecases.scheduling import Invitation, MeetingTarget, Scheduling, Suggestion
from engine.usecases.workspace_items import find_tasks, propose_slack_reply

if TYPE_CHECKING:
    from engine.assistant.scheduling import Slot
    from models.tasks import Task

__all__ = ["Work"]


class Work:
    """Built once by `Services.work`; `services` gives the store, settings, providers and usage figures."""

    def __init__(self, services: Any) -> None:
        self._services = services

    @property
    def tz(self) -> tzinfo:
        return self._services.tz

    def _scheduling(self) -> Scheduling:
        # Built per call: the zone and working hours are settings the user may have just changed.
        return Scheduling(self._services.store, tz=self.tz, working_hours=self._services.settings.working_hours)

    # -- scheduling ---------------------------------------------------------------------------------------
    def meeting_target(self, origin: str, ref: str, name: str = "") -> MeetingTarget:
        scheduling = self._scheduling()
        if origin == "thread":
            return scheduling.for_thread(int(ref))
        if origin == "commitment":
            return scheduling.for_commitment(int(ref))
        return scheduling.for_person(ref, name)

    def free_slots(self, attendees: list[str], *, minutes: int, days: int) -> Suggestion:
        return self._scheduling().suggest(attendees, minutes=minutes, days=days)

    def propose_meeting(self, target: MeetingTarget, slot: "Slot", *, title: str, attendees: list[str]) -> int:
        return self._scheduling().propose_meeting(target, slot, title=title, attendees=attendees)

    def invitations(self) -> list[Invitation]:
        return self._scheduling().invitations()

    def invitation_for_message(self, message_id: int) -> Invitation | None:
        return self._scheduling().invitation_for_message(message_id)

    def rsvp(self, event_id: int, response: str, *, note: str = "") -> int:
        return self._scheduling().rsvp(event_id, response, note=note)

    # -- people, Slack and tasks -------------------------------------------------------------------------
    def people(self, query: str = "") -> list[Person]:
        return people(self._services.store, query)

    def dossier(self, who: str) -> StakeholderDossier:
        return stakeholder_dossier(self._services.store, who)

    def propose_slack_reply(self, message_id: int, text: str) -> int:
        return propose_slack_reply(self._services.store, message_id, text)

    def tasks(self, query: str = "", *, open_only: bool = True) -> "list[Task]":
        return find_tasks(self._services.store, query, open_only=open_only)

    # -- the pending action just proposed ----------------------------------------------------------------
    def pending_action(self, action_id: int) -> "tuple[str, dict[str, Any]] | None":
        action = self._services.store.pending_actions.get(action_id)  # None once decided
        return (action.kind, action.payload) if action is not None else None

    def execute_action(self, action_id: int) -> str:
        return carry_out(self._services.store, self._services.providers, action_id, usage=self._services.usage)

    def reject_action(self, action_id: int) -> None:
        self._services.store.pending_actions.decide(action_id, "rejected")
