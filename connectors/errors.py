"""The connectors' exception hierarchy: what a sync coordinator needs to decide what to do next."""

from __future__ import annotations


class ConnectorError(Exception):
    """Base of all connector errors; `next_step` is shown to the user."""

    def __init__(self, message: str, *, next_step: str = "") -> None:
        super().__init__(message)
        self.next_step = next_step


class AuthError(ConnectorError):
    """Token revoked or expired beyond refresh: the account needs reconnecting; polling stops."""


class RateLimited(ConnectorError):
    """The provider asked us to slow down; `retry_after` is in seconds when the provider said."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, next_step="Reflex will retry automatically.")
        self.retry_after = retry_after


class CursorExpired(ConnectorError):
    """The stored sync cursor is no longer valid; a bounded full resync follows."""


class Unavailable(ConnectorError):
    """Network down or provider 5xx after retries: try again later, nothing lost.

    `offline` is True when the provider could not be reached at all (no connection), as opposed to a
    provider answering with an error: the scheduler pauses polling while offline instead of backing off.
    """

    def __init__(self, message: str, *, next_step: str = "", offline: bool = False) -> None:
        super().__init__(message, next_step=next_step)
        self.offline = offline
