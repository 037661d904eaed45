"""`MicrosoftConnector`: one Outlook mailbox's mail and calendar streams behind the `Connector` protocol."""

from __future__ import annotations

from connectors.base import SyncBatch, WantsAttachment
from connectors.microsoft.client import GraphClient
from connectors.microsoft.sync import DEFAULT_CALENDAR, OUTLOOK_CALENDAR, OUTLOOK_MAIL, DeltaStream

__all__ = ["MicrosoftConnector"]


class MicrosoftConnector:
    """Streams "outlook:mail" (the given folders) and "outlook:calendar" (the given calendars: the default one
    unless told), sharing one `GraphClient` (so both stay under Graph's 4-concurrent-requests-per-mailbox cap).
    One sync at a time."""

    def __init__(self, client: GraphClient, *, account: str, folders: tuple[str, ...] = ("inbox", "sentitems"),
                 initial_days: int = 90, page_size: int = 50, wants_attachment: WantsAttachment | None = None,
                 calendars: tuple[str, ...] = (DEFAULT_CALENDAR,)) -> None:
        self.account = account
        self.client = client
        self._streams = {
            OUTLOOK_MAIL: DeltaStream(client, account=account, kind="mail", feeds=folders,
                                      initial_days=initial_days, page_size=page_size,
                                      wants_attachment=wants_attachment),
            OUTLOOK_CALENDAR: DeltaStream(client, account=account, kind="calendar", calendars=calendars,
                                          initial_days=initial_days, page_size=page_size),
        }

    def streams(self) -> list[str]:
        return list(self._streams)

    def sync(self, stream: str, cursor: str | None) -> SyncBatch:
        if stream not in self._streams:
            raise ValueError(f"unknown stream {stream!r} for {self.account}")
        return self._streams[stream].sync(cursor)
