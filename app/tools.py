"""The model's tools, backed by the user's data: what `engine.llm.tools.ToolRegistry` runs for Chat and `act`.

Read tools (search_knowledge, list_events, get_thread, find_person) answer from the encrypted store and return
small JSON-able records; their results re-enter the prompt only as delimited, untrusted data. Write tools
(draft_email, create_event, create_task) never act: confirming the registry's pending action only files it in
`store.pending_actions`, where it waits for the user's click in Chat or `actions confirm` (`app.actions`).

`act(services, text)` is the whole flow: the model picks one tool (grammar-constrained JSON) or answers; a read
tool's result is turned into an answer; a write becomes a pending action described back to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from engine.llm.tools import (CreateEventArgs, CreateTaskArgs, DirectAnswer, DraftEmailArgs, FindPersonArgs,
                              GetThreadArgs, ListEventsArgs, PendingAction, SearchKnowledgeArgs, ToolCall,
                              ToolRegistry)

if TYPE_CHECKING:
    from app.services import Services

__all__ = ["ActOutcome", "act", "build_registry", "intended_tool", "is_action_request"]

#: Instructions to do something (rather than questions), by the write tool they ask for; first match wins.
#: Deliberately narrow: "Write an essay about robots" is a request for an answer, not for an email draft.
_INTENT_TOOLS = (
    (re.compile(r"^\s*(?:please\s+)?(?:(?:add|create|make)\s+(?:an?\s+)?(?:task|to-?do)|remind me)\b", re.I),
     "create_task"),
    (re.compile(r"^\s*(?:please\s+)?(?:schedule|book|set up|arrange|put)\b.*\b(?:meeting|call|calendar|event|"
                r"invite|sync|1:1|lunch|review)\b", re.I), "create_event"),
    (re.compile(r"^\s*(?:please\s+)?(?:(?:draft|write|compose)\s+(?:an?\s+|the\s+)?(?:e-?mail|reply|message|"
                r"note|follow-?up)|e-?mail\s+\S+@|reply to)\b", re.I), "draft_email"),
)


def is_action_request(text: str) -> bool:
    """"Draft a reply to Mark…", "Schedule a call with Li on Tuesday": True; "What did Li ask for?": False."""
    return bool(intended_tool(text))


def intended_tool(text: str) -> str:
    """The write tool `text` asks for, or "" (a question: Chat answers it from the user's data)."""
    return next((tool for pattern, tool in _INTENT_TOOLS if pattern.search(text)), "")


@dataclass(frozen=True, slots=True)
class ActOutcome:
    text: str  # what to show the user
    tool: str = ""  # the tool the model chose ("" = it answered directly)
    action_id: int | None = None  # the pending action a write tool filed


def build_registry(services: Services) -> ToolRegistry:
    store = services.store

    def search_knowledge(args: SearchKnowledgeArgs) -> list[dict[str, Any]]:
        return [{"title": h.chunk.title, "where": h.chunk.source_type, "text": h.chunk.text[:400]}
                for h in services.retriever.search(args.query, limit=args.limit)]

    def list_events(args: ListEventsArgs) -> list[dict[str, Any]]:
        start = datetime.combine(date.fromisoformat(args.start_date), time.min, services.tz)
        return [{"id": e.id, "title": e.title, "start": e.start.astimezone(services.tz).isoformat(timespec="minutes"),
                 "attendees": [a.name or a.email for a in e.attendees][:8]}
                for e in store.events.between(start, start + timedelta(days=args.days))]

    def get_thread(args: GetThreadArgs) -> list[dict[str, Any]]:
        first = int(args.thread_id) if args.thread_id.isdigit() else 0
        return [{"from": m.sender.name or m.sender.email, "subject": m.subject, "text": m.body_text[:800]}
                for m in services.thread_messages(first)] if first else []

    def find_person(args: FindPersonArgs) -> dict[str, Any]:
        from engine.assistant.context import Relationships
        from engine.assistant.dossier import Dossiers
        from engine.assistant.identity import resolve_principal

        principal = resolve_principal(store)
        card = Dossiers(store, principal, Relationships(store.contexts.latest(), principal)).person(args.name)
        return {"name": card.name, "email": card.email, "role": card.role, "relationship": card.relationship,
                "recent_threads": [t.title for t in card.recent_threads][:5]}

    def draft_email(args: DraftEmailArgs) -> int:
        return store.pending_actions.add("draft_email", {**args.model_dump(), "origin": "chat"})

    def create_event(args: CreateEventArgs) -> int:
        start = datetime.fromisoformat(args.start).replace(tzinfo=services.tz)
        return store.pending_actions.add("create_event", {
            "title": args.title, "start": start.isoformat(), "attendees": args.attendees, "origin": "chat",
            "end": (start + timedelta(minutes=args.duration_minutes)).isoformat()})

    def create_task(args: CreateTaskArgs) -> int:
        return store.pending_actions.add("create_task", {**args.model_dump(), "origin": "chat"})

    from engine.privacy import AuditLog

    return ToolRegistry({"search_knowledge": search_knowledge, "list_events": list_events, "get_thread": get_thread,
                         "find_person": find_person, "draft_email": draft_email, "create_event": create_event,
                         "create_task": create_task}, audit=AuditLog(store).sink())


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LEAD = re.compile(r"^\s*(?:please\s+|can you\s+|could you\s+)?(?:remind me to|add|create|make|schedule|book|set up|"
                   r"arrange|put)\s+(?:an?\s+)?(?:(?:task|to-?do)\s+(?:to\s+)?)?", re.I)


def _when(text: str, now: datetime) -> tuple[str, datetime] | None:
    """The first date/time phrase of `text` ("next Tuesday at 10:00"), resolved in the user's zone."""
    from dateparser.search import search_dates

    found = search_dates(text, languages=["en"], settings={
        "PREFER_DATES_FROM": "future", "RELATIVE_BASE": now.replace(tzinfo=None), "RETURN_AS_TIMEZONE_AWARE": False})
    return (found[0][0], found[0][1].replace(tzinfo=now.tzinfo)) if found else None


def _wording(text: str, when: tuple[str, datetime] | None) -> str:
    """The instruction as a title: without its leading verb and its date phrase."""
    title = _LEAD.sub("", text.replace(when[0], "") if when else text).strip(" .,;")
    return (title[:1].upper() + title[1:])[:200] or "Untitled"


def _grounded(call: ToolCall, text: str, now: datetime) -> ToolCall:
    """What the instruction states outright beats a small model's guess: its addresses, its date, and (for a task
    or an event) its wording. The model still writes what only it can (an email's subject and body)."""
    args, emails, name = call.arguments.model_dump(), _EMAIL.findall(text), call.tool.name
    when = _when(text, now) if name in ("create_event", "create_task") else None
    if name == "draft_email" and emails:
        args["to"] = emails
    elif name == "create_event":
        args.update(title=_wording(text, when), **({"attendees": emails} if emails else {}),
                    **({"start": when[1].strftime("%Y-%m-%dT%H:%M")} if when else {}))
    elif name == "create_task":
        args.update(title=_wording(text, when), **({"due_date": when[1].date().isoformat()} if when else {}))
    return ToolCall(call.tool, call.tool.args.model_validate(args))


def act(services: Services, text: str, *, allow_cloud: bool = False) -> ActOutcome:
    """Let the model act on `text` with the tools (see the module docstring); `allow_cloud` is the user's "ask cloud
    for this one" (the routing policy still applies). Worker thread; it waits for the model."""
    llm = services.llm_service
    wanted = intended_tool(text)
    registry = services.tool_registry.narrowed([wanted], allow_answer=False) if wanted else services.tool_registry
    now = datetime.now(services.tz)
    question = f"{text}\n\n(Now: {now:%A %Y-%m-%d %H:%M}, {services.tz}. Write dates as YYYY-MM-DD.)"
    choice = llm.propose_tool(services.context_service.parts(question), registry, feature="tools",
                              allow_cloud=allow_cloud)
    if isinstance(choice, DirectAnswer):
        return ActOutcome(choice.text)
    if isinstance(choice, ToolCall) and choice.tool.writes:
        choice = _grounded(choice, text, now)
    outcome = registry.execute(choice)
    if isinstance(outcome, PendingAction):
        action_id = int(outcome.confirm().data)  # files the proposal; the user's click does the rest
        return ActOutcome(f"Proposed: {outcome.describe()}. Nothing happens until you confirm it "
                          f"(Chat's action cards, or `reflex-assistant actions confirm {action_id}`).",
                          choice.tool.name, action_id)
    parts = services.context_service.parts(text, context=[outcome.as_context()])
    answer = llm.ask(parts, feature="tools", allow_cloud=allow_cloud)
    return ActOutcome(answer.text.strip() or "I found nothing to say about that.", choice.tool.name)
