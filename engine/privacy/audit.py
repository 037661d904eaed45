"""The audit log and egress ledger: what Reflex did and where data went, never the data itself.

Every outbound call (cloud LLM, connector sync, OAuth) is an *egress* entry: when, where (provider/host),
what kind, how many items and tokens, how many redactions, the outcome. Local events are recorded too: auth
events, exports, backups/restores, deletions (retention, wipe), tool actions, consent notices and settings
changes. Entries live in the encrypted store (`store.audit`).

Content guard: `record()` refuses detail keys that name content (body, text, prompt, subject, secrets...) and string
values longer than 160 characters, so a careless caller cannot turn the audit log into a copy of the mail.
That is a programming error (`ValueError`), not a user-facing one.

Threads: safe from any thread (the store serialises writes). `attach(bus)` records sync events as they are
published by the coordinators.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from engine.events import ACCOUNT_DID_NEED_REAUTH, SYNC_DID_FAIL, SYNC_DID_FINISH, EventBus
from engine.store import Store
from models import AuditEntry

__all__ = ["ACTIONS", "EGRESS_ACTIONS", "VECTOR_CALL", "AuditLog"]

CLOUD_CALL = "cloud_call"  # written by engine.llm.service for every cloud request
SYNC = "sync"
OAUTH = "oauth"
VECTOR_CALL = "vector_call"  # written for every call to a Qdrant server (server-mode search)
EGRESS_ACTIONS = (CLOUD_CALL, SYNC, OAUTH, VECTOR_CALL)
ACTIONS = (*EGRESS_ACTIONS, "auth", "export", "backup", "restore", "delete", "tool", "consent", "settings",
           "correction")

_MAX_TEXT = 160
_CONTENT_KEYS = frozenset({"body", "body_text", "text", "prompt", "content", "subject", "transcript", "snippet",
                           "answer", "question", "query", "secret", "password", "passphrase", "key", "access_token",
                           "refresh_token"})


def _check(detail: dict[str, Any]) -> None:
    for key, value in detail.items():
        if key.lower() in _CONTENT_KEYS:
            raise ValueError(f"audit detail {key!r} looks like content; record counts and kinds only")
        values = value if isinstance(value, (list, tuple)) else [value]
        if isinstance(value, (list, tuple)) and len(value) > 64:
            raise ValueError(f"audit detail {key!r} has too many values")
        for v in values:
            if isinstance(v, dict) or (isinstance(v, str) and len(v) > _MAX_TEXT):
                raise ValueError(f"audit detail {key!r} is too long for the audit log")


class SettingsSnapshot(Protocol):
    """Settings as the audit compares them (a pydantic model: `app.settings.Settings`)."""

    def model_dump(self) -> dict[str, Any]: ...


class AuditLog:
    """Typed writers and readers over `store.audit`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- writing ---------------------------------------------------------------------------------------
    def record(self, action: str, target: str = "", **detail: Any) -> int:
        """Append one entry. `action` is one of `ACTIONS`; `detail` holds counts, kinds and short labels."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        if len(target) > _MAX_TEXT:
            raise ValueError("audit target too long")
        _check(detail)
        return self.store.audit.add(AuditEntry(action=action, target=target, detail=dict(detail)))

    def egress(self, kind: str, destination: str, *, items: int = 0, tokens_in: int = 0, tokens_out: int = 0,
               redactions: int = 0, outcome: str = "ok", **extra: Any) -> int:
        """An outbound call: `kind` is cloud_call | sync | oauth, `destination` the provider or host."""
        if kind not in EGRESS_ACTIONS:
            raise ValueError(f"{kind!r} is not an egress kind")
        return self.record(kind, destination, items=items, tokens_in=tokens_in, tokens_out=tokens_out,
                           redactions=redactions, outcome=outcome, **extra)

    def auth(self, account: str, event: str) -> int:
        """connected | refreshed | reauth_needed | disconnected | revoked."""
        return self.record("auth", account, event=event)

    def consent(self, notice: str, *, acknowledged: bool, meeting_id: int | None = None) -> int:
        """A consent notice shown (e.g. before recording); `notice` is a short name, not the text."""
        return self.record("consent", notice, acknowledged=acknowledged, meeting_id=meeting_id)

    def settings_changed(self, before: SettingsSnapshot, after: SettingsSnapshot) -> int | None:
        """Record which settings changed (names only), never their values."""
        old, new = before.model_dump(), after.model_dump()
        changed = sorted(k for k in new if old.get(k) != new[k])
        return self.record("settings", "settings.json", changed=changed) if changed else None

    def tool(self, name: str, *, status: str, writes: bool) -> int:
        """A tool proposal's fate: executed | proposed | confirmed | cancelled."""
        return self.record("tool", name, status=status, writes=writes)

    def sink(self) -> Callable[[AuditEntry], None]:
        """An `audit=` callable for `LLMService`/`ToolRegistry` that applies the content guard."""
        def add(entry: AuditEntry) -> None:
            _check(entry.detail)
            self.store.audit.add(entry)
        return add

    def attach(self, bus: EventBus) -> Callable[[], None]:
        """Record sync passes (egress) and re-auth events published on `bus`; returns an unsubscriber."""
        def on_event(name: str, payload: dict[str, Any]) -> None:
            account = str(payload.get("account", ""))
            if name == SYNC_DID_FINISH:
                self.egress(SYNC, account, items=int(payload.get("added", 0)) + int(payload.get("updated", 0)),
                            deleted=int(payload.get("deleted", 0)))
            elif name == SYNC_DID_FAIL:
                self.egress(SYNC, account, outcome="failed")  # the error text may quote data: not kept
            elif name == ACCOUNT_DID_NEED_REAUTH:
                self.auth(account, "reauth_needed")

        stops = [bus.subscribe(n, on_event) for n in (SYNC_DID_FINISH, SYNC_DID_FAIL, ACCOUNT_DID_NEED_REAUTH)]

        def detach() -> None:
            for stop in stops:
                stop()
        return detach

    # -- reading ---------------------------------------------------------------------------------------
    def entries(self, since: datetime | None = None, *, actions: Iterable[str] | None = None,
                limit: int = 100_000) -> list[AuditEntry]:
        """Oldest first. `actions` filters (e.g. `EGRESS_ACTIONS` for the egress ledger)."""
        wanted = set(actions) if actions is not None else None
        rows = self.store.audit.since(since, limit=limit)
        return [e for e in reversed(rows) if wanted is None or e.action in wanted]

    def export(self, path: Path, since: datetime | None = None) -> int:
        """Write entries as JSON lines to `path` (a user-chosen file); records the export itself."""
        entries = self.entries(since)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        with tmp.open("w", encoding="utf-8") as fh:
            for e in entries:
                fh.write(json.dumps(as_dict(e), ensure_ascii=False) + "\n")
        os.replace(tmp, path)
        self.record("export", "audit", entries=len(entries))
        return len(entries)


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    """A JSON-ready view of an entry (for `--json` and exports)."""
    return {"id": entry.id, "at": entry.at.isoformat() if entry.at else None, "action": entry.action,
            "target": entry.target, "detail": entry.detail}
