"""Slack JSON -> `models/` objects. Pure functions, no I/O.

Identity: a Slack message is unique by (channel, ts) within a workspace, so `provider_id` is
"<channel>:<ts>" under the account "slack:<team_id>", and `thread_key` is "<channel>:<thread_ts>" (a
top-level message is its own thread root), which keeps a Slack thread together for triage and the KB.

People: users map to `Contact`s by their profile e-mail (so a Slack colleague and the same person's mail
are one contact). Slack only shares e-mails with the `users:read.email` scope and never for bots; those
get a stable non-routable address `<user>@<team>.slack.invalid` (RFC 2606 reserves `.invalid`).

Addressing (what triage reads): in a DM or group DM the other members are `to`; in a channel the users
mentioned with `<@U...>` are `to`, and the user is `cc` when not mentioned, so only mentions and DMs
look "addressed to me".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from connectors.slack.mrkdwn import mentioned_users, mrkdwn_to_text
from models import Attachment, Contact, Message

__all__ = ["Conversation", "SKIPPED_SUBTYPES", "contact_from_user", "message_from_slack", "pseudo_email",
           "provider_id", "ts_to_datetime"]

#: Join/leave/topic notices carry no content worth indexing or triaging.
SKIPPED_SUBTYPES = frozenset({
    "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "channel_archive",
    "channel_unarchive", "group_join", "group_leave", "group_topic", "group_purpose", "group_name",
    "group_archive", "group_unarchive", "pinned_item", "unpinned_item", "tombstone",
})


@dataclass(frozen=True, slots=True)
class Conversation:
    """What mapping needs to know about the conversation a message is in."""

    id: str
    name: str  # channel name without '#', or the other person's name for a DM
    kind: str  # channel | private | dm | group_dm
    members: tuple[str, ...] = ()  # user ids (DMs and group DMs only)
    last_read: str = ""  # the user's read marker ts ("" when Slack did not say)

    @property
    def subject(self) -> str:
        return f"#{self.name}" if self.kind in ("channel", "private") else f"Slack: {self.name}"


@dataclass(slots=True)
class Directory:
    """Users of the workspace by id, plus the connected user; filled by the connector."""

    team_id: str
    me: str  # the connected user's id
    users: dict[str, Contact] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)  # id -> name

    def contact(self, user_id: str) -> Contact:
        return self.users.get(user_id) or Contact(pseudo_email(user_id, self.team_id), user_id)

    def name(self, user_id: str) -> str:
        known = self.users.get(user_id)
        return known.name if known else ""


def pseudo_email(user_id: str, team_id: str) -> str:
    return f"{user_id.lower()}@{team_id.lower()}.slack.invalid"


def contact_from_user(user: dict[str, Any], *, team_id: str) -> Contact:
    """A `users.list`/`users.info` member -> `Contact` (display name preferred, then real name)."""
    profile = user.get("profile") or {}
    name = (profile.get("real_name") or profile.get("display_name") or user.get("real_name")
            or user.get("name") or user["id"])
    email = (profile.get("email") or "").strip().lower() or pseudo_email(user["id"], team_id)
    return Contact(email=email, name=name, role=str(profile.get("title") or ""))


def ts_to_datetime(ts: str) -> datetime:
    return datetime.fromtimestamp(float(ts), timezone.utc)


def provider_id(channel: str, ts: str) -> str:
    return f"{channel}:{ts}"


def message_from_slack(item: dict[str, Any], *, account: str, conversation: Conversation,
                       directory: Directory) -> Message | None:
    """One `conversations.history`/`replies` item -> `Message`; None for notices and tombstones."""
    if item.get("subtype") in SKIPPED_SUBTYPES or "ts" not in item:
        return None
    ts = str(item["ts"])
    thread_ts = str(item.get("thread_ts") or ts)
    user_id = item.get("user") or item.get("bot_id") or ""
    if item.get("subtype") == "bot_message" or (not item.get("user") and item.get("bot_id")):
        sender = Contact(pseudo_email(item.get("bot_id") or user_id or "bot", directory.team_id),
                         item.get("username") or (item.get("bot_profile") or {}).get("name") or "Slack bot")
    else:
        sender = directory.contact(user_id)
    text = mrkdwn_to_text(item.get("text", ""), user_name=directory.name,
                          channel_name=lambda cid: directory.channels.get(cid, ""))
    extras = [mrkdwn_to_text(a.get("text") or a.get("fallback") or "", user_name=directory.name)
              for a in item.get("attachments") or []]
    body = "\n\n".join(part for part in [text, *extras] if part)
    mentions = mentioned_users(item.get("text", ""))
    me = directory.contact(directory.me)
    if conversation.kind in ("dm", "group_dm"):
        to = [directory.contact(uid) for uid in conversation.members if uid != user_id] or [me]
        cc: list[Contact] = []
    else:
        to = [directory.contact(uid) for uid in mentions]
        cc = [] if directory.me in mentions or user_id == directory.me else [me]
    labels = ["slack", conversation.kind]
    if thread_ts != ts:
        labels.append("thread_reply")
    if directory.me in mentions:
        labels.append("mentions_me")
    if item.get("subtype") == "bot_message" or item.get("bot_id"):
        labels.append("bot")
    headers = {"X-Slack-Channel": conversation.id, "X-Slack-Ts": ts, "X-Slack-Thread-Ts": thread_ts}
    if item.get("edited"):
        headers["X-Slack-Edited"] = str(item["edited"].get("ts", ""))
    attachments = [Attachment(str(f.get("name") or f.get("title") or "file"),
                              str(f.get("mimetype") or "application/octet-stream"), int(f.get("size") or 0))
                   for f in item.get("files") or [] if f.get("mode") != "tombstone"]
    # Unknown read marker -> read: an initial sync of months of history must not flood "unread".
    is_read = (user_id == directory.me or not conversation.last_read
               or float(ts) <= float(conversation.last_read))
    return Message(
        account=account, provider_id=provider_id(conversation.id, ts),
        thread_key=provider_id(conversation.id, thread_ts), subject=conversation.subject, sender=sender,
        to=to, cc=cc, sent_at=ts_to_datetime(ts), body_text=body, snippet=body[:200], labels=labels,
        is_read=is_read, headers=headers, attachments=attachments, message_id_header=provider_id(conversation.id, ts),
        in_reply_to=provider_id(conversation.id, thread_ts) if thread_ts != ts else "",
    )
