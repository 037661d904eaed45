"""Executive assistant intelligence (no Qt): strategic context, triage, commitments, briefing, dossiers,
scheduling. Deterministic extraction first; the LLM only where it adds value. Every output carries evidence.
"""

from engine.assistant.context import ContextPrefix, ContextService, Relationships, render_context
from engine.assistant.dates import DuePhrase, find_due
from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.triage import CATEGORIES, PRIORITIES, TriageEngine, TriageResult

__all__ = [
    "CATEGORIES", "ContextPrefix", "ContextService", "DuePhrase", "PRIORITIES", "Principal", "Relationships",
    "TriageEngine", "TriageResult", "find_due", "render_context", "resolve_principal",
]
