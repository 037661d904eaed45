"""A fake Entra ID authority + Microsoft Graph over TLS on 127.0.0.1, spoken to by msal and requests.

msal insists on an https authority, so this server uses a self-signed certificate (tests/fakes/tls.py);
clients trust it through `requests.Session().verify = cert.pem` (with `trust_env=False`).
- Authority: openid-configuration, /authorize (response_mode=form_post: an auto-submit form to the
  loopback redirect), /token (authorization_code + PKCE S256, refresh_token, device_code), /devicecode.
  Tokens carry an unsigned id_token (msal does not verify signatures of tokens it fetched over TLS)
  with the request's nonce, and client_info.
- Graph v1.0: /me, message delta per mail folder, calendarView delta, drafts, events, RSVP actions.
  Delta links encode a snapshot sequence number: changes after it come in the next round; links older
  than `expire_deltas()` get 410 SyncStateNotFound. Honours `Prefer: odata.maxpagesize` and
  `outlook.body-content-type="text"`. Records the highest number of concurrent Graph requests.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode

from tests.fakes.tls import LocalServer, Reply


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _graph_error(status: int, code: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply.json({"error": {"code": code, "message": code}}, status, headers)


@dataclass
class _Item:
    folder: str  # mail folder name, or "calendar"
    body: dict
    seq: int
    removed: bool = False


@dataclass
class _Grant:
    challenge: str
    redirect_uri: str
    nonce: str


@dataclass
class FakeGraphState:
    address: str = "ceo@contoso.example"
    items: dict[str, _Item] = field(default_factory=dict)
    seq: int = 1
    min_delta_seq: int = 0
    drafts: list[dict] = field(default_factory=list)
    rsvps: list[tuple[str, str, dict]] = field(default_factory=list)
    calendars: list[dict] = field(default_factory=list)  # /me/calendars entries besides the default (add_calendar)


class FakeMicrosoft(LocalServer):
    CLIENT_ID = "00000000-fake-client"
    TENANT = "contoso-tenant"

    def __init__(self, cert: tuple[Path, Path]) -> None:
        super().__init__(tls=cert)
        self.state = FakeGraphState()
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.grants: dict[str, _Grant] = {}
        self.devices: dict[str, dict] = {}
        self.token_requests: list[dict[str, str]] = []
        self.delay_s = 0.0
        self.in_flight = 0
        self.max_in_flight = 0
        self._ids = itertools.count(1)
        self._mutex = threading.RLock()

    # -- helpers for tests ------------------------------------------------------------------------

    def endpoints(self):  # -> MicrosoftEndpoints
        from connectors.microsoft import MicrosoftEndpoints
        return MicrosoftEndpoints(authority_host=self.url, graph=self.url)

    def revoke_all(self) -> None:
        self.access_tokens.clear()
        self.refresh_tokens.clear()

    def expire_access_tokens(self) -> None:
        self.access_tokens.clear()

    def expire_deltas(self) -> None:
        with self._mutex:
            self.state.seq += 1
            self.state.min_delta_seq = self.state.seq

    def approve_device(self, user_code: str) -> None:
        for device in self.devices.values():
            if device["user_code"] == user_code:
                device["approved"] = True

    def _touch(self, item_id: str, item: _Item) -> None:
        self.state.seq += 1
        item.seq = self.state.seq
        self.state.items[item_id] = item

    def add_mail(self, *, folder: str = "inbox", subject: str = "Hello", body: str = "Body text",
                 sender: str = "cfo@contoso.example", received: str | None = None, is_read: bool = False,
                 conversation: str | None = None, attachments: list[dict] | None = None) -> str:
        """`attachments`: dicts with name, contentType, size and optionally isInline, contentBytes."""
        with self._mutex:
            mid = f"AAMk{next(self._ids):06d}"
            self._touch(mid, _Item(folder, {
                "id": mid, "conversationId": conversation or f"conv-{mid}", "subject": subject,
                "from": {"emailAddress": {"address": sender, "name": sender.split("@")[0].upper()}},
                "toRecipients": [{"emailAddress": {"address": self.state.address, "name": "CEO"}}],
                "ccRecipients": [], "isRead": is_read, "categories": [], "bodyPreview": body[:50],
                "receivedDateTime": received or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "sentDateTime": received or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "internetMessageId": f"<{mid}@contoso.example>",
                "body": {"contentType": "html", "content": f"<html><body><p>{html.escape(body)}</p></body></html>"},
                "_text": body, "hasAttachments": bool(attachments),
                "_attachments": [{"@odata.type": "#microsoft.graph.fileAttachment", "id": f"att{i}", "isInline": False,
                                  "contentBytes": "", **a} for i, a in enumerate(attachments or [])]}, 0))
            return mid

    def update_mail(self, mid: str, **changes: object) -> None:
        with self._mutex:
            item = self.state.items[mid]
            item.body.update(changes)
            self._touch(mid, item)

    def remove(self, item_id: str) -> None:
        with self._mutex:
            item = self.state.items[item_id]
            item.removed = True
            self._touch(item_id, item)

    def add_event(self, body: dict, *, calendar: str = "") -> str:
        """An event in the default calendar, or in the calendar `add_calendar` returned."""
        with self._mutex:
            eid = body.get("id") or f"AAMkEv{next(self._ids):06d}"
            self._touch(eid, _Item(f"calendar:{calendar}" if calendar else "calendar", {**body, "id": eid}, 0))
            return eid

    def add_calendar(self, name: str) -> str:
        cid = f"AAMkCal{next(self._ids):06d}="  # Graph ids carry base64 padding: it must survive the URL
        self.state.calendars.append({"id": cid, "name": name, "isDefaultCalendar": False})
        return cid

    # -- dispatch ---------------------------------------------------------------------------------

    def handle(self, method, path, query, headers, body):
        match = re.fullmatch(r"/([^/]+)/(v2\.0/\.well-known/openid-configuration|oauth2/v2\.0/\w+)", path)
        if match:
            return self._authority(match.group(1), match.group(2), query, headers, body)
        if path.startswith("/v1.0/"):
            with self._mutex:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                if self.delay_s:
                    time.sleep(self.delay_s)
                if headers.get("authorization", "").removeprefix("Bearer ") not in self.access_tokens:
                    return _graph_error(401, "InvalidAuthenticationToken")
                with self._mutex:
                    return self._graph(method, path.removeprefix("/v1.0"), query, headers, body)
            finally:
                with self._mutex:
                    self.in_flight -= 1
        return _graph_error(404, "NotFound")

    # -- authority --------------------------------------------------------------------------------

    def _authority(self, tenant, what, query, headers, body):
        base = f"{self.url}/{tenant}"
        if what.endswith("openid-configuration"):
            return Reply.json({"authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                               "token_endpoint": f"{base}/oauth2/v2.0/token",
                               "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                               "issuer": f"{base}/v2.0", "jwks_uri": f"{base}/discovery/v2.0/keys",
                               "response_modes_supported": ["query", "fragment", "form_post"]})
        if what == "oauth2/v2.0/authorize":
            code = "code-" + secrets.token_hex(8)
            self.grants[code] = _Grant(query.get("code_challenge", ""), query["redirect_uri"], query.get("nonce", ""))
            fields = {"code": code, "state": query.get("state", ""), "client_info": self._client_info()}
            inputs = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}"/>' for k, v in fields.items())
            page = f'<html><body><form method="post" action="{html.escape(query["redirect_uri"])}">{inputs}</form></body></html>'
            return Reply(200, page.encode(), {"Content-Type": "text/html"})
        form = dict(parse_qsl(body.decode()))
        if what == "oauth2/v2.0/devicecode":
            device = {"device_code": "dc-" + secrets.token_hex(8), "user_code": secrets.token_hex(3).upper(),
                      "approved": False}
            self.devices[device["device_code"]] = device
            return Reply.json({"device_code": device["device_code"], "user_code": device["user_code"],
                               "verification_uri": f"{self.url}/devicelogin", "expires_in": 60, "interval": 1,
                               "message": f"Go to {self.url}/devicelogin and enter {device['user_code']}"})
        if what == "oauth2/v2.0/token":
            return self._token(tenant, form)
        return _graph_error(404, "NotFound")

    def _client_info(self) -> str:
        return _b64url(json.dumps({"uid": "user-oid", "utid": "tenant-id"}).encode())

    def _token(self, tenant, form):
        self.token_requests.append(form)
        grant_type = form.get("grant_type", "")
        nonce = ""
        if grant_type == "authorization_code":
            grant = self.grants.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            if grant is None or grant.challenge != _b64url(hashlib.sha256(verifier.encode()).digest()):
                return Reply.json({"error": "invalid_grant", "error_description": "bad code or PKCE"}, 400)
            nonce = grant.nonce
        elif grant_type == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return Reply.json({"error": "invalid_grant", "error_description": "AADSTS70008: revoked",
                                   "error_codes": [70008]}, 400)
        elif grant_type.endswith("device_code"):
            device = self.devices.get(form.get("device_code", ""))
            if device is None:
                return Reply.json({"error": "expired_token"}, 400)
            if not device["approved"]:
                return Reply.json({"error": "authorization_pending"}, 400)
        else:
            return Reply.json({"error": "unsupported_grant_type"}, 400)
        access, refresh = "eyJ.at-" + secrets.token_hex(8), "rt-" + secrets.token_hex(8)
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        now = int(time.time())
        claims = {"iss": f"{self.url}/{tenant}/v2.0", "aud": self.CLIENT_ID, "sub": "user-sub", "oid": "user-oid",
                  "tid": "tenant-id", "iat": now, "nbf": now, "exp": now + 3600,
                  "preferred_username": self.state.address, "name": "The CEO",
                  **({"nonce": nonce} if nonce else {})}
        id_token = ".".join([_b64url(b'{"alg":"none","typ":"JWT"}'), _b64url(json.dumps(claims).encode()), ""])
        return Reply.json({"token_type": "Bearer", "scope": form.get("scope", "User.Read"), "expires_in": 3600,
                           "access_token": access, "refresh_token": refresh, "id_token": id_token,
                           "client_info": self._client_info()})

    # -- graph ------------------------------------------------------------------------------------

    def _graph(self, method, path, query, headers, body):
        st = self.state
        payload = json.loads(body) if body else {}
        if path == "/me":
            return Reply.json({"mail": st.address, "userPrincipalName": st.address, "displayName": "The CEO"})
        match = re.fullmatch(r"/me/mailFolders/(\w+)/messages/delta", path)
        if match:
            return self._delta(path, match.group(1), query, headers)
        if path == "/me/calendarView/delta":
            return self._delta(path, "calendar", query, headers)
        match = re.fullmatch(r"/me/calendars/([^/]+)/calendarView/delta", path)
        if match:
            return self._delta(path, f"calendar:{unquote(match.group(1))}", query, headers)
        if path == "/me/calendars":
            return self._calendar_list(query)
        if path == "/me/messages" and method == "POST":
            draft = {**payload, "id": f"draft{next(self._ids)}", "isDraft": True}
            st.drafts.append(draft)
            return Reply.json(draft, 201)
        match = re.fullmatch(r"/me/messages/([^/]+)/createReply", path)
        if match:
            original = st.items.get(match.group(1))
            if original is None:
                return _graph_error(404, "ErrorItemNotFound")
            draft = {"id": f"draft{next(self._ids)}", "isDraft": True, "conversationId": original.body["conversationId"],
                     "subject": "RE: " + original.body["subject"], "replyTo": match.group(1)}
            st.drafts.append(draft)
            return Reply.json(draft, 201)
        match = re.fullmatch(r"/me/messages/([^/]+)/attachments/([^/]+)", path)
        if match and method == "GET":  # one attachment, with its contentBytes (base64), as Graph sends it
            item = st.items.get(match.group(1))
            found = [a for a in (item.body.get("_attachments", []) if item and not item.removed else [])
                     if a["id"] == match.group(2)]
            return Reply.json(found[0]) if found else _graph_error(404, "ErrorItemNotFound")
        match = re.fullmatch(r"/me/messages/([^/]+)/attachments", path)
        if match and method == "GET":
            item = st.items.get(match.group(1))
            if item is None or item.removed:
                return _graph_error(404, "ErrorItemNotFound")
            selected = query["$select"].split(",") if query.get("$select") else None
            return Reply.json({"value": [{k: v for k, v in a.items()
                                          if selected is None or k in selected or k in ("@odata.type", "id")}
                                         for a in item.body.get("_attachments", [])]})
        match = re.fullmatch(r"/me/messages/([^/]+)", path)
        if match and method == "PATCH":
            draft = next((d for d in st.drafts if d["id"] == match.group(1)), None)
            if draft is None:
                return _graph_error(404, "ErrorItemNotFound")
            draft.update(payload)
            return Reply.json(draft)
        if path == "/me/events" and method == "POST":
            eid = self.add_event(payload)
            return Reply.json(st.items[eid].body, 201)
        match = re.fullmatch(r"/me/events/([^/]+)(?:/(accept|decline|tentativelyAccept))?", path)
        if match:
            item = st.items.get(match.group(1))
            if item is None:
                return _graph_error(404, "ErrorItemNotFound")
            if match.group(2):
                st.rsvps.append((match.group(1), match.group(2), payload))
                return Reply(202)
            item.body.update(payload)
            self._touch(match.group(1), item)
            return Reply.json(item.body)
        return _graph_error(404, "ResourceNotFound")

    def _calendar_list(self, query):
        """GET /me/calendars, one entry a page (so paging is exercised); the default calendar first."""
        entries = [{"id": "AAMkCalDefault=", "name": "Calendar", "isDefaultCalendar": True}, *self.state.calendars]
        start = int(query.get("$skip") or 0)
        page: dict = {"value": entries[start:start + 1]}
        if start + 1 < len(entries):
            page["@odata.nextLink"] = f"{self.url}/v1.0/me/calendars?" + urlencode({"$skip": start + 1})
        return Reply.json(page)

    def _delta(self, path, folder, query, headers):
        st = self.state
        prefer = headers.get("prefer", "")
        size_match = re.search(r"odata\.maxpagesize=(\d+)", prefer)
        size = int(size_match.group(1)) if size_match else 10
        text_body = 'outlook.body-content-type="text"' in prefer
        if "$skiptoken" in query:
            since, snapshot, offset = (int(x) for x in query["$skiptoken"].split("."))
        elif "$deltatoken" in query:
            since, snapshot, offset = int(query["$deltatoken"]), st.seq, 0
        else:
            since, snapshot, offset = 0, st.seq, 0
        if since and since < st.min_delta_seq:
            return _graph_error(410, "SyncStateNotFound")
        chosen = [(iid, it) for iid, it in st.items.items()
                  if it.folder == folder and since < it.seq <= snapshot and not (since == 0 and it.removed)]
        if since == 0 and "$filter" in query and not folder.startswith("calendar"):
            bound = query["$filter"].split(" ge ")[1]
            chosen = [(iid, it) for iid, it in chosen if it.body["receivedDateTime"] >= bound]
        chosen.sort(key=lambda pair: pair[0])
        page = chosen[offset:offset + size]
        values = []
        for iid, it in page:
            if it.removed:
                values.append({"id": iid, "@removed": {"reason": "deleted"}})
                continue
            value = {k: v for k, v in it.body.items() if not k.startswith("_")}
            if not folder.startswith("calendar") and text_body:
                value["body"] = {"contentType": "text", "content": it.body["_text"]}
            values.append(value)
        out: dict = {"value": values}
        link = f"{self.url}/v1.0{path}?"
        if offset + size < len(chosen):
            out["@odata.nextLink"] = link + urlencode({"$skiptoken": f"{since}.{snapshot}.{offset + size}"})
        else:
            out["@odata.deltaLink"] = link + urlencode({"$deltatoken": str(snapshot)})
        return Reply.json(out)
