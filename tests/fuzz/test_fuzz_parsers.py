"""Hypothesis fuzzing of every parser that reads outside input: MIME mail, iCalendar, audio containers,
GGUF model headers and the settings file. Each may only fail with its documented, human error type.

Inputs are built two ways: raw bytes (anything at all) and structure-aware mutations of valid files (valid
skeletons with random headers, charsets, encodings, truncations and byte flips), which reach much deeper
code than random bytes alone.
"""

from __future__ import annotations

import io
import json
import os
import struct
import tempfile
import wave
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.settings import Settings, SettingsError, load_settings
from connectors.ical import InvalidCalendar, parse_calendar
from connectors.mime import MalformedMessage, parse_message
from engine.llm.gguf import GGUFFormatError, read_gguf
from engine.speech.audio import decode_audio
from engine.speech.errors import AudioDecodeError

# CI runs a fixed (derandomized) sample so it never flakes; REFLEX_FUZZ_EXAMPLES=5000 hunts with fresh random inputs.
_HUNT = "REFLEX_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(max_examples=int(os.environ.get("REFLEX_FUZZ_EXAMPLES", "80")), derandomize=not _HUNT, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _flip(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for pos, value in flips:
        if out:
            out[pos % len(out)] = value
    return bytes(out[:cut] if cut is not None else out)


mutations = st.tuples(st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=6),
                      st.one_of(st.none(), st.integers(0, 4000)))

# -- MIME ------------------------------------------------------------------------------------------------
HEADER_NAMES = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Content-Type",
                "Content-Transfer-Encoding", "MIME-Version", "X-Gmail-Labels", "X-GM-THRID", "Reply-To", "Sender"]
header_values = st.one_of(
    st.text(max_size=80).map(lambda s: s.replace("\r", " ").replace("\n", " ")),
    st.sampled_from(["=?utf-8?B?w7w=?=", "=?bogus-charset?Q?=FF?=", "<a@b>", "\"Dana\" <dana@x>", "Mon, 99 Foo 2026",
                     "multipart/mixed; boundary=\"b\"", "text/plain; charset=\"x-unknown\"", "text/html; charset=utf-7",
                     "base64", "quoted-printable", "8bit", "a@b, , ,<>", "=?utf-8?Q?=E2=80?="]),
)
bodies = st.one_of(st.binary(max_size=600), st.sampled_from([
    b"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>x<img src=http://e/>\r\n--b--",
    b"--b\r\nContent-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\nunterminated",
    b"SGVsbG8gd29ybGQ=\r\n!!!not base64!!!", b"=E2=80=\r\n=XX", b"\xff\xfe\x00h\x00i"]))


@FUZZ
@given(st.binary(max_size=3000))
def test_mime_random_bytes(raw: bytes) -> None:
    try:
        msg = parse_message(raw)
    except MalformedMessage as exc:
        assert str(exc) and exc.next_step
        return
    assert isinstance(msg.body_text, str) and isinstance(msg.subject, str)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(HEADER_NAMES), header_values), min_size=1, max_size=12), bodies, mutations)
def test_mime_structured(headers, body: bytes, mutation) -> None:  # noqa: ANN001
    raw = b"".join(f"{k}: {v}\r\n".encode("utf-8", "surrogatepass") for k, v in headers) + b"\r\n" + body
    raw = _flip(raw, *mutation) if mutation[0] else raw
    try:
        msg = parse_message(raw)
    except MalformedMessage:
        return
    assert isinstance(msg.body_text, str) and msg.provider_id


