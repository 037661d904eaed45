"""connectors.files: .eml/.mbox/.ics import, per-item failures that never stop the rest, mbox streaming."""

from __future__ import annotations

import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

from connectors.files import ImportFailure, ImportItem, UnreadableFile, UnsupportedFile, iter_import
from connectors.ical import InvalidCalendar
from connectors.mime import MalformedMessage
from models import Event, Message


def _eml(n: int, *, body: str = "Hello", extra: str = "") -> bytes:
    return (f"From: Sender {n} <s{n}@acme.example>\nTo: dana@northwind-robotics.example\nSubject: Message {n}\n"
            f"Date: Mon, 23 Nov 2026 10:{n % 60:02d}:00 +0000\nMessage-ID: <m{n}@acme.example>\n{extra}\n{body}\n").encode()


ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
       b"BEGIN:VEVENT\r\nUID:daily\r\nDTSTART:20261123T170000Z\r\nDTEND:20261123T171500Z\r\n"
       b"RRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:Standup\r\nEND:VEVENT\r\n"
       b"BEGIN:VEVENT\r\nUID:broken\r\nSUMMARY:no start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_eml_ics_and_failures_in_one_run(tmp_path: Path):
    (tmp_path / "a.eml").write_bytes(_eml(1))
    (tmp_path / "bad.eml").write_bytes(b"this is not an email at all")
    (tmp_path / "cal.ics").write_bytes(ICS)
    (tmp_path / "junk.ics").write_bytes(b"not a calendar")
    (tmp_path / "notes.txt").write_text("ignored inside a directory")
    (tmp_path / "z.eml").write_bytes(_eml(2))
    explicit_txt = tmp_path / "notes.txt"
    results = list(iter_import([tmp_path, explicit_txt, tmp_path / "missing.eml"], account="import:test"))

    items = [r for r in results if isinstance(r, ImportItem)]
    failures = [r for r in results if isinstance(r, ImportFailure)]
    assert [type(i.item) for i in items] == [Message, Event, Event, Event, Message]  # sorted path order
    assert all(i.item.account == "import:test" for i in items)
    assert [i.kind for i in items][:2] == ["message", "event"]
    by_source = {Path(f.source).name: type(f.error) for f in failures}
    assert by_source == {"bad.eml": MalformedMessage, "cal.ics": InvalidCalendar, "junk.ics": InvalidCalendar,
                         "notes.txt": UnsupportedFile, "missing.eml": UnreadableFile}
    assert all(f.reason and f.error.next_step for f in failures)


def test_reimport_is_idempotent_by_provider_id(tmp_path: Path):
    (tmp_path / "a.eml").write_bytes(_eml(1))
    (tmp_path / "cal.ics").write_bytes(ICS)
    ids = [[r.item.provider_id for r in iter_import([tmp_path]) if isinstance(r, ImportItem)] for _ in range(2)]
    assert ids[0] == ids[1] and len(set(ids[0])) == 4


def test_ics_window_limits_instances(tmp_path: Path):
    (tmp_path / "cal.ics").write_bytes(ICS)
    window = (datetime(2026, 11, 24, tzinfo=timezone.utc), datetime(2026, 11, 25, tzinfo=timezone.utc))
    events = [r.item for r in iter_import([tmp_path / "cal.ics"], window=window) if isinstance(r, ImportItem)]
    assert [e.start.day for e in events] == [24]


def test_mbox_takeout_messages_and_a_malformed_one(tmp_path: Path):
    takeout = _eml(1, extra="X-GM-THRID: 1790123456789012345\nX-Gmail-Labels: Inbox,Important,Unread\n",
                   body="Hi Dana,\n>From escaped by the mbox writer")
    mbox = (b"From 1790123456789012345@xxx Mon Nov 23 10:01:00 +0000 2026\n" + takeout + b"\n"
            b"From MAILER-DAEMON Mon Nov 23 10:02:00 2026\n\x00\x01 binary junk with no headers\n\n"
            b"From someone Mon Nov 23 10:03:00 2026\n" + _eml(3) + b"\n")
    path = tmp_path / "All mail Including Spam and Trash.mbox"
    path.write_bytes(mbox)
    results = list(iter_import([path]))
    assert [type(r) for r in results] == [ImportItem, ImportFailure, ImportItem]
    assert [r.source.rsplit("#", 1)[1] for r in results] == ["1", "2", "3"]
    first = results[0].item
    assert first.thread_key == format(1790123456789012345, "x")
    assert first.labels == ["Inbox", "Important", "Unread"] and first.is_read is False
    assert first.subject == "Message 1" and results[2].item.subject == "Message 3"
    assert isinstance(results[1].error, MalformedMessage)


def test_non_mbox_file_with_mbox_suffix_is_reported(tmp_path: Path):
    path = tmp_path / "x.mbox"
    path.write_bytes(b"just some text\nwithout separators\n")
    (empty := tmp_path / "empty.mbox").write_bytes(b"")
    results = list(iter_import([path, empty]))
    assert len(results) == 1 and isinstance(results[0].error, UnsupportedFile)


def test_mbox_is_streamed_not_loaded(tmp_path: Path):
    """A 400-message (~10 MB) mbox imports with a peak allocation far below the file size."""
    body = ("Quarterly numbers attached.\n" * 1000)[:24000]
    path = tmp_path / "big.mbox"
    with path.open("wb") as out:
        for n in range(400):
            out.write(b"From x@y Mon Nov 23 10:00:00 2026\n" + _eml(n, body=body) + b"\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = 0
        for result in iter_import([path]):
            assert isinstance(result, ImportItem)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 400
    assert peak < size / 8, (peak, size)
