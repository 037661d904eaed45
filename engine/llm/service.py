"""LLMService: the one facade the UI, CLI and assistant use for language models.

    answer = service.ask("What's on today?", feature="chat", on_token=print)
    task = service.structured(parts, TaskModel)
    choice = service.propose_tool(parts, registry)

Routing follows `RoutingPolicy` (local by default, cloud only when allowed). Every cloud call is
redacted first (placeholders restored locally, also in the stream) and writes one audit entry
(provider, model, tokens, estimated cost, redaction count, feature, outcome) — never content.

Threads: `ask`/`structured`/`propose_tool` block the calling thread (run them from a worker);
`on_token` is called on the runtime's owner thread for local answers and on the calling thread for
cloud answers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from engine.errors import LLMError
from engine.llm import prompts
from engine.llm.accounting import UsageLedger, estimate_cost
from engine.llm.budget import PromptParts, assemble, split_messages
from engine.llm.chat import ChatMessage
from engine.llm.cloud import CloudClient
from engine.llm.errors import (
    ApiKeyRejected,
    CloudError,
    CloudNotAllowed,
    ContextOverflow,
    GaveWay,
    LatencyBudgetExceeded,
    ModelUnavailable,
    StructuredOutputError,
)
from engine.llm.router import (
    CLOUD_FAILED,
    CONTEXT_OVERFLOW,
    LATENCY,
    LOCAL_FAILED,
    MODEL_MISSING,
    Route,
    RoutingPolicy,
)
from engine.llm.runtime import Completion, GenerationParams, LocalRuntime
from engine.llm.schema_fit import token_ceiling
from engine.llm.structured import generate_structured
from engine.llm.tools import DirectAnswer, ToolCall, ToolRegistry
from engine.privacy.pii import PiiRedactor
from models import AuditEntry

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
Request = str | PromptParts | Sequence[ChatMessage]
OnToken = Callable[[str], None]
_POLL_S = 0.02
#: The largest reply budget `structured` raises a caller's budget to, so that a bounded schema's reply is never cut
#: (beyond it the reserve would crowd the prompt out of a small context; `close_truncated` covers the rest).
STRUCTURED_CEILING_CAP = 1024


@dataclass(slots=True)
class Answer:
    """A finished answer and where it came from. `provider` is "local" or the cloud provider."""

    text: str
    model: str
    provider: str
    tokens_in: int = 0
    tokens_out: int = 0
    finish_reason: str = "stop"  # stop | length | cancelled
    context_version: int | None = None
    fallback_reason: str = ""  # "" or one of engine.llm.router's reasons
    cached_tokens: int = 0
    ttft_s: float = 0.0
    redactions: int = 0
    cost_usd: float = 0.0

    @property
    def is_local(self) -> bool:
        return self.provider == "local"


class LLMService:
    """Routes requests between the local runtime and an optional cloud client."""

    def __init__(self, *, runtime: LocalRuntime | None, cloud: CloudClient | None = None,
                 policy: RoutingPolicy = RoutingPolicy(), audit: Callable[[AuditEntry], None],
                 ledger: UsageLedger | None = None, contacts: Callable[[], Iterable[str]] = tuple,
                 organizations: Callable[[], Iterable[str]] = tuple, region: str = "",
                 system_prompt: str | None = None) -> None:
        self.runtime = runtime
        self.cloud = cloud
        self.policy = policy
        self._audit = audit
        self._ledger = ledger
        self._contacts = contacts
        self._organizations = organizations
        self._region = region  # the user's country, for phone numbers without a country code ("" = locale)
        self.system_prompt = system_prompt if system_prompt is not None else prompts.load("system_default")
        self._yielding: set[threading.Event] = set()  # stop events of background requests that give way
        self._yielding_lock = threading.Lock()

    # ---- model lifecycle ----------------------------------------------------------------------
    def load(self, on_progress: Callable[[float], None] | None = None) -> Future[None]:
        """Load the local model in the background (progress in [0, 1])."""
        return self._local_runtime().load(on_progress)

    def swap_model(self, path: str | Path, on_progress: Callable[[float], None] | None = None) -> Future[None]:
        """Switch the local model without a restart; queued requests finish on the old one."""
        return self._local_runtime().swap_model(path, on_progress)

    def _local_runtime(self) -> LocalRuntime:
        if self.runtime is None:
            raise ModelUnavailable("No local model is configured.",
                                   next_step="Add a GGUF model with `reflex-assistant models add PATH`.")
        return self.runtime

    # ---- asking ---------------------------------------------------------------------------------
    def parts(self, request: Request) -> PromptParts:
        """Normalise a request; a bare string gets the default system prompt."""
        if isinstance(request, PromptParts):
            return request
        if isinstance(request, str):
            return PromptParts(question=request, system=self.system_prompt)
        return split_messages(request)

    def ask(self, request: Request, *, feature: str = "chat", allow_cloud: bool = False,
            on_token: OnToken | None = None, cancel: threading.Event | None = None,
            params: GenerationParams | None = None) -> Answer:
        """Answer `request`, streaming pieces to `on_token`. Raises `LLMError` subclasses when no
        allowed route works (the message says what to do). A background request that yields stops first."""
        self._make_way()
        parts, params = self.parts(request), params or GenerationParams()
        route = self.policy.plan(feature, allow_cloud, self.cloud is not None)
        if route.primary == "cloud":
            try:
                return self._cloud(parts, params, feature, on_token, cancel, "")
            except ApiKeyRejected:
                raise
            except CloudError:
                if not route.local_fallback:
                    raise
                log.info("llm: cloud failed; answering locally")
                return replace(self._local(parts, params, on_token, cancel, 0.0),
                               fallback_reason=CLOUD_FAILED)
        try:
            return self._local(parts, params, on_token, cancel, route.latency_budget_s)
        except ModelUnavailable:
            reason = MODEL_MISSING
            if reason not in route.cloud_fallbacks:
                raise
        except ContextOverflow:
            reason = CONTEXT_OVERFLOW
            if reason not in route.cloud_fallbacks:
                raise
        except LatencyBudgetExceeded:
            reason = LATENCY
            if reason not in route.cloud_fallbacks:
                raise
        except LLMError:
            reason = LOCAL_FAILED
            if reason not in route.cloud_fallbacks:
                raise
        log.info("llm: falling back to the cloud (%s)", reason)
        return self._cloud(parts, params, feature, on_token, cancel, reason)

    # ---- local ----------------------------------------------------------------------------------
    def _local(self, parts: PromptParts, params: GenerationParams, on_token: OnToken | None,
               cancel: threading.Event | None, budget_s: float) -> Answer:
        runtime = self._local_runtime()
        stop_local = threading.Event()
        first = threading.Event()

        def on_text(text: str) -> None:
            first.set()
            if on_token is not None:
                on_token(text)

        fut = runtime.submit(parts, params, on_text=on_text, cancel=stop_local)
        started = time.monotonic()
        while True:
            try:
                done: Completion = fut.result(timeout=_POLL_S)
                break
            except TimeoutError:
                if cancel is not None and cancel.is_set():
                    stop_local.set()
                elif budget_s and not first.is_set() and time.monotonic() - started > budget_s:
                    stop_local.set()
                    fut.result()
                    raise LatencyBudgetExceeded(
                        f"The local model gave no answer within {budget_s:g} s.",
                        next_step="Use a smaller local model or raise the latency budget.") from None
        return Answer(done.text, done.model, "local", done.tokens_in, done.tokens_out,
                      done.finish_reason, parts.context_version, "", done.cached_tokens, done.ttft_s)

    # ---- cloud ----------------------------------------------------------------------------------
    def _cloud(self, parts: PromptParts, params: GenerationParams, feature: str,
               on_token: OnToken | None, cancel: threading.Event | None, reason: str) -> Answer:
        if self.cloud is None:
            raise CloudNotAllowed("No cloud model is configured.",
                                  next_step="Set one up in Settings > Cloud models.")
        redactor = PiiRedactor(list(self._contacts()), organizations=list(self._organizations()), region=self._region)
        messages = [ChatMessage(m.role, redactor.redact(m.content))
                    for m in assemble(parts, parts.history, sorted(parts.context, key=lambda c: -c.score))]
        restorer = redactor.restorer()

        def on_text(text: str) -> None:
            if on_token is not None and (shown := restorer.feed(text)):
                on_token(shown)

        outcome, tokens_in, tokens_out, cost = "error", 0, 0, 0.0
        try:
            reply = self.cloud.complete(messages, params, on_text=on_text, cancel=cancel)
            if on_token is not None and (tail := restorer.finish()):
                on_token(tail)
            outcome, tokens_in, tokens_out = reply.finish_reason, reply.tokens_in, reply.tokens_out
            cost = estimate_cost(self.cloud.model, tokens_in, tokens_out)
        except CloudError as exc:
            outcome = type(exc).__name__
            raise
        finally:
            self._audit(AuditEntry(action="cloud_call", target=self.cloud.provider, detail={
                "model": self.cloud.model, "feature": feature, "tokens_in": tokens_in,
                "tokens_out": tokens_out, "cost_usd": cost, "redactions": redactor.redactions,
                "outcome": outcome, "fallback_reason": reason}))
            if self._ledger is not None and tokens_in:
                self._ledger.record(self.cloud.provider, tokens_in, tokens_out, cost)
        return Answer(redactor.restore(reply.text), self.cloud.model, self.cloud.provider, tokens_in,
                      tokens_out, reply.finish_reason, parts.context_version, reason,
                      redactions=redactor.redactions, cost_usd=cost)

    # ---- structured output and tools ----------------------------------------------------------
    def _generator(self, feature: str, allow_cloud: bool, params: GenerationParams,
                   cancel: threading.Event | None = None) -> tuple[Callable[[PromptParts, str | None], str], bool]:
        """A `generate(parts, grammar)` for the route's first choice (no fallback: a grammar only
        exists locally, so switching provider mid-way would change the contract)."""
        route: Route = self.policy.plan(feature, allow_cloud, self.cloud is not None)
        if route.primary == "cloud":
            return (lambda p, _g: self._cloud(p, params, feature, None, cancel, "").text), False
        return ((lambda p, g: self._local(p, replace(params, grammar=g), None, cancel, 0.0).text),
                self._local_runtime().supports_grammar)

    def structured(self, request: Request, schema: type[M], *, feature: str = "structured",
                   allow_cloud: bool = False, params: GenerationParams | None = None, yields: bool = False) -> M:
        """A validated `schema` instance. Raises `StructuredOutputError` after one retry. When every string and
        list of `schema` is bounded, the token budget is raised to what its longest reply needs (never cut).

        `yields`: a background request (reading mail) that gives way to the user's: an `ask` arriving meanwhile
        stops it and it raises `GaveWay` (asked again, it waits behind the user's request in the runtime's queue),
        so a question is never kept waiting for seconds of background work."""
        params = params or GenerationParams(max_tokens=256, temperature=0.2)
        ceiling = token_ceiling(schema.model_json_schema())
        if ceiling is not None and params.max_tokens < ceiling <= STRUCTURED_CEILING_CAP:
            params = replace(params, max_tokens=ceiling)
        stop = threading.Event() if yields else None
        generate, grammar = self._generator(feature, allow_cloud, params, stop)
        if stop is None:  # the user's own request: background work gives way to it as to an `ask`
            self._make_way()
            return generate_structured(schema, self.parts(request), generate, use_grammar=grammar)
        with self._yielding_lock:
            self._yielding.add(stop)
        try:
            result = generate_structured(schema, self.parts(request), generate, use_grammar=grammar)
        except StructuredOutputError:
            if not stop.is_set():
                raise
        finally:
            with self._yielding_lock:
                self._yielding.discard(stop)
        if stop.is_set():  # even a reply that parses was cut short (truncated JSON is closed, not refused)
            raise GaveWay("A background request gave way to yours.")
        return result

    def _make_way(self) -> None:
        """Stop the background requests that yield (see `structured`)."""
        with self._yielding_lock:
            for stop in self._yielding:
                stop.set()

    def propose_tool(self, request: Request, registry: ToolRegistry, *, feature: str = "tools",
                     allow_cloud: bool = False) -> ToolCall | DirectAnswer:
        """Let the model choose one tool call (or answer directly); run it with `registry.execute`."""
        generate, grammar = self._generator(feature, allow_cloud,
                                            GenerationParams(max_tokens=256, temperature=0.2))
        return registry.propose(self.parts(request), generate, use_grammar=grammar)
