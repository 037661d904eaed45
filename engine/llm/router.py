"""The routing policy: which model answers, and when a fallback is allowed.

Local by default. The cloud is used only when the user opted in — globally (`cloud_enabled`),
for a feature (`cloud_features`), or for one request ("ask cloud") — and then:
  * first, for an "ask cloud" request or a feature listed in `prefer_cloud_features`;
  * as a fallback when the local model is missing or fails (`fallback_on_failure`), when the prompt
    cannot fit the local context even after trimming (`fallback_on_overflow`), or when the local
    model gives no first token within `latency_budget_s` (0 = never) — each only if enabled.
When a cloud-first request cannot reach the provider, the local model answers if
`local_on_cloud_failure`. Pure data + pure functions; thread-safe.
"""

from __future__ import annotations

from dataclasses import dataclass

# Why the answer did not come from the first choice; reported in `Answer.fallback_reason`.
MODEL_MISSING = "model_missing"
LOCAL_FAILED = "local_failed"
CONTEXT_OVERFLOW = "context_overflow"
LATENCY = "latency"
CLOUD_FAILED = "cloud_failed"


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    cloud_enabled: bool = False
    cloud_features: frozenset[str] = frozenset()
    prefer_cloud_features: frozenset[str] = frozenset()
    fallback_on_failure: bool = False
    fallback_on_overflow: bool = False
    latency_budget_s: float = 0.0
    local_on_cloud_failure: bool = True

    def cloud_allowed(self, feature: str, ask_cloud: bool) -> bool:
        """Has the user allowed the cloud for this request at all?"""
        return ask_cloud or self.cloud_enabled or feature in self.cloud_features

    def plan(self, feature: str, ask_cloud: bool, has_cloud: bool) -> Route:
        """Decide the first choice and the allowed fallbacks for one request."""
        allowed = has_cloud and self.cloud_allowed(feature, ask_cloud)
        if allowed and (ask_cloud or feature in self.prefer_cloud_features):
            return Route("cloud", frozenset(), self.local_on_cloud_failure, 0.0)
        if not allowed:
            return Route("local", frozenset(), False, 0.0)
        reasons = set()
        if self.fallback_on_failure:
            reasons |= {MODEL_MISSING, LOCAL_FAILED}
        if self.fallback_on_overflow:
            reasons.add(CONTEXT_OVERFLOW)
        if self.latency_budget_s > 0:
            reasons.add(LATENCY)
        return Route("local", frozenset(reasons), False, self.latency_budget_s)


@dataclass(frozen=True, slots=True)
class Route:
    """`primary` is "local" or "cloud"; `cloud_fallbacks` lists the reasons that may send a local
    request to the cloud; `local_fallback` lets a failed cloud request fall back to local."""

    primary: str
    cloud_fallbacks: frozenset[str]
    local_fallback: bool
    latency_budget_s: float
