"""Mail domain types shared by connectors, importers and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Contact:
    """A person known from mail headers, calendars or the team roster."""

    email: str
    name: str = ""
    organization: str = ""
    role: str = ""
    id: int | None = None


@dataclass(slots=True)
class Attachment:
    """Attachment metadata. The bytes are not stored; the text of document attachments (PDF, DOCX, XLSX, PPTX,
    CSV, Markdown, text, HTML) of imported and synced mail is kept as a document of its own
    (engine.retrieval.documents.add_attachments). `problem` says why one of those could not be read ("" when
    it was, or is not a document), so the message can show it."""

    filename: str
    content_type: str
    size: int
    problem: str = ""


@dataclass(slots=True)
class Message:
    """One email, already parsed to text.

    `provider_id` is unique per account (Gmail id, Graph id, or Message-ID for imports), which
    makes upserts idempotent. `body_text` is the readable text (HTML converted), never raw MIME.
    """

    account: str
    provider_id: str
    thread_key: str
    subject: str
    sender: Contact
    to: list[Contact] = field(default_factory=list)
    cc: list[Contact] = field(default_factory=list)
    sent_at: datetime | None = None
    body_text: str = ""
    snippet: str = ""
    labels: list[str] = field(default_factory=list)
    is_read: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    message_id_header: str = ""
    in_reply_to: str = ""
    id: int | None = None

    @property
    def participants(self) -> list[Contact]:
        return [self.sender, *self.to, *self.cc]


@dataclass(slots=True)
class Thread:
    """A conversation: messages sharing a provider thread id (or a References chain)."""

    account: str
    thread_key: str
    subject: str
    messages: list[Message] = field(default_factory=list)
    id: int | None = None
