"""Executive assistant intelligence (no Qt): strategic context, triage, commitments, briefing, dossiers,
scheduling. Deterministic extraction first; the LLM only where it adds value. Every output carries evidence.
"""

from engine.assistant.commitments import CommitmentLedger, Reminder
from engine.assistant.context import ContextPrefix, ContextService, Relationships, render_context
from engine.assistant.dates import DuePhrase, find_due
from engine.assistant.dossier import BriefItem, Dossiers, MeetingDossier, PersonCard
from engine.assistant.drafts import Draft, DraftWriter
from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.triage import CATEGORIES, PRIORITIES, TriageEngine, TriageResult

__all__ = [
    "BriefItem", "Briefing", "CATEGORIES", "CommitmentLedger", "ContextPrefix", "ContextService", "Dossiers",
    "Draft", "DraftWriter", "DuePhrase", "MeetingBrief", "MeetingDossier", "PRIORITIES", "PersonCard", "Principal",
    "Relationships", "Reminder", "TriageEngine", "TriageResult", "build_briefing", "find_due", "render_context",
    "resolve_principal", "schedule_briefing",
]


def __getattr__(name: str) -> object:
    # The briefing composes engine.insights, which itself builds on this package: import it lazily so
    # `import engine.insights` first does not meet a half-initialised engine.assistant.
    if name in ("Briefing", "MeetingBrief", "build_briefing", "schedule_briefing"):
        from engine.assistant import briefing

        return getattr(briefing, name)
    raise AttributeError(name)
