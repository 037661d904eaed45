"""Removing expired data so the bytes really leave the disk (the retention policy in engine.privacy.retention
decides what expires; this says how).

WHY `secure_delete`: SQLite normally leaves deleted rows in free pages; with `PRAGMA secure_delete=ON` they
are overwritten with zeros, then `compact` gives the space back (`incremental_vacuum`; stores made before
incremental auto-vacuum are converted once by `engine.store.compaction`) and truncates the WAL. Each `*_before` removal joins an enclosing
transaction; cutoffs are compared with the store's UTC ISO-8601 text.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Iterator

from sqlcipher3.dbapi2 import Connection

from engine.store.repos.base import Repo, to_iso

_MEETINGS_BEFORE = "SELECT id FROM meetings WHERE started_at < ?"
_MAIL_WITH_BODY_BEFORE = "SELECT id FROM messages WHERE sent_at < ? AND (body_text != '' OR snippet != '')"


class PurgeRepo(Repo):
    @contextlib.contextmanager
    def secure_delete(self) -> Iterator[None]:
        """Deleted content is overwritten with zeros inside the block; the previous setting comes back after."""
        with self.store.read() as conn:
            previous = int(conn.execute("PRAGMA secure_delete").fetchone()[0])
            conn.execute("PRAGMA secure_delete = ON")
        try:
            yield
        finally:
            with self.store.read() as conn:
                conn.execute(f"PRAGMA secure_delete = {previous}")

    def meeting_audio_before(self, cutoff: datetime) -> int:
        """Delete the audio chunks of meetings that started before `cutoff`; returns the chunks removed."""
        with self.store.transaction() as conn:
            return conn.execute(f"DELETE FROM audio_chunks WHERE meeting_id IN ({_MEETINGS_BEFORE})",
                                (to_iso(cutoff),)).rowcount

    def transcripts_before(self, cutoff: datetime) -> int:
        """Delete the transcript segments of meetings that started before `cutoff`, and the search chunks made
        from them; returns the segments removed."""
        with self.store.transaction() as conn:
            removed = conn.execute(f"DELETE FROM transcript_segments WHERE meeting_id IN ({_MEETINGS_BEFORE})",
                                   (to_iso(cutoff),)).rowcount
            _drop_index_snapshot(conn, conn.execute(
                f"DELETE FROM chunks WHERE source_type = 'meeting' AND source_id IN ({_MEETINGS_BEFORE})",
                (to_iso(cutoff),)).rowcount)
        return removed

    def mail_bodies_before(self, cutoff: datetime) -> int:
        """Blank the bodies and snippets of messages sent before `cutoff` and delete their search chunks
        (headers stay); returns the messages blanked."""
        with self.store.transaction() as conn:
            _drop_index_snapshot(conn, conn.execute(
                f"DELETE FROM chunks WHERE source_type = 'email' AND source_id IN ({_MAIL_WITH_BODY_BEFORE})",
                (to_iso(cutoff),)).rowcount)
            return conn.execute("UPDATE messages SET body_text = '', snippet = '' "
                                "WHERE sent_at < ? AND (body_text != '' OR snippet != '')", (to_iso(cutoff),)).rowcount

    def conversations_before(self, cutoff: datetime) -> int:
        """Delete conversations last updated before `cutoff` (their turns go with them)."""
        with self.store.transaction() as conn:
            return conn.execute("DELETE FROM conversations WHERE updated_at < ?", (to_iso(cutoff),)).rowcount

    def compact(self, threshold: float) -> bool:
        """Give free pages back to the disk when they exceed `threshold` (a share) of the file; True if it did.

        Only with incremental auto-vacuum: a full VACUUM with temp_store=MEMORY (temp files are not encrypted)
        would need as much RAM as the store is large. Older stores keep their zeroed free pages until they are
        converted once (`engine.store.compaction`, run by `reflex-assistant retention run`)."""
        with self.store.read() as conn:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            free = conn.execute("PRAGMA freelist_count").fetchone()[0]
            if not free or free < threshold * pages or conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:
                return False
            conn.execute("PRAGMA incremental_vacuum").fetchall()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return True


def _drop_index_snapshot(conn: Connection, chunks_deleted: int) -> None:
    """The vector index snapshot still holds the codes and person tokens of purged chunks: drop it (the next
    start rebuilds it from what is left)."""
    if chunks_deleted:
        conn.execute("DELETE FROM index_snapshot")
        conn.execute("DELETE FROM index_snapshot_dirty")
