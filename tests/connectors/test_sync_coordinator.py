"""The sync coordinator and scheduler against the fake Google server and a real encrypted store."""

from __future__ import annotations

import threading
import time

from connectors.base import CURSOR_VERSION
from connectors.google import GoogleConnector
from engine.events import ACCOUNT_DID_NEED_REAUTH, SYNC_DID_FAIL, SYNC_DID_FINISH, EventBus
from engine.jobs import SyncCoordinator, SyncScheduler
from models import Account
from tests.connectors.conftest import GOOGLE_ACCOUNT, make_mail, seed_mailbox


def message_ids(store) -> list[str]:
    with store.read() as conn:
        return [r[0] for r in conn.execute(
            "SELECT provider_id FROM messages WHERE account = ? ORDER BY provider_id", (GOOGLE_ACCOUNT,))]


def coordinator(store, client, bus=None, **kw):
    store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", "ceo@northwind.example"))
    connector = GoogleConnector(client, account=GOOGLE_ACCOUNT, page_size=kw.pop("page_size", 10))
    return SyncCoordinator(store=store, connector=connector, bus=bus or EventBus())


def test_sync_writes_messages_events_and_cursors_and_is_idempotent(store, fake_google, google_client_factory):
    ids = seed_mailbox(fake_google, 25)
    fake_google.put_event({"summary": "Board", "start": {"dateTime": "2099-01-01T10:00:00+00:00"},
                           "end": {"dateTime": "2099-01-01T11:00:00+00:00"}})
    events = []
    bus = EventBus()
    bus.subscribe("*", lambda name, payload: events.append((name, payload)))
    coord = coordinator(store, google_client_factory(), bus)
    outcome = coord.run()
    assert outcome.status == "ok" and outcome.added == 25 + 0  # the 2099 event is outside the window
    assert message_ids(store) == sorted(ids)
    assert store.messages.search("revenue", limit=50)  # FTS fed in the same transaction
    cursor = store.cursors.get(GOOGLE_ACCOUNT, "gmail")
    assert cursor.version == CURSOR_VERSION and '"phase":"history"' in cursor.value
    assert store.cursors.get(GOOGLE_ACCOUNT, "calendar:primary") is not None
    assert (SYNC_DID_FINISH, {"account": GOOGLE_ACCOUNT, "added": 25, "updated": 0, "deleted": 0}) in events
    account = store.accounts.get(GOOGLE_ACCOUNT)
    assert account.last_sync_at is not None and account.last_error == ""
    # idempotent: a forced full resync writes the same rows, no duplicates
    store.cursors.clear(GOOGLE_ACCOUNT, "gmail")
    assert coord.run().status == "ok"
    assert message_ids(store) == sorted(ids)


def test_incremental_changes_and_deletions_reach_the_store(store, fake_google, google_client_factory):
    ids = seed_mailbox(fake_google, 5)
    coord = coordinator(store, google_client_factory())
    coord.run()
    fake_google.delete_message(ids[0])
    fake_google.modify_labels(ids[1], remove=("UNREAD",))
    new = fake_google.add_message(make_mail(50))
    outcome = coord.run()
    assert (outcome.added, outcome.updated, outcome.deleted) == (1, 1, 1)
    assert message_ids(store) == sorted([*ids[1:], new])
    with store.read() as conn:
        assert conn.execute("SELECT is_read FROM messages WHERE provider_id = ?", (ids[1],)).fetchone()[0] == 1


def test_history_gap_triggers_exactly_one_bounded_resync(store, fake_google, google_client_factory):
    ids = seed_mailbox(fake_google, 4)
    coord = coordinator(store, google_client_factory())
    coord.run()
    fake_google.expire_history()
    new = fake_google.add_message(make_mail(60))
    fake_google.delete_message(ids[0])  # lost in the gap: only the full listing can tell
    calls = fake_google.count("/history")
    outcome = coord.run()
    assert outcome.status == "ok" and outcome.resyncs == ["gmail"]
    assert message_ids(store) == sorted([*ids[1:], new])
    assert fake_google.count("/history") == calls + 2  # the 404, then the catch-up ending the resync


