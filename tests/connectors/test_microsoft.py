"""Outlook mail + calendar over Graph delta, msal sign-in, against a TLS fake authority + Graph."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

from connectors.errors import AuthError, CursorExpired
from connectors.microsoft import (DeltaStream, MicrosoftConnector, create_draft, create_event, rsvp,
                                  update_event)
from models import Attendee, Contact, Event, Message
from tests.connectors.conftest import MS_ACCOUNT


def drain(stream, cursor):
    batches = []
    while True:
        batch = stream.sync(cursor)
        batches.append(batch)
        cursor = batch.new_cursor
        if batch.done:
            return batches, cursor


def test_device_code_sign_in_keeps_the_token_cache_only_in_the_keyring(fake_ms, graph_factory, memory_keyring,
                                                                     tmp_path):
    chunks = {user: secret for (service, user), secret in memory_keyring.secrets.items()
              if service == "reflex-assistant" and user.startswith(MS_ACCOUNT)}
    assert json.loads(chunks[f"{MS_ACCOUNT}:msal"])["n"] == len(chunks) - 1 >= 2  # split: no entry over 1,000 chars
    assert all(len(v) <= 1000 for v in chunks.values())
    assert fake_ms.token_requests[-1]["grant_type"].endswith("device_code")
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and b"rt-" in p.read_bytes()]


def test_interactive_sign_in_uses_loopback_pkce_and_form_post(fake_ms, ms_auth, browser, tls_cert):
    browser.verify = str(tls_cert[0])
    key = ms_auth.sign_in_interactive(timeout_s=20)
    assert key == MS_ACCOUNT
    assert "response_mode=form_post" in browser.opened[0] and "code_challenge_method=S256" in browser.opened[0]
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A" in browser.opened[0]
    exchange = fake_ms.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and len(exchange["code_verifier"]) >= 43
    assert ms_auth.token(MS_ACCOUNT)


def test_expired_access_token_is_refreshed_once_then_revocation_is_auth_error(fake_ms, graph_factory):
    client = graph_factory()
    assert client.request("GET", "/me")["mail"] == "ceo@contoso.example"
    fake_ms.expire_access_tokens()
    assert client.request("GET", "/me")["mail"] == "ceo@contoso.example"
    assert fake_ms.token_requests[-1]["grant_type"] == "refresh_token"
    fake_ms.revoke_all()
    with pytest.raises(AuthError) as err:
        client.request("GET", "/me")
    assert "Reconnect" in err.value.next_step


def test_mail_delta_pages_to_delta_link_then_brings_only_changes(fake_ms, graph_factory):
    ids = [fake_ms.add_mail(subject=f"Deal {i}", body=f"Pipeline item {i}") for i in range(7)]
    sent = fake_ms.add_mail(folder="sentitems", subject="Re: Deal 0", is_read=True)
    stream = DeltaStream(graph_factory(), account=MS_ACCOUNT, kind="mail", feeds=("inbox", "sentitems"), page_size=3)
    batches, cursor = drain(stream, None)
    assert [len(b.messages) for b in batches] == [3, 3, 1, 1] and batches[-1].done
    got = {m.provider_id: m for b in batches for m in b.messages}
    assert set(got) == {*ids, sent}
    first = got[ids[0]]
    assert first.body_text == "Pipeline item 0"  # text body: the Prefer header travels on every page
    assert first.labels == ["inbox"] and not first.is_read and first.sender.email == "cfo@contoso.example"
    assert got[sent].labels == ["sentitems"]
    requests_before = len(fake_ms.requests)
    fake_ms.update_mail(ids[1], isRead=True)
    fake_ms.remove(ids[2])
    new = fake_ms.add_mail(subject="New lead")
    batches, cursor = drain(stream, cursor)
    assert sorted(m.provider_id for b in batches for m in b.messages) == sorted([ids[1], new])
    assert [d for b in batches for d in b.deleted_messages] == [ids[2]]
    assert len(fake_ms.requests) - requests_before == 2  # one delta call per folder
    assert sum(b.change_count for b in drain(stream, cursor)[0]) == 0


def test_attachment_metadata_comes_with_the_message(fake_ms, graph_factory):
    plain = fake_ms.add_mail(subject="No files")
    deck = fake_ms.add_mail(subject="Board deck", attachments=[
        {"name": "Q4 board deck.pdf", "contentType": "application/pdf", "size": 482113, "contentBytes": "JVBERi0="},
        {"name": "logo.png", "contentType": "image/png", "size": 2100, "isInline": True}])
    before = len(fake_ms.requests)
    [batch], _ = drain(DeltaStream(graph_factory(), account=MS_ACCOUNT, kind="mail"), None)
    got = {m.provider_id: m for m in batch.messages}
    assert got[plain].attachments == []
    [pdf] = got[deck].attachments  # the inline logo is not a file the user attached
    assert (pdf.filename, pdf.content_type, pdf.size) == ("Q4 board deck.pdf", "application/pdf", 482113)
    calls = [r for r in fake_ms.requests[before:] if "/attachments" in r[1]]
    assert len(calls) == 1 and deck in calls[0][1]  # asked only for the message that has files


def test_expired_delta_token_raises_cursor_expired(fake_ms, graph_factory):
    fake_ms.add_mail()
    stream = DeltaStream(graph_factory(), account=MS_ACCOUNT, kind="mail")
    _, cursor = drain(stream, None)
    fake_ms.expire_deltas()
    with pytest.raises(CursorExpired):
        stream.sync(cursor)
    assert len(drain(stream, None)[0][0].messages) == 1  # the engine's bounded full round


def test_429_retry_after_is_honoured(fake_ms, graph_factory):
    sleeps: list[float] = []
    fake_ms.fail("/messages/delta", 429, headers={"Retry-After": "3"}, body={"error": {"code": "TooManyRequests"}})
    fake_ms.fail("/messages/delta", 502, times=1)
    fake_ms.add_mail()
    drain(DeltaStream(graph_factory(sleeps=sleeps), account=MS_ACCOUNT, kind="mail"), None)
    assert len(sleeps) == 2 and 3 <= sleeps[0] < 3.6


def test_at_most_four_concurrent_requests_per_mailbox(fake_ms, graph_factory):
    client = graph_factory()
    fake_ms.delay_s = 0.15
    threads = [threading.Thread(target=client.request, args=("GET", "/me")) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fake_ms.max_in_flight == 4


def test_calendar_view_delta_maps_attendees_and_cancellations(fake_ms, graph_factory):
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
    board = fake_ms.add_event({
        "subject": "Board", "start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"},
        "end": {"dateTime": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"},
        "organizer": {"emailAddress": {"address": "ceo@contoso.example"}},
        "attendees": [{"emailAddress": {"address": "cfo@contoso.example", "name": "CFO"},
                       "status": {"response": "tentativelyAccepted"}}],
        "onlineMeeting": {"joinUrl": "https://teams.example/j/1"}, "seriesMasterId": "series-1"})
    connector = MicrosoftConnector(graph_factory(), account=MS_ACCOUNT)
    batch = connector.sync("outlook:calendar", None)
    event = batch.events[0]
    assert event.title == "Board" and event.start == start and event.recurring_id == "series-1"
    assert event.conference_url == "https://teams.example/j/1"
    assert [(a.email, a.response) for a in event.attendees] == [("cfo@contoso.example", "tentative")]
    fake_ms.remove(board)
    assert connector.sync("outlook:calendar", batch.new_cursor).deleted_events == [board]


def test_drafts_events_and_rsvp_are_explicit_calls_that_never_send(fake_ms, graph_factory):
    client = graph_factory()
    original_id = fake_ms.add_mail(subject="Budget")
    reply_id = create_draft(client, to=[Contact("cfo@contoso.example")], subject="", body="Approved.",
                            reply_to=Message(account=MS_ACCOUNT, provider_id=original_id, thread_key="c",
                                             subject="Budget", sender=Contact("cfo@contoso.example")))
    new_id = create_draft(client, to=[Contact("coo@contoso.example", "COO")], subject="Plan", body="Draft plan")
    drafts = {d["id"]: d for d in fake_ms.state.drafts}
    assert drafts[reply_id]["replyTo"] == original_id and drafts[reply_id]["body"]["content"] == "Approved."
    assert drafts[new_id]["subject"] == "Plan"
    start = datetime(2030, 1, 2, 9, tzinfo=timezone.utc)
    created = create_event(client, Event(account=MS_ACCOUNT, provider_id="", title="1:1", start=start,
                                         end=start + timedelta(minutes=30),
                                         attendees=[Attendee("cfo@contoso.example")]))
    assert created.provider_id and created.start == start
    created.title = "1:1 (moved)"
    assert update_event(client, created).title == "1:1 (moved)"
    rsvp(client, created, response="tentative")
    assert fake_ms.state.rsvps == [(created.provider_id, "tentativelyAccept", {"comment": "", "sendResponse": False})]
    assert fake_ms.count("/send") == 0


def test_outlook_sync_through_the_coordinator_is_idempotent_and_resyncs_once(store, fake_ms, graph_factory):
    from engine.events import EventBus
    from engine.jobs import SyncCoordinator
    from models import Account

    store.accounts.upsert(Account(MS_ACCOUNT, "microsoft", "ceo@contoso.example"))
    ids = [fake_ms.add_mail(subject=f"Offer {i}", body=f"Renewal {i}") for i in range(5)]
    coord = SyncCoordinator(store=store, connector=MicrosoftConnector(graph_factory(), account=MS_ACCOUNT,
                                                                      page_size=2), bus=EventBus())
    assert coord.run().added == 5
    fake_ms.remove(ids[0])
    fake_ms.expire_deltas()
    outcome = coord.run()
    assert outcome.status == "ok" and outcome.resyncs == ["outlook:mail", "outlook:calendar"]
    with store.read() as conn:
        rows = [r[0] for r in conn.execute("SELECT provider_id FROM messages WHERE account = ?", (MS_ACCOUNT,))]
    assert sorted(rows) == sorted(ids[1:])  # deleted during the gap: reconciled away by the full round


def test_chosen_outlook_calendars_sync_and_the_calendar_list_pages(fake_ms, graph_factory):
    from connectors.microsoft import DEFAULT_CALENDAR, list_calendars

    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)
    when = {"start": {"dateTime": start.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"},
            "end": {"dateTime": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}}
    team = fake_ms.add_calendar("Team")
    fake_ms.add_calendar("Birthdays")
    fake_ms.add_event({"subject": "Own", **when})
    fake_ms.add_event({"subject": "Offsite", **when}, calendar=team)
    client = graph_factory()
    calendars = list_calendars(client)
    assert [(c.feed, c.name, c.default) for c in calendars] == [
        (DEFAULT_CALENDAR, "Calendar", True), (calendars[1].feed, "Birthdays", False), (team, "Team", False)]

    def titles(connector: MicrosoftConnector) -> list[str]:
        cursor, found = None, []
        while True:
            batch = connector.sync("outlook:calendar", cursor)
            found += [e.title for e in batch.events]
            cursor = batch.new_cursor
            if batch.done:
                return sorted(found)

    assert titles(MicrosoftConnector(client, account=MS_ACCOUNT)) == ["Own"]  # the default calendar unless told
    assert titles(MicrosoftConnector(client, account=MS_ACCOUNT, calendars=(DEFAULT_CALENDAR, team))) == [
        "Offsite", "Own"]
