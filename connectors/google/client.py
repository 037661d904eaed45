"""Gmail + Calendar API access for one Google account: the official client, paced and translated.

Everything goes through `GoogleClient.execute`/`execute_batch`, which (1) spends quota units from the
account's `QuotaBudget`, (2) retries `RateLimited`/`Unavailable` through the `Retrier`, and (3) turns
library exceptions into `connectors/errors.py` types, so sync code never sees `HttpError`.

Endpoints come from `GoogleEndpoints`; production uses Google's, tests point the same code at a fake
server on 127.0.0.1 (`static_discovery=True`, so building a service never touches the network).

Threads: httplib2 is not thread-safe, so one lock serializes requests of a client; sync and writes
of the same account may share it from different threads.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import google_auth_httplib2
import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest, HttpRequest

from connectors.base import QuotaBudget, Retrier
from connectors.errors import AuthError, ConnectorError, CursorExpired, RateLimited, Unavailable

__all__ = ["GMAIL_UNITS", "GoogleClient", "GoogleEndpoints", "NotFound", "translate_error"]

log = logging.getLogger(__name__)

#: Gmail quota units per method (projects created after 2026-05 report messages.get = 20).
GMAIL_UNITS = {"messages.list": 5, "messages.get": 20, "history.list": 2, "getProfile": 1,
               "labels.list": 1, "drafts.create": 10}
#: Calendar has no per-method units; we still pace it as one unit per call.
CALENDAR_UNITS = 1
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RESOURCE_EXHAUSTED"}
_AUTH_GRANT_ERRORS = ("invalid_grant", "unauthorized_client", "invalid_client")


@dataclass(frozen=True, slots=True)
class GoogleEndpoints:
    """Where the Google APIs live. Override all of them to point the client at a fake server."""

    api: str = "https://gmail.googleapis.com"
    calendar: str = "https://www.googleapis.com/calendar/v3/"
    token_uri: str = "https://oauth2.googleapis.com/token"
    auth_uri: str = "https://accounts.google.com/o/oauth2/auth"

    @property
    def revoke_uri(self) -> str:
        """OAuth token revocation, beside the token endpoint (https://oauth2.googleapis.com/revoke)."""
        return self.token_uri.rsplit("/", 1)[0] + "/revoke"

    @property
    def gmail_batch(self) -> str:
        return self.api.rstrip("/") + "/batch/gmail/v1"


class NotFound(ConnectorError):
    """The resource does not exist (deleted message, expired Gmail historyId)."""


def _reason(err: HttpError) -> str:
    """The first machine-readable reason in a Google error body ('' when none)."""
    try:
        error = json.loads(err.content.decode("utf-8", "replace")).get("error", {})
    except (ValueError, AttributeError):
        return ""
    if not isinstance(error, dict):
        return str(error)
    for item in error.get("errors") or []:
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    return str(error.get("status", ""))


def _retry_after(headers: Any) -> float | None:
    value = headers.get("retry-after") if headers is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP-date: rare for Google; fall back to our own backoff


def translate_error(err: Exception) -> Exception:
    """Map a client-library exception to a connector error (returns `err` itself if unknown)."""
    if isinstance(err, HttpError):
        status, reason = err.resp.status, _reason(err)
        if status == 429 or (status == 403 and reason in _RATE_REASONS):
            return RateLimited(f"Google rate limit ({status} {reason})",
                               retry_after=_retry_after(err.resp))
        if status == 401:
            return AuthError("Google rejected the account's credentials.",
                             next_step="Reconnect the account in Settings > Accounts.")
        if status == 404:
            return NotFound(f"Google resource not found ({reason or 'notFound'})")
        if status == 410:
            return CursorExpired(f"Google sync token expired ({reason or 'gone'})")
        if status >= 500:
            return Unavailable(f"Google is unavailable ({status})",
                               next_step="Reflex will retry later.")
        return ConnectorError(f"Google request failed ({status} {reason})")
    if isinstance(err, RefreshError):
        if any(code in str(err) for code in _AUTH_GRANT_ERRORS):
            return AuthError("Google access was revoked or expired.",
                             next_step="Reconnect the account in Settings > Accounts.")
        return Unavailable("Google token refresh failed.", next_step="Reflex will retry later.")
    if isinstance(err, (TransportError, httplib2.HttpLib2Error, OSError, socket.timeout)):
        return Unavailable(f"Cannot reach Google ({type(err).__name__})",
                           next_step="Check the network; Reflex will retry.", offline=True)
    return err


class GoogleClient:
    """The Gmail and Calendar services of one account, with pacing, retries and typed errors."""

    def __init__(self, credentials: Credentials, *, endpoints: GoogleEndpoints,
                 budget: QuotaBudget, retrier: Retrier, timeout_s: float = 30.0) -> None:
        self.credentials = credentials
        self.endpoints = endpoints
        self.budget = budget
        self.retrier = retrier
        self._lock = threading.Lock()
        self._http = google_auth_httplib2.AuthorizedHttp(
            credentials, http=httplib2.Http(timeout=timeout_s))
        self.gmail = build("gmail", "v1", http=self._http, static_discovery=True,
                           cache_discovery=False, client_options={"api_endpoint": endpoints.api})
        self.calendar = build("calendar", "v3", http=self._http, static_discovery=True,
                              cache_discovery=False,
                              client_options={"api_endpoint": endpoints.calendar})

    def _once(self, fn: Callable[[], Any]) -> Any:
        with self._lock:
            try:
                return fn()
            except Exception as err:  # noqa: BLE001 - translated, unknown ones re-raised as-is
                translated = translate_error(err)
                if translated is err:
                    raise
                raise translated from err

    def execute(self, request: HttpRequest, *, units: int) -> dict[str, Any]:
        """Run one request: spend `units`, retry transient failures, raise connector errors."""
        self.budget.spend(units)
        return self.retrier.call(lambda: self._once(request.execute))

    def execute_batch(self, requests: Iterable[tuple[str, HttpRequest]], *, units_each: int,
                      batch_size: int = 50) -> dict[str, dict[str, Any] | Exception]:
        """Run requests as Gmail HTTP batches of `batch_size`; return key -> response or error.

        Per-item errors are translated and returned, not raised, so one deleted message does not
        fail the batch. Items that came back rate-limited or unavailable are retried (in a smaller
        follow-up batch) by the `Retrier`; a whole-batch transport failure is retried the same way.
        """
        pending = list(requests)
        results: dict[str, dict[str, Any] | Exception] = {}
        for start in range(0, len(pending), batch_size):
            chunk = dict(pending[start:start + batch_size])
            self.budget.spend(units_each * len(chunk))
            self.retrier.call(lambda chunk=chunk: self._run_chunk(chunk, results))
        return results

    def _run_chunk(self, chunk: dict[str, HttpRequest],
                   results: dict[str, dict[str, Any] | Exception]) -> None:
        todo = {key: req for key, req in chunk.items()
                if key not in results or isinstance(results[key], (RateLimited, Unavailable))}
        if not todo:
            return

        def collect(request_id: str, response: Any, exception: Exception | None) -> None:
            results[request_id] = translate_error(exception) if exception else response

        batch = BatchHttpRequest(callback=collect, batch_uri=self.endpoints.gmail_batch)
        for key, req in todo.items():
            batch.add(req, request_id=key)
        self._once(lambda: batch.execute(http=self._http))
        transient = [results[k] for k in todo if isinstance(results.get(k), (RateLimited, Unavailable))]
        if transient:
            log.info("gmail batch: %d of %d items transient, retrying", len(transient), len(todo))
            raise transient[0]