def test_revoked_token_marks_reconnect_needed_and_stops_polling(store, fake_google, google_client_factory):
    seed_mailbox(fake_google, 2)
    bus = EventBus()
    seen = []
    bus.subscribe(ACCOUNT_DID_NEED_REAUTH, lambda name, payload: seen.append(payload["account"]))
    bus.subscribe(SYNC_DID_FAIL, lambda name, payload: seen.append(name))
    coord = coordinator(store, google_client_factory(), bus)
    fake_google.revoke_all()
    outcome = coord.run()
    assert outcome.status == "auth" and outcome.stop_polling
    assert store.accounts.get(GOOGLE_ACCOUNT).state == "reconnect_needed"
    assert seen == [GOOGLE_ACCOUNT, SYNC_DID_FAIL]
    scheduler = SyncScheduler(interval_minutes=5)
    scheduler.add_account(coord, first_run_in_s=3600)
    scheduler._after(outcome)  # noqa: SLF001 - the scheduler's reaction to this outcome
    assert scheduler.accounts() == []


def test_scheduler_sync_now_runs_once_and_backs_off_after_failure(store, fake_google, google_client_factory):
    seed_mailbox(fake_google, 3)
    coord = coordinator(store, google_client_factory())
    scheduler = SyncScheduler(interval_minutes=5, jitter_s=0)
    scheduler.start()
    try:
        scheduler.add_account(coord, first_run_in_s=3600)
        assert scheduler.accounts() == [GOOGLE_ACCOUNT]
        scheduler.sync_now(GOOGLE_ACCOUNT)
        deadline = time.monotonic() + 20
        while GOOGLE_ACCOUNT not in scheduler.last_outcomes and time.monotonic() < deadline:
            time.sleep(0.05)
        assert scheduler.last_outcomes[GOOGLE_ACCOUNT].status == "ok"
        assert len(message_ids(store)) == 3
        fake_google.fail("/history", 503, times=99)
        scheduler.last_outcomes.clear()
        scheduler.sync_now(GOOGLE_ACCOUNT)
        while GOOGLE_ACCOUNT not in scheduler.last_outcomes and time.monotonic() < deadline + 20:
            time.sleep(0.05)
        assert scheduler.last_outcomes[GOOGLE_ACCOUNT].status == "unavailable"
        assert "unavailable" in store.accounts.get(GOOGLE_ACCOUNT).last_error
        import datetime as dt

        delay = (scheduler.next_run(GOOGLE_ACCOUNT) - dt.datetime.now(dt.timezone.utc)).total_seconds()
        assert 140 < delay <= 300  # backed off (interval/2 .. interval), not hammering the provider
    finally:
        scheduler.shutdown()


def test_scheduler_honours_retry_after_and_pauses(store, fake_google, google_client_factory):
    import datetime as dt

    coord = coordinator(store, google_client_factory())
    scheduler = SyncScheduler(interval_minutes=5)
    scheduler.start()
    try:
        scheduler.add_account(coord, first_run_in_s=3600)
        from engine.jobs import SyncOutcome

        scheduler._after(SyncOutcome(GOOGLE_ACCOUNT, status="rate_limited", retry_after=42))  # noqa: SLF001
        delay = (scheduler.next_run(GOOGLE_ACCOUNT) - dt.datetime.now(dt.timezone.utc)).total_seconds()
        assert 40 < delay <= 42
        scheduler._after(SyncOutcome(GOOGLE_ACCOUNT, status="unavailable"))  # noqa: SLF001
        delay = (scheduler.next_run(GOOGLE_ACCOUNT) - dt.datetime.now(dt.timezone.utc)).total_seconds()
        assert 290 < delay <= 600  # second consecutive failure: between interval and 2 x interval
        scheduler._after(SyncOutcome(GOOGLE_ACCOUNT, status="store"))  # noqa: SLF001
        assert scheduler.paused_reason == "store unavailable"
        scheduler.resume()
        assert scheduler.paused_reason == ""
    finally:
        scheduler.shutdown()


def test_stop_running_cancels_the_sync_under_way_after_its_batch() -> None:
    import threading

    from engine.jobs import SyncScheduler

    started, outcomes = threading.Event(), []

    class Slow:  # a coordinator in the middle of a long first sync
        def run(self, *, cancel):  # noqa: ANN001, ANN201
            started.set()
            outcomes.append(cancel.wait(10))
            from engine.jobs import SyncOutcome

            return SyncOutcome("google:x", status="cancelled")

    scheduler = SyncScheduler(interval_minutes=60)
    scheduler._coordinators["google:x"] = Slow()  # noqa: SLF001
    scheduler._after = lambda outcome: None  # noqa: SLF001 - no rescheduling in this test
    worker = threading.Thread(target=scheduler._run, args=("google:x",))  # noqa: SLF001 - the job body
    worker.start()
    assert started.wait(5) and scheduler.stop_running() == 1
    worker.join(5)
    assert outcomes == [True] and scheduler.stop_running() == 0  # nothing left running
