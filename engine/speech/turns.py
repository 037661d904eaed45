"""Speaker turns from pauses, with user-editable speaker names.

Real diarization would need a speaker-embedding model we cannot ship offline yet; pauses are a good
proxy for turn changes in conversation. Turns get provisional labels ("Speaker 1", "Speaker 2", ...
assigned round-robin) that the user renames — typically to attendees of the linked calendar event.
Pure functions over `models.TranscriptSegment`; persisting a rename is `store.meetings.rename_speaker`, and
`engine.usecases.turn_edits` persists fixing, splitting and merging single turns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from models import Attendee, TranscriptSegment

DEFAULT_PAUSE_S = 1.0
"""A gap of at least this many seconds between segments starts a new turn."""


@dataclass(slots=True)
class Turn:
    """Consecutive segments attributed to one speaker; times in seconds on the meeting timeline."""

    index: int
    speaker: str
    segments: list[TranscriptSegment] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.segments[0].start

    @property
    def end(self) -> float:
        return self.segments[-1].end

    @property
    def text(self) -> str:
        return " ".join(seg.text for seg in self.segments)


def segment_turns(
    segments: Sequence[TranscriptSegment],
    *,
    pause_s: float = DEFAULT_PAUSE_S,
    speakers: int = 2,
) -> list[Turn]:
    """Group time-ordered segments into turns split at pauses >= `pause_s`.

    Segments that already carry a speaker keep it (a user's edits survive re-segmentation) and a
    change of speaker also starts a turn; unlabelled turns get "Speaker N" round-robin over
    `speakers` labels (1 = everyone is "Speaker 1"). Sets `segment.speaker` in place; returns the turns.
    Raises `ValueError` if `speakers` < 1 or `pause_s` < 0.
    """
    if speakers < 1 or pause_s < 0:
        raise ValueError("speakers must be >= 1 and pause_s >= 0")
    ordered = sorted(segments, key=lambda seg: (seg.start, seg.end))
    turns: list[Turn] = []
    for seg in ordered:
        previous = turns[-1] if turns else None
        same_turn = (
            previous is not None
            and seg.start - previous.end < pause_s
            and (not seg.speaker or seg.speaker == previous.speaker)
        )
        if same_turn:
            assert previous is not None
            previous.segments.append(seg)
        else:
            label = seg.speaker or f"Speaker {len(turns) % speakers + 1}"
            turns.append(Turn(index=len(turns), speaker=label, segments=[seg]))
        seg.speaker = turns[-1].speaker
    return turns


def rename_speaker(segments: Sequence[TranscriptSegment], old: str, new: str) -> int:
    """Rename every segment of speaker `old` to `new` (e.g. "Speaker 2" -> "Dana Lee"); returns how many.

    Raises `ValueError` for an empty new name.
    """
    if not new.strip():
        raise ValueError("a speaker name cannot be empty")
    changed = 0
    for seg in segments:
        if seg.speaker == old:
            seg.speaker = new.strip()
            changed += 1
    return changed


def set_turn_speaker(turn: Turn, name: str) -> None:
    """Attribute one turn to `name` (fixing a single misattributed turn). Raises `ValueError` if empty."""
    if not name.strip():
        raise ValueError("a speaker name cannot be empty")
    turn.speaker = name.strip()
    for seg in turn.segments:
        seg.speaker = turn.speaker


def split_turn(turn: Turn, at: int, speaker: str) -> list[TranscriptSegment]:
    """Split `turn` before its segment `at` (1 <= at < len): the later part becomes `speaker`'s turn (a turn
    is consecutive lines of one speaker, so a split is a change of speaker). Returns the re-labelled segments.
    Raises `ValueError` for an empty name, the turn's own speaker, or a split point outside the turn."""
    if not 1 <= at < len(turn.segments):
        raise ValueError("a turn splits between two of its lines")
    if not speaker.strip() or speaker.strip() == turn.speaker:
        raise ValueError("the second part needs another speaker")
    later = turn.segments[at:]
    for seg in later:
        seg.speaker = speaker.strip()
    del turn.segments[at:]
    return later


def merge_turns(first: Turn, second: Turn) -> list[TranscriptSegment]:
    """Merge `second` into `first` (the turn just before it): its lines become `first`'s speaker's. Returns the
    re-labelled segments. Raises `ValueError` unless `second` directly follows `first`."""
    if second.index != first.index + 1:
        raise ValueError("only neighbouring turns merge")
    for seg in second.segments:
        seg.speaker = first.speaker
    first.segments.extend(second.segments)
    moved, second.segments = second.segments, []
    return moved


def speaker_choices(attendees: Sequence[Attendee | str]) -> list[str]:
    """Names to offer when renaming a speaker: attendee display names (their email when unnamed),
    de-duplicated in calendar order."""
    names: list[str] = []
    for person in attendees:
        name = person if isinstance(person, str) else (person.name or person.email)
        name = name.strip()
        if name and name not in names:
            names.append(name)
    return names
