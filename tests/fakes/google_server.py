"""A fake Google (OAuth + Gmail + Calendar) on 127.0.0.1, spoken to by the real client libraries.

Implements just what Reflex uses, with Google's semantics where they matter for sync correctness:
- OAuth: `/o/oauth2/auth` (records PKCE challenge + state, 302 to the loopback redirect with a code),
  `/token` (authorization_code with PKCE S256 verification; refresh_token; revoked -> invalid_grant).
- Gmail: profile, labels, messages.list (`q=after:<epoch>`, keyset page tokens, newest first),
  messages.get (`format=raw`), history.list (404 below the retained history id), drafts.create, and
  the HTTP batch endpoint `/batch/gmail/v1` (multipart/mixed of application/http parts).
- Calendar: events.list (timeMin/timeMax, singleEvents expansion of simple DAILY/WEEKLY RRULEs,
  syncToken increments incl. cancellations, 410 fullSyncRequired for expired tokens, 400 when
  syncToken is combined with timeMin), events.get/insert/patch.
Every API call needs a live access token, otherwise 401 (so the client's refresh path is exercised).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.parser import BytesParser
from email import policy
from urllib.parse import parse_qsl, urlencode

from tests.fakes.tls import LocalServer, Reply


@dataclass
class FakeMail:
    id: str
    thread_id: str
    labels: set[str]
    raw: bytes
    internal_ms: int


@dataclass
class FakeEvent:
    body: dict
    seq: int
    calendar: str = "primary"


@dataclass
class OAuthGrant:
    code_challenge: str = ""
    method: str = ""
    redirect_uri: str = ""
    state: str = ""
    scope: str = ""


@dataclass
class FakeGoogleState:
    address: str = "ceo@northwind.example"
    mails: dict[str, FakeMail] = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)
    history_id: int = 1000
    min_history_id: int = 0
    events: dict[str, FakeEvent] = field(default_factory=dict)
    event_seq: int = 1
    min_sync_seq: int = 0
    drafts: list[dict] = field(default_factory=list)
    send_updates: list[str] = field(default_factory=list)  # sendUpdates of each event insert/patch, in order
    calendars: list[dict] = field(default_factory=list)  # calendarList entries (add_calendar)
    calendar_list_allowed: bool = True  # False: the token lacks the calendarlist scope (403)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _error(status: int, reason: str, message: str = "") -> Reply:
    return Reply.json({"error": {"code": status, "message": message or reason,
                                 "errors": [{"reason": reason, "message": message or reason}]}}, status)


class FakeGoogle(LocalServer):
    """Google's OAuth, Gmail and Calendar APIs for one user. Mutate the mailbox with the helpers."""

    CLIENT_ID = "fake-client.apps.googleusercontent.com"
    CLIENT_SECRET = "fake-secret"

    def __init__(self) -> None:
        super().__init__()
        self.state = FakeGoogleState()
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.revoked: list[str] = []  # refresh tokens revoked through /revoke, in order
        self.codes: dict[str, OAuthGrant] = {}
        self.token_requests: list[dict[str, str]] = []
        self.tamper_state = False  # the authorize redirect returns a different state (attack test)
        self.granted_scope = ""  # non-empty: the user unticked scopes on the consent screen
        self._ids = itertools.count(1)
        self._mutex = threading.RLock()

    # -- endpoints for the product code ----------------------------------------------------------

    def endpoints(self):  # -> GoogleEndpoints (import deferred so the fake stays import-light)
        from connectors.google import GoogleEndpoints
        return GoogleEndpoints(api=self.url, calendar=self.url + "/calendar/v3/",
                               token_uri=self.url + "/token", auth_uri=self.url + "/o/oauth2/auth")

    def issue_refresh_token(self) -> str:
        token = "1//rt-" + secrets.token_hex(8)
        self.refresh_tokens.add(token)
        return token

    def expire_access_tokens(self) -> None:
        self.access_tokens.clear()

    def revoke_all(self) -> None:
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    # -- mailbox mutations ------------------------------------------------------------------------

    def _record(self, kind: str, payload: list[dict]) -> None:
        self.state.history_id += 1
        self.state.history.append({"id": str(self.state.history_id), kind: payload})

    def add_message(self, raw: bytes, *, labels: tuple[str, ...] = ("INBOX", "UNREAD"),
                    thread_id: str | None = None, when: datetime | None = None) -> str:
        with self._mutex:
            mid = f"m{next(self._ids):08x}"
            moment = when or datetime.now(timezone.utc)
            mail = FakeMail(mid, thread_id or mid, set(labels), raw, int(moment.timestamp() * 1000))
            self.state.mails[mid] = mail
            self._record("messagesAdded", [{"message": self._ref(mail)}])
            return mid

    def delete_message(self, mid: str) -> None:
        with self._mutex:
            mail = self.state.mails.pop(mid)
            self._record("messagesDeleted", [{"message": {"id": mid, "threadId": mail.thread_id}}])

    def modify_labels(self, mid: str, *, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> None:
        with self._mutex:
            mail = self.state.mails[mid]
            mail.labels |= set(add)
            mail.labels -= set(remove)
            if add:
                self._record("labelsAdded", [{"message": self._ref(mail), "labelIds": list(add)}])
            if remove:
                self._record("labelsRemoved", [{"message": self._ref(mail), "labelIds": list(remove)}])

    def expire_history(self) -> None:
        """Forget all history so far: any historyId stored before now gets 404."""
        with self._mutex:
            self.state.history_id += 1
            self.state.min_history_id = self.state.history_id
            self.state.history.clear()

    @staticmethod
    def _ref(mail: FakeMail) -> dict:
        return {"id": mail.id, "threadId": mail.thread_id, "labelIds": sorted(mail.labels)}

    # -- calendar mutations -----------------------------------------------------------------------

    def put_event(self, body: dict, calendar: str = "primary") -> str:
        with self._mutex:
            body = dict(body)
            body.setdefault("id", f"ev{next(self._ids):06d}")
            body.setdefault("status", "confirmed")
            self.state.event_seq += 1
            self.state.events[body["id"]] = FakeEvent(body, self.state.event_seq, calendar)
            return body["id"]

    def cancel_event(self, event_id: str) -> None:
        with self._mutex:
            event = self.state.events[event_id]
            event.body = {**event.body, "status": "cancelled"}
            self.state.event_seq += 1
            event.seq = self.state.event_seq

    def expire_sync_tokens(self) -> None:
        with self._mutex:
            self.state.min_sync_seq = self.state.event_seq + 1

    # -- dispatch ---------------------------------------------------------------------------------

    def handle(self, method, path, query, headers, body):
        if path == "/o/oauth2/auth":
            return self._authorize(query)
        if path == "/token":
            return self._token(dict(parse_qsl(body.decode())), headers.get("authorization", ""))
        if path == "/revoke" and method == "POST":
            return self._revoke(dict(parse_qsl(body.decode())))
        if path == "/batch/gmail/v1":
            return self._batch(headers, body)
        return self._api(method, path, query, headers, body)

    def _api(self, method, path, query, headers, body):
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.access_tokens:
            return _error(401, "authError", "Invalid Credentials")
        with self._mutex:
            if path.startswith("/gmail/v1/users/me/"):
                return self._gmail(method, path.removeprefix("/gmail/v1/users/me/"), query, body)
            if path == "/calendar/v3/users/me/calendarList":
                return self._calendar_list(query)
            match = re.fullmatch(r"/calendar/v3/calendars/([^/]+)/events(?:/([^/]+))?", path)
            if match:
                return self._calendar(method, match.group(1), match.group(2), query, body)
        return _error(404, "notFound", path)

    # -- OAuth ------------------------------------------------------------------------------------

    def _authorize(self, query):
        code = "code-" + secrets.token_hex(8)
        self.codes[code] = OAuthGrant(query.get("code_challenge", ""), query.get("code_challenge_method", ""),
                                      query["redirect_uri"], query.get("state", ""),
                                      self.granted_scope or query.get("scope", ""))
        state = "forged-state" if self.tamper_state else query.get("state", "")
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": state,
                                                             "scope": query.get("scope", "")})
        return Reply(302, b"", {"Location": location})

    def _revoke(self, form):
        """Like oauth2.googleapis.com/revoke: a refresh token stops working (its access tokens too, here all)."""
        token = form.get("token", "")
        if token not in self.refresh_tokens:
            return Reply.json({"error": "invalid_token"}, 400)
        self.refresh_tokens.discard(token)
        self.revoked.append(token)
        self.access_tokens.clear()
        return Reply.json({}, 200)

    def _token(self, form, authorization=""):
        self.token_requests.append(form)
        if authorization.startswith("Basic "):  # client_secret_basic, as requests-oauthlib sends it
            form = {**form, "client_id": base64.b64decode(authorization[6:]).decode().split(":")[0]}
        if form.get("client_id") != self.CLIENT_ID:
            return Reply.json({"error": "invalid_client"}, 401)
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            if grant is None or grant.redirect_uri != form.get("redirect_uri"):
                return Reply.json({"error": "invalid_grant"}, 400)
            if grant.code_challenge != _b64url(hashlib.sha256(verifier.encode()).digest()):
                return Reply.json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
            refresh = self.issue_refresh_token()
            form = {**form, "scope": grant.scope}
        elif form.get("grant_type") == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in self.refresh_tokens:
                return Reply.json({"error": "invalid_grant", "error_description": "Token has been "
                                   "expired or revoked."}, 400)
        else:
            return Reply.json({"error": "unsupported_grant_type"}, 400)
        access = "ya29.at-" + secrets.token_hex(8)
        self.access_tokens.add(access)
        return Reply.json({"access_token": access, "expires_in": 3599, "refresh_token": refresh,
                           "scope": " ".join(form.get("scope", "").split()) or
                           "https://www.googleapis.com/auth/gmail.readonly", "token_type": "Bearer"})

    # -- Gmail ------------------------------------------------------------------------------------

    def _gmail(self, method, sub, query, body):
        st = self.state
        if sub == "profile":
            return Reply.json({"emailAddress": st.address, "messagesTotal": len(st.mails),
                               "historyId": str(st.history_id)})
        if sub == "labels":
            return Reply.json({"labels": [{"id": "INBOX", "name": "INBOX", "type": "system"},
                                          {"id": "Label_1", "name": "Board", "type": "user"}]})
        if sub == "messages" and method == "GET":
            return self._list(query)
        if sub.startswith("messages/") and method == "GET":
            mail = st.mails.get(sub.removeprefix("messages/"))
            if mail is None:
                return _error(404, "notFound", "Requested entity was not found.")
            return Reply.json({**self._ref(mail), "raw": base64.urlsafe_b64encode(mail.raw).decode(),
                               "internalDate": str(mail.internal_ms), "historyId": str(st.history_id),
                               "sizeEstimate": len(mail.raw)})
        if sub == "history":
            return self._history(query)
        if sub == "drafts" and method == "POST":
            draft = json.loads(body)
            draft["id"] = f"r{next(self._ids)}"
            st.drafts.append(draft)
            return Reply.json({"id": draft["id"], "message": {"id": draft["id"] + "m"}})
        return _error(404, "notFound", sub)

    def _list(self, query):
        after = 0
        match = re.search(r"after:(\d+)", query.get("q", ""))
        if match:
            after = int(match.group(1)) * 1000
        size = min(int(query.get("maxResults", 100)), 500)
        hidden = {"TRASH", "SPAM"}
        mails = sorted((m for m in self.state.mails.values()
                        if m.internal_ms > after and not (m.labels & hidden)),
                       key=lambda m: (m.internal_ms, m.id), reverse=True)
        if query.get("pageToken"):
            ms, mid = base64.urlsafe_b64decode(query["pageToken"]).decode().split(":")
            mails = [m for m in mails if (m.internal_ms, m.id) < (int(ms), mid)]
        page = mails[:size]
        out = {"messages": [{"id": m.id, "threadId": m.thread_id} for m in page],
               "resultSizeEstimate": len(mails)}
        if len(mails) > size:
            out["nextPageToken"] = base64.urlsafe_b64encode(
                f"{page[-1].internal_ms}:{page[-1].id}".encode()).decode()
        return Reply.json(out)

    def _history(self, query):
        start = int(query["startHistoryId"])
        if start < self.state.min_history_id:
            return _error(404, "notFound", "Requested entity was not found.")
        size = min(int(query.get("maxResults", 100)), 500)
        records = [r for r in self.state.history if int(r["id"]) > start]
        if query.get("pageToken"):
            records = [r for r in records if int(r["id"]) > int(query["pageToken"])]
        page = records[:size]
        out = {"historyId": str(self.state.history_id)}
        if page:
            out["history"] = page
        if len(records) > size:
            out["nextPageToken"] = page[-1]["id"]
        return Reply.json(out)

    # -- batch ------------------------------------------------------------------------------------

    def _batch(self, headers, body):
        envelope = BytesParser(policy=policy.compat32).parsebytes(
            b"Content-Type: " + headers["content-type"].encode() + b"\r\n\r\n" + body)
        boundary = "batch_" + secrets.token_hex(8)
        chunks = []
        for part in envelope.get_payload():
            inner = part.get_payload()
            head, _, inner_body = inner.replace("\r\n", "\n").partition("\n\n")
            lines = head.split("\n")
            method, target, _ = lines[0].split(" ", 2)
            inner_headers = {}
            for line in lines[1:]:
                key, _, value = line.partition(":")
                inner_headers[key.strip().lower()] = value.strip()
            path, _, qs = target.partition("?")
            reply = self.take_fault(method, path) or self._api(
                method, path, dict(parse_qsl(qs)), inner_headers, inner_body.encode())
            content_id = part["Content-ID"].strip("<>")
            extra = "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items() if k != "Content-Type")
            chunks.append(f"--{boundary}\r\nContent-Type: application/http\r\n"
                          f"Content-ID: <response-{content_id}>\r\n\r\n"
                          f"HTTP/1.1 {reply.status} X\r\nContent-Type: application/json; charset=UTF-8\r\n"
                          f"{extra}\r\n{reply.body.decode()}\r\n")
        chunks.append(f"--{boundary}--\r\n")
        return Reply(200, "".join(chunks).encode(), {"Content-Type": f"multipart/mixed; boundary={boundary}"})

    # -- Calendar ---------------------------------------------------------------------------------

    def add_calendar(self, cid: str, summary: str, *, primary: bool = False) -> None:
        self.state.calendars.append({"id": cid, "summary": summary, "primary": primary, "accessRole": "owner"})

    def _calendar_list(self, query):
        """calendarList.list, two entries a page (so paging is exercised)."""
        if not self.state.calendar_list_allowed:
            return _error(403, "insufficientPermissions", "Request had insufficient authentication scopes.")
        start = int(query.get("pageToken") or 0)
        items = self.state.calendars[start:start + 2]
        page = {"kind": "calendar#calendarList", "items": items}
        if start + 2 < len(self.state.calendars):
            page["nextPageToken"] = str(start + 2)
        return Reply.json(page)

    def _calendar(self, method, calendar, event_id, query, body):
        st = self.state
        if method in ("POST", "PATCH"):
            st.send_updates.append(query.get("sendUpdates", "none"))
        if event_id is None and method == "POST":
            new_id = self.put_event(json.loads(body), calendar)
            return Reply.json(st.events[new_id].body)
        if event_id is not None:
            event = st.events.get(event_id)
            if event is None:
                return _error(404, "notFound")
            if method == "PATCH":
                event.body = {**event.body, **json.loads(body)}
                st.event_seq += 1
                event.seq = st.event_seq
            return Reply.json(event.body)
        return self._events_list(calendar, query)

    def _events_list(self, calendar, query):
        st = self.state
        sync_token = query.get("syncToken")
        if sync_token and (query.get("timeMin") or query.get("timeMax")):
            return _error(400, "invalid", "syncToken cannot be combined with timeMin/timeMax")
        snapshot = st.event_seq
        if sync_token:
            since = int(sync_token.removeprefix("sync-"))
            if since < st.min_sync_seq:
                return _error(410, "fullSyncRequired", "Sync token is no longer valid.")
            chosen = [e.body for e in st.events.values() if e.calendar == calendar and e.seq > since]
        else:
            chosen = [e.body for e in st.events.values()
                      if e.calendar == calendar and e.body["status"] != "cancelled"]
        items: list[dict] = []
        for event in chosen:
            items.extend(_expand(event) if query.get("singleEvents") == "true" else [event])
        if not sync_token:
            lo, hi = query.get("timeMin"), query.get("timeMax")
            items = [e for e in items if _in_window(e, lo, hi)]
        items.sort(key=lambda e: e["id"])
        size = int(query.get("maxResults", 250))
        offset = int(query.get("pageToken") or 0)
        page = items[offset:offset + size]
        out: dict = {"kind": "calendar#events", "items": page}
        if offset + size < len(items):
            out["nextPageToken"] = str(offset + size)
        else:
            out["nextSyncToken"] = f"sync-{snapshot}"
        return Reply.json(out)


