"""Pause-based speaker turns with editable names, and linking a meeting to its calendar event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.speech import apply_event, link_event, rename_speaker, segment_turns, set_turn_speaker, speaker_choices
from models import Attendee, Event, Meeting, TranscriptSegment


def segs(*spans: tuple[float, float]) -> list[TranscriptSegment]:
    return [TranscriptSegment(start=a, end=b, text=f"s{i}") for i, (a, b) in enumerate(spans)]


def test_pauses_split_turns_and_labels_alternate() -> None:
    segments = segs((0, 2), (2.3, 4), (5.5, 7), (7.2, 9), (11, 12))
    turns = segment_turns(segments, pause_s=1.0)
    assert [[s.text for s in t.segments] for t in turns] == [["s0", "s1"], ["s2", "s3"], ["s4"]]
    assert [t.speaker for t in turns] == ["Speaker 1", "Speaker 2", "Speaker 1"]
    assert [s.speaker for s in segments] == ["Speaker 1"] * 2 + ["Speaker 2"] * 2 + ["Speaker 1"]
    assert (turns[1].start, turns[1].end, turns[1].text) == (5.5, 9, "s2 s3")


def test_one_speaker_and_input_order() -> None:
    turns = segment_turns(list(reversed(segs((0, 1), (3, 4)))), speakers=1)
    assert [t.speaker for t in turns] == ["Speaker 1", "Speaker 1"] and turns[0].start == 0
    with pytest.raises(ValueError):
        segment_turns([], speakers=0)


def test_renames_survive_resegmentation_and_map_to_attendees() -> None:
    segments = segs((0, 2), (3.5, 5), (6.5, 8))
    turns = segment_turns(segments)
    people = speaker_choices([Attendee("dana@example.com", "Dana Lee"), Attendee("raj@example.com"),
                              "Dana Lee", "  "])
    assert people == ["Dana Lee", "raj@example.com"]
    assert rename_speaker(segments, "Speaker 1", people[0]) == 2
    set_turn_speaker(turns[1], people[1])
    again = segment_turns(segments)
    assert [t.speaker for t in again] == ["Dana Lee", "raj@example.com", "Dana Lee"]
    with pytest.raises(ValueError):
        rename_speaker(segments, "Dana Lee", " ")
    with pytest.raises(ValueError):
        set_turn_speaker(turns[0], "")


@given(st.lists(st.tuples(st.floats(0, 3600), st.floats(0.1, 30)), max_size=40), st.floats(0, 5))
def test_turns_partition_segments_in_time_order(spans: list[tuple[float, float]], pause: float) -> None:
    segments = [TranscriptSegment(start=a, end=a + d, text="x") for a, d in spans]
    turns = segment_turns(segments, pause_s=pause)
    flat = [s for t in turns for s in t.segments]
    assert sorted(map(id, flat)) == sorted(map(id, segments))
    assert [s.start for s in flat] == sorted(s.start for s in segments)
    assert all(s.speaker == t.speaker for t in turns for s in t.segments)


T0 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def event(title: str, start_min: int, end_min: int, *people: str, **kw) -> Event:
    return Event(account="me@example.com", provider_id=title, title=title, start=T0 + timedelta(minutes=start_min),
                 end=T0 + timedelta(minutes=end_min), attendees=[Attendee(p, p.split("@")[0].title()) for p in people],
                 id=hash(title) % 1000, **kw)


def meeting(start_min: int, end_min: int | None, *people: str) -> Meeting:
    return Meeting(title="Meeting 2026-11-24 15:00", started_at=T0 + timedelta(minutes=start_min),
                   ended_at=None if end_min is None else T0 + timedelta(minutes=end_min), attendees=list(people))


def test_links_by_time_overlap() -> None:
    events = [event("Standup", -30, 0), event("Board prep", 0, 60), event("1:1", 60, 90)]
    assert link_event(meeting(2, 55), events).title == "Board prep"
    assert link_event(meeting(200, 230), events) is None
    assert link_event(meeting(5, None), events).title == "Board prep"  # still recording


def test_attendees_break_ties_between_overlapping_events() -> None:
    events = [event("Sales sync", 0, 30, "ana@example.com", "bo@example.com"),
              event("Hiring", 0, 30, "raj@example.com", "dana@example.com")]
    assert link_event(meeting(1, 29, "dana@example.com"), events).title == "Hiring"
    assert link_event(meeting(1, 29, "Ana"), events).title == "Sales sync"  # names match too


def test_weak_overlap_needs_a_shared_attendee() -> None:
    events = [event("Review", 0, 60, "raj@example.com")]
    late = meeting(55, 115)  # 5 of 60 minutes overlap
    assert link_event(late, events) is None
    late.attendees = ["raj@example.com"]
    assert link_event(late, events).title == "Review"


def test_cancelled_and_all_day_events_are_never_linked() -> None:
    events = [event("Offsite", 0, 600, all_day=True), event("Cancelled", 0, 60, status="cancelled")]
    assert link_event(meeting(0, 60), events) is None


def test_naive_and_aware_times_compare_in_local_time() -> None:
    local = T0.astimezone(timezone(timedelta(hours=-5)))
    naive_meeting = Meeting(title="", started_at=local.astimezone().replace(tzinfo=None),
                            ended_at=(local + timedelta(minutes=30)).astimezone().replace(tzinfo=None))
    assert link_event(naive_meeting, [event("Call", 0, 30)]).title == "Call"


def test_apply_event_copies_title_and_attendees() -> None:
    target = meeting(0, 30, "raj@example.com")
    linked = apply_event(target, event("Hiring", 0, 30, "dana@example.com"))
    assert linked is target and target.title == "Hiring" and target.event_id is not None
    assert target.attendees == ["raj@example.com", "Dana"]
    named = Meeting(title="Q4 plan", started_at=T0)
    assert apply_event(named, event("Hiring", 0, 30)).title == "Q4 plan"  # a user's title is kept
