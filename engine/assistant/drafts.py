"""Follow-up drafts and other proposed side effects, always as pending actions (never sent or created here).

Payloads match the LLM tool schemas in `engine.llm.tools` (`draft_email`: to/subject/body; `create_event`:
title/start/duration_minutes/attendees) so one confirmation path executes all of them. Extra keys (`origin`,
`ref`) say which feature proposed it and for which record, which also de-duplicates proposals.

Wording: a fixed template (works offline, with no model); the user edits it before confirming.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.store import Store


@dataclass(frozen=True, slots=True)
class Draft:
    to: list[str]
    subject: str
    body: str


def propose(store: Store, kind: str, payload: dict[str, Any], *, origin: str, ref: str) -> int | None:
    """Add a pending action unless one for the same (origin, ref) is still pending; returns its id or None."""
    for action in store.pending_actions.pending():
        if action.kind == kind and action.payload.get("origin") == origin and action.payload.get("ref") == ref:
            return None
    return store.pending_actions.add(kind, {**payload, "origin": origin, "ref": ref})


def propose_email(store: Store, draft: Draft, *, origin: str, ref: str) -> int | None:
    return propose(store, "draft_email", {"to": draft.to, "subject": draft.subject, "body": draft.body},
                   origin=origin, ref=ref)
