"""Slack Web API access for one user token: the official `slack_sdk.WebClient`, paced and translated.

Every call goes through `SlackClient.call(method, tier, **params)`, which (1) spends one request from the
method's rate-limit tier budget (Slack limits per method tier per workspace: Tier 2 ~20/min, Tier 3
~50/min, Tier 4 ~100/min), (2) retries `RateLimited`/`Unavailable` through the `Retrier`, honouring the
429's Retry-After, and (3) turns `SlackApiError` into `connectors/errors.py` types so sync code never
sees library exceptions. `invalid_auth`, `token_revoked`, `account_inactive`... -> `AuthError`.

The API root is `SlackEndpoints.api` (`WebClient(base_url=...)`); tests point it at a fake on 127.0.0.1.
The SDK's own retry handlers are disabled so exactly one retry policy (ours) applies.

Threads: `WebClient` over urllib keeps no shared connection state; a `SlackClient` may be shared by the
sync worker and a confirmed write.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from connectors.base import QuotaBudget, Retrier
from connectors.errors import AuthError, ConnectorError, RateLimited, Unavailable

__all__ = ["SlackClient", "SlackEndpoints", "TIER_LIMITS", "translate_error"]

log = logging.getLogger(__name__)

#: Requests per minute per Slack rate-limit tier (docs.slack.dev "Rate limits"). Slack changed the limits
#: of conversations.history/replies for new non-Marketplace apps in 2025; internal (customer-built) apps,
#: which is what a user installs for Reflex, keep Tier 3. Override via `SlackClient(limits=...)`.
TIER_LIMITS: dict[int, float] = {1: 1, 2: 20, 3: 50, 4: 100}

_AUTH_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive",
                "no_permission", "missing_scope", "ekm_access_denied", "team_access_not_granted"}


@dataclass(frozen=True, slots=True)
class SlackEndpoints:
    """Where Slack lives. `api` is the Web API root; `authorize` is the browser consent page."""

    api: str = "https://slack.com/api/"
    authorize: str = "https://slack.com/oauth/v2/authorize"


def _retry_after(headers: Any) -> float | None:
    if not headers:
        return None
    value = headers.get("Retry-After") or headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def translate_error(err: Exception, method: str) -> Exception:
    """Map a slack_sdk exception to a connector error (returns `err` itself when unknown)."""
    if isinstance(err, SlackApiError):
        response = err.response
        status = getattr(response, "status_code", 0) or 0
        data = response.data if isinstance(getattr(response, "data", None), dict) else {}
        code = str(data.get("error", ""))
        if status == 429 or code == "ratelimited":
            return RateLimited(f"Slack rate limit on {method}", retry_after=_retry_after(response.headers))
        if code in _AUTH_ERRORS or status == 401:
            step = ("Reconnect Slack and grant the requested scopes." if code == "missing_scope"
                    else "Reconnect Slack in Settings > Accounts.")
            return AuthError(f"Slack rejected the token ({code or status}).", next_step=step)
        if status >= 500 or code in ("fatal_error", "internal_error", "service_unavailable", "request_timeout"):
            return Unavailable(f"Slack is unavailable ({code or status})", next_step="Reflex will retry later.")
        return ConnectorError(f"Slack {method} failed ({code or status})")
    if isinstance(err, (SlackClientError, OSError, TimeoutError)):
        return Unavailable(f"Cannot reach Slack ({type(err).__name__})",
                           next_step="Check the network; Reflex will retry.", offline=True)
    return err


@dataclass
class SlackClient:
    """One workspace user token behind the typed, paced `call`."""

    token: str
    endpoints: SlackEndpoints = field(default_factory=SlackEndpoints)
    retrier: Retrier = field(default_factory=Retrier)
    limits: dict[int, float] | None = field(default_factory=lambda: dict(TIER_LIMITS))
    timeout_s: int = 30

    def __post_init__(self) -> None:
        self.web = WebClient(token=self.token, base_url=self.endpoints.api, timeout=self.timeout_s,
                             retry_handlers=[])
        self._budgets = {tier: QuotaBudget(rate if self.limits is not None else None)
                         for tier, rate in (self.limits or TIER_LIMITS).items()}

    def call(self, method: str, *, tier: int, http_verb: str = "GET", json: bool = False,
             idempotent: bool = True, **params: Any) -> dict[str, Any]:
        """Call a Web API method; returns the response JSON. Raises connector errors only.

        `idempotent=False` (posting): a 429 is still retried (Slack did nothing), but a network
        failure is not, since the post may have landed; it surfaces as a plain `ConnectorError`.
        """
        params = {k: v for k, v in params.items() if v is not None}
        self._budgets[tier].spend(1)

        def once() -> dict[str, Any]:
            try:
                if http_verb == "GET":
                    response = self.web.api_call(method, http_verb="GET", params=params)
                elif json:
                    response = self.web.api_call(method, json=params)
                else:
                    response = self.web.api_call(method, data=params)
                return dict(response.data)  # type: ignore[arg-type]
            except Exception as err:  # noqa: BLE001 - translated; unknown ones re-raised as-is
                translated = translate_error(err, method)
                if translated is err:
                    raise
                raise translated from err

        if idempotent:
            return self.retrier.call(once)

        def once_at_most() -> dict[str, Any]:
            try:
                return once()
            except Unavailable as err:
                raise ConnectorError(f"{err}; the post may or may not have been made.",
                                     next_step="Check the thread in Slack before posting again.") from err

        return self.retrier.call(once_at_most)

    def pages(self, method: str, *, tier: int, key: str, cursor: str | None = None,
              **params: Any) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a cursor-paginated method: (items under `key`, next cursor or None)."""
        data = self.call(method, tier=tier, cursor=cursor or None, **params)
        token = (data.get("response_metadata") or {}).get("next_cursor") or None
        return list(data.get(key) or []), token

    def walk(self, method: str, *, tier: int, key: str, **params: Any) -> list[dict[str, Any]]:
        """All items of a cursor-paginated method (for small listings: users, channels, one thread)."""
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            page, cursor = self.pages(method, tier=tier, key=key, cursor=cursor, **params)
            items.extend(page)
            if not cursor:
                return items
