"""Writes to Outlook, never automatic: the engine turns each into a pending action the user confirms.

Drafts are created in Drafts and never sent. RSVP defaults to `send_response=False`, event writes do not
add a "send" step: Graph only e-mails attendees of new/changed events the user explicitly confirmed.
"""

from __future__ import annotations

from typing import Literal

from connectors.microsoft.client import GraphClient
from connectors.microsoft.mapping import event_from_graph, event_to_graph, recipients
from models import Contact, Event, Message

__all__ = ["create_draft", "create_event", "rsvp", "update_event"]

Response = Literal["accepted", "declined", "tentative"]
_RSVP_ACTIONS = {"accepted": "accept", "declined": "decline", "tentative": "tentativelyAccept"}


def create_draft(client: GraphClient, *, to: list[Contact], subject: str, body: str,
                 cc: list[Contact] | None = None, reply_to: Message | None = None) -> str:
    """Create a draft (a threaded reply to `reply_to` when given); returns the draft's Graph id."""
    fields: dict[str, object] = {"body": {"contentType": "text", "content": body},
                                 "toRecipients": recipients(to), "ccRecipients": recipients(cc or [])}
    if subject:
        fields["subject"] = subject
    if reply_to is None:
        return str(client.request("POST", "/me/messages", json=fields)["id"])
    draft = client.request("POST", f"/me/messages/{reply_to.provider_id}/createReply", json={})
    client.request("PATCH", f"/me/messages/{draft['id']}", json=fields)
    return str(draft["id"])


def create_event(client: GraphClient, event: Event) -> Event:
    """Create `event` in the default calendar; returns it as Graph stored it."""
    created = client.request("POST", "/me/events", json=event_to_graph(event))
    return event_from_graph(created, account=event.account)


def update_event(client: GraphClient, event: Event) -> Event:
    """Patch title/time/place/description/attendees of `event.provider_id`."""
    updated = client.request("PATCH", f"/me/events/{event.provider_id}", json=event_to_graph(event))
    return event_from_graph(updated, account=event.account)


def rsvp(client: GraphClient, event: Event, *, response: Response, comment: str = "",
         send_response: bool = False) -> None:
    """Accept, decline or tentatively accept an invitation."""
    client.request("POST", f"/me/events/{event.provider_id}/{_RSVP_ACTIONS[response]}",
                   json={"comment": comment, "sendResponse": send_response})
