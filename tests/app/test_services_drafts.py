"""Drafts the user confirmed reach the right mailbox, Gmail or Outlook, through the same composition the sync
uses (endpoints from settings: here the fake servers). Nothing is ever sent: only drafts are created."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from email import message_from_bytes

import pytest

from app.context import AppContext
from app.facade import Facade
from app.services import Services
from app.settings import Settings
from engine.errors import EngineError
from engine.store import Store
from models import Account, Contact, Message
from tests.connectors.conftest import GOOGLE_ACCOUNT, MS_ACCOUNT, fake_google, fake_ms, google_auth, graph_factory  # noqa: F401
from tests.connectors.conftest import google_client_factory, ms_auth, ms_session, tls_cert  # noqa: F401


def _services(store: Store, settings: Settings) -> Services:
    ctx = AppContext(home=store.path.parent, settings=settings, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    return Services(ctx)


def test_an_inbox_reply_is_saved_as_a_gmail_draft_in_its_thread(store, fake_google, google_client_factory):  # noqa: F811
    google_client_factory()  # the account's refresh token, in the (test) keyring
    e = fake_google.endpoints()
    settings = Settings(google_api=e.api, google_calendar=e.calendar, google_token_uri=e.token_uri,
                        google_auth_uri=e.auth_uri)
    store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", GOOGLE_ACCOUNT.split(":")[1], state="connected"))
    store.messages.upsert([Message(account=GOOGLE_ACCOUNT, provider_id="m1", thread_key="t1", subject="Renewal",
                                   sender=Contact("amy@globex.example", "Amy"), body_text="Can you confirm?",
                                   sent_at=datetime(2026, 11, 20, 9, tzinfo=timezone.utc))])
    message_id = store.messages.id_for(GOOGLE_ACCOUNT, "m1")
    services = _services(store, settings)
    try:
        assert Facade(services).save_draft(message_id, "Confirmed, thanks.") == "ceo@northwind.example"
    finally:
        services.close()
    [draft] = fake_google.state.drafts
    mime = message_from_bytes(base64.urlsafe_b64decode(draft["message"]["raw"]))
    assert draft["message"]["threadId"] == "t1" and mime["To"].endswith("<amy@globex.example>")
    assert mime["Subject"] == "Re: Renewal" and "Confirmed, thanks." in mime.get_payload(decode=True).decode()
    assert [a.detail["kind"] for a in store.audit.since(action="tool")] == ["create_draft"]
    assert store.usage.between(services.today(), services.today())[services.today()]["drafts_accepted"] == 1


def test_a_confirmed_chat_draft_lands_in_outlook_drafts(store, fake_ms, graph_factory, tls_cert, monkeypatch):  # noqa: F811
    graph_factory()  # device-code sign-in: the token cache goes to the (test) keyring
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_cert[0]))  # production's session, trusting the fake's cert
    settings = Settings(microsoft_client_id=fake_ms.CLIENT_ID, microsoft_tenant=fake_ms.TENANT,
                        microsoft_authority_host=fake_ms.url, microsoft_graph=fake_ms.url)
    store.accounts.upsert(Account(MS_ACCOUNT, "microsoft", MS_ACCOUNT.split(":")[1], state="connected"))
    action = store.pending_actions.add("draft_email", {"to": ["pat@acme.example"], "subject": "Pilot",
                                                       "body": "Shall we start the pilot on Monday?"})
    services = _services(store, settings)
    try:
        assert "ceo@contoso.example" in Facade(services).execute_action(action)
        with pytest.raises(EngineError, match="already decided"):
            Facade(services).execute_action(action)
    finally:
        services.close()
    [draft] = fake_ms.state.drafts
    assert draft["subject"] == "Pilot" and draft["body"]["content"] == "Shall we start the pilot on Monday?"
    assert draft["toRecipients"][0]["emailAddress"]["address"] == "pat@acme.example"
    assert store.pending_actions.pending() == []


def test_without_a_connected_mailbox_the_action_stays_pending_with_a_clear_message(store):
    action = store.pending_actions.add("draft_email", {"to": ["pat@acme.example"], "subject": "S", "body": "B"})
    services = _services(store, Settings())
    try:
        with pytest.raises(EngineError, match="No connected Google or Microsoft account"):
            Facade(services).execute_action(action)
    finally:
        services.close()
    assert [a for a, _, _ in store.pending_actions.pending()] == [action]