# -- iCalendar ---------------------------------------------------------------------------------------------
ICS_LINES = ["DTSTART:20260105T090000Z", "DTSTART;TZID=Europe/Berlin:20260105T090000", "DTSTART;VALUE=DATE:20260105",
             "DTEND:20260105T100000Z", "DTEND:20250101T000000Z", "DURATION:PT1H", "DURATION:-P1D", "SUMMARY:Standup",
             "RRULE:FREQ=DAILY;COUNT=5", "RRULE:FREQ=WEEKLY;BYDAY=MO,XX", "RRULE:FREQ=YEARLY;UNTIL=20300101",
             "RRULE:garbage", "EXDATE:20260106T090000Z", "RECURRENCE-ID:20260107T090000Z", "STATUS:CANCELLED",
             "ORGANIZER:mailto:a@b", "ATTENDEE;CN=Dana;PARTSTAT=ACCEPTED:mailto:d@x", "UID:x", "UID:y",
             "DTSTART:2026", "DTSTART:not-a-date", "BEGIN:VALARM", "END:VALARM", "DESCRIPTION:a\\nb", "X-FOO;=:;"]
ics_lines = st.lists(st.one_of(st.sampled_from(ICS_LINES), st.text(max_size=40).map(lambda s: s.replace("\n", " "))),
                     max_size=14)


@FUZZ
@given(st.binary(max_size=2000))
def test_ics_random_bytes(raw: bytes) -> None:
    try:
        parse_calendar(raw)
    except InvalidCalendar as exc:
        assert exc.next_step


@FUZZ
@given(st.lists(ics_lines, min_size=1, max_size=4), mutations)
def test_ics_structured(events, mutation) -> None:  # noqa: ANN001
    body = "".join("BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n" for lines in events)
    raw = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\n{body}END:VCALENDAR\r\n".encode("utf-8", "surrogatepass")
    raw = _flip(raw, *mutation) if mutation[0] else raw
    try:
        result = parse_calendar(raw)
    except InvalidCalendar:
        return
    for event in result.events:
        assert event.start.tzinfo is not None and event.end.tzinfo is not None


BROKEN_RRULE = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"
                b"BEGIN:VEVENT\r\nRRULE:FREQ=:EARLY;UNTIL=20300101\r\nDTSTART:20260105T090000Z\r\nEND:VEVENT\r\n"
                b"END:VCALENDAR\r\n")


MISNESTED = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nDTSTART:20260105T090000Z\r\nBEGIN:VALARM\r\n"
             b"END:VEVENT\r\nBEGIN:VEVENT\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
DOUBLE_DTSTART = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nDTSTART:20260105T090000Z\r\n"
                  b"BEGIN:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20260105T090000Z\r\nDTSTART:20260105T090000Z\r\n"
                  b"END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.mark.parametrize("raw", [BROKEN_RRULE, MISNESTED, DOUBLE_DTSTART], ids=["rrule", "misnested", "double-dtstart"])
def test_ics_library_errors_become_skipped_components(raw: bytes) -> None:
    """Inputs the fuzzer found that once escaped as bare library errors: now each bad VEVENT is skipped."""
    result = parse_calendar(raw)
    assert result.skipped and result.events == []


# -- audio containers --------------------------------------------------------------------------------------
def _wav(rate: int, channels: int, width: int, frames: int) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(np.random.default_rng(frames).integers(0, 255, frames * channels * width, dtype=np.uint8).tobytes())
    return buf.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([8000, 16000, 44100, 1, 0]), st.integers(1, 3), st.sampled_from([1, 2, 3]),
       st.integers(0, 20000), mutations)
def test_audio_headers(rate: int, channels: int, width: int, frames: int, mutation) -> None:  # noqa: ANN001
    try:
        raw = _wav(max(rate, 1), channels, width, frames)
    except wave.Error:
        return
    if rate == 0:
        raw = raw[:24] + struct.pack("<I", 0) + raw[28:]  # a zero sample rate in the header
    raw = _flip(raw, *mutation)
    try:
        samples = decode_audio(raw)
    except AudioDecodeError as exc:
        assert exc.next_step
        return
    assert samples.dtype == np.float32 and samples.ndim == 1


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=1500))
def test_audio_random_bytes(raw: bytes) -> None:
    try:
        decode_audio(raw)
    except AudioDecodeError:
        pass


# -- GGUF headers ------------------------------------------------------------------------------------------
def _gguf_string(s: bytes) -> bytes:
    return struct.pack("<Q", len(s)) + s


