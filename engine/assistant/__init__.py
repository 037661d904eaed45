"""Executive assistant intelligence (no Qt): strategic context, triage, commitments, briefing, dossiers,
scheduling. Deterministic extraction first; the LLM only where it adds value. Every output carries evidence.

Every name below is imported on first use (PEP 562), never when the package itself is imported: this package
and engine.insights build on each other's modules, and the desktop app imports them lazily from several worker
threads at once; eager imports here would let two threads each hold half of that cycle (a "partially initialised
module" ImportError).
"""

from __future__ import annotations

import importlib

_WHERE = {
    "CommitmentLedger": "commitments", "Reminder": "commitments",
    "ContextPrefix": "context", "ContextService": "context", "Relationships": "context", "render_context": "context",
    "DuePhrase": "dates", "find_due": "dates",
    "BriefItem": "dossier", "Dossiers": "dossier", "MeetingDossier": "dossier", "PersonCard": "dossier",
    "Draft": "drafts", "DraftWriter": "drafts",
    "Principal": "identity", "resolve_principal": "identity",
    "Slot": "scheduling", "free_slots": "scheduling", "proposal_text": "scheduling", "propose_event": "scheduling",
    "propose_rsvp": "scheduling",
    "CATEGORIES": "triage", "PRIORITIES": "triage", "TriageEngine": "triage", "TriageResult": "triage",
    "UsageTracker": "usage", "usage_report": "usage",
    "Briefing": "briefing", "MeetingBrief": "briefing", "build_briefing": "briefing", "schedule_briefing": "briefing",
    "DecisionAnalyst": "decisions",
    "MeetingNotes": "meeting_notes", "MeetingNotesService": "meeting_notes", "link_calendar_event": "meeting_notes",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(importlib.import_module(f"engine.assistant.{_WHERE[name]}"), name)
    raise AttributeError(name)
