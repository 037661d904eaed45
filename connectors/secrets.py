"""Account secrets (refresh tokens, user tokens) as small JSON records in the OS keyring, and nowhere else.

Every connector's auth keeps its tokens through `TokenVault`, so a locked keyring, a missing entry and a
disconnect read the same everywhere: `ConnectorError` when a token cannot be stored, `AuthError` (the account
needs reconnecting) when it cannot be read.
"""

from __future__ import annotations

import json
from typing import Any

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from connectors.errors import AuthError, ConnectorError

KEYRING_SERVICE = "reflex-assistant"


class TokenVault:
    """One keyring entry per account key, holding a JSON object. Thread-safe (the keyring is)."""

    def __init__(self, service: str = KEYRING_SERVICE, *, reconnect_hint: str = "Reconnect the account in "
                 "Settings > Accounts.") -> None:
        self.service = service
        self.reconnect_hint = reconnect_hint

    def save(self, account_key: str, record: dict[str, Any]) -> None:
        try:
            keyring.set_password(self.service, account_key, json.dumps(record))
        except KeyringError as err:
            raise ConnectorError("The system keyring is not available to store the token.",
                                 next_step="Unlock or install a keyring (Keychain, Credential Manager, "
                                           "Secret Service) and connect again.") from err

    def load(self, account_key: str) -> dict[str, Any]:
        """The stored record; `AuthError` when the keyring is locked or holds nothing for the account."""
        try:
            secret = keyring.get_password(self.service, account_key)
        except KeyringError as err:
            raise AuthError("The system keyring is locked or unavailable.",
                            next_step="Unlock the keyring, then sync again.") from err
        if not secret:
            raise AuthError(f"No stored sign-in for {account_key}.", next_step=self.reconnect_hint)
        return json.loads(secret)

    def forget(self, account_key: str) -> None:
        """Delete the account's entry (idempotent)."""
        try:
            keyring.delete_password(self.service, account_key)
        except PasswordDeleteError:
            pass
