"""Local model servers (Ollama, LM Studio, llama.cpp's llama-server) as engines, found on loopback.

Discovery asks each known port on 127.0.0.1 what it serves: Ollama's `/api/tags`, and the OpenAI-compatible
`/v1/models` that LM Studio and llama-server (and Ollama) answer. A `ServerEngine` then plays the same role
as `LocalRuntime` for `LLMService` (`submit(parts, params) -> Future[Completion]`), speaking the
OpenAI-compatible chat API through the official `openai` SDK (`CloudClient`), so streaming, cancel and error
translation are the cloud path's. Calls run one at a time on the engine's own thread, like the local runtime.

Where data goes: a server on 127.0.0.1/::1/localhost is local — prompts go unredacted and each call is
audited as local (`local_server_call`: host, model, tokens, outcome; never content). Any other host is not
an engine: it is configured like a cloud provider (opt-in, redacted, audited), where `engine.endpoints` allows
plain HTTP only to hosts the user opted in for, and then never with a credential.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from engine.endpoints import is_loopback_host
from engine.errors import LLMError
from engine.llm.budget import PromptParts, assemble
from engine.llm.cloud import CloudClient, CloudConfig
from engine.llm.errors import CloudNotAllowed, CloudUnreachable, ModelUnavailable
from engine.llm.runtime import Completion, GenerationParams
from models import AuditEntry

log = logging.getLogger(__name__)
LOCAL_SERVER_CALL = "local_server_call"
#: Default ports: Ollama, LM Studio, llama.cpp's llama-server.
KNOWN_PORTS: tuple[tuple[str, int], ...] = (("ollama", 11434), ("lmstudio", 1234), ("llama-server", 8080))


@dataclass(frozen=True, slots=True)
class ServerModel:
    """One model a server offers. `id` is what users type: "<server kind>:<model name>"."""

    server: str  # ollama | lmstudio | llama-server | openai-compatible
    base_url: str  # http://127.0.0.1:11434
    name: str
    size_bytes: int = 0

    @property
    def id(self) -> str:
        return f"{self.server}:{self.name}"

    @property
    def ref(self) -> str:
        """How settings name it: "<id>@<base URL>" (see `parse_model_ref`)."""
        return f"{self.id}@{self.base_url}"

    @property
    def capability_id(self) -> str:
        """The key its measured tier is stored under (the same model on another server is measured apart)."""
        return f"server:{self.base_url}:{self.name}"


def is_loopback(url: str) -> bool:
    """Whether `url` points at this computer (127.0.0.0/8, ::1 or localhost)."""
    return is_loopback_host(urlsplit(url).hostname)


def parse_model_ref(ref: str) -> ServerModel:
    """The inverse of `ServerModel.ref`. Raises `ModelUnavailable` for a malformed reference."""
    ident, _, url = ref.rpartition("@")
    server, _, name = ident.partition(":")
    if not (server and name and url.startswith(("http://", "https://"))):
        raise ModelUnavailable(f"{ref!r} does not name a model on a local server.",
                               next_step="Pick the model again in Settings > Models.")
    return ServerModel(server, url.rstrip("/"), name)


def _get_json(url: str, timeout_s: float) -> object | None:
    import httpx

    try:
        response = httpx.get(url, timeout=timeout_s, trust_env=False)  # loopback: never through a proxy
        return response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


def list_server_models(kind: str, base_url: str, *, timeout_s: float = 0.5) -> list[ServerModel]:
    """What one server offers ([] when nothing answers there). Ollama is asked `/api/tags` (it reports sizes),
    the others `/v1/models`."""
    base_url = base_url.rstrip("/")
    if kind == "ollama":
        tags = _get_json(f"{base_url}/api/tags", timeout_s)
        if isinstance(tags, dict):
            return [ServerModel(kind, base_url, m["name"], int(m.get("size") or 0))
                    for m in tags.get("models", []) if isinstance(m, dict) and m.get("name")]
        return []
    listing = _get_json(f"{base_url}/v1/models", timeout_s)
    if isinstance(listing, dict):
        return [ServerModel(kind, base_url, m["id"]) for m in listing.get("data", [])
                if isinstance(m, dict) and m.get("id")]
    return []


def discover(extra_urls: Sequence[str] = (), *, ports: Sequence[tuple[str, int]] = KNOWN_PORTS,
             timeout_s: float = 0.5) -> list[ServerModel]:
    """Every model the servers on loopback offer: the known ports, then `extra_urls` (servers the user added,
    e.g. Ollama on another port; each asked as Ollama first, then as an OpenAI-compatible server). Hosts that
    are not loopback are skipped: they are cloud providers, not engines. Blocking (about `timeout_s` per silent
    server at most); call from a worker."""
    found: list[ServerModel] = []
    for kind, port in ports:
        found.extend(list_server_models(kind, f"http://127.0.0.1:{port}", timeout_s=timeout_s))
    for url in extra_urls:
        if not is_loopback(url):
            log.warning("servers: skipped a server that is not on this computer")
            continue
        found.extend(list_server_models("ollama", url, timeout_s=timeout_s)
                     or list_server_models("openai-compatible", url, timeout_s=timeout_s))
    unique: dict[str, ServerModel] = {}
    for model in found:
        unique.setdefault(model.ref, model)
    return list(unique.values())


class ServerEngine:
    """A model on a loopback server, used like the local runtime. Not for remote hosts (see module docstring).

    `audit` receives one `AuditEntry` per call. Thread-safe: calls queue on one worker thread.
    """

    supports_grammar = False  # the OpenAI chat API has no GBNF; structured output validates and retries

    def __init__(self, model: ServerModel, *, audit: Callable[[AuditEntry], None], timeout_s: float = 120.0) -> None:
        if not is_loopback(model.base_url):
            raise CloudNotAllowed(f"{model.base_url} is not on this computer, so it cannot be the local engine.",
                                  next_step="Configure it in Settings > Cloud models (it will be redacted and audited).")
        self.model = model
        self._audit = audit
        self._client = CloudClient(CloudConfig("openai-compatible", model.name, base_url=f"{model.base_url}/v1",
                                               timeout_s=timeout_s, max_retries=1),
                                   key_lookup=lambda _provider: None)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm-server")

    @property
    def model_name(self) -> str:
        return self.model.name

    @property
    def loaded(self) -> bool:
        return True  # the server holds the model; nothing to load here

    def cancel_load(self) -> None:
        """Nothing to cancel: the server loads its models itself (the local runtime's contract)."""

    def load(self, on_progress: Callable[[float], None] | None = None) -> Future[None]:
        """Check that the server still offers the model (the local runtime's load contract)."""
        def check() -> None:
            if self.model.name not in {m.name for m in list_server_models(self.model.server, self.model.base_url)}:
                raise ModelUnavailable(f"{self.model.server} at {self.model.base_url} no longer offers "
                                       f"{self.model.name}.", next_step="Start the server, or pick another model.")
            if on_progress:
                on_progress(1.0)
        return self._pool.submit(check)

    def submit(self, parts: PromptParts, params: GenerationParams = GenerationParams(), *,
               on_text: Callable[[str], None] | None = None,
               cancel: threading.Event | None = None) -> Future[Completion]:
        """Stream one reply (`on_text` on the engine's thread). Errors: `ModelUnavailable` when the server is
        not answering (so the router treats it like a missing local model), `CloudError` for HTTP failures."""
        try:
            return self._pool.submit(self._complete, parts, params, on_text, cancel)
        except RuntimeError as exc:  # the pool was shut down: another engine replaced this one
            raise LLMError("This model server engine has been closed.",
                           next_step="Ask again; the current engine will answer.") from exc

    def complete(self, parts: PromptParts, params: GenerationParams = GenerationParams(), *,
                 on_text: Callable[[str], None] | None = None,
                 cancel: threading.Event | None = None) -> Completion:
        return self.submit(parts, params, on_text=on_text, cancel=cancel).result()

    def _complete(self, parts: PromptParts, params: GenerationParams, on_text: Callable[[str], None] | None,
                  cancel: threading.Event | None) -> Completion:
        messages = assemble(parts, parts.history, sorted(parts.context, key=lambda c: -c.score))
        started = time.perf_counter()
        first: list[float] = []

        def on_piece(text: str) -> None:
            if not first:
                first.append(time.perf_counter() - started)
            if on_text is not None:
                on_text(text)

        outcome, tokens_in, tokens_out = "error", 0, 0
        try:
            reply = self._client.complete(messages, params, on_text=on_piece, cancel=cancel)
            outcome, tokens_in, tokens_out = reply.finish_reason, reply.tokens_in, reply.tokens_out
        except CloudUnreachable as exc:
            outcome = type(exc).__name__
            raise ModelUnavailable(
                f"{self.model.server} at {urlsplit(self.model.base_url).netloc} is not answering.",
                next_step="Start it again, or pick another model in Settings > Model gallery "
                          "(the bundled model always works).") from exc
        except LLMError as exc:
            outcome = type(exc).__name__
            raise
        finally:
            self._audit(AuditEntry(action=LOCAL_SERVER_CALL, target=self.model.server, detail={
                "host": urlsplit(self.model.base_url).netloc, "model": self.model.name, "local": True,
                "tokens_in": tokens_in, "tokens_out": tokens_out, "outcome": outcome}))
        return Completion(reply.text, reply.finish_reason, self.model.name, tokens_in, tokens_out, 0,
                          first[0] if first else 0.0, time.perf_counter() - started)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
