"""Fixing one turn's speaker, splitting and merging turns: stored, and the other turns' labels never shift."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine.usecases.turn_edits import fix_turn_speaker, meeting_turns, merge_turn_with_next, split_meeting_turn
from models import Meeting, TranscriptSegment


def _meeting(store) -> int:  # noqa: ANN001
    lines = [(0, 2, "Hello all."), (2.2, 4, "Let's start."), (6, 8, "Numbers are up."), (8.3, 9, "Twelve percent."),
             (11, 12, "Great."), (14, 15, "Next item.")]
    return store.meetings.create(Meeting("Sync", datetime(2026, 12, 1, tzinfo=timezone.utc), source="test",
                                         segments=[TranscriptSegment(a, b, t) for a, b, t in lines]))


def _view(turns) -> list[tuple[str, list[str]]]:  # noqa: ANN001
    return [(t.speaker, [s.text for s in t.segments]) for t in turns]


def test_turns_come_from_pauses_with_provisional_labels(store) -> None:  # noqa: ANN001
    mid = _meeting(store)
    assert [t.speaker for t in meeting_turns(store, mid)] == ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]


def test_fix_one_turn_and_the_others_keep_their_labels(store) -> None:  # noqa: ANN001
    mid = _meeting(store)
    turns = fix_turn_speaker(store, mid, 2, "Dana")
    assert [t.speaker for t in turns] == ["Speaker 1", "Speaker 2", "Dana", "Speaker 2"]
    assert [t.speaker for t in meeting_turns(store, mid)] == ["Speaker 1", "Speaker 2", "Dana", "Speaker 2"]  # stored


def test_split_a_turn_between_two_lines(store) -> None:  # noqa: ANN001
    mid = _meeting(store)
    turns = split_meeting_turn(store, mid, 1, 1, "Sam")
    assert _view(turns)[1:3] == [("Speaker 2", ["Numbers are up."]), ("Sam", ["Twelve percent."])]
    assert [t.speaker for t in turns[3:]] == ["Speaker 1", "Speaker 2"]  # unchanged although there are more turns
    with pytest.raises(ValueError):
        split_meeting_turn(store, mid, 0, 5, "Sam")  # outside the turn
    with pytest.raises(ValueError):
        split_meeting_turn(store, mid, 0, 1, "Speaker 1")  # the same speaker is no split


def test_merge_gives_the_next_turn_this_speaker(store) -> None:  # noqa: ANN001
    mid = _meeting(store)
    turns = merge_turn_with_next(store, mid, 2)
    speakers = [s.speaker for t in turns for s in t.segments]
    assert speakers[4:] == ["Speaker 1", "Speaker 1"]
    with pytest.raises(LookupError):
        merge_turn_with_next(store, mid, len(turns) - 1)  # no next turn
