"""Hypothesis over size and depth of hostile inputs (issue #16): every input ends in a clear per-item outcome
and the limits hold (nesting depth, container count, instances per series, uncompressed size), whatever the
dimensions. Wall time is never asserted; `bench/hostile_bench.py` measures it."""

from __future__ import annotations

import io
import os
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.ical import MAX_INSTANCES_PER_SERIES, parse_calendar
from connectors.mime import MAX_MIME_CONTAINERS, MAX_MIME_DEPTH, MalformedMessage, parse_message
from engine.errors import IngestError
from engine.retrieval.extract import MAX_UNCOMPRESSED_BYTES, check_zip, extract_bytes
from tests.fuzz.hostile import mbox_of, nested_multipart

_HUNT = "REFLEX_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(max_examples=int(os.environ.get("REFLEX_FUZZ_EXAMPLES", "30")), derandomize=not _HUNT,
                deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(levels=st.integers(0, 1500), wrapper=st.sampled_from(["multipart", "rfc822"]))
def test_nesting_of_any_depth_parses_or_is_one_malformed_message(levels, wrapper):
    raw = nested_multipart(levels) if wrapper == "multipart" else _nested_messages(levels)
    try:
        message = parse_message(raw)
    except MalformedMessage as err:
        assert "more than" in str(err)
        assert levels > MAX_MIME_DEPTH
    else:
        assert levels <= MAX_MIME_DEPTH <= MAX_MIME_CONTAINERS
        assert message.sender.email == "m@evil.example"


def _nested_messages(levels: int) -> bytes:
    raw = b"From: m@evil.example\r\nSubject: inner\r\n\r\nhello\r\n"
    for _ in range(levels):
        raw = (b"From: m@evil.example\r\nSubject: fwd\r\nContent-Type: message/rfc822\r\n\r\n" + raw)
    return raw


@FUZZ
@given(freq=st.sampled_from(["SECONDLY", "MINUTELY", "HOURLY", "DAILY"]), interval=st.integers(1, 90),
       start_year=st.integers(1970, 2026), by_minute=st.integers(0, 60))
def test_any_recurrence_stays_within_the_per_series_cap(freq, interval, start_year, by_minute):
    minutes = ",".join(str(m) for m in range(by_minute)) if by_minute else ""
    rule = f"FREQ={freq};INTERVAL={interval}" + (f";BYMINUTE={minutes}" if minutes else "")
    data = (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//f//EN\r\nBEGIN:VEVENT\r\nUID:s\r\n"
            f"DTSTART:{start_year}0101T000000Z\r\nRRULE:{rule}\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
            f"BEGIN:VEVENT\r\nUID:late\r\nDTSTART:20261201T000000Z\r\nSUMMARY:y\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    result = parse_calendar(data.encode())
    series = [e for e in result.events if e.recurring_id == "s"]
    assert len(series) <= MAX_INSTANCES_PER_SERIES
    assert any(e.provider_id == "late" for e in result.events)


@FUZZ
@given(sizes=st.lists(st.integers(0, 2 * MAX_UNCOMPRESSED_BYTES), min_size=1, max_size=4))
def test_a_zip_with_any_declared_sizes_is_refused_before_inflating_or_fits(sizes):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i, size in enumerate(sizes):
            zf.writestr(f"part{i}.xml", b"")
    data = bytearray(buf.getvalue())
    _declare_sizes(data, sizes)
    try:
        check_zip(bytes(data), "f.docx")
    except IngestError as err:
        assert sum(sizes) > MAX_UNCOMPRESSED_BYTES or "times its size" in str(err)
    else:
        assert sum(sizes) <= MAX_UNCOMPRESSED_BYTES
        try:
            extract_bytes(bytes(data), kind="docx", name="f.docx")  # lying sizes: a per-file error, no inflation
        except IngestError:
            pass


def _declare_sizes(data: bytearray, sizes: list[int]) -> None:
    """Overwrite each central-directory entry's uncompressed size (what zipfile trusts) with `sizes`."""
    pos = 0
    for size in sizes:
        pos = data.index(b"PK\x01\x02", pos)
        data[pos + 24:pos + 28] = size.to_bytes(4, "little")
        pos += 4


@FUZZ
@given(count=st.integers(1, 6), bomb_at=st.integers(0, 5), levels=st.integers(300, 1500))
def test_an_mbox_carries_on_past_bombs_anywhere(tmp_path_factory, count, bomb_at, levels):
    from connectors.files import ImportFailure, ImportItem, iter_import

    good = [b"From: a%d@x.example\r\nSubject: %d\r\n\r\nbody\r\n" % (i, i) for i in range(count)]
    messages = good[:bomb_at] + [nested_multipart(levels)] + good[bomb_at:]
    path = tmp_path_factory.mktemp("mbox") / "box.mbox"
    path.write_bytes(mbox_of(*messages))
    results = list(iter_import([path]))
    assert sum(isinstance(r, ImportItem) for r in results) == count
    assert sum(isinstance(r, ImportFailure) for r in results) == 1
