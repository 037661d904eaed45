"""Google Calendar stream ("calendar:<calendarId>"): a window full sync, then syncToken increments.

Cursor states:
- `{"phase": "full", "time_min": A, "time_max": B, "page_token": P}`: `events.list` with
  `singleEvents=True` (recurring series expanded to instances) over the window [A, B).
- `{"phase": "sync", "sync_token": S, "page_token": P}`: incremental; Google only returns
  `nextSyncToken` on the LAST page, so intermediate pages keep the old token plus the page token.

410 Gone (fullSyncRequired) raises `CursorExpired`; the engine clears the cursor once and a bounded
full sync follows. Cancelled events/instances become deletions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from connectors.base import Reconcile, SyncBatch, decode_cursor, encode_cursor
from connectors.errors import ConnectorError
from connectors.google.client import CALENDAR_UNITS, GoogleClient
from connectors.google.mapping import event_from_google
from models import Event

__all__ = ["CalendarStream", "GoogleCalendar", "list_calendars"]

log = logging.getLogger(__name__)


class CalendarStream:
    """Syncs one Google calendar into `Event`s. Not thread-safe: one sync at a time per account."""

    def __init__(self, client: GoogleClient, *, account: str, calendar_id: str = "primary",
                 past_days: int = 90, future_days: int = 365, page_size: int = 250) -> None:
        self.client = client
        self.account = account
        self.calendar_id = calendar_id
        self.past_days = past_days
        self.future_days = future_days
        self.page_size = page_size

    def sync(self, cursor: str | None) -> SyncBatch:
        state = decode_cursor(cursor)
        if state is None or state.get("phase") not in ("full", "sync"):
            now = datetime.now(timezone.utc).replace(microsecond=0)
            state = {"phase": "full", "page_token": None,
                     "time_min": (now - timedelta(days=self.past_days)).isoformat(),
                     "time_max": (now + timedelta(days=self.future_days)).isoformat()}
        full = state["phase"] == "full"
        params: dict[str, Any] = {"calendarId": self.calendar_id, "singleEvents": True,
                                  "maxResults": self.page_size,
                                  "pageToken": state.get("page_token") or None}
        if full:
            params.update(timeMin=state["time_min"], timeMax=state["time_max"], showDeleted=False)
        else:
            params["syncToken"] = state["sync_token"]
        # A 410 here surfaces as CursorExpired from the client's error translation.
        page = self.client.execute(self.client.calendar.events().list(**params), units=CALENDAR_UNITS)
        events: list[Event] = []
        deleted: list[str] = []
        for item in page.get("items", []):
            if item.get("status") == "cancelled":
                deleted.append(item["id"])
            else:
                events.append(event_from_google(item, account=self.account, calendar=self.calendar_id))
        token = page.get("nextPageToken")
        if token:
            cursor_state = {**state, "page_token": token}
        else:
            cursor_state = {"phase": "sync", "sync_token": page["nextSyncToken"], "page_token": None}
        log.info("calendar %s/%s: %d events, %d cancelled", self.account, self.calendar_id,
                 len(events), len(deleted))
        reconcile = None
        if full and not token:
            reconcile = Reconcile("calendar", datetime.fromisoformat(state["time_min"]) + timedelta(days=1),
                                  datetime.fromisoformat(state["time_max"]) - timedelta(days=1))
        return SyncBatch(events=events, deleted_events=deleted, new_cursor=encode_cursor(cursor_state),
                         done=not token, full_sync=full, reconcile=reconcile)


@dataclass(frozen=True, slots=True)
class GoogleCalendar:
    """A calendar the account can read, as the user's calendar list names it."""

    id: str
    name: str
    primary: bool


def list_calendars(client: GoogleClient) -> list[GoogleCalendar]:
    """The account's calendar list (hidden ones too: a hidden calendar may still be worth syncing), primary first.

    Needs the `calendar.calendarlist.readonly` scope; an account connected before Reflex asked for it gets a
    `ConnectorError` that says to reconnect."""
    calendars: list[GoogleCalendar] = []
    page_token: str | None = None
    while True:
        params: dict[str, Any] = {"minAccessRole": "reader", "showHidden": True, "maxResults": 250}
        if page_token:
            params["pageToken"] = page_token
        try:
            page = client.execute(client.calendar.calendarList().list(**params), units=CALENDAR_UNITS)
        except ConnectorError as err:
            if "403" in str(err):
                raise ConnectorError("Google did not let Reflex list your calendars (the account was connected "
                                     "before Reflex asked for that).",
                                     next_step="Reconnect the Google account, then choose the calendars.") from err
            raise
        calendars += [GoogleCalendar(str(item["id"]), str(item.get("summaryOverride") or item.get("summary") or
                                                          item["id"]), bool(item.get("primary")))
                      for item in page.get("items") or [] if item.get("id")]
        page_token = page.get("nextPageToken")
        if not page_token:
            return sorted(calendars, key=lambda c: (not c.primary, c.name.lower()))
