"""`GoogleConnector`: one Google account's Gmail and Calendar streams behind the `Connector` protocol."""

from __future__ import annotations

from connectors.base import SyncBatch, WantsAttachment
from connectors.google.calendar import CalendarStream
from connectors.google.client import GoogleClient
from connectors.google.gmail import GMAIL_STREAM, GmailStream

__all__ = ["GoogleConnector"]

_CALENDAR_PREFIX = "calendar:"


class GoogleConnector:
    """Streams "gmail" and "calendar:<id>" of one account, sharing one paced `GoogleClient`.

    Not thread-safe: the engine runs one sync of an account at a time (APScheduler max_instances=1).
    """

    def __init__(self, client: GoogleClient, *, account: str, calendars: tuple[str, ...] = ("primary",),
                 initial_days: int = 90, page_size: int = 100, batch_size: int = 50,
                 wants_attachment: WantsAttachment | None = None) -> None:
        self.account = account
        self.client = client
        self._gmail = GmailStream(client, account=account, initial_days=initial_days,
                                  page_size=page_size, batch_size=batch_size, wants_attachment=wants_attachment)
        self._calendars = {cid: CalendarStream(client, account=account, calendar_id=cid,
                                               past_days=initial_days) for cid in calendars}

    def streams(self) -> list[str]:
        return [GMAIL_STREAM, *(_CALENDAR_PREFIX + cid for cid in self._calendars)]

    def sync(self, stream: str, cursor: str | None) -> SyncBatch:
        if stream == GMAIL_STREAM:
            return self._gmail.sync(cursor)
        if stream.startswith(_CALENDAR_PREFIX) and stream[len(_CALENDAR_PREFIX):] in self._calendars:
            return self._calendars[stream[len(_CALENDAR_PREFIX):]].sync(cursor)
        raise ValueError(f"unknown stream {stream!r} for {self.account}")
