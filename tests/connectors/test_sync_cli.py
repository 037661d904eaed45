"""`accounts add|list|remove` and `sync` end to end: real CLI handlers, fake Google, real store."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from app.commands import accounts as accounts_cmd
from app.context import AppContext
from app.settings import Settings
from tests.connectors.conftest import GOOGLE_ACCOUNT, seed_mailbox
from tests.fakes.google_server import FakeGoogle
from tests.fuzz.hostile import nested_multipart


class FakeEndpointSettings(Settings):
    """Settings as a user with custom endpoints would have them (here: the fake server)."""

    google_api: str = ""
    google_calendar: str = ""
    google_token_uri: str = ""
    google_auth_uri: str = ""


def cli(ctx: AppContext, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    accounts_cmd.register(parser.add_subparsers())
    args = parser.parse_args(list(argv))
    return args.handler(args, ctx)


@pytest.fixture
def ctx(store, fake_google, tmp_path, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake is http; Google is https
    e = fake_google.endpoints()
    settings = FakeEndpointSettings(google_api=e.api, google_calendar=e.calendar, google_token_uri=e.token_uri,
                                    google_auth_uri=e.auth_uri)
    context = AppContext(home=tmp_path / "home", settings=settings, json_output=True, log=False)
    context._store = store  # noqa: SLF001 - the test's already-open store
    yield context
    context._store = None  # noqa: SLF001 - the fixture closes it


def test_add_sync_list_remove_google_account(ctx, fake_google, browser, tmp_path, capsys, memory_keyring):
    secret = tmp_path / "client_secret.json"
    secret.write_text(json.dumps({"installed": {"client_id": FakeGoogle.CLIENT_ID,
                                                "client_secret": FakeGoogle.CLIENT_SECRET}}))
    assert cli(ctx, "accounts", "add", "google", "--client-secret", str(secret), "--timeout", "20") == 0
    assert memory_keyring.get_password("reflex-assistant", GOOGLE_ACCOUNT)
    seed_mailbox(fake_google, 12)
    bomb = fake_google.add_message(nested_multipart(1200))  # one hostile mail: reported, skipped, not fatal
    capsys.readouterr()
    assert cli(ctx, "sync") == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["status"] == "ok" and result["added"] == 12
    assert [s.split(":")[0] for s in result["skipped"]] == [bomb]
    assert cli(ctx, "accounts", "list") == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["account"] == GOOGLE_ACCOUNT and row["state"] == "connected" and row["last_sync"]
    fake_google.revoke_all()
    assert cli(ctx, "sync", "--account", GOOGLE_ACCOUNT) == 1
    assert json.loads(capsys.readouterr().out)[0]["status"] == "auth"
    assert ctx.store.accounts.get(GOOGLE_ACCOUNT).state == "reconnect_needed"
    assert cli(ctx, "accounts", "remove", GOOGLE_ACCOUNT, "--delete-data") == 0
    assert json.loads(capsys.readouterr().out)["messages"] == 12
    assert memory_keyring.get_password("reflex-assistant", GOOGLE_ACCOUNT) is None
    assert ctx.store.accounts.get(GOOGLE_ACCOUNT) is None
    assert ctx.store.cursors.get(GOOGLE_ACCOUNT, "gmail") is None
    with ctx.store.read() as conn:
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    audit = [e.action for e in ctx.store.audit.since(None)]
    assert {"oauth", "sync", "delete"} <= set(audit)


def test_sync_of_an_account_without_token_marks_it_for_reconnect(ctx, capsys):
    from models import Account

    ctx.store.accounts.upsert(Account("google:lost@example.com", "google", "lost@example.com"))
    assert cli(ctx, "sync") == 1
    assert ctx.store.accounts.get("google:lost@example.com").state == "reconnect_needed"
