"""Executive assistant intelligence (no Qt): strategic context, triage, commitments, dossiers, decisions,
meeting notes, scheduling. Deterministic extraction first; the LLM only where it adds value. Every output
carries evidence.

This package never imports engine.insights or engine.usecases (which build on it), so importing it from any
thread is safe: there is no circle for two threads to hold half of.
"""

from engine.assistant.commitments import CommitmentLedger, Reminder
from engine.assistant.context import ContextPrefix, ContextService, Relationships, render_context
from engine.assistant.dates import DuePhrase, find_dates, find_due
from engine.assistant.decisions import DecisionAnalyst
from engine.assistant.dossier import BriefItem, Dossiers, MeetingDossier, PersonCard
from engine.assistant.drafts import Draft
from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.meeting_notes import MeetingNotes, MeetingNotesService, link_calendar_event
from engine.assistant.money import Money, find_amounts
from engine.assistant.scheduling import Slot, free_slots, proposal_text, propose_event, propose_rsvp
from engine.assistant.triage import CATEGORIES, PRIORITIES, TriageEngine, TriageResult
from engine.assistant.usage import UsageTracker, usage_report

__all__ = [
    "BriefItem", "CATEGORIES", "CommitmentLedger", "ContextPrefix", "ContextService", "DecisionAnalyst", "Dossiers",
    "Draft", "DuePhrase", "MeetingDossier", "MeetingNotes", "MeetingNotesService", "Money",
    "PRIORITIES", "PersonCard", "Principal", "Relationships", "Reminder", "Slot", "TriageEngine", "TriageResult",
    "UsageTracker", "find_amounts", "find_dates", "find_due", "free_slots", "link_calendar_event", "proposal_text",
    "propose_event", "propose_rsvp", "render_context", "resolve_principal", "usage_report",
]
