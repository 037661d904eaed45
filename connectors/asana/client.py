"""Asana API access for one personal access token: the official `asana` SDK (v5), paced and translated.

Every call goes through `AsanaClient.call(fn)`, which (1) spends one request from the account's budget
(Asana allows 150 requests/min on free workspaces, 1,500 on paid ones), (2) retries `RateLimited`/
`Unavailable` through the `Retrier` honouring Retry-After, and (3) turns `ApiException` into
`connectors/errors.py` types: 401 -> `AuthError`, 404 -> `NotFound`, 412 (events sync token too old) ->
`SyncTokenExpired` carrying Asana's fresh token, 429 -> `RateLimited`, 5xx/network -> `Unavailable`.

The SDK's own urllib3 retry strategy (5 retries on 429/5xx with backoff) is switched off so exactly one
retry policy (ours) applies. The API root is `Configuration().host`; tests point it at a fake on 127.0.0.1.

Threads: one `ApiClient` (urllib3 pool) per `AsanaClient`; safe to share between the sync worker and a
confirmed write.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import asana
import urllib3
from asana.rest import ApiException

from connectors.base import QuotaBudget, Retrier
from connectors.errors import AuthError, ConnectorError, CursorExpired, RateLimited, Unavailable

__all__ = ["AsanaClient", "AsanaEndpoints", "NotFound", "SyncTokenExpired", "translate_error"]

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class AsanaEndpoints:
    api: str = "https://app.asana.com/api/1.0"


class NotFound(ConnectorError):
    """The task/project does not exist (any more) or is not visible to the user."""


class SyncTokenExpired(CursorExpired):
    """Events sync token too old (412); `fresh_token` is the one Asana returned with the error."""

    def __init__(self, message: str, *, fresh_token: str = "") -> None:
        super().__init__(message, next_step="Reflex resyncs the project.")
        self.fresh_token = fresh_token


def _body(err: ApiException) -> dict[str, Any]:
    try:
        raw = err.body.decode("utf-8", "replace") if isinstance(err.body, bytes) else (err.body or "")
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def translate_error(err: Exception) -> Exception:
    """Map an SDK exception to a connector error (returns `err` itself when unknown)."""
    if isinstance(err, ApiException):
        status = int(err.status or 0)
        if status == 412:
            return SyncTokenExpired("Asana sync token expired", fresh_token=str(_body(err).get("sync", "")))
        if status == 429:
            headers = err.headers or {}
            try:
                retry_after = float(headers.get("Retry-After") or headers.get("retry-after"))
            except (TypeError, ValueError):
                retry_after = None
            return RateLimited("Asana rate limit", retry_after=retry_after)
        if status == 401:
            return AuthError("Asana rejected the access token.",
                             next_step="Create a new personal access token and reconnect Asana.")
        if status == 404:
            return NotFound("Asana resource not found")
        if status == 0 or status >= 500:
            return Unavailable(f"Asana is unavailable ({status or 'network'})", next_step="Reflex will retry later.")
        return ConnectorError(f"Asana request failed ({status})")
    if isinstance(err, (urllib3.exceptions.HTTPError, OSError)):
        return Unavailable(f"Cannot reach Asana ({type(err).__name__})",
                           next_step="Check the network; Reflex will retry.", offline=True)
    return err


class AsanaClient:
    """The Asana APIs Reflex uses, for one token, behind one paced and typed `call`."""

    def __init__(self, token: str, *, endpoints: AsanaEndpoints | None = None, retrier: Retrier | None = None,
                 requests_per_minute: float | None = 150.0, timeout_s: float = 30.0) -> None:
        configuration = asana.Configuration()
        configuration.host = (endpoints or AsanaEndpoints()).api.rstrip("/")
        configuration.access_token = token
        configuration.retry_strategy = urllib3.util.Retry(total=0, redirect=0, raise_on_status=False)
        self.api_client = asana.ApiClient(configuration)
        self.tasks = asana.TasksApi(self.api_client)
        self.projects = asana.ProjectsApi(self.api_client)
        self.events = asana.EventsApi(self.api_client)
        self.users = asana.UsersApi(self.api_client)
        self.retrier = retrier or Retrier()
        self.budget = QuotaBudget(requests_per_minute)
        self.timeout_s = timeout_s

    def call(self, fn: Callable[..., T], *args: Any, idempotent: bool = True, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` (an SDK method), paced, retried and translated.

        `idempotent=False` (creating): a 429 is still retried (Asana did nothing), but a network failure
        or 5xx is not, since the write may have landed; it surfaces as a plain `ConnectorError`.
        """
        self.budget.spend(1)

        def once() -> T:
            try:
                return fn(*args, _request_timeout=self.timeout_s, **kwargs)
            except Exception as err:  # noqa: BLE001 - translated; unknown ones re-raised as-is
                translated = translate_error(err)
                if translated is err:
                    raise
                raise translated from err

        if idempotent:
            return self.retrier.call(once)

        def once_at_most() -> T:
            try:
                return once()
            except Unavailable as err:
                raise ConnectorError(f"{err}; the change may or may not have been made.",
                                     next_step="Check Asana before trying again.") from err

        return self.retrier.call(once_at_most)

    def me(self) -> dict[str, Any]:
        """The token's user with e-mail and workspaces."""
        return self.call(self.users.get_user, "me", {"opt_fields": "name,email,workspaces,workspaces.name"})
