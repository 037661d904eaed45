"""Messages, threads and contacts. Upserts are idempotent by (account, provider_id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from models import Attachment, Contact, Message
from engine.store.repos.base import Database, Repo, dumps, from_iso, loads, now_iso, provider_ids_in, to_iso


@dataclass(slots=True)
class MessageSummary:
    """A light row for lists (no body)."""

    id: int
    account: str
    thread_id: int
    subject: str
    sender_email: str
    sender_name: str
    sent_at: str | None
    snippet: str
    is_read: bool


class ContactRepo(Repo):
    def upsert(self, contacts: Iterable[Contact]) -> None:
        """Insert new contacts; fill a missing name/organization/role, never blank a known one."""
        rows = [(c.email.strip().lower(), c.name, c.organization, c.role, now_iso()) for c in contacts if c.email]
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO contacts(email, name, organization, role, updated_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(email) DO UPDATE SET "
                "name = CASE WHEN excluded.name != '' THEN excluded.name ELSE contacts.name END, "
                "organization = CASE WHEN excluded.organization != '' THEN excluded.organization ELSE contacts.organization END, "
                "role = CASE WHEN excluded.role != '' THEN excluded.role ELSE contacts.role END, "
                "updated_at = excluded.updated_at",
                rows,
            )

    def get(self, email: str) -> Contact | None:
        with self.store.read() as conn:
            row = conn.execute("SELECT email, name, organization, role, id FROM contacts WHERE email = ?", (email,)).fetchone()
        return Contact(*row) if row else None

    def all(self) -> list[Contact]:
        with self.store.read() as conn:
            rows = conn.execute("SELECT email, name, organization, role, id FROM contacts ORDER BY name, email").fetchall()
        return [Contact(*r) for r in rows]


class MessageRepo(Repo):
    def __init__(self, store: Database, *, contacts: ContactRepo) -> None:
        super().__init__(store)
        self._contacts = contacts  # a message's participants are upserted as contacts in the same transaction

    def upsert(self, messages: Iterable[Message]) -> list[int]:
        """Insert or update messages (and their thread, participants, labels, contacts); returns row ids."""
        ids: list[int] = []
        with self.store.transaction() as conn:
            for msg in messages:
                ids.append(self._upsert_one(conn, msg))
        return ids

    def _upsert_one(self, conn, msg: Message) -> int:  # noqa: ANN001 - sqlcipher connection
        sent = to_iso(msg.sent_at)
        conn.execute(
            "INSERT INTO threads(account, thread_key, subject, last_message_at) VALUES (?,?,?,?) "
            "ON CONFLICT(account, thread_key) DO UPDATE SET last_message_at = "
            "max(coalesce(threads.last_message_at, ''), coalesce(excluded.last_message_at, ''))",
            (msg.account, msg.thread_key, msg.subject, sent),
        )
        thread_id = conn.execute(
            "SELECT id FROM threads WHERE account = ? AND thread_key = ?", (msg.account, msg.thread_key)
        ).fetchone()[0]
        values = (
            thread_id, msg.subject, msg.sender.email.lower(), msg.sender.name, sent, msg.body_text,
            msg.snippet or msg.body_text[:200], int(msg.is_read), dumps(msg.headers),
            _attachments_json(msg.attachments),
            msg.message_id_header, msg.in_reply_to,
        )
        row = conn.execute(
            "SELECT id FROM messages WHERE account = ? AND provider_id = ?", (msg.account, msg.provider_id)
        ).fetchone()
        if row:
            message_id = row[0]
            conn.execute(
                "UPDATE messages SET thread_id=?, subject=?, sender_email=?, sender_name=?, sent_at=?, body_text=?, "
                "snippet=?, is_read=?, headers_json=?, attachments_json=?, message_id_header=?, in_reply_to=? "
                "WHERE id = ?",
                (*values, message_id),
            )
            conn.execute("DELETE FROM message_participants WHERE message_id = ?", (message_id,))
            conn.execute("DELETE FROM message_labels WHERE message_id = ?", (message_id,))
        else:
            message_id = conn.execute(
                "INSERT INTO messages(account, provider_id, thread_id, subject, sender_email, sender_name, sent_at, "
                "body_text, snippet, is_read, headers_json, attachments_json, message_id_header, in_reply_to) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (msg.account, msg.provider_id, *values),
            ).lastrowid
        participants = {("from", msg.sender.email.lower()): msg.sender.name}
        for role, people in (("to", msg.to), ("cc", msg.cc)):
            for person in people:
                participants.setdefault((role, person.email.lower()), person.name)
        conn.executemany(
            "INSERT INTO message_participants(message_id, role, email, name) VALUES (?,?,?,?)",
            [(message_id, role, email, name) for (role, email), name in participants.items() if email],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO message_labels(message_id, label) VALUES (?,?)",
            [(message_id, label) for label in msg.labels],
        )
        self._contacts.upsert(msg.participants)
        msg.id = message_id
        return message_id

    def delete_provider_ids(self, account: str, provider_ids: Iterable[str]) -> int:
        """Honour provider deletions; returns how many rows went."""
        with self.store.transaction() as conn:
            cur = conn.executemany(
                "DELETE FROM messages WHERE account = ? AND provider_id = ?", [(account, p) for p in provider_ids]
            )
            return cur.rowcount

    def delete_empty_threads(self, account: str) -> int:
        """Delete the account's threads that no message belongs to any more; returns how many went."""
        with self.store.transaction() as conn:
            return conn.execute("DELETE FROM threads WHERE account = ? AND id NOT IN (SELECT thread_id FROM messages)",
                                (account,)).rowcount

    def provider_ids(self, account: str, *, since: datetime | None = None, until: datetime | None = None) -> list[str]:
        """The provider ids of the account's messages, optionally only those sent in [since, until)."""
        return provider_ids_in(self.store, "messages", "sent_at", account, since, until)

    def ids(self) -> list[int]:
        """Every message id, oldest first (by sent time, then id)."""
        with self.store.read() as conn:
            return [r[0] for r in conn.execute("SELECT id FROM messages ORDER BY sent_at, id")]

    def top_recipient(self) -> str | None:
        """The address that appears most often in To or Cc (ties: alphabetical), or None with no mail."""
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT email, count(*) AS n FROM message_participants WHERE role IN ('to', 'cc') "
                "GROUP BY email ORDER BY n DESC, email LIMIT 1"
            ).fetchone()
        return row[0] if row else None

    def set_labels(self, account: str, provider_id: str, labels: Iterable[str], *, is_read: bool | None = None) -> None:
        with self.store.transaction() as conn:
            row = conn.execute("SELECT id FROM messages WHERE account=? AND provider_id=?", (account, provider_id)).fetchone()
            if not row:
                return
            conn.execute("DELETE FROM message_labels WHERE message_id = ?", (row[0],))
            conn.executemany("INSERT OR IGNORE INTO message_labels VALUES (?,?)", [(row[0], lab) for lab in labels])
            if is_read is not None:
                conn.execute("UPDATE messages SET is_read = ? WHERE id = ?", (int(is_read), row[0]))

    def set_attachments(self, account: str, provider_id: str, attachments: Iterable[Attachment]) -> None:
        """Replace a stored message's attachment metadata (e.g. with what could not be read); no-op when the
        message is not stored (yet)."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE messages SET attachments_json = ? WHERE account = ? AND provider_id = ?",
                         (_attachments_json(attachments), account, provider_id))

    def get(self, message_id: int) -> Message | None:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT m.id, m.account, m.provider_id, t.thread_key, m.subject, m.sender_email, m.sender_name, "
                "m.sent_at, m.body_text, m.snippet, m.is_read, m.headers_json, m.attachments_json, "
                "m.message_id_header, m.in_reply_to FROM messages m JOIN threads t ON t.id = m.thread_id WHERE m.id = ?",
                (message_id,),
            ).fetchone()
            if not row:
                return None
            people = conn.execute(
                "SELECT role, email, name FROM message_participants WHERE message_id = ?", (message_id,)
            ).fetchall()
            labels = [r[0] for r in conn.execute("SELECT label FROM message_labels WHERE message_id = ?", (message_id,))]
        return Message(
            id=row[0], account=row[1], provider_id=row[2], thread_key=row[3], subject=row[4],
            sender=Contact(row[5], row[6]), sent_at=from_iso(row[7]), body_text=row[8], snippet=row[9],
            is_read=bool(row[10]), headers=loads(row[11], {}),
            attachments=[Attachment(*a) for a in loads(row[12], [])],
            message_id_header=row[13], in_reply_to=row[14], labels=labels,
            to=[Contact(e, n) for role, e, n in people if role == "to"],
            cc=[Contact(e, n) for role, e, n in people if role == "cc"],
        )

    def id_for(self, account: str, provider_id: str) -> int | None:
        with self.store.read() as conn:
            row = conn.execute("SELECT id FROM messages WHERE account=? AND provider_id=?", (account, provider_id)).fetchone()
        return row[0] if row else None

    def recent(self, *, limit: int = 100, since: str | None = None) -> list[MessageSummary]:
        """Newest first; `since` is an ISO timestamp."""
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT id, account, thread_id, subject, sender_email, sender_name, sent_at, snippet, is_read "
                "FROM messages WHERE (? IS NULL OR sent_at >= ?) ORDER BY sent_at DESC LIMIT ?",
                (since, since, limit),
            ).fetchall()
        return [MessageSummary(*r[:8], bool(r[8])) for r in rows]

    def thread_of(self, message_id: int) -> list[int]:
        """Ids of every message in the thread `message_id` belongs to, oldest first ([] if it is gone)."""
        with self.store.read() as conn:
            return [r[0] for r in conn.execute(
                "SELECT id FROM messages WHERE thread_id = (SELECT thread_id FROM messages WHERE id = ?) "
                "ORDER BY sent_at", (message_id,))]

    def thread_ids(self, thread_id: int) -> list[int]:
        with self.store.read() as conn:
            return [r[0] for r in conn.execute("SELECT id FROM messages WHERE thread_id = ? ORDER BY sent_at", (thread_id,))]

    def search(self, query: str, *, limit: int = 20) -> list[int]:
        """FTS5 BM25 over subject, body and sender name; `query` is FTS5 syntax."""
        with self.store.read() as conn:
            return [r[0] for r in conn.execute(
                "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?", (query, limit)
            )]


def _attachments_json(attachments: Iterable[Attachment]) -> str:
    """[name, type, size] per attachment, plus why it could not be read when that is known."""
    return dumps([[a.filename, a.content_type, a.size, *([a.problem] if a.problem else [])] for a in attachments])
