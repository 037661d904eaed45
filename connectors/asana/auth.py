"""Asana sign-in with a personal access token, kept only in the OS keyring.

The user creates a token in Asana (My settings > Apps > Developer console > Personal access token) and
pastes it; `connect_token` checks it with `GET /users/me` before storing it. Keyring entry: service
"reflex-assistant", user = account key "asana:<user gid>", secret = JSON with the token and the default
workspace. Nothing of it is logged or written to a file.
"""

from __future__ import annotations

from dataclasses import dataclass


from connectors.asana.client import AsanaClient, AsanaEndpoints
from connectors.base import Retrier
from connectors.errors import AuthError
from connectors.secrets import KEYRING_SERVICE, TokenVault

__all__ = ["AsanaAuth", "AsanaIdentity", "KEYRING_SERVICE"]



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
        self.vault = TokenVault(service, reconnect_hint="Reconnect Asana.")

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
        self.vault.save(identity.account_key, {"token": token})
        return identity

    def token(self, account_key: str) -> str:
        """The stored token; `AuthError` when there is none (reconnect needed)."""
        return str(self.vault.load(account_key)["token"])

    def forget(self, account_key: str) -> None:
        self.vault.forget(account_key)
