"""Outlook streams over Graph delta queries: "outlook:mail" (per folder) and "outlook:calendar".

A delta round follows `@odata.nextLink` pages until an `@odata.deltaLink`; the next round starts from
that deltaLink. The cursor stores, per delta feed, the link to call next (a nextLink mid-round, the
deltaLink between rounds) plus the feeds still pending in the current round, so after a crash the
engine resumes at the exact page. One `sync()` call = one page = one `SyncBatch`.

`@removed` items are deletions (for mail that includes "moved out of a synced folder"). An expired
delta token (410 / SyncStateNotFound) raises `CursorExpired`; the engine clears the cursor once and the
stream restarts with a bounded full round (mail: last N days; calendar: the window).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from connectors.base import Reconcile, SyncBatch, WantsAttachment, decode_cursor, encode_cursor
from connectors.microsoft.client import GraphClient, GraphNotFound
from connectors.microsoft.mapping import attachment_bytes, attachments_from_graph, event_from_graph, message_from_graph
from models import Message

__all__ = ["DEFAULT_CALENDAR", "DeltaStream", "OUTLOOK_CALENDAR", "OUTLOOK_MAIL", "OutlookCalendar", "list_calendars"]

log = logging.getLogger(__name__)

OUTLOOK_MAIL = "outlook:mail"
OUTLOOK_CALENDAR = "outlook:calendar"
DEFAULT_CALENDAR = "calendarView"  # the feed of the mailbox's default calendar (the name cursors already use)
_MAIL_FIELDS = ("id,conversationId,subject,from,sender,toRecipients,ccRecipients,receivedDateTime,"
                "sentDateTime,body,bodyPreview,isRead,categories,internetMessageId,hasAttachments")


class DeltaStream:
    """A set of Graph delta feeds synced as one stream: mail folders, or calendars (each one's calendar view;
    `DEFAULT_CALENDAR` is the default calendar's, any other feed a calendar id)."""

    def __init__(self, client: GraphClient, *, account: str, kind: str, feeds: tuple[str, ...] = ("inbox",),
                 initial_days: int = 90, future_days: int = 365, page_size: int = 50,
                 wants_attachment: WantsAttachment | None = None,
                 calendars: tuple[str, ...] = (DEFAULT_CALENDAR,)) -> None:
        if kind not in ("mail", "calendar"):
            raise ValueError(kind)
        self.client = client
        self.account = account
        self.kind = kind
        self.feeds = feeds if kind == "mail" else (calendars or (DEFAULT_CALENDAR,))
        self.initial_days = initial_days
        self.future_days = future_days
        self.page_size = page_size
        self.wants_attachment = wants_attachment

    def _prefer(self) -> list[str]:
        prefer = [f"odata.maxpagesize={self.page_size}"]
        if self.kind == "mail":
            prefer.append('outlook.body-content-type="text"')  # Graph converts HTML bodies for us
        return prefer

    def _window(self) -> tuple[datetime, datetime]:
        now = datetime.now(timezone.utc).replace(microsecond=0)
        return now - timedelta(days=self.initial_days), now + timedelta(days=self.future_days)

    def _first_request(self, feed: str) -> tuple[str, dict[str, str]]:
        start, end = self._window()
        since = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.kind == "mail":
            return (f"/me/mailFolders/{feed}/messages/delta",
                    {"$select": _MAIL_FIELDS, "$filter": f"receivedDateTime ge {since}"})
        until = end.strftime("%Y-%m-%dT%H:%M:%SZ")
        view = ("/me/calendarView/delta" if feed == DEFAULT_CALENDAR
                else f"/me/calendars/{quote(feed, safe='')}/calendarView/delta")
        return view, {"startDateTime": since, "endDateTime": until}

    def sync(self, cursor: str | None) -> SyncBatch:
        state = decode_cursor(cursor) or {"links": {}, "pending": [], "full": True}
        links: dict[str, str] = dict(state.get("links") or {})
        pending: list[str] = list(state.get("pending") or [])
        full = bool(state.get("full"))  # this round lists everything (no delta links yet)
        if not pending:  # a new round over every feed
            pending = list(self.feeds)
        feed = pending[0]
        link = links.get(feed)
        if link:
            page = self.client.request("GET", link, prefer=self._prefer())
        else:
            path, params = self._first_request(feed)
            page = self.client.request("GET", path, params=params, prefer=self._prefer())
        batch = self._map(page.get("value", []), feed)
        if "@odata.nextLink" in page:
            links[feed] = page["@odata.nextLink"]
        else:
            links[feed] = page["@odata.deltaLink"]
            pending.pop(0)
        batch.new_cursor = encode_cursor({"links": links, "pending": pending, "full": full and bool(pending)})
        batch.done = not pending
        batch.full_sync = full
        if full and not pending:  # a complete listing: what it did not return is gone
            start, end = self._window()
            batch.reconcile = Reconcile(self.kind, start + timedelta(days=1),
                                        end - timedelta(days=1) if self.kind == "calendar" else None)
        log.info("%s %s/%s: %d upserts, %d removals", self.kind, self.account, feed,
                 len(batch.messages) + len(batch.events), len(batch.deleted_messages) + len(batch.deleted_events))
        return batch

    def _map(self, items: list[dict[str, Any]], feed: str) -> SyncBatch:
        batch = SyncBatch()
        for item in items:
            removed = "@removed" in item
            if self.kind == "mail":
                if removed:
                    batch.deleted_messages.append(item["id"])
                else:
                    message = message_from_graph(item, account=self.account, folder=feed)
                    if item.get("hasAttachments"):
                        self._attachments(item["id"], message, batch)
                    batch.messages.append(message)
            elif removed or item.get("isCancelled"):
                batch.deleted_events.append(item["id"])
            else:
                batch.events.append(event_from_graph(item, account=self.account))
        return batch

    def _attachments(self, message_id: str, message: Message, batch: SyncBatch) -> None:
        """Names, types and sizes (delta cannot expand attachments; one small request per message that has
        any), then the bytes of each file the app wants, one request each (`/attachments/{id}` carries
        `contentBytes`; the listing leaves them out so images are never downloaded). A message deleted
        meanwhile has none: its removal arrives in a later delta page."""
        try:
            listing = self.client.request("GET", f"/me/messages/{message_id}/attachments",
                                          params={"$select": "id,name,contentType,size,isInline"})
            items = [a for a in listing.get("value", []) if not a.get("isInline")]
            message.attachments = attachments_from_graph(items)
            wants = self.wants_attachment
            wanted = [a for a in items if wants is not None and str(a.get("@odata.type", "")).endswith("fileAttachment")
                      and wants(str(a.get("name")))]
            files = [(str(a["name"]), attachment_bytes(
                self.client.request("GET", f"/me/messages/{message_id}/attachments/{a['id']}"))) for a in wanted]
        except GraphNotFound:
            message.attachments = []
            return
        if files:
            batch.attachment_files[message.provider_id] = files


@dataclass(frozen=True, slots=True)
class OutlookCalendar:
    """A calendar of the mailbox; `feed` is what `DeltaStream(calendars=...)` takes (the default one's is
    `DEFAULT_CALENDAR`)."""

    feed: str
    name: str
    default: bool


def list_calendars(client: GraphClient) -> list[OutlookCalendar]:
    """The mailbox's calendars (GET /me/calendars, every page), the default one first."""
    calendars: list[OutlookCalendar] = []
    page = client.request("GET", "/me/calendars", params={"$select": "id,name,isDefaultCalendar", "$top": "50"})
    while True:
        calendars += [OutlookCalendar(DEFAULT_CALENDAR if item.get("isDefaultCalendar") else str(item["id"]),
                                      str(item.get("name") or item["id"]), bool(item.get("isDefaultCalendar")))
                      for item in page.get("value", []) if item.get("id")]
        if "@odata.nextLink" not in page:
            return sorted(calendars, key=lambda c: (not c.default, c.name.lower()))
        page = client.request("GET", page["@odata.nextLink"])
