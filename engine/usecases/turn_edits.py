"""Fixing who said what in a meeting, one turn at a time: re-attribute a turn, split one, merge two.

Turns come from pauses (`engine.speech.turns`: a gap of a second or more, or a change of speaker, starts one);
Reflex does not recognise voices, so the user corrects them here. Every edit stores the speaker of every line of
the meeting (not only the changed ones), so the provisional "Speaker N" labels of the other turns cannot shift
when the number of turns changes. Returns the meeting's turns after the edit, as the page shows them.

Threads: store-bound (the store worker). Errors: `ValueError` with a sentence for an impossible edit (nothing
is saved); `LookupError` when the meeting or turn is gone.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.speech.turns import Turn, merge_turns, segment_turns, set_turn_speaker, split_turn
from engine.store import Store

__all__ = ["fix_turn_speaker", "meeting_turns", "merge_turn_with_next", "split_meeting_turn"]


def meeting_turns(store: Store, meeting_id: int) -> list[Turn]:
    """The meeting's turns (pauses and stored speakers), provisional labels for unlabelled lines."""
    return segment_turns(store.meetings.segments(meeting_id))


def _turn(turns: list[Turn], index: int) -> Turn:
    if not 0 <= index < len(turns):
        raise LookupError(f"turn {index} is not in this meeting (it has {len(turns)})")
    return turns[index]


def _edit(store: Store, meeting_id: int, change: Callable[[list[Turn]], object]) -> list[Turn]:
    """Apply `change` to the meeting's turns, then store every line's speaker (captured before `change`
    moves lines between turns)."""
    segments = store.meetings.segments(meeting_id)
    change(segment_turns(segments))
    store.meetings.set_speakers({seg.id: seg.speaker for seg in segments if seg.id is not None})
    return meeting_turns(store, meeting_id)


def fix_turn_speaker(store: Store, meeting_id: int, turn_index: int, name: str) -> list[Turn]:
    """Attribute one turn to `name` (the rest of that speaker's lines stay theirs)."""
    return _edit(store, meeting_id, lambda turns: set_turn_speaker(_turn(turns, turn_index), name))


def split_meeting_turn(store: Store, meeting_id: int, turn_index: int, at_line: int, speaker: str) -> list[Turn]:
    """Lines `at_line`... of the turn become `speaker`'s (a new turn)."""
    return _edit(store, meeting_id, lambda turns: split_turn(_turn(turns, turn_index), at_line, speaker))


def merge_turn_with_next(store: Store, meeting_id: int, turn_index: int) -> list[Turn]:
    """The next turn's lines become this turn's speaker's. Lines keep their times: a long pause between them
    still shows as a new turn of the same speaker."""
    return _edit(store, meeting_id,
                 lambda turns: merge_turns(_turn(turns, turn_index), _turn(turns, turn_index + 1)))
