"""Executive assistant intelligence (no Qt): strategic context, triage, commitments, briefing, dossiers,
scheduling. Deterministic extraction first; the LLM only where it adds value. Every output carries evidence.
"""

from engine.assistant.commitments import CommitmentLedger, Reminder
from engine.assistant.context import ContextPrefix, ContextService, Relationships, render_context
from engine.assistant.dates import DuePhrase, find_due
from engine.assistant.dossier import BriefItem, Dossiers, MeetingDossier, PersonCard
from engine.assistant.drafts import Draft, DraftWriter
from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.scheduling import Slot, free_slots, proposal_text, propose_event, propose_rsvp
from engine.assistant.triage import CATEGORIES, PRIORITIES, TriageEngine, TriageResult
from engine.assistant.usage import UsageTracker, usage_report

__all__ = [
    "BriefItem", "Briefing", "CATEGORIES", "CommitmentLedger", "ContextPrefix", "ContextService", "Dossiers",
    "Draft", "DraftWriter", "DuePhrase", "MeetingBrief", "MeetingDossier", "PRIORITIES", "PersonCard", "Principal",
    "Relationships", "Reminder", "TriageEngine", "TriageResult", "build_briefing", "find_due", "render_context",
    "resolve_principal", "schedule_briefing", "Slot", "free_slots", "proposal_text", "propose_event", "propose_rsvp",
    "UsageTracker", "usage_report", "DecisionAnalyst", "MeetingNotes", "MeetingNotesService", "link_calendar_event",
]

_LAZY = {
    "Briefing": "briefing", "MeetingBrief": "briefing", "build_briefing": "briefing", "schedule_briefing": "briefing",
    "DecisionAnalyst": "decisions", "MeetingNotes": "meeting_notes", "MeetingNotesService": "meeting_notes",
    "link_calendar_event": "meeting_notes",
}


def __getattr__(name: str) -> object:
    # Briefing, decisions and meeting notes compose engine.insights / engine.llm, which build on this package:
    # import them lazily so `import engine.insights` first does not meet a half-initialised engine.assistant.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"engine.assistant.{_LAZY[name]}"), name)
    raise AttributeError(name)
