"""Cloud chat models through the official SDKs: OpenAI, Azure OpenAI, Anthropic, and any
OpenAI-compatible server (Ollama, LM Studio, llama-server) via a base URL.

Retries: the SDKs' own retry loop (exponential backoff with jitter on 408/409/429/5xx and
connection errors, honouring `Retry-After`), `max_retries` and `timeout_s` from `CloudConfig`.
Errors become `ApiKeyRejected` (401/403), `CloudUnreachable` (no network, timeout) or `CloudError`.
API keys come only from the injected `key_lookup(provider)`; the app passes `keyring_lookup`.
These clients never see raw user text: the router redacts first. Blocking; call from a worker
thread. One client may serve several threads (the SDK clients are thread-safe).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from engine.endpoints import credentials_allowed
from engine.llm.chat import ChatMessage
from engine.llm.errors import ApiKeyMissing, ApiKeyRejected, CloudError, CloudUnreachable
from engine.llm.runtime import GenerationParams

log = logging.getLogger(__name__)
KEYRING_SERVICE = "reflex-assistant"
PROVIDERS = ("openai", "azure", "anthropic", "openai-compatible")

KeyLookup = Callable[[str], "str | None"]


def keyring_lookup(provider: str) -> str | None:
    """The API key stored in the OS keyring under service "reflex-assistant", user "<provider>-api-key"."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, f"{provider}-api-key")
    except KeyringError:
        log.warning("cloud: the OS keyring is unavailable")
        return None


@dataclass(frozen=True, slots=True)
class CloudConfig:
    """Which cloud model to use. `model` is the deployment name for Azure."""

    provider: str
    model: str
    base_url: str = ""
    api_version: str = "2024-10-21"
    timeout_s: float = 60.0
    max_retries: int = 3

    def __post_init__(self) -> None:
        if self.provider not in PROVIDERS:
            raise ValueError(f"unknown cloud provider {self.provider!r}; expected one of {PROVIDERS}")


@dataclass(slots=True)
class CloudReply:
    text: str
    tokens_in: int
    tokens_out: int
    finish_reason: str  # stop | length | cancelled


