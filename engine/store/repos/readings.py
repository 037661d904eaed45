"""A capable model's verified readings of mail (`engine.assistant.model_reading`), kept across restarts.

The JSON is the reading's own (`Verified.dump`); this layer stores it per message with the hash of the wording
it was read from, so an edited message is read again.
"""

from __future__ import annotations

from engine.store.repos.base import Repo, now_iso


class MailReadingRepo(Repo):
    def put(self, message_id: int, text_hash: str, reading_json: str) -> None:
        """Keep (or replace) the reading of `message_id`."""
        with self.store.transaction() as conn:
            conn.execute("INSERT INTO mail_readings(message_id, text_hash, reading_json, read_at) VALUES (?,?,?,?) "
                         "ON CONFLICT(message_id) DO UPDATE SET text_hash=excluded.text_hash, "
                         "reading_json=excluded.reading_json, read_at=excluded.read_at",
                         (message_id, text_hash, reading_json, now_iso()))

    def of_mail_since(self, since: str) -> list[tuple[int, str, str]]:
        """(message id, text hash, reading JSON) of the mail sent at or after `since` (ISO time)."""
        with self.store.read() as conn:
            return [(mid, digest, text) for mid, digest, text in conn.execute(
                "SELECT r.message_id, r.text_hash, r.reading_json FROM mail_readings r "
                "JOIN messages m ON m.id = r.message_id WHERE m.sent_at >= ?", (since,))]
