"""Speech test fixtures: generated speech clips (once per session, in memory) and one shared tiny.en
Transcriber."""

from __future__ import annotations

import pytest
from speech_helpers import SCRIPTS, Clip, sentences_clip

from engine.speech import Transcriber


@pytest.fixture(scope="session")
def budget_clip() -> Clip:
    """~27 s: six sentences with 0.6 s pauses."""
    return sentences_clip((SCRIPTS / "budget_review.txt").read_text(), gap_s=0.6)


@pytest.fixture(scope="session")
def standup_clip() -> Clip:
    """~18 s: five sentences with 1.2 s pauses (turn-like), for live transcription."""
    return sentences_clip((SCRIPTS / "live_standup.txt").read_text(), gap_s=1.2)


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    """The bundled tiny.en, int8, loaded once for the whole session (~0.3 s, 75 MB)."""
    return Transcriber()
