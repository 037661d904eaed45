"""LLM-specific errors. All derive from `engine.errors.LLMError` (message + `next_step`).

The router inspects the subclass to decide whether a fallback is allowed, so raise the most
specific one.
"""

from __future__ import annotations

from engine.errors import LLMError


class ModelUnavailable(LLMError):
    """The local model file is missing, not a GGUF, truncated or of an unsupported architecture."""


class ContextOverflow(LLMError):
    """Even the minimal prompt (system + question) does not fit the model's context window."""


class LatencyBudgetExceeded(LLMError):
    """The local model produced no token within the configured latency budget."""


class StructuredOutputError(LLMError):
    """The model's JSON did not validate against the schema, even after one retry."""


class GaveWay(LLMError):
    """A background request that yields (`LLMService.structured(yields=True)`) stopped for the user's request;
    ask again: the new request waits behind theirs."""


class CloudError(LLMError):
    """A cloud provider call failed (after the SDK's retries)."""


class ApiKeyRejected(CloudError):
    """HTTP 401/403: the provider refused the stored API key."""


class ApiKeyMissing(CloudError):
    """No API key for the provider in the OS keyring."""


class CloudUnreachable(CloudError):
    """No network / DNS / connection refused / timeout: the provider could not be reached."""


class CloudNotAllowed(LLMError):
    """The request needs a cloud model but the user has not allowed it for this feature."""
