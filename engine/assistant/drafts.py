"""Follow-up drafts and other proposed side effects, always as pending actions (never sent or created here).

Payloads match the LLM tool schemas in `engine.llm.tools` (`draft_email`: to/subject/body; `create_event`:
title/start/duration_minutes/attendees) so one confirmation path executes all of them. Extra keys (`origin`,
`ref`) say which feature proposed it and for which record, which also de-duplicates proposals.

Wording: a fixed template by default (works offline, with no model). When a `DraftWriter` with an LLM is given,
the model rewrites the template's body in the user's voice; any failure falls back to the template, so a small
or missing model never blocks a draft.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from engine.errors import EngineError
from engine.llm import prompts
from engine.llm.budget import PromptParts
from engine.store import Store

log = logging.getLogger(__name__)


class _Asks(Protocol):  # the part of engine.llm.service.LLMService this module uses
    def ask(self, request: Any, *, feature: str = ..., **kwargs: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class Draft:
    to: list[str]
    subject: str
    body: str


class DraftWriter:
    """Turns a template draft into final wording; `llm=None` keeps the template."""

    def __init__(self, llm: _Asks | None = None, *, system: str = "") -> None:
        self.llm = llm
        self.system = system

    def write(self, draft: Draft, *, purpose: str) -> Draft:
        if self.llm is None:
            return draft
        question = prompts.render("intel_draft", purpose=purpose, draft=draft.body)
        try:
            answer = self.llm.ask(PromptParts(question=question, system=self.system), feature="drafts")
        except EngineError as err:
            log.info("drafts: model unavailable (%s); using the template", type(err).__name__)
            return draft
        text = (getattr(answer, "text", "") or "").strip()
        # A tiny model may ramble or echo the prompt: keep its text only if it looks like a short email.
        if len(text) < 20 or len(text) > 1200 or "Purpose:" in text or "Draft:" in text:
            return draft
        return Draft(draft.to, draft.subject, text)


def propose(store: Store, kind: str, payload: dict[str, Any], *, origin: str, ref: str) -> int | None:
    """Add a pending action unless one for the same (origin, ref) is still pending; returns its id or None."""
    for _, existing_kind, existing in store.pending_actions.pending():
        if existing_kind == kind and existing.get("origin") == origin and existing.get("ref") == ref:
            return None
    return store.pending_actions.add(kind, {**payload, "origin": origin, "ref": ref})


def propose_email(store: Store, draft: Draft, *, origin: str, ref: str) -> int | None:
    return propose(store, "draft_email", {"to": draft.to, "subject": draft.subject, "body": draft.body},
                   origin=origin, ref=ref)
