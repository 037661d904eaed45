"""Hostile mail (issue #16 item 4): a crafted message costs one recorded per-message error, never a stalled
sync or a stopped import. Limits are asserted (nesting depth, container count), never wall time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.base import SyncBatch
from connectors.errors import ConnectorError
from connectors.files import ImportFailure, ImportItem, iter_import
from connectors.mime import MAX_MIME_CONTAINERS, MAX_MIME_DEPTH, MalformedMessage, parse_message
from engine.events import EventBus
from engine.jobs import SyncCoordinator
from models import Account
from tests.connectors.conftest import GOOGLE_ACCOUNT, make_mail, seed_mailbox
from tests.connectors.test_sync_coordinator import coordinator, message_ids
from tests.fuzz.hostile import huge_header_mail, mbox_of, nested_multipart


def test_1200_nested_multiparts_are_one_clear_error_not_a_recursion_error():
    raw = nested_multipart(1200)
    assert len(raw) < 100_000
    with pytest.raises(MalformedMessage, match=f"more than {MAX_MIME_CONTAINERS}"):
        parse_message(raw)


def test_the_container_limit_is_exact():
    # depth is checked separately, so go wide: the count counts containers, nested or not
    def wide(n: int) -> bytes:
        parts = b"".join(b'--top\r\nContent-Type: multipart/alternative; boundary="s%d"\r\n\r\n'
                         b"--s%d\r\nContent-Type: text/plain\r\n\r\npart %d\r\n--s%d--\r\n" % (i, i, i, i)
                         for i in range(n))
        return (b"From: a@b.example\r\nSubject: wide\r\nContent-Type: multipart/mixed; boundary=\"top\"\r\n\r\n"
                + parts + b"--top--\r\n")

    assert "part 0" in parse_message(wide(MAX_MIME_CONTAINERS - 1)).body_text
    with pytest.raises(MalformedMessage, match="more than"):
        parse_message(wide(MAX_MIME_CONTAINERS))


def test_the_depth_limit_is_exact():
    assert parse_message(nested_multipart(MAX_MIME_DEPTH)).body_text == "hello"
    with pytest.raises(MalformedMessage, match=f"more than {MAX_MIME_DEPTH} levels"):
        parse_message(nested_multipart(MAX_MIME_DEPTH + 1))


def test_any_parser_exception_becomes_a_malformed_message(monkeypatch):
    import connectors.mime as mime

    def explode(*_a, **_k):
        raise MemoryError("parser blew up")

    monkeypatch.setattr(mime, "_extract", explode)
    with pytest.raises(MalformedMessage, match="MemoryError"):
        parse_message(make_mail(1))


def test_huge_headers_parse_within_the_header_limits():
    message = parse_message(huge_header_mail(2 * 2**20))
    assert message.subject.startswith("x" * 70) and message.sender.email == "m@evil.example"


def test_an_mbox_import_records_the_bomb_and_carries_on(tmp_path: Path):
    box = tmp_path / "takeout.mbox"
    box.write_bytes(mbox_of(make_mail(1), nested_multipart(1200), make_mail(2)))
    results = list(iter_import([box]))
    assert [type(r) for r in results] == [ImportItem, ImportFailure, ImportItem]
    assert results[1].source.endswith("#2") and "more than" in results[1].reason


def test_a_bomb_in_gmail_is_recorded_skipped_and_the_cursor_moves_on(store, fake_google, google_client_factory):
    good = seed_mailbox(fake_google, 3)
    bomb = fake_google.add_message(nested_multipart(1200))
    coord = coordinator(store, google_client_factory())
    outcome = coord.run()
    assert outcome.status == "ok"
    assert message_ids(store) == sorted(good)
    assert len(outcome.skipped) == 1 and outcome.skipped[0].startswith(f"{bomb}: ")
    with store.read() as conn:
        detail = json.loads(conn.execute("SELECT detail_json FROM job_runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert detail["skipped_count"] == 1 and bomb in detail["skipped"][0]
    assert '"phase":"history"' in store.cursors.get(GOOGLE_ACCOUNT, "gmail").value
    # the next run does not read the bomb again: the cursor is past it
    again = coord.run()
    assert again.status == "ok" and again.skipped == [] and again.added == 0


class _BuggyConnector:
    """A connector with a bug: its sync raises something that is not a ConnectorError."""

    account = "buggy:me@example.com"

    def streams(self) -> list[str]:
        return ["mail"]

    def sync(self, stream: str, cursor: str | None) -> SyncBatch:
        raise KeyError("historyId")


def test_an_unexpected_error_is_recorded_as_a_backoff_failure_not_raised(store):
    store.accounts.upsert(Account(_BuggyConnector.account, "google", "me@example.com"))
    failures = []
    bus = EventBus()
    bus.subscribe("*", lambda name, payload: failures.append(name))
    outcome = SyncCoordinator(store=store, connector=_BuggyConnector(), bus=bus).run()
    assert outcome.status == "error" and "KeyError" in outcome.error
    assert not outcome.stop_polling
    assert store.accounts.get(_BuggyConnector.account).last_error == outcome.error
    assert "sync_did_fail" in failures
    assert not isinstance(KeyError(), ConnectorError)  # the case the old code let escape

