"""Strategic context: versioned records, the stable prompt prefix, and relationship lookups for scoring.

The rendered prefix is a pure function of one saved version, so the same version always yields the same
bytes; it goes first in every prompt (after the fixed instructions) and llama.cpp reuses its KV cache for it.
`ContextService.parts()` stamps `PromptParts.context_version`, so each answer names the version that shaped it.
Thread-safety: the prefix cache is guarded by a lock; the store serialises its own access.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Sequence

from engine.assistant.identity import Principal
from engine.assistant.text import normalize_name
from engine.llm import prompts
from engine.llm.budget import ContextItem, PromptParts
from engine.llm.chat import ChatMessage
from engine.store import Store
from models import StrategicContext, TeamMember


def render_context(ctx: StrategicContext) -> str:
    """The context as prompt text. Deterministic: same version in, same bytes out."""
    team = "\n".join(
        f"- {m.name}: {m.role or 'team member'}" + (f", {m.team}" if m.team else "")
        + (f", reports to {m.reports_to}" if m.reports_to else "")
        for m in ctx.team
    )
    bullets = lambda items: "\n".join(f"- {i}" for i in items) or "- (none)"  # noqa: E731
    return prompts.render(
        "intel_context", version=ctx.version if ctx.version is not None else "draft", values=bullets(ctx.values),
        goals=bullets(ctx.goals), priorities=bullets(ctx.priorities),
        key_accounts=", ".join(ctx.key_accounts) or "(none)", board=", ".join(ctx.board) or "(none)",
        team=team or "- (none)",
    )


@dataclass(frozen=True, slots=True)
class ContextPrefix:
    """The system prompt for intelligence features and the context version it contains (None: no context)."""

    text: str
    version: int | None


class ContextService:
    """Saves context versions and renders the cached prefix for prompts."""

    def __init__(self, store: Store, *, instructions: str | None = None) -> None:
        self._store = store
        self._instructions = instructions if instructions is not None else prompts.load("system_default")
        self._cache: dict[int | None, ContextPrefix] = {}
        self._lock = threading.Lock()

    def current(self) -> StrategicContext | None:
        return self._store.contexts.latest()

    def get(self, version: int) -> StrategicContext | None:
        return self._store.contexts.get(version)

    def save(self, ctx: StrategicContext) -> int:
        """Save a new version unless it equals the latest one (then return that version: no churn)."""
        latest = self.current()
        if latest is not None and _content(latest) == _content(ctx):
            ctx.version = latest.version
            return latest.version  # type: ignore[return-value]
        return self._store.contexts.save(ctx)

    def prefix(self, version: int | None = None) -> ContextPrefix:
        """System prompt = instructions + rendered context (`version` or the latest)."""
        ctx = self.get(version) if version is not None else self.current()
        key = ctx.version if ctx else None
        with self._lock:
            if key not in self._cache:
                text = self._instructions if ctx is None else f"{self._instructions}\n\n{render_context(ctx)}"
                self._cache[key] = ContextPrefix(text, key)
            return self._cache[key]

    def parts(self, question: str, *, history: Sequence[ChatMessage] = (), context: Sequence[ContextItem] = (),
              version: int | None = None) -> PromptParts:
        """Prompt parts with the stable prefix first and the version recorded for the answer."""
        pre = self.prefix(version)
        return PromptParts(question=question, system=pre.text, history=tuple(history), context=tuple(context),
                           context_version=pre.version)


def _content(ctx: StrategicContext) -> dict:
    data = asdict(ctx)
    data.pop("version", None)
    data.pop("created_at", None)
    return data


class Relationships:
    """Who someone is to the user, from the roster, key accounts and board list of one context version.

    `kind(email, org)` returns one of: me, direct_report, manager, team, board, key_account, unknown.
    """

    def __init__(self, ctx: StrategicContext | None, principal: Principal) -> None:
        self.ctx = ctx or StrategicContext()
        self.principal = principal
        self._by_email = {m.email.lower(): m for m in self.ctx.team if m.email}
        self._by_name = {m.name.lower(): m for m in self.ctx.team if m.name}
        me = next((self._by_email[e] for e in principal.emails if e in self._by_email), None)
        self.me: TeamMember | None = me or self._by_name.get(principal.name.lower())
        self._accounts = {normalize_name(a): a for a in self.ctx.key_accounts if normalize_name(a)}
        self._vendors = {normalize_name(v): v for v in self.ctx.vendors if normalize_name(v)}
        self._kinds: dict[tuple[str, str, str], str] = {}
        self._board = {b.strip().lower() for b in self.ctx.board if b.strip()}
        domains = {e.split("@", 1)[1] for e in [*self._by_email, *principal.emails] if "@" in e}
        self.company_domains = frozenset(domains)

    def member(self, email_or_name: str) -> TeamMember | None:
        key = (email_or_name or "").strip().lower()
        return self._by_email.get(key) or self._by_name.get(key)

    def is_direct_report(self, email_or_name: str) -> bool:
        member = self.member(email_or_name)
        if member is None or self.me is None:
            return False
        boss = member.reports_to.strip().lower()
        return bool(boss) and boss in {self.me.name.lower(), self.me.email.lower(), *self.principal.emails}

    def is_manager(self, email_or_name: str) -> bool:
        member = self.member(email_or_name)
        return bool(member and self.me and self.me.reports_to and
                    self.me.reports_to.lower() in (member.name.lower(), member.email.lower()))

    def is_internal(self, email: str) -> bool:
        email = (email or "").lower()
        return email in self._by_email or ("@" in email and email.split("@", 1)[1] in self.company_domains)

    def is_board(self, email: str, name: str = "") -> bool:
        return bool(self._board & {(email or "").lower(), (name or "").lower()})

    def key_account(self, email: str, org: str = "") -> str:
        """The key account's name this address or organisation belongs to, else ""."""
        return _named(self._accounts, email, org)

    def vendor(self, email: str, org: str = "") -> str:
        """The confirmed vendor's name this address or organisation belongs to, else ""."""
        return _named(self._vendors, email, org)

    def kind(self, email: str, name: str = "", org: str = "") -> str:
        """Memoised: a pure function of this context version, asked for every participant of every message."""
        key = (email, name, org)
        found = self._kinds.get(key)
        if found is None:
            found = self._kinds[key] = self._kind(email, name, org)
        return found

    def _kind(self, email: str, name: str, org: str) -> str:
        if self.principal.is_me(email):
            return "me"
        if self.is_board(email, name):
            return "board"
        if self.is_direct_report(email) or self.is_direct_report(name):
            return "direct_report"
        if self.is_manager(email):
            return "manager"
        if self.is_internal(email):
            return "team"
        if self.key_account(email, org):
            return "key_account"
        return "unknown"


def _named(names: dict[str, str], email: str, org: str) -> str:
    """The entry of `names` (normalised -> display) that `org` or the address's domain names, else ""."""
    candidates = [normalize_name(org)] if org else []
    if "@" in (email or ""):
        domain = email.split("@", 1)[1].lower()
        candidates.append(normalize_name(domain.rsplit(".", 1)[0]))
    for cand in filter(None, candidates):
        for norm, name in names.items():
            if cand == norm or (len(cand) >= 5 and (cand in norm or norm in cand)):
                return name
    return ""
