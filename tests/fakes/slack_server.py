"""A fake Slack Web API on 127.0.0.1, spoken to by the real `slack_sdk.WebClient`.

Implements what Reflex uses, with Slack's wire format and the semantics sync correctness depends on:
- Every method answers HTTP 200 with `{"ok": false, "error": ...}` on failure, as Slack does; a missing
  token is `not_authed`, an unknown or revoked one `invalid_auth`. Rate limits are injected with
  `fail(method, 429, headers={"Retry-After": ...}, body={"ok": False, "error": "ratelimited"})`.
- `conversations.history`: newest first, `oldest`/`latest` exclusive, `limit` + opaque `cursor`
  (`response_metadata.next_cursor`, `has_more`), thread roots carry `reply_count`/`latest_reply`, a deleted
  root that still has replies is a `tombstone`, replies appear only when broadcast.
- `conversations.replies`: root first, then replies oldest first; `oldest` filters replies only.
- `users.list`, `users.info`, `conversations.info|list|members`, `auth.test`, `chat.postMessage`,
  `oauth.v2.access` (code + PKCE S256 verifier), and the browser page `/oauth/v2/authorize` (302 back).
Parameters arrive as a query string (GET), a form body or a JSON body, like the SDK sends them.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from connectors.slack import SlackEndpoints
from tests.fakes.tls import LocalServer, Reply

TEAM = "T0NORTH"
ME = "U0CEO"


@dataclass
class FakeChannel:
    id: str
    name: str
    kind: str = "channel"  # channel | private | dm | group_dm
    members: list[str] = field(default_factory=list)
    messages: dict[str, dict] = field(default_factory=dict)  # ts -> message (roots and replies)
    last_read: str = "0000000000.000000"


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    return int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0


class FakeSlack(LocalServer):
    """State is plain Python data the tests edit directly (under `lock`), plus helpers to post/edit."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.RLock()
        self.users: dict[str, dict] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.tokens: dict[str, str] = {"xoxp-good": ME}  # token -> user id
        self.revoked: list[str] = []  # tokens revoked through auth.revoke
        self.posted: list[dict] = []
        self.grants: dict[str, dict] = {}  # code -> {challenge, redirect_uri}
        self.exchanges: list[dict] = []
        self._clock = itertools.count(int(time.time()) - 3600)
        self.add_user(ME, "Dana Reyes", "dana@northwind.example", title="CEO")

    def endpoints(self) -> SlackEndpoints:
        return SlackEndpoints(api=f"{self.url}/api/", authorize=f"{self.url}/oauth/v2/authorize")

    # -- test helpers -------------------------------------------------------------------------------

    def add_user(self, uid: str, name: str, email: str = "", *, title: str = "", bot: bool = False) -> None:
        profile = {"real_name": name, "display_name": name.split()[0], "title": title}
        if email:
            profile["email"] = email
        with self.lock:
            self.users[uid] = {"id": uid, "team_id": TEAM, "name": name.lower().replace(" ", "."),
                               "real_name": name, "is_bot": bot, "deleted": False, "profile": profile}

    def add_channel(self, cid: str, name: str, *, kind: str = "channel", members: list[str] | None = None) -> None:
        with self.lock:
            self.channels[cid] = FakeChannel(cid, name, kind, list(members or []))

    def next_ts(self, at: float | None = None) -> str:
        return f"{at if at is not None else next(self._clock):.6f}"

    def post(self, cid: str, user: str, text: str, *, thread_ts: str | None = None, at: float | None = None,
             broadcast: bool = False, **extra: object) -> str:
        """Add a message (a reply when `thread_ts`); returns its ts."""
        with self.lock:
            ts = self.next_ts(at)
            msg = {"type": "message", "user": user, "text": text, "ts": ts, "team": TEAM, **extra}
            if thread_ts:
                msg["thread_ts"] = thread_ts
                msg["parent_user_id"] = self.channels[cid].messages[thread_ts]["user"]
                if broadcast:
                    msg["subtype"] = "thread_broadcast"
            self.channels[cid].messages[ts] = msg
            return ts

    def edit(self, cid: str, ts: str, text: str) -> None:
        with self.lock:
            msg = self.channels[cid].messages[ts]
            msg["text"] = text
            msg["edited"] = {"user": msg.get("user"), "ts": self.next_ts()}

    def delete(self, cid: str, ts: str) -> None:
        with self.lock:
            del self.channels[cid].messages[ts]

    def revoke(self, token: str = "xoxp-good") -> None:
        with self.lock:
            self.tokens.pop(token, None)

    # -- HTTP ---------------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: bytes) -> Reply:
        if path == "/oauth/v2/authorize":
            return self._authorize(query)
        if not path.startswith("/api/"):
            return Reply(404, b"not found")
        params = dict(query)
        kind = headers.get("content-type", "")
        if body and "json" in kind:
            params.update({k: v for k, v in json.loads(body).items() if v is not None})
        elif body:
            params.update(dict(parse_qsl(body.decode())))
        api = path[len("/api/"):]
        if api == "oauth.v2.access":
            return self._exchange(params, headers)
        token = headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not token:
            return self._error("not_authed")
        with self.lock:
            user = self.tokens.get(token)
            if user is None:
                return self._error("invalid_auth")
            handler = getattr(self, "_" + api.replace(".", "_"), None)
            if handler is None:
                return self._error("unknown_method")
            return handler(params, user)

    @staticmethod
    def _ok(payload: dict) -> Reply:
        return Reply.json({"ok": True, **payload})

    @staticmethod
    def _error(code: str, status: int = 200) -> Reply:
        return Reply.json({"ok": False, "error": code}, status)

    def _page(self, items: list, params: dict, key: str, default_limit: int = 100) -> Reply:
        start = _offset(params.get("cursor"))
        limit = int(params.get("limit") or default_limit)
        chunk = items[start:start + limit]
        more = start + limit < len(items)
        return self._ok({key: chunk, "has_more": more,
                         "response_metadata": {"next_cursor": _cursor(start + limit) if more else ""}})

    # -- methods (called with the lock held) ------------------------------------------------------------

    def _auth_revoke(self, params: dict, user: str) -> Reply:
        """Like Slack: the calling token stops working (here every token of that user)."""
        for token in [t for t, u in self.tokens.items() if u == user]:
            del self.tokens[token]
            self.revoked.append(token)
        return self._ok({"revoked": True})

    def _auth_test(self, params: dict, user: str) -> Reply:
        return self._ok({"url": "https://northwind.slack.com/", "team": "Northwind", "user": "dana",
                         "team_id": TEAM, "user_id": user})

    def _users_list(self, params: dict, user: str) -> Reply:
        return self._page(list(self.users.values()), params, "members")

    def _users_info(self, params: dict, user: str) -> Reply:
        found = self.users.get(params.get("user", ""))
        return self._ok({"user": found}) if found else self._error("user_not_found")

    def _channel_json(self, ch: FakeChannel) -> dict:
        info: dict = {"id": ch.id, "created": 1700000000, "last_read": ch.last_read,
                      "is_channel": ch.kind in ("channel", "private"), "is_private": ch.kind == "private",
                      "is_im": ch.kind == "dm", "is_mpim": ch.kind == "group_dm"}
        if ch.kind == "dm":
            info["user"] = next(m for m in ch.members if m != ME)
        else:
            info["name"] = ch.name
        return info

    def _conversations_info(self, params: dict, user: str) -> Reply:
        ch = self.channels.get(params.get("channel", ""))
        return self._ok({"channel": self._channel_json(ch)}) if ch else self._error("channel_not_found")

    def _conversations_list(self, params: dict, user: str) -> Reply:
        return self._page([self._channel_json(c) for c in self.channels.values()], params, "channels")

    def _conversations_members(self, params: dict, user: str) -> Reply:
        ch = self.channels.get(params.get("channel", ""))
        return self._page(list(ch.members), params, "members") if ch else self._error("channel_not_found")

    def _root_view(self, ch: FakeChannel, msg: dict) -> dict:
        replies = [m for m in ch.messages.values() if m.get("thread_ts") == msg["ts"] and m["ts"] != msg["ts"]]
        view = dict(msg)
        if replies:
            view.update(thread_ts=msg["ts"], reply_count=len(replies),
                        latest_reply=max((r["ts"] for r in replies), key=float),
                        reply_users=sorted({r["user"] for r in replies}))
        return view

    def _conversations_history(self, params: dict, user: str) -> Reply:
        ch = self.channels.get(params.get("channel", ""))
        if ch is None:
            return self._error("channel_not_found")
        oldest, latest = float(params.get("oldest") or 0), float(params.get("latest") or 9e12)
        visible = [self._root_view(ch, m) for m in ch.messages.values()
                   if ("thread_ts" not in m or m["thread_ts"] == m["ts"] or m.get("subtype") == "thread_broadcast")]
        # Deleted roots whose replies remain show as tombstones.
        for root in {m["thread_ts"] for m in ch.messages.values() if m.get("thread_ts")} - set(ch.messages):
            replies = [m for m in ch.messages.values() if m.get("thread_ts") == root]
            visible.append({"type": "message", "subtype": "tombstone", "text": "This message was deleted.",
                            "ts": root, "thread_ts": root, "reply_count": len(replies),
                            "latest_reply": max((r["ts"] for r in replies), key=float), "user": "USLACKBOT"})
        items = sorted((m for m in visible if oldest < float(m["ts"]) < latest), key=lambda m: -float(m["ts"]))
        return self._page(items, params, "messages")

    def _conversations_replies(self, params: dict, user: str) -> Reply:
        ch = self.channels.get(params.get("channel", ""))
        root_ts = params.get("ts", "")
        if ch is None:
            return self._error("channel_not_found")
        replies = sorted((m for m in ch.messages.values() if m.get("thread_ts") == root_ts and m["ts"] != root_ts),
                         key=lambda m: float(m["ts"]))
        if root_ts not in ch.messages and not replies:
            return self._error("thread_not_found")
        oldest = float(params.get("oldest") or 0)
        root = self._root_view(ch, ch.messages[root_ts]) if root_ts in ch.messages else {
            "type": "message", "subtype": "tombstone", "ts": root_ts, "thread_ts": root_ts, "text": ""}
        return self._page([root, *(r for r in replies if float(r["ts"]) > oldest)], params, "messages")

    def _chat_postMessage(self, params: dict, user: str) -> Reply:  # noqa: N802 - Slack's method name
        ch = self.channels.get(params.get("channel", ""))
        if ch is None:
            return self._error("channel_not_found")
        if params.get("thread_ts") and params["thread_ts"] not in ch.messages:
            return self._error("thread_not_found")
        ts = self.post(ch.id, user, str(params.get("text", "")), thread_ts=params.get("thread_ts"))
        self.posted.append({"channel": ch.id, **params, "ts": ts})
        return self._ok({"channel": ch.id, "ts": ts, "message": ch.messages[ts]})

    # -- OAuth ---------------------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> Reply:
        code = secrets.token_urlsafe(8)
        with self.lock:
            self.grants[code] = {"challenge": query.get("code_challenge", ""),
                                 "method": query.get("code_challenge_method", ""),
                                 "redirect_uri": query.get("redirect_uri", ""), "scope": query.get("user_scope", "")}
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
        return Reply(302, b"", {"Location": target})

    def _exchange(self, params: dict, headers: dict[str, str]) -> Reply:
        with self.lock:
            self.exchanges.append(dict(params))
            grant = self.grants.pop(params.get("code", ""), None)
            if grant is None or params.get("redirect_uri") != grant["redirect_uri"]:
                return self._error("invalid_code")
            verifier = params.get("code_verifier", "")
            expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if grant["method"] != "S256" or expected != grant["challenge"]:
                return self._error("invalid_code_verifier")
            token = "xoxp-" + secrets.token_hex(8)
            self.tokens[token] = ME
        return self._ok({"app_id": "A1", "team": {"id": TEAM, "name": "Northwind"},
                         "authed_user": {"id": ME, "scope": grant["scope"], "access_token": token,
                                         "token_type": "user"}})
