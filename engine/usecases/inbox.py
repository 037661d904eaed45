"""Inbox rows: each message with its stored triage verdict and whether it is evidence for a sales opportunity.

Reads only (triage verdicts are written by `engine.assistant.triage.TriageEngine`, run in the background on new
mail). Threads: the store worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.store import Store
from engine.store.repos.mail import MessageSummary
from engine.store.repos.triage import TriageRow

__all__ = ["InboxRow", "inbox_rows"]


@dataclass(slots=True)
class InboxRow:
    """One inbox line: the message, its stored triage verdict (None until triaged) and whether it is evidence
    for a sales opportunity (the "opportunity" tag)."""

    message: MessageSummary
    triage: TriageRow | None
    opportunity: str = ""  # the account name, or ""


def inbox_rows(store: Store, limit: int = 500) -> tuple[list[InboxRow], list[str]]:
    """The newest `limit` messages with their triage verdicts and opportunity tags, plus the account keys."""
    verdicts = {row.message_id: row for row in store.triage.all()}
    deals = {e.source_id: o.account for o in store.opportunities.list() for e in o.evidence if e.source_type == "email"}
    rows = [InboxRow(m, verdicts.get(m.id), deals.get(m.id, "")) for m in store.messages.recent(limit=limit)]
    return rows, [a.key for a in store.accounts.all()]
