"""Meeting notes whose model-written summary passes the answer engine's verifier: the use-case that joins
`engine.assistant.meeting_notes` (which may not import engine.answers: answers already draws on assistant) with
`engine.answers.Verifier`. Thread-safe as long as the embedder is."""

from __future__ import annotations

from typing import Any

from engine.answers import EvidenceSentence, Verifier
from engine.answers.verify import strip_markers
from engine.retrieval.rag import Citation
from models import Meeting, TranscriptSegment

__all__ = ["sentence_verifier", "shown"]


def shown(verified: str) -> str:
    """A verified sentence as the reader sees it: without the verifier's citation marker, ending in . ? or !"""
    text = strip_markers(verified).rstrip(" ")
    return text if text[-1:] in ".?!" else f"{text}."


def sentence_verifier(embedder: Any):  # noqa: ANN201 - returns `meeting_notes.VerifySentences`
    """A `verify(meeting, key_points, sentences) -> kept sentences` for `MeetingNotesService`: each model sentence
    must state only values its evidence states and be close to one of the key points (`Verifier`)."""
    def verify(meeting: Meeting, points: list[tuple[TranscriptSegment, str]], said: list[str]) -> list[str]:
        evidence = [EvidenceSentence(text, Citation(i + 1, 0, "meeting", meeting.id or 0, meeting.title,
                                                    f"t={seg.start}", seg.speaker, meeting.started_at, text, 1.0))
                    for i, (seg, text) in enumerate(points)]
        verifier = Verifier(embedder, evidence)  # no question: a summary is about the whole meeting
        return [shown(v.sentence) for v in map(verifier.check, said) if v.ok]

    return verify
