"""On-device LLM engine (llama-cpp-python) and cloud router. No Qt.

Use `LLMService` (engine/llm/service.py) from the UI and CLI; the pieces below are public for the
assistant/intelligence layers and tests.
"""

from engine.llm.accounting import UsageLedger, estimate_cost
from engine.llm.budget import ContextItem, FittedPrompt, PromptParts, fit_prompt
from engine.llm.catalogue import ModelCatalogue, ModelInfo, bundled_model_path, describe_model
from engine.llm.chat import ChatMessage
from engine.llm.cloud import CloudClient, CloudConfig, CloudReply, keyring_lookup
from engine.llm.errors import (
    ApiKeyMissing,
    ApiKeyRejected,
    CloudError,
    CloudNotAllowed,
    CloudUnreachable,
    ContextOverflow,
    LatencyBudgetExceeded,
    ModelUnavailable,
    StructuredOutputError,
)
from engine.llm.router import RoutingPolicy
from engine.llm.runtime import GROUNDED_ANSWER, Completion, GenerationParams, LocalRuntime
from engine.llm.service import Answer, LLMService
from engine.llm.tools import DirectAnswer, PendingAction, ToolCall, ToolRegistry, ToolResult

__all__ = [
    "Answer", "CloudClient", "CloudConfig", "CloudReply", "LLMService", "RoutingPolicy",
    "UsageLedger", "estimate_cost", "keyring_lookup",
    "GROUNDED_ANSWER", "ApiKeyMissing", "ApiKeyRejected", "ChatMessage", "CloudError", "CloudNotAllowed",
    "CloudUnreachable", "Completion", "ContextItem", "ContextOverflow", "DirectAnswer",
    "FittedPrompt", "GenerationParams", "LatencyBudgetExceeded", "LocalRuntime", "ModelCatalogue",
    "ModelInfo", "ModelUnavailable", "PendingAction", "PromptParts", "StructuredOutputError",
    "ToolCall", "ToolRegistry", "ToolResult", "bundled_model_path", "describe_model", "fit_prompt",
]
