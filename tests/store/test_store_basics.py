"""The encrypted store: repositories, idempotent upserts, transactions and schema versions."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine.errors import DiskFull
from engine.store import Store
from engine.store import migrate
from models import Attendee, Contact, Event, Message, SyncCursor


def _message(pid: str = "m1", body: str = "Quarterly numbers attached") -> Message:
    return Message(
        account="google:dana@northwind.example", provider_id=pid, thread_key="t1", subject="Q3 numbers",
        sender=Contact("cfo@northwind.example", "Chris CFO"), to=[Contact("dana@northwind.example", "Dana")],
        sent_at=datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc), body_text=body, labels=["INBOX"],
    )


def test_message_upsert_is_idempotent_and_round_trips(store: Store) -> None:
    first = store.messages.upsert([_message()])
    again = store.messages.upsert([_message(body="Quarterly numbers attached, revised")])
    assert first == again
    got = store.messages.get(first[0])
    assert got is not None and got.body_text.endswith("revised")
    assert got.to[0].email == "dana@northwind.example" and got.labels == ["INBOX"]
    assert store.counts()["messages"] == 1
    assert store.messages.search("revised") == first


def test_provider_deletion_removes_message_and_fts_row(store: Store) -> None:
    store.messages.upsert([_message()])
    assert store.messages.delete_provider_ids("google:dana@northwind.example", ["m1"]) == 1
    assert store.messages.search("quarterly") == []


def test_data_and_cursor_commit_together_or_not_at_all(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.messages.upsert([_message()])
            store.cursors.set(SyncCursor("google:dana@northwind.example", "gmail", "12345"))
            raise RuntimeError("crash between batch and commit")
    assert store.counts()["messages"] == 0
    assert store.cursors.get("google:dana@northwind.example", "gmail") is None


def test_events_round_trip_with_attendees(store: Store) -> None:
    ev = Event(
        account="a", provider_id="e1", title="Board meeting",
        start=datetime(2026, 11, 25, 15, tzinfo=timezone.utc), end=datetime(2026, 11, 25, 17, tzinfo=timezone.utc),
        attendees=[Attendee("board@x.example", "Board", "accepted")],
    )
    (eid,) = store.events.upsert([ev])
    window = store.events.between(datetime(2026, 11, 25, tzinfo=timezone.utc), datetime(2026, 11, 26, tzinfo=timezone.utc))
    assert [e.id for e in window] == [eid]
    assert window[0].attendees[0].response == "accepted"


def test_disk_full_rolls_back_and_says_so(store: Store) -> None:
    store.messages.upsert([_message("small")])
    with store.read() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFull) as err:
        store.messages.upsert([_message(f"big{i}", "x" * 20000) for i in range(20)])
    assert "disk is full" in str(err.value)
    assert store.counts()["messages"] == 1


def test_migrates_from_every_earlier_version(tmp_path, store_key) -> None:
    latest = migrate.latest_version()
    for start in range(0, latest):
        path = tmp_path / f"v{start}.db"
        from engine.store.connection import connect

        conn = connect(path, store_key, create=True)
        migrate.migrate(conn, target=start)
        assert migrate.current_version(conn) == start
        conn.close()
        opened = Store.open(path, store_key)
        assert opened.schema_version == latest
        opened.messages.upsert([_message()])
        opened.close()


def test_thread_of_and_segment_position(store: Store) -> None:
    from models import Meeting, TranscriptSegment

    first, reply = _message("m1"), _message("m2", body="Thanks, looks good")
    reply.sent_at = datetime(2026, 11, 21, tzinfo=timezone.utc)
    other = _message("m3")
    other.thread_key = "t2"
    ids = store.messages.upsert([reply, first, other])
    assert store.messages.thread_of(ids[0]) == [ids[1], ids[0]]  # oldest first, other threads excluded
    assert store.messages.thread_of(999) == []
    mid = store.meetings.create(Meeting("Sync", datetime(2026, 11, 25, tzinfo=timezone.utc),
                                        segments=[TranscriptSegment(12.5, 15.0, "hello")]))
    seg = store.meetings.segments(mid)[0]
    assert store.meetings.segment_position(seg.id) == (mid, 12.5)
    assert store.meetings.segment_position(999) is None


def test_connection_pragmas_hold_on_every_open(store: Store) -> None:
    """WAL for crash safety with readers, FULL sync so an acknowledged write survives power loss, temp tables in
    memory (never a plaintext temp file), foreign keys on, and SQLCipher really in charge."""
    with store.read() as conn:
        pragma = lambda name: conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert str(pragma("journal_mode")).lower() == "wal"
        assert pragma("synchronous") == 2 and pragma("temp_store") == 2 and pragma("foreign_keys") == 1
        assert pragma("cipher_version")


def test_a_keyring_that_stores_plaintext_is_never_trusted_with_the_key(monkeypatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.backends import fail

    from engine.store import secure_keyring_available
    from tests.fakes.keyring_backend import MemoryKeyring

    class PlaintextKeyring(KeyringBackend):  # what keyrings.alt installs: a file in the home folder
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):  # noqa: ANN001, ANN201
            return None

        def set_password(self, service, username, password):  # noqa: ANN001, ANN201
            raise AssertionError("the store key must never be written to a plaintext keyring")

        def delete_password(self, service, username):  # noqa: ANN001, ANN201
            return None

    for backend, secure in ((PlaintextKeyring(), False), (fail.Keyring(), False), (MemoryKeyring(), True)):
        monkeypatch.setattr(keyring, "get_keyring", lambda b=backend: b)
        assert secure_keyring_available() is secure, type(backend).__name__
