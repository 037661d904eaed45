"""Microsoft Graph over `requests`: per-mailbox concurrency cap, Retry-After, typed errors.

Graph throttles per mailbox (10,000 requests / 10 min, at most 4 concurrent). Every request of a
`GraphClient` takes one of 4 semaphore slots, so mail sync, calendar sync and writes of the same
mailbox together never exceed the cap. 429/503 with Retry-After become `RateLimited` and are retried
by the `Retrier` after exactly that wait; other 5xx/network errors become `Unavailable`; 401 gets one
forced token refresh, then `AuthError`; 410 (delta token expired) is `CursorExpired`.

Thread-safe: `requests.Session` is shared under the semaphore, tokens come from `token_provider`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import requests

from connectors.base import Retrier
from connectors.errors import AuthError, ConnectorError, CursorExpired, RateLimited, Unavailable

__all__ = ["GraphClient", "GraphNotFound", "MAX_CONCURRENT_PER_MAILBOX"]

log = logging.getLogger(__name__)

MAX_CONCURRENT_PER_MAILBOX = 4
_EXPIRED_CODES = {"SyncStateNotFound", "SyncStateInvalid", "resyncRequired", "syncStateNotFound"}


class GraphNotFound(ConnectorError):
    """The item does not exist (deleted meanwhile)."""


def _code(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", {}).get("code", ""))
    except ValueError:
        return ""


def _retry_after(response: requests.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


class GraphClient:
    """Graph calls for one mailbox. `token_provider(force_refresh)` returns an access token."""

    def __init__(self, *, base_url: str, token_provider: Callable[[bool], str], session: requests.Session,
                 retrier: Retrier, timeout_s: float = 30.0,
                 max_concurrent: int = MAX_CONCURRENT_PER_MAILBOX) -> None:
        self.base_url = base_url.rstrip("/") + "/v1.0"
        self.token_provider = token_provider
        self.session = session
        self.retrier = retrier
        self.timeout_s = timeout_s
        self._slots = threading.BoundedSemaphore(max_concurrent)

    def url(self, path: str) -> str:
        return path if path.startswith("https://") or path.startswith("http://") else self.base_url + path

    def request(self, method: str, path: str, *, params: dict[str, str] | None = None,
                json: dict[str, Any] | None = None, prefer: list[str] | None = None) -> dict[str, Any]:
        """One Graph call (absolute nextLink/deltaLink URLs accepted) -> parsed JSON (or {})."""
        headers = {"Prefer": ", ".join(prefer)} if prefer else {}
        return self.retrier.call(lambda: self._once(method, self.url(path), params, json, headers))

    def _once(self, method: str, url: str, params: dict[str, str] | None, body: dict[str, Any] | None,
              headers: dict[str, str]) -> dict[str, Any]:
        with self._slots:
            response = self._send(method, url, params, body, headers, force_refresh=False)
            if response.status_code == 401:
                response = self._send(method, url, params, body, headers, force_refresh=True)
        status = response.status_code
        if status < 300:
            return response.json() if response.content else {}
        code = _code(response)
        if status == 401:
            raise AuthError("Microsoft rejected the account's token.",
                            next_step="Reconnect the account in Settings > Accounts.")
        if status == 429 or (status == 503 and "Retry-After" in response.headers):
            raise RateLimited(f"Graph throttled the mailbox ({status})", retry_after=_retry_after(response))
        if status == 410 or code in _EXPIRED_CODES:
            raise CursorExpired(f"Graph delta token expired ({code or status})",
                                next_step="Reflex resyncs this folder.")
        if status == 404:
            raise GraphNotFound(f"Graph item not found ({code})")
        if status >= 500:
            raise Unavailable(f"Microsoft Graph is unavailable ({status})", next_step="Reflex will retry later.")
        raise ConnectorError(f"Graph request failed ({status} {code})")

    def _send(self, method: str, url: str, params: dict[str, str] | None, body: dict[str, Any] | None,
              headers: dict[str, str], *, force_refresh: bool) -> requests.Response:
        token = self.token_provider(force_refresh)
        try:
            return self.session.request(method, url, params=params, json=body, timeout=self.timeout_s,
                                        headers={**headers, "Authorization": f"Bearer {token}"})
        except requests.RequestException as err:
            raise Unavailable(f"Cannot reach Microsoft Graph ({type(err).__name__})",
                              next_step="Check the network; Reflex will retry.", offline=True) from err
