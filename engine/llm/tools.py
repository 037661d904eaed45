"""A small registry of typed tools the model may call.

The model proposes exactly one call as grammar-constrained JSON (a discriminated union over the
offered tools plus `{"tool": "none", "answer": ...}`), validated by pydantic. Read tools run at
once; write tools return a `PendingAction` that only `confirm()` (a user click) executes.
Implementations are injected callables: this module never touches the store or the network.
Tool output re-enters prompts only through `ToolResult.as_context()`, i.e. inside the delimited,
"untrusted data" block of `context_question.txt`, never as instructions.
Thread-safety: a registry is immutable after construction; a PendingAction confirms at most once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, RootModel, create_model

from engine.llm import prompts
from engine.llm.budget import ContextItem, PromptParts, neutralize_data_delimiters
from engine.llm.errors import LLMError
from engine.llm.structured import Generate, generate_structured
from models import AuditEntry

# [0-9] rather than \d: llama.cpp's schema-to-grammar converter mistranslates \d.
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$"


class SearchKnowledgeArgs(BaseModel):
    query: str = Field(max_length=200, description="what to look for")
    limit: int = Field(default=5, ge=1, le=20)


class ListEventsArgs(BaseModel):
    start_date: str = Field(pattern=DATE, description="YYYY-MM-DD")
    days: int = Field(default=1, ge=1, le=31)


class GetThreadArgs(BaseModel):
    thread_id: str = Field(max_length=200)


class FindPersonArgs(BaseModel):
    name: str = Field(max_length=100)


class DraftEmailArgs(BaseModel):
    to: list[str] = Field(max_length=20)
    subject: str = Field(max_length=200)
    body: str = Field(max_length=4000)


class CreateEventArgs(BaseModel):
    title: str = Field(max_length=200)
    start: str = Field(pattern=DATETIME, description="YYYY-MM-DDTHH:MM")
    # A fixed set: llama.cpp's schema-to-grammar ignores integer bounds, so a range could not be enforced.
    duration_minutes: Literal[15, 30, 45, 60, 90, 120, 180, 240] = 30
    attendees: list[str] = Field(default_factory=list, max_length=50)


class CreateTaskArgs(BaseModel):
    title: str = Field(max_length=200)
    due_date: str | None = Field(default=None, pattern=DATE)


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    description: str
    args: type[BaseModel]
    writes: bool  # True: needs the user's confirmation before it runs


TOOLS: tuple[Tool, ...] = (
    Tool("search_knowledge", "Search the user's documents, mail and notes.", SearchKnowledgeArgs, False),
    Tool("list_events", "List calendar events from a date.", ListEventsArgs, False),
    Tool("get_thread", "Read one email thread by id.", GetThreadArgs, False),
    Tool("find_person", "Look up a contact or team member by name.", FindPersonArgs, False),
    Tool("draft_email", "Prepare an email draft (not sent).", DraftEmailArgs, True),
    Tool("create_event", "Create a calendar event.", CreateEventArgs, True),
    Tool("create_task", "Create a task.", CreateTaskArgs, True),
)


@dataclass(frozen=True, slots=True)
class ToolCall:
    tool: Tool
    arguments: BaseModel


@dataclass(frozen=True, slots=True)
class DirectAnswer:
    """The model chose to answer without a tool."""

    text: str


@dataclass(frozen=True, slots=True)
class ToolResult:
    tool: str
    data: Any

    def as_context(self) -> ContextItem:
        """The result as an untrusted, delimited context item for the next prompt."""
        body = self.data if isinstance(self.data, str) else json.dumps(self.data, default=str)
        body = neutralize_data_delimiters(body.replace("TOOL_RESULT>>>", "TOOL_RESULT>>"))
        return ContextItem(text=prompts.render("tool_result", name=self.tool, result=body),
                           score=1.0, source=f"tool:{self.tool}")


@dataclass(slots=True)
class PendingAction:
    """A write the model proposed. Nothing happens until `confirm()`; then it runs once."""

    call: ToolCall
    _run: Callable[[], ToolResult] = field(repr=False)
    state: str = "pending"  # pending | confirmed | cancelled
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def describe(self) -> str:
        """A human summary for the confirmation dialog."""
        return f"{self.call.tool.description} {self.call.arguments.model_dump_json()}"

    def confirm(self) -> ToolResult:
        with self._lock:
            if self.state != "pending":
                raise LLMError(f"This action was already {self.state}.", next_step="")
            self.state = "confirmed"
        return self._run()

    def cancel(self) -> None:
        with self._lock:
            if self.state == "pending":
                self.state = "cancelled"


class ToolRegistry:
    """Offers the tools that have an implementation. `implementations[name](args) -> data`."""

    def __init__(self, implementations: Mapping[str, Callable[[Any], Any]], *,
                 audit: Callable[[AuditEntry], None] | None = None) -> None:
        unknown = set(implementations) - {t.name for t in TOOLS}
        if unknown:
            raise ValueError(f"unknown tools: {sorted(unknown)}")
        self._impl = dict(implementations)
        self._audit = audit
        self.tools = [t for t in TOOLS if t.name in self._impl]
        self._proposal = _proposal_model(self.tools)

    def narrowed(self, names: Iterable[str], *, allow_answer: bool = True) -> ToolRegistry:
        """These tools limited to `names` (e.g. the one an instruction plainly asks for). Without `allow_answer`
        the model must call one of them: a small model then only fills in the arguments, which it does far more
        reliably than choosing among tools."""
        narrowed = ToolRegistry({n: self._impl[n] for n in names}, audit=self._audit)
        narrowed._proposal = _proposal_model(narrowed.tools, allow_answer=allow_answer)
        return narrowed

    def describe(self) -> str:
        lines = [f"- {t.name}{' (needs confirmation)' if t.writes else ''}: {t.description} "
                 f"arguments {json.dumps(t.args.model_json_schema().get('properties', {}))}"
                 for t in self.tools]
        return prompts.render("tool_choice", tools="\n".join(lines))

    def propose(self, parts: PromptParts, generate: Generate, *, use_grammar: bool) -> ToolCall | DirectAnswer:
        """Let the model pick a tool (or answer). Raises `StructuredOutputError` after one retry."""
        system = f"{parts.system}\n\n{self.describe()}" if parts.system else self.describe()
        chosen = generate_structured(self._proposal, PromptParts(
            question=parts.question, system=system, history=parts.history, context=parts.context),
            generate, use_grammar=use_grammar)
        chosen = getattr(chosen, "root", chosen)  # a union comes wrapped in its RootModel
        if chosen.tool == "none":
            return DirectAnswer(chosen.answer)
        tool = next(t for t in self.tools if t.name == chosen.tool)
        return ToolCall(tool, chosen.arguments)

    def execute(self, call: ToolCall) -> ToolResult | PendingAction:
        """Run a read tool now; wrap a write tool in a PendingAction."""
        def run() -> ToolResult:
            if self._audit:
                self._audit(AuditEntry(action="tool", target=call.tool.name,
                                       detail={"writes": call.tool.writes}))
            return ToolResult(call.tool.name, self._impl[call.tool.name](call.arguments))
        return PendingAction(call, run) if call.tool.writes else run()


def _proposal_model(tools: list[Tool], *, allow_answer: bool = True) -> type[BaseModel]:
    """Discriminated union: one variant per tool (+ a direct answer), keyed by "tool"; a lone variant as itself
    (llama.cpp's grammar converter cannot follow a root-level $ref)."""
    variants: list[type[BaseModel]] = [
        create_model(f"Call_{t.name}", tool=(Literal[t.name], ...), arguments=(t.args, ...))
        for t in tools]
    if allow_answer:
        variants.append(create_model("Answer", tool=(Literal["none"], ...),
                                     answer=(str, Field(max_length=2000))))
    if len(variants) == 1:
        return variants[0]
    union = Annotated[Union[tuple(variants)], Field(discriminator="tool")]  # noqa: UP007
    return RootModel[union]  # type: ignore[valid-type]
