"""Confirmed actions are carried out through the providers' real wire protocols (fakes on 127.0.0.1): a proposed
meeting becomes a calendar event with invitations, an RSVP answers the organizer; each is audited and done once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.providers import Providers
from app.settings import Settings
from engine.assistant.scheduling import Slot, propose_event, propose_rsvp
from engine.errors import EngineError
from engine.store import Store
from engine.usecases.carrying_out import carry_out
from models import Account, Event
from tests.connectors.conftest import GOOGLE_ACCOUNT, MS_ACCOUNT, fake_google, fake_ms, google_auth, graph_factory  # noqa: F401
from tests.connectors.conftest import google_client_factory, ms_auth, ms_session, tls_cert  # noqa: F401

START = datetime(2030, 1, 8, 17, tzinfo=timezone.utc)


def test_a_confirmed_meeting_proposal_is_created_in_google_calendar_with_invitations(
        store: Store, fake_google, google_client_factory) -> None:  # noqa: F811
    google_client_factory()  # the account's refresh token, in the (test) keyring
    e = fake_google.endpoints()
    settings = Settings(google_api=e.api, google_calendar=e.calendar, google_token_uri=e.token_uri,
                        google_auth_uri=e.auth_uri)
    store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", GOOGLE_ACCOUNT.split(":")[1], state="connected"))
    action = propose_event(store, Slot(START, START + timedelta(minutes=30)), title="Harborview expansion",
                           attendees=["mark.delaney@harborview.example"])
    said = carry_out(store, Providers(settings), action)
    [created] = fake_google.state.events.values()
    assert created.body["summary"] == "Harborview expansion" and fake_google.state.send_updates == ["all"]
    assert [a["email"] for a in created.body["attendees"]] == ["mark.delaney@harborview.example"]
    assert "invitations sent to 1" in said
    [stored] = [ev for ev in store.events.between(START - timedelta(hours=1), START + timedelta(hours=1))]
    assert stored.title == "Harborview expansion" and stored.provider_id == created.body["id"]
    assert [a.detail["kind"] for a in store.audit.since(action="tool")] == ["create_event"]
    with pytest.raises(EngineError, match="already decided"):
        carry_out(store, Providers(settings), action)  # done once, never twice


def test_a_confirmed_rsvp_answers_the_outlook_organizer(store: Store, fake_ms, graph_factory, tls_cert,  # noqa: F811
                                                        monkeypatch) -> None:
    graph_factory()  # device-code sign-in: the token cache goes to the (test) keyring
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_cert[0]))  # production's session, trusting the fake's cert
    settings = Settings(microsoft_client_id=fake_ms.CLIENT_ID, microsoft_tenant=fake_ms.TENANT,
                        microsoft_authority_host=fake_ms.url, microsoft_graph=fake_ms.url)
    store.accounts.upsert(Account(MS_ACCOUNT, "microsoft", MS_ACCOUNT.split(":")[1], state="connected"))
    provider_id = fake_ms.add_event({"subject": "Board prep"})
    [event_id] = store.events.upsert([Event(MS_ACCOUNT, provider_id, "Board prep", START, START + timedelta(hours=1))])
    action = propose_rsvp(store, event_id, "declined", note="Travelling that day")
    assert carry_out(store, Providers(settings), action) == "Answered “Board prep”: declined."
    assert fake_ms.state.rsvps == [(provider_id, "decline", {"comment": "Travelling that day", "sendResponse": True})]
    assert store.pending_actions.pending() == []


def test_an_action_that_cannot_be_done_stays_pending(store: Store) -> None:
    action = propose_event(store, Slot(START, START + timedelta(minutes=30)), title="Sync", attendees=[])
    with pytest.raises(EngineError, match="No connected Google or Microsoft account"):
        carry_out(store, Providers(Settings()), action)
    assert [a for a, _, _ in store.pending_actions.pending()] == [action]
    unknown = store.pending_actions.add("wire_money", {"amount": 1})
    with pytest.raises(EngineError, match="cannot carry out"):
        carry_out(store, Providers(Settings()), unknown)


def _google(store: Store, fake_google, google_client_factory) -> Settings:  # noqa: ANN001, F811
    google_client_factory()
    e = fake_google.endpoints()
    store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", GOOGLE_ACCOUNT.split(":")[1], state="connected"))
    return Settings(google_api=e.api, google_calendar=e.calendar, google_token_uri=e.token_uri,
                    google_auth_uri=e.auth_uri)


def test_a_weekly_proposal_becomes_a_series_in_local_time_and_a_move_patches_the_event(
        store: Store, fake_google, google_client_factory) -> None:  # noqa: F811
    """What `act` files for "a weekly sync every Tuesday at 9:00" is created as a repeating event in the user's
    zone (not a one-off at midnight); a proposed move patches the stored event's times."""
    settings = _google(store, fake_google, google_client_factory)
    weekly = store.pending_actions.add("create_event", {
        "title": "Sync with Raj Mehta", "start": "2030-01-08T09:00:00-08:00", "end": "2030-01-08T09:30:00-08:00",
        "attendees": ["raj@northwind.example"], "recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=TU"],
        "timezone": "America/Los_Angeles"})
    carry_out(store, Providers(settings), weekly)
    [created] = fake_google.state.events.values()
    assert created.body["recurrence"] == ["RRULE:FREQ=WEEKLY;BYDAY=TU"]
    assert created.body["start"] == {"dateTime": "2030-01-08T09:00:00-08:00", "timeZone": "America/Los_Angeles"}
    [stored] = store.events.between(START - timedelta(days=1), START + timedelta(days=1))
    move = store.pending_actions.add("reschedule_event", {
        "event_id": stored.id, "start": "2030-01-09T10:00:00-08:00", "end": "2030-01-09T10:30:00-08:00"})
    assert carry_out(store, Providers(settings), move).startswith("Moved “Sync with Raj Mehta” to Wed 09 Jan 10:00")
    assert datetime.fromisoformat(created.body["start"]["dateTime"]) == datetime(2030, 1, 9, 18, tzinfo=timezone.utc)
    assert fake_google.state.send_updates[-1] == "all"  # the attendees hear about the move


def test_repeats_map_to_graph_patterns() -> None:
    from connectors.microsoft.mapping import graph_recurrence

    tuesday = datetime(2030, 1, 8, 9)
    assert graph_recurrence("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", tuesday)["pattern"] == {
        "type": "weekly", "interval": 2, "daysOfWeek": ["tuesday"]}
    assert graph_recurrence("RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", tuesday)["pattern"]["daysOfWeek"][-1] == "friday"
    assert graph_recurrence("RRULE:FREQ=MONTHLY;BYMONTHDAY=8", tuesday) == {
        "pattern": {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 8},
        "range": {"type": "noEnd", "startDate": "2030-01-08"}}
    with pytest.raises(ValueError):
        graph_recurrence("RRULE:FREQ=HOURLY", tuesday)
