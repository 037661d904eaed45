"""Account secrets (refresh tokens, user tokens) as small JSON records in the OS keyring, and nowhere else.

Every connector's auth keeps its tokens through `TokenVault`, so a locked keyring, a missing entry and a
disconnect read the same everywhere: `ConnectorError` when a token cannot be stored, `AuthError` (the account
needs reconnecting) when it cannot be read. A token is never given to a keyring backend that would write it to
disk in the clear (keyrings.alt's plaintext/base64 files). The keyring also keeps an index of the accounts that
have sign-ins, so `wipe` removes every token even when the store (which lists the accounts) will not open.
"""

from __future__ import annotations

import json
from typing import Any

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from connectors.errors import AuthError, ConnectorError

KEYRING_SERVICE = "reflex-assistant"
_INDEX = "sign-in-index"  # keyring entry: JSON list of account keys with tokens (kept in the keyring, not on disk)
_INSECURE_BACKENDS = ("PlaintextKeyring", "EncryptedKeyring", "Null", "fail.Keyring", "ChainerBackend")


def keyring_is_secure() -> bool:
    """True when the active keyring backend really protects secrets (Secret Service, Keychain, WinCred...)."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken backend is simply "not available"
        return False
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if any(bad in name for bad in _INSECURE_BACKENDS):
        return False
    try:
        return float(backend.priority) > 0  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return False


class TokenVault:
    """One keyring entry per account key, holding a JSON object. Thread-safe (the keyring is)."""

    def __init__(self, service: str = KEYRING_SERVICE, *, reconnect_hint: str = "Reconnect the account in "
                 "Settings > Accounts.") -> None:
        self.service = service
        self.reconnect_hint = reconnect_hint

    def save(self, account_key: str, record: dict[str, Any]) -> None:
        self.require_secure()
        try:
            self.remember(account_key)
            keyring.set_password(self.service, account_key, json.dumps(record))
        except KeyringError as err:
            raise ConnectorError("The system keyring is not available to store the token.",
                                 next_step="Unlock or install a keyring (Keychain, Credential Manager, "
                                           "Secret Service) and connect again.") from err

    @staticmethod
    def require_secure() -> None:
        """Refuse to hand a token to a keyring that would store it in plaintext (or nowhere)."""
        if not keyring_is_secure():
            raise ConnectorError("No secure system keyring is available to store the sign-in.",
                                 next_step="Install or unlock a keyring (Keychain, Credential Manager, Secret "
                                           "Service such as gnome-keyring) and connect again.")

    def known(self) -> list[str]:
        """Account keys that have (or had, until forgotten) a sign-in in this keyring."""
        try:
            return list(json.loads(keyring.get_password(self.service, _INDEX) or "[]"))
        except (KeyringError, ValueError, TypeError):
            return []

    def remember(self, account_key: str) -> None:
        """Add the account to the keyring's index before its token is written (so wipe can always find it)."""
        known = self.known()
        if account_key not in known:
            keyring.set_password(self.service, _INDEX, json.dumps(sorted([*known, account_key])))

    def _unremember(self, account_key: str) -> None:
        known = self.known()
        if account_key in known:
            rest = [k for k in known if k != account_key]
            try:
                if rest:
                    keyring.set_password(self.service, _INDEX, json.dumps(rest))
                else:
                    keyring.delete_password(self.service, _INDEX)
            except KeyringError:
                pass

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
        self._unremember(account_key)
