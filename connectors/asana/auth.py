"""Asana sign-in with a personal access token, kept only in the OS keyring.

The user creates a token in Asana (My settings > Apps > Developer console > Personal access token) and
pastes it; `connect_token` checks it with `GET /users/me` before storing it. Keyring entry: service
"reflex-assistant", user = account key "asana:<user gid>", secret = JSON with the token and the default
workspace. Nothing of it is logged or written to a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from connectors.asana.client import AsanaClient, AsanaEndpoints
from connectors.base import Retrier
from connectors.errors import AuthError, ConnectorError

__all__ = ["AsanaAuth", "AsanaIdentity", "KEYRING_SERVICE"]

KEYRING_SERVICE = "reflex-assistant"


@dataclass(frozen=True, slots=True)
class AsanaIdentity:
    user_gid: str
    name: str
    email: str
    workspaces: tuple[tuple[str, str], ...]  # (gid, name)

    @property
    def account_key(self) -> str:
        return f"asana:{self.user_gid}"


class AsanaAuth:
    """Token check and storage for Asana accounts. Thread-safe (no shared mutable state)."""

    def __init__(self, *, endpoints: AsanaEndpoints, service: str = KEYRING_SERVICE) -> None:
        self.endpoints = endpoints
        self.service = service

    def identify(self, token: str) -> AsanaIdentity:
        """Who `token` belongs to; `AuthError` when Asana rejects it."""
        me = AsanaClient(token, endpoints=self.endpoints, retrier=Retrier(attempts=2),
                         requests_per_minute=None).me()
        return AsanaIdentity(str(me["gid"]), str(me.get("name", "")), str(me.get("email", "")).lower(),
                             tuple((str(w["gid"]), str(w.get("name", ""))) for w in me.get("workspaces") or []))

    def connect_token(self, token: str) -> AsanaIdentity:
        token = token.strip()
        if not token:
            raise AuthError("No Asana token given.", next_step="Paste a personal access token from Asana.")
        identity = self.identify(token)
        try:
            keyring.set_password(self.service, identity.account_key, json.dumps({"token": token}))
        except KeyringError as err:
            raise ConnectorError("The system keyring is not available to store the token.",
                                 next_step="Unlock or install a keyring and connect again.") from err
        return identity

    def token(self, account_key: str) -> str:
        """The stored token; `AuthError` when there is none (reconnect needed)."""
        try:
            secret = keyring.get_password(self.service, account_key)
        except KeyringError as err:
            raise AuthError("The system keyring is locked or unavailable.",
                            next_step="Unlock the keyring, then sync again.") from err
        if not secret:
            raise AuthError(f"No stored sign-in for {account_key}.", next_step="Reconnect Asana.")
        return str(json.loads(secret)["token"])

    def forget(self, account_key: str) -> None:
        try:
            keyring.delete_password(self.service, account_key)
        except PasswordDeleteError:
            pass
