"""Microsoft sign-in with msal's `PublicClientApplication`; msal's token cache lives only in the keyring.

Interactive sign-in uses msal's own loopback listener (bound to 127.0.0.1, random port, PKCE, state
checked by msal) and the system browser; device-code flow is the fallback for machines without a
usable browser. Client id and tenant are configurable (bring your own Entra app registration, or the
tenant's). The serialized `SerializableTokenCache` is written to the OS keyring, split into chunks
because some backends (Windows Credential Manager) cap one secret at ~2.5 KB; it is never written to
a file. An `invalid_grant` (revoked/expired refresh token) raises `AuthError`: reconnect needed.

Thread-safety: one lock per `MicrosoftAuth` guards cache load/save; msal itself is thread-safe.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import keyring
import msal
import requests
from keyring.errors import KeyringError, PasswordDeleteError

from connectors.errors import AuthError, ConnectorError, Unavailable
from connectors.secrets import TokenVault

__all__ = ["GRAPH_SCOPES", "MicrosoftAuth", "MicrosoftEndpoints"]

log = logging.getLogger(__name__)

GRAPH_SCOPES = ["User.Read", "Mail.ReadWrite", "Calendars.ReadWrite"]
_CHUNK = 1000  # characters per keyring entry


@dataclass(frozen=True, slots=True)
class MicrosoftEndpoints:
    """Where Entra ID and Graph live; override both to point the connector at a fake server."""

    authority_host: str = "https://login.microsoftonline.com"
    graph: str = "https://graph.microsoft.com"


class MicrosoftAuth:
    """Sign-in, silent token refresh and token-cache storage for Microsoft accounts."""

    def __init__(self, *, client_id: str, tenant: str = "common",
                 endpoints: MicrosoftEndpoints = MicrosoftEndpoints(),
                 session: requests.Session | None = None, service: str = "reflex-assistant") -> None:
        self.client_id = client_id
        self.tenant = tenant
        self.endpoints = endpoints
        self.session = session or requests.Session()
        self.service = service
        self._lock = threading.Lock()
        # One msal app per account, built once: building one fetches the authority's metadata.
        self._apps: dict[str, tuple[msal.PublicClientApplication, msal.SerializableTokenCache]] = {}

    # -- msal -----------------------------------------------------------------------------------

    def _app(self, cache: msal.SerializableTokenCache) -> msal.PublicClientApplication:
        try:
            return msal.PublicClientApplication(
                self.client_id, authority=f"{self.endpoints.authority_host.rstrip('/')}/{self.tenant}",
                token_cache=cache, http_client=self.session, instance_discovery=False)
        except (requests.RequestException, ValueError) as err:
            raise Unavailable("Cannot reach Microsoft sign-in.",
                              next_step="Check the network and try again.", offline=True) from err

    def sign_in_interactive(self, *, timeout_s: int = 300) -> str:
        """Browser sign-in on a loopback redirect; stores the cache; returns the account key."""
        cache = msal.SerializableTokenCache()
        result = self._app(cache).acquire_token_interactive(
            GRAPH_SCOPES, timeout=timeout_s, port=0, prompt=msal.Prompt.SELECT_ACCOUNT)
        return self._finish_sign_in(cache, result)

    def sign_in_device_code(self, show: Callable[[str], None], *, timeout_s: int = 900) -> str:
        """Device-code sign-in: `show` receives the instruction text (URL + code) for the user."""
        cache = msal.SerializableTokenCache()
        app = self._app(cache)
        flow = app.initiate_device_flow(scopes=GRAPH_SCOPES)
        if "user_code" not in flow:
            raise AuthError(f"Microsoft refused device sign-in ({flow.get('error', 'unknown')}).",
                            next_step="Check the client id and tenant in Settings.")
        show(flow["message"])
        flow["expires_at"] = min(flow.get("expires_at", 0) or 0, time.time() + timeout_s)
        return self._finish_sign_in(cache, app.acquire_token_by_device_flow(flow))

    def _finish_sign_in(self, cache: msal.SerializableTokenCache, result: dict | None) -> str:
        if not result or "access_token" not in result:
            error = (result or {}).get("error", "no_response")
            raise AuthError(f"Microsoft sign-in failed ({error}).", next_step="Try connecting again.")
        claims = result.get("id_token_claims") or {}
        address = claims.get("preferred_username") or claims.get("email") or claims.get("oid", "")
        key = f"microsoft:{address.lower()}"
        self._save(key, cache)
        with self._lock:
            self._apps.pop(key, None)
        return key

    def token(self, account_key: str, *, force_refresh: bool = False) -> str:
        """A valid Graph access token for the account (refreshed silently when needed).

        Raises `AuthError` when no sign-in is stored or the refresh token was revoked.
        """
        with self._lock:
            if account_key not in self._apps:
                cache = self._load(account_key)
                self._apps[account_key] = (self._app(cache), cache)
            app, cache = self._apps[account_key]
            accounts = app.get_accounts()
            if not accounts:
                raise AuthError(f"No stored sign-in for {account_key}.",
                                next_step="Reconnect the account in Settings > Accounts.")
            try:
                result = app.acquire_token_silent_with_error(GRAPH_SCOPES, accounts[0],
                                                             force_refresh=force_refresh)
            except requests.RequestException as err:
                raise Unavailable("Cannot reach Microsoft sign-in.",
                                  next_step="Check the network; Reflex will retry.", offline=True) from err
            if cache.has_state_changed:
                self._save(account_key, cache)
        if not result or "access_token" not in result:
            error = (result or {}).get("error", "no_token")
            raise AuthError(f"Microsoft access was revoked or expired ({error}).",
                            next_step="Reconnect the account in Settings > Accounts.")
        return str(result["access_token"])

    # -- keyring --------------------------------------------------------------------------------

    def _load(self, key: str) -> msal.SerializableTokenCache:
        """The account's token cache. It spans several keyring entries (`_save`); a damaged one is an
        `AuthError` (reconnect), never an unhandled parse error."""
        cache = msal.SerializableTokenCache()
        try:
            names = self._chunk_names(key, keyring.get_password(self.service, f"{key}:msal"))
            blob = "".join(keyring.get_password(self.service, name) or "" for name in names)
        except KeyringError as err:
            raise AuthError("The system keyring is locked or unavailable.",
                            next_step="Unlock the keyring, then sync again.") from err
        if names:
            try:
                cache.deserialize(blob)
            except ValueError as err:  # json.JSONDecodeError included
                raise AuthError(f"The stored Microsoft sign-in for {key} is damaged.",
                                next_step="Reconnect the account in Settings > Accounts.") from err
        return cache

    @staticmethod
    def _chunk_names(key: str, pointer: str | None) -> list[str]:
        """The entries holding the current cache. The pointer is `{"gen": G, "n": N}` (entries
        `key:msal:G:i`), or a bare count from earlier versions (entries `key:msal:i`)."""
        if not pointer:
            return []
        try:
            parsed = json.loads(pointer)
        except ValueError:
            return []
        if isinstance(parsed, int):
            return [f"{key}:msal:{i}" for i in range(parsed)]
        if isinstance(parsed, dict) and isinstance(parsed.get("n"), int):
            return [f"{key}:msal:{parsed.get('gen')}:{i}" for i in range(parsed["n"])]
        return []

    def _save(self, key: str, cache: msal.SerializableTokenCache) -> None:
        """Write the cache as a new generation of chunks, then switch the one pointer entry to it, then delete
        the old generation: a crash or a keyring error midway leaves the previous cache whole."""
        TokenVault.require_secure()
        blob = cache.serialize()
        chunks = [blob[i:i + _CHUNK] for i in range(0, len(blob), _CHUNK)] or [""]
        generation = secrets.token_hex(4)
        try:
            old = self._chunk_names(key, keyring.get_password(self.service, f"{key}:msal"))
            TokenVault(self.service).remember(key)
            for index, chunk in enumerate(chunks):
                keyring.set_password(self.service, f"{key}:msal:{generation}:{index}", chunk)
            keyring.set_password(self.service, f"{key}:msal", json.dumps({"gen": generation, "n": len(chunks)}))
        except KeyringError as err:
            raise ConnectorError("The system keyring is not available to store the sign-in.",
                                 next_step="Unlock or install a keyring and connect again.") from err
        for name in old:
            try:
                keyring.delete_password(self.service, name)
            except KeyringError:
                pass

    def forget(self, key: str) -> None:
        """Delete the account's token cache from the keyring (idempotent)."""
        with self._lock:
            self._apps.pop(key, None)
        names = self._chunk_names(key, keyring.get_password(self.service, f"{key}:msal")) + [f"{key}:msal"]
        for name in names:
            try:
                keyring.delete_password(self.service, name)
            except PasswordDeleteError:
                pass
        TokenVault(self.service).forget(key)  # drops it from the sign-in index
