"""A recorded or imported meeting gets pause-based speaker turns; the user names them once for the meeting."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.context import AppContext
from app.services import Services
from engine.errors import EngineError
from engine.events import MEETING_DID_UPDATE
from engine.store import Store
from models import Meeting, TranscriptSegment

STARTED = datetime(2026, 11, 20, 17, tzinfo=timezone.utc)


def test_turns_from_pauses_then_a_name_for_the_whole_meeting(store: Store) -> None:
    segments = [TranscriptSegment(0.0, 4.0, "Where are we on the Acme renewal?"),
                TranscriptSegment(4.2, 7.0, "And the pricing?"),           # same breath: same turn
                TranscriptSegment(9.0, 14.0, "Legal has the redlines back."),  # after a pause: the other voice
                TranscriptSegment(16.0, 20.0, "Good, send them today.")]
    meeting_id = store.meetings.create(Meeting("Acme sync", STARTED, STARTED + timedelta(minutes=1),
                                               status="transcribed", segments=segments))
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    services = Services(ctx)
    announced: list[dict] = []
    services.bus.subscribe(MEETING_DID_UPDATE, lambda _n, payload: announced.append(payload))
    try:
        services.intake.adopt_recorded(meeting_id)
        speakers = [s.speaker for s in store.meetings.segments(meeting_id)]
        assert speakers == ["Speaker 1", "Speaker 1", "Speaker 2", "Speaker 1"]
        services.intake.rename_speaker(meeting_id, "Speaker 2", "  Li Wei ")
        assert [s.speaker for s in store.meetings.segments(meeting_id)][2] == "Li Wei"
        with pytest.raises(EngineError, match="cannot be empty"):
            services.intake.rename_speaker(meeting_id, "Speaker 1", " ")
        services.intake.adopt_recorded(meeting_id)  # again (e.g. after a re-link): the user's names stay
        assert "Li Wei" in [s.speaker for s in store.meetings.segments(meeting_id)]
        assert [p["meeting_id"] for p in announced] == [meeting_id] * 3  # each change gets re-indexed
    finally:
        services.close()
