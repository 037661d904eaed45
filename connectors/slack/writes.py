"""Writes to Slack, never automatic: the engine turns each into a pending action the user confirms.

`reply_payload` builds the pending action's payload from a stored Slack message; `post_reply` performs
it after confirmation. Posting happens only when invoked; nothing here schedules or retries a post on its
own beyond rate-limit retries (a post is not repeated after an ambiguous network failure: the error
surfaces so the user decides, which avoids double posts).
"""

from __future__ import annotations

from typing import Any

from connectors.errors import ConnectorError
from connectors.slack.client import SlackClient
from models import Message

__all__ = ["SLACK_REPLY", "post_reply", "reply_payload"]

#: The pending-action kind for a drafted Slack thread reply.
SLACK_REPLY = "slack_reply"


def reply_payload(message: Message, text: str) -> dict[str, Any]:
    """Pending-action payload: reply `text` into the thread of stored Slack `message`."""
    channel = message.headers.get("X-Slack-Channel", "")
    thread_ts = message.headers.get("X-Slack-Thread-Ts") or message.headers.get("X-Slack-Ts", "")
    if not message.account.startswith("slack:") or not channel or not thread_ts:
        raise ConnectorError("That message is not a Slack message Reflex can reply to.")
    return {"account": message.account, "channel": channel, "thread_ts": thread_ts, "text": text}


def post_reply(client: SlackClient, *, channel: str, thread_ts: str, text: str) -> str:
    """Post `text` as a reply in the thread `thread_ts` of `channel`; returns the new message ts."""
    if not text.strip():
        raise ConnectorError("The reply is empty.", next_step="Write the reply before confirming it.")
    data = client.call("chat.postMessage", tier=4, http_verb="POST", json=True, idempotent=False,
                       channel=channel, thread_ts=thread_ts, text=text, unfurl_links=False)
    return str(data["ts"])
