"""Meetings, transcript segments, markers and the encrypted audio chunks recorded for them."""

from __future__ import annotations

from typing import Iterable, Iterator

from models import Meeting, TranscriptSegment
from engine.store.repos.base import Repo, dumps, from_iso, loads, to_iso

_COLUMNS = "id, title, started_at, ended_at, event_id, source, language, model, status, attendees_json, summary"


class MeetingRepo(Repo):
    def create(self, meeting: Meeting) -> int:
        with self.store.transaction() as conn:
            meeting.id = conn.execute(
                "INSERT INTO meetings(title, started_at, ended_at, event_id, source, language, model, status, "
                "attendees_json, summary) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (meeting.title, to_iso(meeting.started_at), to_iso(meeting.ended_at), meeting.event_id, meeting.source,
                 meeting.language, meeting.model, meeting.status, dumps(meeting.attendees), meeting.summary),
            ).lastrowid
            if meeting.segments:
                self.add_segments(meeting.id, meeting.segments)
        return meeting.id

    def update(self, meeting: Meeting) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE meetings SET title=?, started_at=?, ended_at=?, event_id=?, source=?, language=?, model=?, "
                "status=?, attendees_json=?, summary=? WHERE id=?",
                (meeting.title, to_iso(meeting.started_at), to_iso(meeting.ended_at), meeting.event_id, meeting.source,
                 meeting.language, meeting.model, meeting.status, dumps(meeting.attendees), meeting.summary, meeting.id),
            )

    def get(self, meeting_id: int, *, with_segments: bool = True) -> Meeting | None:
        with self.store.read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        if not row:
            return None
        meeting = self._meeting(row)
        if with_segments:
            meeting.segments = self.segments(meeting_id)
        return meeting

    def set_notes(self, meeting_id: int, notes: dict) -> None:
        """Replace the meeting's generated notes (summary, decisions, action items ...) as JSON."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE meetings SET notes_json = ? WHERE id = ?", (dumps(notes), meeting_id))

    def notes(self, meeting_id: int) -> dict:
        """The stored notes, or {} when the meeting has none (or does not exist)."""
        with self.store.read() as conn:
            row = conn.execute("SELECT notes_json FROM meetings WHERE id = ?", (meeting_id,)).fetchone()
        return loads(row[0], {}) if row else {}

    def all(self) -> list[Meeting]:
        with self.store.read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM meetings ORDER BY started_at DESC").fetchall()
        return [self._meeting(r) for r in rows]

    def delete(self, meeting_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM meetings WHERE id = ?", (meeting_id,))

    @staticmethod
    def _meeting(row) -> Meeting:  # noqa: ANN001
        return Meeting(
            id=row[0], title=row[1], started_at=from_iso(row[2]), ended_at=from_iso(row[3]), event_id=row[4],
            source=row[5], language=row[6], model=row[7], status=row[8], attendees=loads(row[9], []), summary=row[10],
        )

    def add_segments(self, meeting_id: int, segments: Iterable[TranscriptSegment]) -> None:
        with self.store.transaction() as conn:
            for seg in segments:
                seg.meeting_id = meeting_id
                seg.id = conn.execute(
                    'INSERT INTO transcript_segments(meeting_id, start, "end", speaker, text) VALUES (?,?,?,?,?)',
                    (meeting_id, seg.start, seg.end, seg.speaker, seg.text),
                ).lastrowid

    def replace_segments(self, meeting_id: int, segments: Iterable[TranscriptSegment]) -> None:
        """Swap a transcript in one transaction (re-transcription with another model)."""
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM transcript_segments WHERE meeting_id = ?", (meeting_id,))
            self.add_segments(meeting_id, segments)

    def segments(self, meeting_id: int) -> list[TranscriptSegment]:
        with self.store.read() as conn:
            rows = conn.execute(
                'SELECT start, "end", text, speaker, meeting_id, id FROM transcript_segments '
                "WHERE meeting_id = ? ORDER BY start, id",
                (meeting_id,),
            ).fetchall()
        return [TranscriptSegment(*r) for r in rows]

    def set_speakers(self, speakers: dict[int, str]) -> None:
        """Speaker labels by segment id (pause-based turns), in one transaction; ids and text stay."""
        with self.store.transaction() as conn:
            conn.executemany("UPDATE transcript_segments SET speaker = ? WHERE id = ?",
                             [(name, segment_id) for segment_id, name in speakers.items()])

    def rename_speaker(self, meeting_id: int, old: str, new: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE transcript_segments SET speaker = ? WHERE meeting_id = ? AND speaker = ?", (new, meeting_id, old)
            )

    def append_audio(self, meeting_id: int, seq: int, data: bytes, *, sample_rate: int = 16000,
                     sample_format: str = "s16le") -> None:
        """Append one recorded chunk; committed durably on return (synchronous=FULL)."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO audio_chunks(meeting_id, seq, sample_rate, channels, sample_format, data) "
                "VALUES (?,?,?,?,?,?)",
                (meeting_id, seq, sample_rate, 1, sample_format, data),
            )

    def audio_chunks(self, meeting_id: int) -> Iterator[tuple[int, int, str, bytes]]:
        """(seq, sample_rate, sample_format, data) in order, fetched one at a time to bound memory."""
        with self.store.read() as conn:
            seqs = [r[0] for r in conn.execute("SELECT seq FROM audio_chunks WHERE meeting_id = ? ORDER BY seq", (meeting_id,))]
        for seq in seqs:
            with self.store.read() as conn:
                row = conn.execute(
                    "SELECT seq, sample_rate, sample_format, data FROM audio_chunks WHERE meeting_id = ? AND seq = ?",
                    (meeting_id, seq),
                ).fetchone()
            if row:
                yield row[0], row[1], row[2], bytes(row[3])

    def has_audio(self, meeting_id: int) -> bool:
        with self.store.read() as conn:
            return conn.execute("SELECT 1 FROM audio_chunks WHERE meeting_id = ? LIMIT 1", (meeting_id,)).fetchone() \
                is not None

    def drop_audio(self, meeting_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM audio_chunks WHERE meeting_id = ?", (meeting_id,))

    def add_marker(self, meeting_id: int, at: float, kind: str, note: str = "") -> int:
        with self.store.transaction() as conn:
            return conn.execute(
                "INSERT INTO meeting_markers(meeting_id, at, kind, note) VALUES (?,?,?,?)", (meeting_id, at, kind, note)
            ).lastrowid

    def markers(self, meeting_id: int) -> list[tuple[float, str, str]]:
        with self.store.read() as conn:
            return conn.execute(
                "SELECT at, kind, note FROM meeting_markers WHERE meeting_id = ? ORDER BY at", (meeting_id,)
            ).fetchall()

    def segment_position(self, segment_id: int) -> tuple[int, float] | None:
        """(meeting id, start seconds) of a transcript segment, for evidence links."""
        with self.store.read() as conn:
            row = conn.execute("SELECT meeting_id, start FROM transcript_segments WHERE id = ?", (segment_id,)).fetchone()
        return (row[0], row[1]) if row else None

