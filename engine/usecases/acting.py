"""Acting on an instruction, and the model's tools over the user's data (what `ToolRegistry` runs for Chat and
`reflex-assistant act`).

An instruction to do something ("draft a reply to Mark…", "put a call with Li on Tuesday 10:00") is grounded in
the user's data (`engine.assistant.act_grounding`: people from the store, times and repeats from the instruction,
replies in their thread) and becomes a pending action, or a question back when something is ambiguous or missing;
the model never invents its arguments. Anything else goes to the model, which picks a read tool
(grammar-constrained JSON) or answers; a read tool's result is turned into an answer.

Read tools (search_knowledge, list_events, get_thread, find_person) answer from the encrypted store and return
small JSON-able records; their results re-enter the prompt only as delimited, untrusted data. Write tools
(draft_email, create_event, create_task) never act: they only file a pending action, which waits for the user's
confirmation (`engine.usecases.carrying_out`).

Collaborators that settings can swap (the LLM service, the retriever, the chat model's tier) are passed as
callables and looked up per instruction. Threads: a worker; `act` may wait for the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from engine.assistant.act_grounding import Clarification, Proposal, Workspace, ground
from engine.assistant.context import ContextService, Relationships
from engine.assistant.dossier import Dossiers
from engine.assistant.identity import resolve_principal
from engine.assistant.instructions import parse_instruction
from engine.llm import LLMService
from engine.llm.capability import Tier
from engine.llm.tools import (CreateEventArgs, CreateTaskArgs, DirectAnswer, DraftEmailArgs, FindPersonArgs,
                              GetThreadArgs, ListEventsArgs, SearchKnowledgeArgs, ToolRegistry, ToolResult)
from engine.privacy import AuditLog
from engine.retrieval.search import Retriever
from engine.store import Store
from engine.usecases.act_drafts import reword_draft
from models import Message

__all__ = ["ActOutcome", "Acting", "is_action_request", "thread_messages"]


def is_action_request(text: str) -> bool:
    """"Draft a reply to Mark…", "Schedule a call with Li on Tuesday": True; "What did Li ask for?": False."""
    return parse_instruction(text) is not None


@dataclass(frozen=True, slots=True)
class ActOutcome:
    text: str  # what to show the user
    tool: str = ""  # the tool the model chose ("" = it answered directly)
    action_id: int | None = None  # the pending action a write tool filed


def thread_messages(store: Store, message_id: int) -> list[Message]:
    """Every message of the thread that `message_id` belongs to, oldest first."""
    return [m for mid in store.messages.thread_of(message_id) if (m := store.messages.get(mid)) is not None]


class Acting:
    """`act(text)` and the tool registry, over one store."""

    def __init__(self, *, store: Store, tz: Callable[[], tzinfo], llm: Callable[[], LLMService],
                 retriever: Callable[[], Retriever], embedder: Callable[[], Any], tier: Callable[[], Tier],
                 context: ContextService) -> None:
        self.store, self._tz, self._llm, self._retriever = store, tz, llm, retriever
        self._embedder, self._tier, self._context = embedder, tier, context
        self.registry = self._build_registry()

    def _build_registry(self) -> ToolRegistry:
        store = self.store

        def search_knowledge(args: SearchKnowledgeArgs) -> list[dict[str, Any]]:
            return [{"title": h.chunk.title, "where": h.chunk.source_type, "text": h.chunk.text[:400]}
                    for h in self._retriever().search(args.query, limit=args.limit)]

        def list_events(args: ListEventsArgs) -> list[dict[str, Any]]:
            tz = self._tz()
            start = datetime.combine(date.fromisoformat(args.start_date), time.min, tz)
            return [{"id": e.id, "title": e.title, "start": e.start.astimezone(tz).isoformat(timespec="minutes"),
                     "attendees": [a.name or a.email for a in e.attendees][:8]}
                    for e in store.events.between(start, start + timedelta(days=args.days))]

        def get_thread(args: GetThreadArgs) -> list[dict[str, Any]]:
            first = int(args.thread_id) if args.thread_id.isdigit() else 0
            return [{"from": m.sender.name or m.sender.email, "subject": m.subject, "text": m.body_text[:800]}
                    for m in thread_messages(store, first)] if first else []

        def find_person(args: FindPersonArgs) -> dict[str, Any]:
            principal = resolve_principal(store)
            card = Dossiers(store, principal, Relationships(store.contexts.latest(), principal)).person(args.name)
            return {"name": card.name, "email": card.email, "role": card.role, "relationship": card.relationship,
                    "recent_threads": [t.title for t in card.recent_threads][:5]}

        def draft_email(args: DraftEmailArgs) -> int:
            return store.pending_actions.add("draft_email", {**args.model_dump(), "origin": "chat"})

        def create_event(args: CreateEventArgs) -> int:
            start = datetime.fromisoformat(args.start).replace(tzinfo=self._tz())
            return store.pending_actions.add("create_event", {
                "title": args.title, "start": start.isoformat(), "attendees": args.attendees, "origin": "chat",
                "end": (start + timedelta(minutes=args.duration_minutes)).isoformat()})

        def create_task(args: CreateTaskArgs) -> int:
            return store.pending_actions.add("create_task", {**args.model_dump(), "origin": "chat"})

        return ToolRegistry({"search_knowledge": search_knowledge, "list_events": list_events,
                             "get_thread": get_thread, "find_person": find_person, "draft_email": draft_email,
                             "create_event": create_event, "create_task": create_task}, audit=AuditLog(store).sink())

    def _worded(self, found: Proposal, text: str, now: datetime) -> Proposal:
        """A mail proposal reworded by a chat model measured at the rephrase tier (each sentence verified); an
        evidence-only model is not asked, so its grounded wording stands."""
        if found.kind != "draft_email" or self._tier() < Tier.REPHRASE:
            return found
        answered = self.store.messages.get(int(found.payload["in_reply_to"])) if found.payload.get("in_reply_to") \
            else None
        return reword_draft(found, llm=self._llm(), embedder=self._embedder(), instruction=text,
                            answered=answered.body_text if answered is not None else "", now=now)

    def act(self, text: str, *, allow_cloud: bool = False) -> ActOutcome:
        """Act on `text` (see the module docstring); `allow_cloud` is the user's "ask cloud for this one" (the
        routing policy still applies)."""
        tz = self._tz()
        now = datetime.now(tz)
        found = ground(text, now=now, workspace=Workspace.from_store(self.store, now))
        if isinstance(found, Clarification):
            return ActOutcome(found.question)
        if found is not None:
            found = self._worded(found, text, now)
            action_id = self.store.pending_actions.add(found.kind, {**found.payload, "summary": found.summary,
                                                                    "origin": "chat"})
            body = f"\n\n{found.payload['body']}" if found.payload.get("body") else ""  # what would be saved
            return ActOutcome(f"Proposed: {found.summary}. Nothing happens until you confirm it (Chat's action cards, "
                              f"or `reflex-assistant actions confirm {action_id}`).{body}", found.kind, action_id)
        llm = self._llm()
        question = f"{text}\n\n(Now: {now:%A %Y-%m-%d %H:%M}, {tz}. Write dates as YYYY-MM-DD.)"
        # Not an instruction: the model may only read (a write it chose would carry arguments nobody gave it).
        registry = self.registry.narrowed([t.name for t in self.registry.tools if not t.writes])
        choice = llm.propose_tool(self._context.parts(question), registry, feature="tools", allow_cloud=allow_cloud)
        if isinstance(choice, DirectAnswer):
            return ActOutcome(choice.text)
        outcome = registry.execute(choice)
        assert isinstance(outcome, ToolResult)  # read tools run at once
        parts = self._context.parts(text, context=[outcome.as_context()])
        answer = llm.ask(parts, feature="tools", allow_cloud=allow_cloud)
        return ActOutcome(answer.text.strip() or "I found nothing to say about that.", choice.tool.name)
