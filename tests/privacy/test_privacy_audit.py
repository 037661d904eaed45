"""The audit log / egress ledger: typed entries, the content guard, bus events, CLI and export."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from app.settings import Settings
from engine.events import ACCOUNT_DID_NEED_REAUTH, SYNC_DID_FAIL, SYNC_DID_FINISH, EventBus
from engine.privacy import EGRESS_ACTIONS, AuditLog
from models import AuditEntry


def test_egress_and_local_events_are_recorded_without_content(store) -> None:
    log = AuditLog(store)
    log.egress("cloud_call", "openai", tokens_in=812, tokens_out=90, redactions=4, model="gpt-x")
    log.egress("oauth", "oauth2.googleapis.com", outcome="refreshed")
    log.auth("google:ceo@northwind.example", "connected")
    log.consent("recording_notice", acknowledged=True, meeting_id=3)
    log.tool("create_event", status="proposed", writes=True)
    before, after = Settings(), Settings(retention_days_mail=30, cloud_enabled=True)
    log.settings_changed(before, after)
    assert log.settings_changed(after, after) is None
    entries = log.entries()
    assert [e.action for e in entries] == ["cloud_call", "oauth", "auth", "consent", "tool", "settings"]
    assert entries[0].detail == {"items": 0, "tokens_in": 812, "tokens_out": 90, "redactions": 4, "outcome": "ok",
                                 "model": "gpt-x"}
    assert entries[-1].detail["changed"] == ["cloud_enabled", "retention_days_mail"]
    assert [e.action for e in log.entries(actions=EGRESS_ACTIONS)] == ["cloud_call", "oauth"]


@pytest.mark.parametrize("detail", [{"body": "x"}, {"prompt": "hi"}, {"note": "y" * 500}, {"nested": {"a": 1}}])
def test_content_guard_refuses_content(store, detail) -> None:
    with pytest.raises(ValueError):
        AuditLog(store).record("tool", "x", **detail)
    with pytest.raises(ValueError):
        AuditLog(store).sink()(AuditEntry("cloud_call", "openai", detail))
    assert store.audit.since() == []


def test_unknown_action_is_a_programming_error(store) -> None:
    with pytest.raises(ValueError):
        AuditLog(store).record("gossip")


def test_sync_events_on_the_bus_become_egress_entries(store) -> None:
    bus = EventBus()
    detach = AuditLog(store).attach(bus)
    bus.emit(SYNC_DID_FINISH, account="google:a@b.example", added=5, updated=2, deleted=1)
    bus.emit(SYNC_DID_FAIL, account="google:a@b.example", error="Quota exceeded for dana@acme.example")
    bus.emit(ACCOUNT_DID_NEED_REAUTH, account="google:a@b.example")
    detach()
    bus.emit(SYNC_DID_FINISH, account="ignored", added=1, updated=0, deleted=0)
    entries = AuditLog(store).entries()
    assert [(e.action, e.detail.get("outcome") or e.detail.get("event")) for e in entries] == [
        ("sync", "ok"), ("sync", "failed"), ("auth", "reauth_needed")]
    assert entries[0].detail["items"] == 7 and entries[0].detail["deleted"] == 1
    assert "dana@acme.example" not in json.dumps([e.detail for e in entries])


def test_cli_audit_since_json_and_export(store, cli, tmp_path) -> None:
    home = store.path.parent
    old = datetime.now(timezone.utc) - timedelta(days=10)
    store.audit.add(AuditEntry("export", "folder", {"messages": 3}, at=old))
    AuditLog(store).egress("cloud_call", "anthropic", tokens_in=5)
    store.close()
    code, out, _ = cli("audit", "--home", str(home), "--since", "2d", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["action"] for r in rows] == ["cloud_call"]
    code, out, _ = cli("audit", "--home", str(home))
    assert code == 0 and "export" in out and "cloud_call" in out and "tokens_in=5" in out
    code, out, _ = cli("audit", "--home", str(home), "--egress", "--since", old.date().isoformat())
    assert "cloud_call" in out and "folder" not in out
    target = tmp_path / "audit.jsonl"
    code, out, _ = cli("audit", "--home", str(home), "--export", str(target))
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert code == 0 and [entry["action"] for entry in lines] == ["export", "cloud_call"]
    code, out, _ = cli("audit", "--home", str(home), "--action", "export", "--json")
    assert len(json.loads(out)) == 2  # the old export plus the audit export just made
