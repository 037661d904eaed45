"""Structure-aware chunking: emails without quotes/signatures, transcript windows, documents with positions."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.retrieval.chunking import (
    MAX_WINDOW_S, chunk_event, chunk_meeting, chunk_message, chunk_sections, count_tokens, describe_locator,
    parse_locator, split_text,
)
from engine.retrieval.extract import Section
from rt_builders import event, meeting, message, utc


def test_email_chunk_drops_quoted_reply_and_signature() -> None:
    msg = message("m1", "Re: Q3 pricing", "Acme wants a 12% discount if we sign before March 31.\n\n"
                  "Best,\nDana Whitfield\nVP Sales | Acme\n+1 555 0100\n\n"
                  "On Mon, Mar 2, 2026 at 9:00 AM Chris Ng <ceo@northwind.example> wrote:\n"
                  "> Can we hold list price on the renewal?\n> Thanks")
    msg.id = 7
    [chunk] = chunk_message(msg)
    assert "12% discount" in chunk.text
    assert "hold list price" not in chunk.text and "555 0100" not in chunk.text and "VP Sales" not in chunk.text
    assert (chunk.source_type, chunk.source_id, chunk.title, chunk.thread_key) == ("email", 7, "Re: Q3 pricing", "t-m1")
    assert chunk.people == ["Dana Whitfield <dana@acme.example>", "Chris Ng <ceo@northwind.example>"]
    assert chunk.occurred_at == utc(2026, 3, 2, 9) and chunk.content_hash


def test_long_email_is_split_into_parts_with_locators() -> None:
    body = "\n\n".join(f"Paragraph {i}: " + "revenue detail " * 40 for i in range(6))
    msg = message("m2", "Long memo", body)
    msg.id = 1
    chunks = chunk_message(msg)
    assert len(chunks) > 1
    assert [parse_locator(c.locator)["part"] for c in chunks] == [str(i) for i in range(1, len(chunks) + 1)]
    assert [c.position for c in chunks] == list(range(len(chunks)))


def test_transcript_windows_follow_speaker_turns_within_30_to_60_seconds() -> None:
    turns = []
    t = 0.0
    for i in range(40):  # alternating speakers, 7-second utterances, ~280 s in total
        speaker = "Dana" if (i // 3) % 2 == 0 else "Raj"
        turns.append((t, t + 7.0, speaker, f"utterance {i} about the renewal"))
        t += 7.0
    m = meeting("Pipeline review", turns)
    m.id = 3
    m.attendees = ["Dana", "Raj"]
    chunks = chunk_meeting(m)
    spans = [(float(parse_locator(c.locator)["start"]), float(parse_locator(c.locator)["end"])) for c in chunks]
    assert spans[0][0] == 0.0 and spans[-1][1] == t
    for (start, end), chunk in zip(spans[:-1], chunks):
        assert 30.0 <= end - start <= MAX_WINDOW_S, (start, end)
        assert chunk.text.splitlines()[0].startswith(("Dana:", "Raj:"))
    # Windows tile the recording: each starts where the previous ended.
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert chunks[0].occurred_at == utc(2026, 3, 3, 14)
    assert chunks[1].occurred_at > chunks[0].occurred_at
    assert describe_locator("meeting", chunks[1].locator).startswith("0:")
    # Same speaker's consecutive segments form one turn: one "Name:" prefix per turn.
    assert chunks[0].text.count("Dana:") == 1


def test_document_sections_keep_page_and_heading_with_overlap() -> None:
    long_text = " ".join(f"Sentence {i} explains the operating plan in detail." for i in range(120))
    sections = [Section("Short intro.", "Plan", 1), Section(long_text, "Plan > Hiring", 2)]
    chunks = chunk_sections(sections, source_type="doc", source_id=9, title="Operating plan")
    assert parse_locator(chunks[0].locator) == {"page": "1", "heading": "Plan"}
    rest = chunks[1:]
    assert len(rest) >= 3
    assert all(parse_locator(c.locator) == {"page": "2", "heading": "Plan > Hiring"} for c in rest)
    assert all(count_tokens(c.text) <= 300 + 45 for c in rest)
    # Consecutive pieces overlap: the start of each continues the end of the previous one.
    for a, b in zip(rest, rest[1:]):
        assert b.text.split()[0] in a.text.split()[-60:]
    assert describe_locator("doc", rest[0].locator) == "page 2 · Plan > Hiring"


def test_event_chunk_has_time_place_and_attendees() -> None:
    ev = event("e1", "Board prep", "Agenda: Q3 forecast and hiring plan.",
               attendees=("raj@northwind.example", "dana@acme.example"))
    ev.id = 4
    ev.location = "Room 4"
    [chunk] = chunk_event(ev)
    assert "Board prep" == chunk.title and "Room 4" in chunk.text and "Q3 forecast" in chunk.text
    assert "Thursday 05 March 2026 15:00 UTC" in chunk.text
    [local] = chunk_event(ev, tz=ZoneInfo("America/Los_Angeles"))
    assert "Thursday 05 March 2026 07:00 PST" in local.text
    assert chunk.people == ["raj@northwind.example", "dana@acme.example"]
    ev.status = "cancelled"
    assert chunk_event(ev) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=12),
                min_size=1, max_size=900))
def test_split_text_keeps_every_word_and_bounds_size(words: list[str]) -> None:
    text = " ".join(words)
    pieces = split_text(text, target=120, overlap=20)
    joined = " ".join(pieces).split()
    assert set(words) <= set(joined)
    assert all(count_tokens(p) <= 120 + 20 for p in pieces)
