"""Slack conversation streams: incremental sync by message `ts`, threads, edits and deletions.

One stream per conversation the user picked: "slack:<channel id>". One `sync()` call fetches one page
of `conversations.history` (plus the replies of threads on it) and returns a batch whose cursor resumes
right after that page, so a crash costs at most one page.

Why a rescan window: Slack's history API returns messages as they are now, but has no change feed for
a user token without a public endpoint (the Events API needs a server). So each walk starts at
`floor = min(newest ts seen, now - rescan_hours)`: everything new since the last sync, plus the recent
window again. Re-listed messages are upserted (edits land; upserts are idempotent by channel+ts), and a
message of the window that the previous walk saw but this one did not was deleted at Slack. The cursor
keeps the ts values inside the window (bounded by the window, not by history) to make that comparison.

Threads: replies live outside `conversations.history` (a new reply does not bring its old root back).
For every thread root on a page, and for the `max_watched_threads` most recently active threads of the
last `thread_watch_days` (tracked in the cursor), `conversations.replies` is read from the floor, so new
replies to an older root arrive and deleted replies in the window are noticed. A reply only counts as
deleted when its thread was re-read in the same walk, so a thread that stops being watched never looks
deleted. Replies to threads quiet for longer than the watch period arrive only if broadcast to the channel.

Cursor (JSON, `encode_cursor`): `{"high": ts, "recent": {ts: root_ts|""}, "threads": {root_ts:
latest_reply_ts}, "walk": {"floor", "keep", "page", "seen": {ts: root_ts|""}, "high", "threads"} | null}`.
A missing cursor starts a full walk from `now - initial_days`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from connectors.base import SyncBatch, decode_cursor, encode_cursor
from connectors.errors import AuthError, ConnectorError
from connectors.slack.client import SlackClient
from connectors.slack.mapping import (Conversation, Directory, contact_from_user, message_from_slack,
                                      provider_id)
from models import Message

__all__ = ["STREAM_PREFIX", "SlackConnector"]

log = logging.getLogger(__name__)

STREAM_PREFIX = "slack:"


def _kind(info: dict[str, Any]) -> str:
    if info.get("is_im"):
        return "dm"
    if info.get("is_mpim"):
        return "group_dm"
    return "private" if info.get("is_private") or info.get("is_group") else "channel"


class SlackConnector:
    """The picked conversations of one Slack workspace for one user, as `Connector` streams.

    `account` is "slack:<team_id>". Not thread-safe: the engine runs one sync of an account at a time.
    Raises connector errors only (`AuthError` on a revoked token, `RateLimited` after retries...).
    """

    def __init__(self, client: SlackClient, *, account: str, channels: tuple[str, ...],
                 initial_days: int = 90, rescan_hours: float = 24.0, page_size: int = 200,
                 thread_watch_days: float = 7.0, max_watched_threads: int = 20,
                 clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.account = account
        self.channels = channels
        self.initial_days = initial_days
        self.rescan_s = rescan_hours * 3600.0
        self.page_size = page_size
        self.thread_watch_s = thread_watch_days * 86400.0
        self.max_watched_threads = max_watched_threads
        self._clock = clock
        self._directory: Directory | None = None
        self._conversations: dict[str, Conversation] = {}

    # -- Connector -------------------------------------------------------------------------------

    def streams(self) -> list[str]:
        return [STREAM_PREFIX + cid for cid in self.channels]

    def sync(self, stream: str, cursor: str | None) -> SyncBatch:
        channel = stream[len(STREAM_PREFIX):] if stream.startswith(STREAM_PREFIX) else ""
        if channel not in self.channels:
            raise ValueError(f"unknown stream {stream!r} for {self.account}")
        state = decode_cursor(cursor) or {}
        walk = state.get("walk") or self._start_walk(channel, state)
        return self._page(channel, state, walk)

    # -- directory -------------------------------------------------------------------------------

    @property
    def directory(self) -> Directory:
        """Users and channel names of the workspace, loaded once per connector (users.list, Tier 2)."""
        if self._directory is None:
            me = self.client.call("auth.test", tier=4, http_verb="POST")
            team = str(me["team_id"])
            if self.account != f"slack:{team}":
                raise AuthError(f"The stored Slack token belongs to another workspace ({team}).",
                                next_step="Reconnect Slack with the right workspace.")
            directory = Directory(team_id=team, me=str(me["user_id"]))
            for user in self.client.walk("users.list", tier=2, key="members", limit=200):
                directory.users[user["id"]] = contact_from_user(user, team_id=team)
            self._directory = directory
            log.info("slack %s: directory with %d users", self.account, len(directory.users))
        return self._directory

    def conversation(self, channel: str) -> Conversation:
        """The conversation's kind, name, members and the user's read marker (conversations.info)."""
        info = self.client.call("conversations.info", tier=3, channel=channel)["channel"]
        directory = self.directory
        kind = _kind(info)
        members: tuple[str, ...] = ()
        if kind == "dm":
            members = (directory.me, str(info.get("user", "")))
            name = directory.name(members[1]) or members[1]
        elif kind == "group_dm":
            members = tuple(self.client.walk("conversations.members", tier=4, key="members", channel=channel))
            name = ", ".join(directory.name(u) or u for u in members if u != directory.me)
        else:
            name = str(info.get("name", channel))
            directory.channels[channel] = name
        conversation = Conversation(channel, name, kind, members, str(info.get("last_read") or ""))
        self._conversations[channel] = conversation
        return conversation

    # -- walking -----------------------------------------------------------------------------------

    def _start_walk(self, channel: str, state: dict[str, Any]) -> dict[str, Any]:
        now = self._clock()
        if state.get("high"):
            floor = min(float(state["high"]), now - self.rescan_s)
        else:
            floor = now - self.initial_days * 86400
        # Only ts values the deletion check or the next window can need are carried between pages.
        keep = min([now - self.rescan_s, *(float(ts) for ts in state.get("recent", {}))])
        self.conversation(channel)  # refresh name and read marker once per walk
        return {"floor": f"{floor:.6f}", "keep": f"{keep:.6f}", "page": None, "seen": {},
                "high": state.get("high") or "", "threads": {}}

    def _page(self, channel: str, state: dict[str, Any], walk: dict[str, Any]) -> SyncBatch:
        conversation = self._conversations.get(channel) or self.conversation(channel)
        floor, keep = walk["floor"], float(walk["keep"])
        items, token = self.client.pages("conversations.history", tier=3, key="messages", channel=channel,
                                         oldest=floor, cursor=walk["page"], limit=self.page_size)
        messages: list[Message] = []
        seen: dict[str, str] = dict(walk["seen"])  # ts -> thread root ("" for top-level)
        threads: dict[str, str] = dict(walk["threads"])
        high = walk["high"]
        roots: list[str] = []
        for item in items:
            ts = str(item.get("ts", ""))
            if not ts:
                continue
            if item.get("reply_count") and float(item.get("latest_reply") or 0) > float(floor):
                roots.append(ts)
                threads[ts] = str(item["latest_reply"])
            if item.get("subtype") == "tombstone":
                continue  # a deleted root whose replies live on: its absence from `seen` deletes it
            seen[ts] = ""
            high = max(high, ts, key=lambda v: float(v or 0))
            message = message_from_slack(item, account=self.account, conversation=conversation,
                                         directory=self.directory)
            if message is not None:
                messages.append(message)
        for root in roots:
            messages.extend(self._replies(conversation, root, floor, seen))
        seen = {ts: root for ts, root in seen.items() if float(ts) >= keep}
        walk = {**walk, "page": token, "seen": seen, "high": high, "threads": threads}
        if token:
            log.info("slack %s/%s: history page, %d messages", self.account, channel, len(messages))
            return SyncBatch(messages=messages, new_cursor=encode_cursor({**state, "walk": walk}), done=False,
                             full_sync=not state.get("high"))
        # Last page: threads active in the last window whose root is older than the floor.
        for root, latest in state.get("threads", {}).items():
            if root in threads:
                continue
            replies = self._replies(conversation, root, floor, seen)
            messages.extend(replies)
            threads[root] = max([latest, *(m.headers["X-Slack-Ts"] for m in replies)], key=float)
        # Gone = in the last window, inside this walk's range (Slack's `oldest` is exclusive), not seen
        # again, and (for a reply) its thread was re-read in this walk.
        checked = set(threads)
        deleted = [provider_id(channel, ts) for ts, root in state.get("recent", {}).items()
                   if float(ts) > float(floor) and ts not in seen and (not root or root in checked)]
        now = self._clock()
        watched = sorted(((root, latest) for root, latest in threads.items()
                          if float(latest) >= now - self.thread_watch_s), key=lambda kv: -float(kv[1]))
        active = dict(watched[:self.max_watched_threads])
        recent = {ts: root for ts, root in sorted(seen.items(), key=lambda kv: float(kv[0]))
                  if float(ts) >= now - self.rescan_s and (not root or root in active)}
        cursor = encode_cursor({"high": high, "recent": recent, "threads": active})
        log.info("slack %s/%s: walk done, %d messages, %d deleted", self.account, channel, len(messages),
                 len(deleted))
        return SyncBatch(messages=messages, deleted_messages=deleted, new_cursor=cursor, done=True,
                         full_sync=not state.get("high"))

    def _replies(self, conversation: Conversation, root: str, floor: str, seen: dict[str, str]) -> list[Message]:
        """Replies of thread `root` newer than `floor` (the root itself is skipped: history has it)."""
        try:
            items = self.client.walk("conversations.replies", tier=3, key="messages", channel=conversation.id,
                                     ts=root, oldest=floor, limit=self.page_size)
        except ConnectorError as err:
            if "thread_not_found" in str(err):
                return []  # the whole thread went away; its ts values drop out of `seen`
            raise
        out: list[Message] = []
        for item in items:
            ts = str(item.get("ts", ""))
            if not ts or ts == root:
                continue
            seen[ts] = root
            message = message_from_slack(item, account=self.account, conversation=conversation,
                                         directory=self.directory)
            if message is not None:
                out.append(message)
        return out
