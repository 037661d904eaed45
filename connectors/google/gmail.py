"""Gmail stream: initial sync of the last N days, then incremental sync from a historyId.

Cursor states (JSON via `connectors.base.encode_cursor`):
- `{"phase": "full", "history_id": H, "after": T, "page_token": P}`: walking `messages.list` pages of
  messages newer than epoch second T. H was read from `users.getProfile` BEFORE listing, so changes
  made while the initial sync runs are replayed by history afterwards (replays are idempotent).
- `{"phase": "history", "history_id": H}`: incremental; `history.list(startHistoryId=H)`.

A full sync is not `done` when its last page is fetched: the same run continues with one history
call, so mail that arrived or went away during the listing is in place when the run finishes.
One `sync()` call handles one page, and its batch carries the cursor that resumes after that page, so
a crash costs at most one page of refetching. An expired historyId (404) raises `CursorExpired`; the
engine then clears the cursor once and a bounded full sync starts (never a retry loop).
Messages arrive as `format=raw` and are parsed by `connectors.mime.parse_message`; the raw message already
holds every attachment's bytes, so those the app wants (`wants_attachment`) ride along in the batch without a
second request (`users.messages.attachments.get` serves only `format=full` parts). Label-only changes
become `LabelUpdate`s without refetching bodies. Moving a message to Trash or Spam counts as deletion.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterable
from typing import Any

from datetime import datetime, timedelta, timezone

from connectors.base import LabelUpdate, Reconcile, SyncBatch, WantsAttachment, decode_cursor, encode_cursor
from connectors.errors import CursorExpired
from connectors.google.client import GMAIL_UNITS, GoogleClient, NotFound
from connectors.mime import MalformedMessage, attachment_files, parse_message
from models import Message

__all__ = ["GMAIL_STREAM", "GmailStream"]

log = logging.getLogger(__name__)

GMAIL_STREAM = "gmail"
_GONE_LABELS = {"TRASH", "SPAM"}
AttachmentFiles = list[tuple[str, bytes]]  # (file name, bytes)


class GmailStream:
    """Syncs one Gmail mailbox into `Message`s. Not thread-safe: one sync at a time per account."""

    def __init__(self, client: GoogleClient, *, account: str, initial_days: int = 90,
                 page_size: int = 100, batch_size: int = 50, wants_attachment: WantsAttachment | None = None) -> None:
        self.client = client
        self.wants_attachment = wants_attachment
        self.account = account
        self.initial_days = initial_days
        self.page_size = page_size
        self.batch_size = batch_size
        self._label_names: dict[str, str] = {}

    # -- public ------------------------------------------------------------------------------

    def sync(self, cursor: str | None) -> SyncBatch:
        state = decode_cursor(cursor)
        if state is None:
            return self._full_page(self._start_full())
        if state.get("phase") == "full":
            return self._full_page(state)
        if state.get("phase") == "history":
            return self._history_page(str(state["history_id"]))
        log.warning("gmail %s: unknown cursor phase, starting a full sync", self.account)
        return self._full_page(self._start_full())

    # -- full sync ---------------------------------------------------------------------------

    def _start_full(self) -> dict[str, Any]:
        users = self.client.gmail.users()
        profile = self.client.execute(users.getProfile(userId="me"), units=GMAIL_UNITS["getProfile"])
        after = int(time.time()) - self.initial_days * 86400
        return {"phase": "full", "history_id": str(profile["historyId"]), "after": after,
                "page_token": None}

    def _full_page(self, state: dict[str, Any]) -> SyncBatch:
        request = self.client.gmail.users().messages().list(
            userId="me", q=f"after:{state['after']}", maxResults=self.page_size,
            pageToken=state.get("page_token") or None, includeSpamTrash=False)
        page = self.client.execute(request, units=GMAIL_UNITS["messages.list"])
        ids = [item["id"] for item in page.get("messages", [])]
        messages, gone, skipped, files = self._fetch(ids)
        token = page.get("nextPageToken")
        if token:
            cursor = encode_cursor({**state, "page_token": token})
        else:
            cursor = encode_cursor({"phase": "history", "history_id": state["history_id"]})
        log.info("gmail %s: full-sync page with %d messages", self.account, len(messages))
        # The listing is complete: local mail in the window that it did not return is gone. A day of
        # margin because the window is on Gmail's internalDate, the store keeps the Date header.
        since = datetime.fromtimestamp(int(state["after"]), timezone.utc) + timedelta(days=1)
        # Never `done` here: the history phase right after replays what changed while we listed.
        return SyncBatch(messages=messages, deleted_messages=gone, new_cursor=cursor, skipped=skipped,
                         attachment_files=files, done=False, full_sync=True,
                         reconcile=None if token else Reconcile("mail", since))

    # -- incremental -------------------------------------------------------------------------

    def _history_page(self, history_id: str) -> SyncBatch:
        request = self.client.gmail.users().history().list(
            userId="me", startHistoryId=history_id, maxResults=self.page_size)
        try:
            page = self.client.execute(request, units=GMAIL_UNITS["history.list"])
        except NotFound as err:
            raise CursorExpired("Gmail history is no longer available from the stored point",
                                next_step="Reflex resyncs the mailbox.") from err
        records = page.get("history", [])
        refetch: dict[str, None] = {}  # ordered set
        flags: dict[str, list[str]] = {}
        deleted: set[str] = set()
        for record in records:
            for item in record.get("messagesAdded", []):
                refetch[item["message"]["id"]] = None
            for item in record.get("messagesDeleted", []):
                deleted.add(item["message"]["id"])
            for kind in ("labelsAdded", "labelsRemoved"):
                for item in record.get(kind, []):
                    flags[item["message"]["id"]] = list(item["message"].get("labelIds", []))
        for mid, labels in list(flags.items()):
            if _GONE_LABELS & set(labels):
                deleted.add(mid)
        new_ids = [mid for mid in refetch if mid not in deleted]
        messages, gone, skipped, files = self._fetch(new_ids)
        deleted.update(gone)
        fetched = {m.provider_id for m in messages}
        updates = [self._label_update(mid, labels) for mid, labels in flags.items()
                   if mid not in deleted and mid not in fetched]
        if page.get("nextPageToken") and records:
            cursor_id, done = str(records[-1]["id"]), False
        else:
            cursor_id, done = str(page.get("historyId", history_id)), True
        log.info("gmail %s: history page: %d new, %d label changes, %d deleted",
                 self.account, len(messages), len(updates), len(deleted))
        return SyncBatch(messages=messages, deleted_messages=sorted(deleted), label_updates=updates, skipped=skipped,
                         attachment_files=files,
                         new_cursor=encode_cursor({"phase": "history", "history_id": cursor_id}),
                         done=done)

    # -- helpers -----------------------------------------------------------------------------

    def _fetch(self, ids: Iterable[str]) -> tuple[list[Message], list[str], list[str], dict[str, AttachmentFiles]]:
        """Get messages as raw MIME in HTTP batches; returns (parsed, ids that no longer exist,
        "id: reason" of messages that could not be read, id -> the wanted attachments' files)."""
        ids = list(ids)
        files: dict[str, AttachmentFiles] = {}
        if not ids:
            return [], [], [], files
        messages_api = self.client.gmail.users().messages()
        results = self.client.execute_batch(
            ((mid, messages_api.get(userId="me", id=mid, format="raw")) for mid in ids),
            units_each=GMAIL_UNITS["messages.get"], batch_size=self.batch_size)
        messages: list[Message] = []
        gone: list[str] = []
        skipped: list[str] = []
        for mid in ids:
            result = results.get(mid)
            if isinstance(result, NotFound):
                gone.append(mid)
            elif isinstance(result, Exception):
                raise result
            elif result is not None:
                if _GONE_LABELS & set(result.get("labelIds", [])):
                    gone.append(mid)
                    continue
                try:
                    message, raw = self._parse(result)
                    if message.attachments and self.wants_attachment is not None:
                        files[mid] = [(n, b) for n, b in attachment_files(raw) if self.wants_attachment(n)]
                    messages.append(message)
                except MalformedMessage as err:
                    log.warning("gmail %s: skipping unreadable message %s", self.account, mid)
                    skipped.append(f"{mid}: {err}")
        return messages, gone, skipped, files

    def _parse(self, resource: dict[str, Any]) -> tuple[Message, bytes]:
        """One `format=raw` resource as a `Message` and its raw bytes; `MalformedMessage` when it cannot be read."""
        try:
            raw = base64.urlsafe_b64decode(resource["raw"] + "=" * (-len(resource["raw"]) % 4))
        except (KeyError, TypeError, ValueError) as exc:  # binascii.Error is a ValueError
            raise MalformedMessage(f"Gmail sent no readable raw message ({type(exc).__name__})") from exc
        label_ids = resource.get("labelIds", [])
        return parse_message(raw, account=self.account, provider_id=resource["id"],
                             provider_thread_id=resource.get("threadId", ""),
                             labels=self._names(label_ids), is_read="UNREAD" not in label_ids), raw

    def _label_update(self, provider_id: str, label_ids: list[str]) -> LabelUpdate:
        return LabelUpdate(provider_id, tuple(self._names(label_ids)), "UNREAD" not in label_ids)

    def _names(self, label_ids: list[str]) -> list[str]:
        """Gmail label ids -> names (system labels keep their ids: INBOX, SENT, UNREAD...)."""
        if any(lid.startswith("Label_") and lid not in self._label_names for lid in label_ids):
            listing = self.client.execute(self.client.gmail.users().labels().list(userId="me"),
                                          units=GMAIL_UNITS["labels.list"])
            self._label_names = {lab["id"]: lab["name"] for lab in listing.get("labels", [])}
        return [self._label_names.get(lid, lid) for lid in label_ids]