def _gguf(version: int, kvs: list[tuple[bytes, int, bytes]], tensors: list[tuple[int, list[int], int, int]]) -> bytes:
    out = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kvs))
    for key, vtype, payload in kvs:
        out += _gguf_string(key) + struct.pack("<I", vtype) + payload
    for n_dims, dims, ggml_type, offset in tensors:
        out += _gguf_string(b"t") + struct.pack("<I", n_dims) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", ggml_type, offset)
    return out


gguf_values = st.one_of(
    st.tuples(st.just(4), st.integers(0, 2**32 - 1).map(lambda v: struct.pack("<I", v))),
    st.tuples(st.just(5), st.integers(-2**31, 2**31 - 1).map(lambda v: struct.pack("<i", v))),
    st.tuples(st.just(8), st.binary(max_size=20).map(_gguf_string)),
    st.tuples(st.just(8), st.integers(0, 2**64 - 1).map(lambda n: struct.pack("<Q", n))),  # lying length
    st.tuples(st.just(9), st.tuples(st.integers(0, 12), st.integers(0, 2**20)).map(lambda t: struct.pack("<IQ", *t))),
    st.tuples(st.integers(0, 40), st.binary(max_size=12)),
)


@FUZZ
@given(st.sampled_from([1, 2, 3, 4]),
       st.lists(st.tuples(st.sampled_from([b"general.architecture", b"general.alignment", b"llama.context_length",
                                           b"tokenizer.ggml.tokens", b"x"]), gguf_values), max_size=5),
       st.lists(st.tuples(st.integers(0, 10), st.lists(st.integers(0, 2**40), max_size=4), st.integers(0, 40),
                          st.integers(0, 2**40)), max_size=3),
       mutations)
def test_gguf_headers(version: int, kvs, tensors, mutation) -> None:  # noqa: ANN001
    raw = _gguf(version, [(k, t, p) for k, (t, p) in kvs], [(n, d[:n] + [1] * max(0, n - len(d)), g, o)
                                                             for n, d, g, o in tensors])
    raw = _flip(raw, *mutation) if mutation[0] else raw
    with tempfile.TemporaryDirectory(prefix="reflex-fuzz-") as tmp:
        path = Path(tmp) / "model.gguf"
        path.write_bytes(raw)
        try:
            header = read_gguf(path)
        except GGUFFormatError as exc:
            assert str(exc)
            return
        except OSError:  # documented ("or OSError"): e.g. a lying string length seeks before the file start
            return
    assert header.version in (2, 3) and header.data_end <= header.file_size


def test_gguf_string_alignment_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(_gguf(2, [(b"general.alignment", 8, _gguf_string(b"\x00"))], []))
    with pytest.raises(GGUFFormatError):
        read_gguf(path)


# -- settings files ----------------------------------------------------------------------------------------
json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                                     st.text(max_size=20)),
                           lambda children: st.one_of(st.lists(children, max_size=3),
                                                      st.dictionaries(st.text(max_size=8), children, max_size=3)),
                           max_leaves=8)
field_names = st.sampled_from(sorted(Settings.model_fields) + ["unknown", ""])


@FUZZ
@given(st.one_of(
    st.dictionaries(field_names, json_values, max_size=6).map(lambda d: json.dumps(d).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300)))
def test_settings_files(raw: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="reflex-fuzz-") as tmp:
        (Path(tmp) / "settings.json").write_bytes(raw)
        try:
            loaded = load_settings(Path(tmp))
        except SettingsError as exc:
            assert "settings.json" in str(exc) and exc.next_step
            return
    assert isinstance(loaded, Settings)


@pytest.mark.parametrize("raw", [b"\xef\xbb\xbf{}", b"[]", b'{"llm_threads": -1}', b'{"theme": "neon"}'])
def test_settings_errors_name_the_file(raw: bytes, tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_bytes(raw)
    with pytest.raises(SettingsError, match="settings.json"):
        load_settings(tmp_path)