def _parse(value: dict) -> datetime:
    if "dateTime" in value:
        return datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00"))
    return datetime.fromisoformat(value["date"]).replace(tzinfo=timezone.utc)


def _in_window(event: dict, lo: str | None, hi: str | None) -> bool:
    if event.get("status") == "cancelled":
        return False
    start, end = _parse(event["start"]), _parse(event["end"])
    if lo and end <= datetime.fromisoformat(lo.replace("Z", "+00:00")):
        return False
    return not (hi and start >= datetime.fromisoformat(hi.replace("Z", "+00:00")))


def _expand(event: dict) -> list[dict]:
    """Expand `RRULE:FREQ=DAILY|WEEKLY;COUNT=n` into instances the way singleEvents=true does."""
    rule = next((r for r in event.get("recurrence", []) if r.startswith("RRULE:")), None)
    if rule is None:
        return [event]
    params = dict(p.split("=") for p in rule.removeprefix("RRULE:").split(";"))
    step = timedelta(days=7 if params["FREQ"] == "WEEKLY" else 1)
    start, end = _parse(event["start"]), _parse(event["end"])
    instances = []
    for n in range(int(params.get("COUNT", 1))):
        s, e = start + n * step, end + n * step
        instance = {k: v for k, v in event.items() if k != "recurrence"}
        instance.update(id=f"{event['id']}_{s.strftime('%Y%m%dT%H%M%SZ')}", recurringEventId=event["id"],
                        start={"dateTime": s.isoformat()}, end={"dateTime": e.isoformat()})
        instances.append(instance)
    return instances
