"""Gmail sync against the fake Gmail server, driven by googleapiclient."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from connectors.base import QuotaBudget, SyncBatch, decode_cursor
from connectors.errors import AuthError, CursorExpired, RateLimited, Unavailable
from connectors.google import GmailStream
from tests.connectors.conftest import GOOGLE_ACCOUNT, make_mail, seed_mailbox


def drain(stream: GmailStream, cursor: str | None) -> tuple[list[SyncBatch], str | None]:
    batches = []
    while True:
        batch = stream.sync(cursor)
        batches.append(batch)
        cursor = batch.new_cursor
        if batch.done:
            return batches, cursor


def test_initial_sync_pages_through_the_window_and_parses_raw_mime(fake_google, google_client_factory):
    ids = seed_mailbox(fake_google, 23)
    old = fake_google.add_message(make_mail(999), when=datetime.now(timezone.utc) - timedelta(days=120))
    stream = GmailStream(google_client_factory(), account=GOOGLE_ACCOUNT, page_size=10, batch_size=4)
    batches, cursor = drain(stream, None)
    got = [m for b in batches for m in b.messages]
    assert len(batches) == 4 and [b.full_sync for b in batches] == [True, True, True, False]
    assert sorted(m.provider_id for m in got) == sorted(ids)  # the 120-day-old one is outside 90 days
    assert old not in {m.provider_id for m in got}
    first = next(m for m in got if m.provider_id == ids[0])
    assert first.subject == "Quarterly update 0" and "revenue line 0" in first.body_text
    assert first.sender.email == "sender0@acme.example" and not first.is_read
    assert first.thread_key == ids[0] and "INBOX" in first.labels
    assert decode_cursor(cursor)["phase"] == "history"
    # pages of 10, 10, 3 fetched in HTTP batches of 4: 3 + 3 + 1 batch posts carrying 23 gets
    assert fake_google.count("/batch/gmail/v1") == 7
    assert fake_google.count("/messages/", "GET") == 23


def synced(fake_google, google_client_factory, **kw):
    stream = GmailStream(google_client_factory(**kw), account=GOOGLE_ACCOUNT, page_size=50)
    _, cursor = drain(stream, None)
    return stream, cursor


def test_history_brings_adds_label_changes_and_deletions_only(fake_google, google_client_factory):
    ids = seed_mailbox(fake_google, 30)
    stream, cursor = synced(fake_google, google_client_factory)
    before = len(fake_google.requests)
    new = fake_google.add_message(make_mail(100))
    fake_google.modify_labels(ids[0], remove=("UNREAD",))
    fake_google.modify_labels(ids[1], add=("Label_1",))
    fake_google.delete_message(ids[2])
    fake_google.modify_labels(ids[3], add=("TRASH",))
    added_then_deleted = fake_google.add_message(make_mail(101))
    fake_google.delete_message(added_then_deleted)
    batches, cursor2 = drain(stream, cursor)
    batch = batches[-1]
    assert [m.provider_id for m in batch.messages] == [new]
    assert sorted(batch.deleted_messages) == sorted([ids[2], ids[3], added_then_deleted])
    updates = {u.provider_id: u for u in batch.label_updates}
    assert updates[ids[0]].is_read and "UNREAD" not in updates[ids[0]].labels
    assert "Board" in updates[ids[1]].labels  # user label ids are mapped to names
    # O(changes) requests: history + labels + one batch with one get
    assert len(fake_google.requests) - before <= 5
    assert decode_cursor(cursor2)["history_id"] == str(fake_google.state.history_id)
    assert drain(stream, cursor2)[0][-1].change_count == 0


def test_history_pages_advance_the_cursor_per_page(fake_google, google_client_factory):
    seed_mailbox(fake_google, 3)
    stream, cursor = synced(fake_google, google_client_factory)
    added = [fake_google.add_message(make_mail(200 + i)) for i in range(7)]
    small = GmailStream(stream.client, account=GOOGLE_ACCOUNT, page_size=3)
    batches, _ = drain(small, cursor)
    assert [len(b.messages) for b in batches] == [3, 3, 1]
    assert [b.done for b in batches] == [False, False, True]
    # resuming from the middle cursor (as after a crash) yields exactly the remaining messages
    rest, _ = drain(small, batches[0].new_cursor)
    assert [m.provider_id for b in rest for m in b.messages] == added[3:]


def test_expired_history_id_raises_cursor_expired_once(fake_google, google_client_factory):
    seed_mailbox(fake_google, 5)
    stream, cursor = synced(fake_google, google_client_factory)
    fake_google.expire_history()
    calls = fake_google.count("/history")  # the initial sync's catch-up call
    with pytest.raises(CursorExpired):
        stream.sync(cursor)
    assert fake_google.count("/history") == calls + 1  # one 404, not a retry loop
    batches, _ = drain(stream, None)  # the engine clears the cursor: a bounded full sync
    assert sum(len(b.messages) for b in batches) == 5


def test_429_with_retry_after_is_honoured_then_succeeds(fake_google, google_client_factory):
    seed_mailbox(fake_google, 3)
    sleeps: list[float] = []
    fake_google.fail("/messages", 429, headers={"Retry-After": "7"}, times=1)
    stream, _ = synced(fake_google, google_client_factory, sleeps=sleeps)
    assert sleeps and 7 <= sleeps[0] < 8.1


def test_403_user_rate_limit_is_treated_as_429(fake_google, google_client_factory):
    seed_mailbox(fake_google, 2)
    sleeps: list[float] = []
    fake_google.fail("/profile", 403, body={"error": {"code": 403, "message": "slow down",
                     "errors": [{"reason": "userRateLimitExceeded"}]}}, times=2)
    synced(fake_google, google_client_factory, sleeps=sleeps)
    assert len(sleeps) == 2 and fake_google.count("/profile") == 3


def test_5xx_is_retried_with_backoff_and_gives_up_as_unavailable(fake_google, google_client_factory):
    seed_mailbox(fake_google, 2)
    sleeps: list[float] = []
    fake_google.fail("/profile", 503, times=2)
    synced(fake_google, google_client_factory, sleeps=sleeps)
    assert len(sleeps) == 2
    fake_google.fail("/profile", 500, times=99)
    with pytest.raises(Unavailable):
        synced(fake_google, google_client_factory)
    assert fake_google.count("/profile") == 3 + 5  # Retrier(attempts=5)


def test_per_item_rate_limit_inside_a_batch_is_retried(fake_google, google_client_factory):
    ids = seed_mailbox(fake_google, 6)
    sleeps: list[float] = []
    fake_google.fail(f"/messages/{ids[2]}", 429, headers={"Retry-After": "1"}, times=1)
    _, cursor = synced(fake_google, google_client_factory, sleeps=sleeps)
    assert len(sleeps) == 1
    assert fake_google.count(f"/messages/{ids[2]}") == 2 and fake_google.count(f"/messages/{ids[0]}") == 1


def test_expired_access_token_is_refreshed_transparently(fake_google, google_client_factory):
    seed_mailbox(fake_google, 4)
    stream, cursor = synced(fake_google, google_client_factory)
    refreshes = len(fake_google.token_requests)
    fake_google.expire_access_tokens()
    fake_google.add_message(make_mail(300))
    batches, _ = drain(stream, cursor)
    assert len(batches[-1].messages) == 1
    assert len(fake_google.token_requests) == refreshes + 1
    assert fake_google.token_requests[-1]["grant_type"] == "refresh_token"


def test_revoked_refresh_token_raises_auth_error(fake_google, google_client_factory):
    seed_mailbox(fake_google, 1)
    stream, cursor = synced(fake_google, google_client_factory)
    fake_google.revoke_all()
    with pytest.raises(AuthError) as err:
        stream.sync(cursor)
    assert "Reconnect" in err.value.next_step


def test_quota_budget_paces_message_gets(fake_google, google_client_factory):
    seed_mailbox(fake_google, 10)
    sleeps: list[float] = []
    client = google_client_factory(sleeps=sleeps, units_per_minute=6000)
    drain(GmailStream(client, account=GOOGLE_ACCOUNT, page_size=100), None)
    # 1 profile + 5 list + 10 x 20 gets + 2 history = 208 units < 6000: no waiting
    assert client.budget.spent == 208 and sleeps == []
    now = [0.0]

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    tight = google_client_factory()
    tight.budget = QuotaBudget(120, clock=lambda: now[0], sleep=fake_sleep)  # 2 units/s, bucket of 120
    drain(GmailStream(tight, account=GOOGLE_ACCOUNT, page_size=100), None)
    # 120 - 1 - 5 - 200 = -86 units -> wait 43 s before the batch; then the history call waits 1 s
    assert [round(s, 1) for s in sleeps] == [43.0, 1.0]


def test_resync_is_idempotent(fake_google, google_client_factory):
    seed_mailbox(fake_google, 8)
    stream, _ = synced(fake_google, google_client_factory)
    first = sorted((m.provider_id, m.subject, m.body_text) for b in drain(stream, None)[0] for m in b.messages)
    second = sorted((m.provider_id, m.subject, m.body_text) for b in drain(stream, None)[0] for m in b.messages)
    assert first == second and len(first) == 8
