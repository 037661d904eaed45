"""Slack sign-in for a user token, kept only in the OS keyring.

Two ways in, both ending in `SlackAuth.store`:
- `authorize()`: OAuth v2 for an installed app (RFC 8252). The user's own Slack app must have PKCE
  enabled, which is what lets Slack accept a loopback redirect (`http://127.0.0.1:<port>/slack/callback`)
  and a token exchange without a client secret. The system browser opens Slack's consent page with
  `user_scope`s only (desktop redirects cannot request bot scopes); a one-shot listener bound to
  127.0.0.1 on a random port takes the redirect; `state` is checked and the PKCE S256 verifier is sent
  with the code to `oauth.v2.access`; the wait has a timeout.
- `connect_token()`: a pasted user token (`xoxp-...`) from the app's "Install to workspace" page, for
  apps without PKCE; it is checked with `auth.test` before it is stored.

Keyring entry: service "reflex-assistant", user = account key "slack:<team_id>", secret = JSON with the
token, team and user ids. Nothing of it is logged or written to a file.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


from connectors.base import Retrier
from connectors.errors import AuthError, ConnectorError
from connectors.slack.client import SlackClient, SlackEndpoints
from connectors.secrets import KEYRING_SERVICE, TokenVault

__all__ = ["KEYRING_SERVICE", "SLACK_USER_SCOPES", "SlackAuth", "SlackIdentity"]

#: Read the conversations the user picks, who people are (with e-mail), and post confirmed replies.
SLACK_USER_SCOPES = ("channels:history", "groups:history", "im:history", "mpim:history", "channels:read",
                     "groups:read", "im:read", "mpim:read", "users:read", "users:read.email", "chat:write")
_CALLBACK = "/slack/callback"


@dataclass(frozen=True, slots=True)
class SlackIdentity:
    """Who a token belongs to (from `auth.test`)."""

    team_id: str
    team: str
    user_id: str
    user: str

    @property
    def account_key(self) -> str:
        return f"slack:{self.team_id}"


class SlackAuth:
    """Sign-in and token storage for Slack workspaces. Thread-safe (no shared mutable state)."""

    def __init__(self, *, endpoints: SlackEndpoints, service: str = KEYRING_SERVICE) -> None:
        self.endpoints = endpoints
        self.service = service
        self.vault = TokenVault(service, reconnect_hint="Reconnect Slack in Settings > Accounts.")

    # -- sign-in -----------------------------------------------------------------------------------

    def identify(self, token: str) -> SlackIdentity:
        """Check `token` with `auth.test`; raises `AuthError` when Slack rejects it."""
        data = SlackClient(token, endpoints=self.endpoints, retrier=Retrier(attempts=2),
                           limits=None).call("auth.test", tier=4, http_verb="POST")
        return SlackIdentity(str(data["team_id"]), str(data.get("team", "")), str(data["user_id"]),
                             str(data.get("user", "")))

    def connect_token(self, token: str) -> SlackIdentity:
        """Validate a pasted user token and store it; returns whose it is."""
        token = token.strip()
        if not token.startswith("xoxp-"):
            raise AuthError("That is not a Slack user token (it should start with xoxp-).",
                            next_step="Copy the User OAuth Token from your Slack app's OAuth page.")
        identity = self.identify(token)
        self.store(identity, token)
        return identity

    def authorize(self, *, client_id: str, client_secret: str = "", scopes: tuple[str, ...] = SLACK_USER_SCOPES,
                  timeout_s: float = 300.0, open_browser: bool = True,
                  show_url: Callable[[str], None] | None = None) -> SlackIdentity:
        """Run the loopback OAuth v2 + PKCE flow and store the user token; returns whose it is.

        Raises `AuthError` on denial, a state mismatch, a failed exchange or a timeout.
        """
        verifier = secrets.token_urlsafe(64)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        state = secrets.token_urlsafe(24)
        listener = _OneShotListener()
        redirect_uri = f"http://127.0.0.1:{listener.port}{_CALLBACK}"
        url = self.endpoints.authorize + "?" + urlencode({
            "client_id": client_id, "user_scope": ",".join(scopes), "redirect_uri": redirect_uri,
            "state": state, "code_challenge": challenge, "code_challenge_method": "S256"})
        try:
            if show_url is not None:
                show_url(url)
            if open_browser:
                webbrowser.open(url)
            params = listener.wait(timeout_s)
        finally:
            listener.close()
        if params is None:
            raise AuthError("Slack sign-in timed out.", next_step="Start the sign-in again and finish it in the browser.")
        if params.get("state") != state:
            raise AuthError("The sign-in response did not match this request (state mismatch).",
                            next_step="Start the sign-in again from Reflex.")
        if "error" in params or "code" not in params:
            raise AuthError(f"Slack sign-in was not completed ({params.get('error', 'no code')}).",
                            next_step="Start the sign-in again and allow access.")
        exchange = SlackClient("", endpoints=self.endpoints, retrier=Retrier(attempts=2), limits=None)
        data = exchange.call("oauth.v2.access", tier=4, http_verb="POST", client_id=client_id,
                             client_secret=client_secret or None, code=params["code"],
                             redirect_uri=redirect_uri, code_verifier=verifier)
        user = data.get("authed_user") or {}
        token = str(user.get("access_token") or "")
        if not token:
            raise AuthError("Slack did not return a user token.",
                            next_step="Add user scopes (not bot scopes) to your Slack app and connect again.")
        identity = self.identify(token)
        self.store(identity, token)
        return identity

    # -- keyring -----------------------------------------------------------------------------------

    def store(self, identity: SlackIdentity, token: str) -> None:
        self.vault.save(identity.account_key, {"token": token, "team_id": identity.team_id,
                                               "user_id": identity.user_id})

    def token(self, account_key: str) -> str:
        """The stored user token; `AuthError` when there is none (reconnect needed)."""
        return str(self.vault.load(account_key)["token"])

    def forget(self, account_key: str) -> None:
        """Delete the account's token from the keyring (idempotent)."""
        self.vault.forget(account_key)

    def revoke(self, account_key: str) -> bool:
        """Ask Slack to revoke the stored user token (`auth.revoke`), so a copy of it stops working. True when
        Slack confirmed; False when there is no token or Slack could not be reached (forget it locally anyway)."""
        try:
            client = SlackClient(self.token(account_key), endpoints=self.endpoints, retrier=Retrier(attempts=1),
                                 limits=None)
            return bool(client.call("auth.revoke", tier=3, http_verb="POST").get("revoked"))
        except (ConnectorError, ValueError, KeyError, TypeError):  # no usable token stored, or Slack unreachable
            return False


class _OneShotListener:
    """An HTTP listener on 127.0.0.1 (never another interface) that captures one OAuth redirect."""

    def __init__(self) -> None:
        self._result: dict[str, str] | None = None
        self._done = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                parts = urlsplit(self.path)
                if parts.path != _CALLBACK:
                    self.send_error(404)
                    return
                owner._result = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                body = b"Reflex received the Slack sign-in. You can close this tab."
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                owner._done.set()

            def log_message(self, *args: object) -> None:  # the query holds the code: never log it
                pass

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    def wait(self, timeout_s: float) -> dict[str, str] | None:
        return self._result if self._done.wait(timeout_s) else None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