class CloudClient:
    """Streams one chat completion from the configured provider."""

    def __init__(self, config: CloudConfig, *, key_lookup: KeyLookup) -> None:
        self.config = config
        self._key_lookup = key_lookup
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def provider(self) -> str:
        return self.config.provider

    @property
    def model(self) -> str:
        return self.config.model

    def _sdk(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._build()
            return self._client

    def _build(self) -> Any:
        cfg = self.config
        if cfg.base_url and not credentials_allowed(cfg.base_url):
            # A plain-HTTP model server on the user's network (an explicit opt-in in settings): never a key.
            if cfg.provider != "openai-compatible":
                raise ApiKeyMissing(f"{cfg.provider} needs an API key, which Reflex sends only over https://.",
                                    next_step="Use an https:// base URL in Settings > Cloud models.")
            key = "not-needed"
        else:
            key = self._key_lookup(cfg.provider)
        if not key:
            if cfg.provider != "openai-compatible":
                raise ApiKeyMissing(f"No API key for {cfg.provider} in the system keyring.",
                                    next_step="Add it in Settings > Cloud models.")
            key = "not-needed"  # local OpenAI-compatible servers usually ignore the key
        common = {"api_key": key, "timeout": cfg.timeout_s, "max_retries": cfg.max_retries}
        if cfg.provider == "anthropic":
            import anthropic

            return anthropic.Anthropic(base_url=cfg.base_url or None, **common)
        import openai

        if cfg.provider == "azure":
            return openai.AzureOpenAI(azure_endpoint=cfg.base_url, api_version=cfg.api_version, **common)
        return openai.OpenAI(base_url=cfg.base_url or None, **common)

    def complete(self, messages: Sequence[ChatMessage], params: GenerationParams, *,
                 on_text: Callable[[str], None] | None = None,
                 cancel: threading.Event | None = None) -> CloudReply:
        """Stream a reply; `on_text` gets each text delta on the calling thread."""
        with self._translate_errors():
            if self.provider == "anthropic":
                return self._anthropic(messages, params, on_text, cancel)
            return self._openai(messages, params, on_text, cancel)

    # ---- OpenAI-style ---------------------------------------------------------------------
    def _openai(self, messages: Sequence[ChatMessage], params: GenerationParams,
                on_text: Callable[[str], None] | None, cancel: threading.Event | None) -> CloudReply:
        limit = ({"max_tokens": params.max_tokens} if self.provider == "openai-compatible"
                 else {"max_completion_tokens": params.max_tokens})
        extra: dict[str, Any] = {"stop": list(params.stop[:4])} if params.stop else {}
        if params.seed is not None:
            extra["seed"] = params.seed
        stream = self._sdk().chat.completions.create(
            model=self.model, messages=[{"role": m.role, "content": m.content} for m in messages],
            temperature=params.temperature, stream=True, stream_options={"include_usage": True},
            **limit, **extra)
        parts: list[str] = []
        usage, finish = None, "stop"
        with contextlib.closing(stream):
            for chunk in stream:
                if cancel is not None and cancel.is_set():
                    finish = "cancelled"
                    break
                usage = chunk.usage or usage
                for choice in chunk.choices:
                    if choice.delta and choice.delta.content:
                        parts.append(choice.delta.content)
                        if on_text:
                            on_text(choice.delta.content)
                    if choice.finish_reason:
                        finish = "length" if choice.finish_reason == "length" else "stop"
        text = "".join(parts)
        tokens_in = usage.prompt_tokens if usage else _estimate(m.content for m in messages)
        tokens_out = usage.completion_tokens if usage else _estimate([text])
        return CloudReply(text, tokens_in, tokens_out, finish)

    # ---- Anthropic ------------------------------------------------------------------------
    def _anthropic(self, messages: Sequence[ChatMessage], params: GenerationParams,
                   on_text: Callable[[str], None] | None, cancel: threading.Event | None) -> CloudReply:
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        turns: list[dict[str, str]] = []
        for m in messages:  # Anthropic wants strictly alternating user/assistant turns
            if m.role == "system":
                continue
            if turns and turns[-1]["role"] == m.role:
                turns[-1]["content"] += "\n\n" + m.content
            else:
                turns.append({"role": m.role, "content": m.content})
        extra: dict[str, Any] = {"stop_sequences": list(params.stop)} if params.stop else {}
        if system:
            extra["system"] = system
        parts: list[str] = []
        finish = "stop"
        # No temperature: this SDK generation no longer accepts it for the Messages API.
        with self._sdk().messages.stream(model=self.model, max_tokens=params.max_tokens,
                                         messages=turns, **extra) as stream:
            for delta in stream.text_stream:
                if cancel is not None and cancel.is_set():
                    finish = "cancelled"
                    break
                parts.append(delta)
                if on_text:
                    on_text(delta)
            if finish != "cancelled":
                final = stream.get_final_message()
                finish = "length" if final.stop_reason == "max_tokens" else "stop"
                return CloudReply("".join(parts), final.usage.input_tokens, final.usage.output_tokens, finish)
        text = "".join(parts)
        return CloudReply(text, _estimate(m.content for m in messages), _estimate([text]), finish)

    # ---- errors ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _translate_errors(self) -> Iterator[None]:
        import anthropic
        import openai

        name = {"openai": "OpenAI", "azure": "Azure OpenAI", "anthropic": "Anthropic"}.get(
            self.provider, "The model server")
        try:
            yield
        except (openai.AuthenticationError, anthropic.AuthenticationError,
                openai.PermissionDeniedError, anthropic.PermissionDeniedError) as exc:
            raise ApiKeyRejected(f"{name} rejected the API key.",
                                 next_step="Check or replace the key in Settings > Cloud models.") from exc
        except (openai.APITimeoutError, anthropic.APITimeoutError) as exc:
            raise CloudUnreachable(f"{name} did not answer within {self.config.timeout_s:.0f} s.",
                                   next_step="Try again later or use the local model.") from exc
        except (openai.APIConnectionError, anthropic.APIConnectionError) as exc:
            raise CloudUnreachable(f"Cannot reach {name} (no network or the server is down).",
                                   next_step="Check the internet connection, or use the local model.") from exc
        except (openai.RateLimitError, anthropic.RateLimitError) as exc:
            raise CloudError(f"{name} is rate-limiting requests; retries did not help.",
                             next_step="Wait a minute and try again.") from exc
        except (openai.APIStatusError, anthropic.APIStatusError) as exc:
            raise CloudError(f"{name} returned HTTP {exc.status_code}.",
                             next_step="Try again later; check the model name in Settings.") from exc


def _estimate(texts: Any) -> int:
    """~4 characters per token, used only when a server reports no usage."""
    return max(1, sum(len(t) for t in texts) // 4)
