"""Google OAuth for an installed app (RFC 8252), with the refresh token kept only in the OS keyring.

`authorize()` runs google-auth-oauthlib's `InstalledAppFlow` with the user's own `client_secret.json`
(Gmail's restricted scopes make a shared client impractical): the system browser opens Google's
consent page; the redirect comes back to a one-shot listener bound to 127.0.0.1 on a random port;
PKCE (S256) is on, the `state` parameter is checked by oauthlib, and the wait has a timeout.

The keyring entry (service "reflex-assistant", user = account key) holds the refresh token and the
client id/secret needed to use it; nothing of it is ever written to a file or a log.
`credentials()` rebuilds `google.oauth2.credentials.Credentials` from it; an `invalid_grant` during
refresh later surfaces as `AuthError` from the client (account -> "reconnect needed").
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import requests
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import InstalledAppFlow, WSGITimeoutError
from oauthlib.oauth2.rfc6749.errors import MismatchingStateError, OAuth2Error

from connectors.errors import AuthError, ConnectorError
from connectors.google.client import GoogleEndpoints
from connectors.google.client_file import read_client_file, remembered_client
from connectors.secrets import KEYRING_SERVICE, TokenVault

__all__ = ["GOOGLE_SCOPES", "KEYRING_SERVICE", "GoogleAuth"]

log = logging.getLogger(__name__)

GOOGLE_SCOPES = [
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.compose",
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.calendarlist.readonly",  # to offer which calendars sync
]


class GoogleAuth:
    """Sign-in and token storage for Google accounts. Thread-safe (no shared mutable state)."""

    def __init__(self, *, endpoints: GoogleEndpoints, service: str = KEYRING_SERVICE) -> None:
        self.endpoints = endpoints
        self.service = service
        self.vault = TokenVault(service)

    def authorize(self, client_secret_file: Path | None, *, timeout_s: int = 300,
                  open_browser: bool = True, prompt_message: str | None = None) -> Credentials:
        """Run the browser consent flow and return fresh credentials (not yet stored). `client_secret_file`: the
        user's client file, or None for the client saved in the keyring (`client_file.remember_client`).

        Raises `AuthError` when the user denies, the state does not match, the token exchange fails,
        or nothing arrives within `timeout_s` seconds; `ConnectorError` for an unreadable secret file.
        """
        flow = InstalledAppFlow.from_client_config(self._client_config(client_secret_file),
                                                   scopes=GOOGLE_SCOPES)
        try:
            return flow.run_local_server(
                host="127.0.0.1", port=0, open_browser=open_browser, timeout_seconds=timeout_s,
                authorization_prompt_message=prompt_message,
                success_message="Reflex is connected. You can close this tab.",
                access_type="offline", prompt="consent")
        except MismatchingStateError as err:
            raise AuthError("The sign-in response did not match this request (state mismatch).",
                            next_step="Start the sign-in again from Reflex.") from err
        except Warning as err:  # oauthlib: the user unticked scopes on the consent screen
            raise AuthError("Not all requested Google permissions were granted.",
                            next_step="Connect again and allow mail read, drafts and calendar.") from err
        except WSGITimeoutError as err:
            raise AuthError("Google sign-in timed out.",
                            next_step="Start the sign-in again and finish it in the browser.") from err
        except (OAuth2Error, ValueError) as err:  # denied, bad code, token endpoint refused
            raise AuthError(f"Google sign-in failed: {type(err).__name__}",
                            next_step="Start the sign-in again from Reflex.") from err

    def _client_config(self, path: Path | None) -> dict[str, Any]:
        """The checked client config (`client_file`): from `path`, or the one saved in the keyring when None."""
        client = read_client_file(path) if path is not None else remembered_client(self.vault)
        if client is None:
            raise ConnectorError("No Google OAuth client is set up yet.",
                                 next_step="Set up your Google client in Settings > Accounts (a guided panel), or "
                                           "pass --client-secret.")
        # Our configured endpoints win, so one setting redirects the whole flow (tests, proxies).
        return {"installed": {**client.config["installed"], "auth_uri": self.endpoints.auth_uri,
                              "token_uri": self.endpoints.token_uri}}

    # -- keyring ---------------------------------------------------------------------------------

    def store(self, account_key: str, credentials: Credentials) -> None:
        """Keep the refresh token (and the client id/secret it belongs to) in the OS keyring."""
        if not credentials.refresh_token:
            raise AuthError("Google did not return a refresh token.",
                            next_step="Remove Reflex in your Google account's third-party access, "
                                      "then connect again.")
        self.vault.save(account_key, {"refresh_token": credentials.refresh_token,
                                      "client_id": credentials.client_id,
                                      "client_secret": credentials.client_secret,
                                      "scopes": list(credentials.scopes or GOOGLE_SCOPES)})

    def credentials(self, account_key: str) -> Credentials:
        """Credentials for a stored account; the access token is fetched on first use.

        Raises `AuthError` when the keyring holds nothing for the account (reconnect needed).
        """
        data = self.vault.load(account_key)
        return Credentials(token=None, refresh_token=data["refresh_token"],
                           token_uri=self.endpoints.token_uri, client_id=data["client_id"],
                           client_secret=data.get("client_secret"), scopes=data.get("scopes"))

    def forget(self, account_key: str) -> None:
        """Delete the account's tokens from the keyring (idempotent)."""
        self.vault.forget(account_key)

    def revoke(self, account_key: str, *, timeout_s: float = 5.0) -> bool:
        """Ask Google to revoke the stored refresh token (and the access it grants), so a copy of it left
        anywhere stops working. True when Google confirmed or the token was already invalid; False when there
        is no stored token or Google could not be reached (the caller still forgets it locally)."""
        try:
            token = self.vault.load(account_key)["refresh_token"]
        except (AuthError, KeyError, ValueError):
            return False
        try:
            reply = requests.post(self.endpoints.revoke_uri, data={"token": token}, timeout=timeout_s,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        except requests.RequestException:
            return False
        return reply.status_code == 200 or (reply.status_code == 400 and "invalid_token" in reply.text)
