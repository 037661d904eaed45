"""The model side of the composition root: the chat engine (a GGUF on the local runtime, or a local server's model),
the LLM service over it (cloud routing, redaction, audit), the speech model, the embedding model with its index and
answer engine — each in a `Swappable` that a settings change rebuilds — and the user's model choices (catalogue,
measured capability, gallery downloads).

Nothing heavy happens at construction: runtimes load their model on first request, on a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from app.context import AppContext
from app.holders import Lazy, Swappable
from app.settings import Settings
from engine.answers import AnswerEngine
from engine.errors import EngineError
from engine.events import MODEL_DID_MEASURE, EventBus
from engine.gallery import GalleryItem, ModelDownloader, ModelGallery, probe_machine
from engine.llm import (CloudClient, CloudConfig, LLMService, LocalRuntime, ModelCatalogue, RoutingPolicy,
                        UsageLedger, keyring_lookup)
from engine.llm.capability import ProbeResult, Tier
from engine.llm.catalogue import ModelInfo, describe_model
from engine.llm.cloud import KEYRING_SERVICE
from engine.llm.errors import ModelUnavailable
from engine.llm.probing import CapabilityBook, CapabilityProber, gguf_model_id
from engine.llm.servers import ServerEngine, ServerModel, discover, parse_model_ref
from engine.privacy import AuditLog, known_names
from engine.retrieval import RetrievalService, load_embedder
from engine.speech import Transcriber
from models import AuditEntry

__all__ = ["CHAT_ENGINE_SETTINGS", "CLOUD_SETTINGS", "Engines", "HUB_TOKEN_USER", "hub_token"]

_CATALOGUE_KEY = "llm.catalogue"
_CAPABILITY_KEY = "llm.capability"
_GALLERY_KEY = "gallery.downloads"
_USAGE_KEY = "llm.usage"
HUB_TOKEN_USER = "huggingface-token"

#: Settings that choose or shape the chat engine, and the cloud side of the LLM service.
CHAT_ENGINE_SETTINGS = ("local_server_model", "llm_model_path", "llm_context_tokens", "llm_threads")
CLOUD_SETTINGS = ("cloud_enabled", "cloud_provider", "cloud_model", "cloud_base_url", "cloud_fallback_on_failure",
                  "cloud_fallback_on_overflow", "cloud_latency_budget_s", "region")


def hub_token() -> str | None:
    """The user's Hugging Face token from the OS keyring (for gated models), or None."""
    try:
        return keyring.get_password(KEYRING_SERVICE, HUB_TOKEN_USER)
    except KeyringError:
        return None


class Engines:
    """Owns the model-backed components of one process. `measure_models`: probe every chat model loaded or swapped
    in, in the background (the app does; one-shot CLI commands do not, so the probe never delays their answer)."""

    def __init__(self, ctx: AppContext, *, bus: EventBus, measure_models: bool = False) -> None:
        self.ctx, self.bus, self.measure_models = ctx, bus, measure_models
        self._lazy = Lazy()
        self.chat_engine: Swappable[LocalRuntime | ServerEngine] = Swappable(
            self._build_chat_engine, depends_on=CHAT_ENGINE_SETTINGS, close=lambda old: old.close(),
            swapped=self._hand_over).follow(bus)
        self.llm: Swappable[LLMService] = Swappable(
            lambda: self.build_llm_service(self.chat_engine.get()), depends_on=CLOUD_SETTINGS).follow(bus)
        self.transcriber: Swappable[Transcriber] = Swappable(
            lambda: Transcriber(self.settings.whisper_model_path or None), depends_on=("whisper_model_path",)).follow(bus)
        self.retrieval: Swappable[RetrievalService] = Swappable(
            lambda: RetrievalService.open(self.ctx.store, embedding_model=self.settings.embedding_model_path,
                                          qdrant_url=self.settings.qdrant_url, tz=self.settings.tzinfo()),
            depends_on=("embedding_model_path", "qdrant_url")).follow(bus)
        # One answer engine per retriever, so its in-memory sentence vectors are reused across questions.
        self.answers: Swappable[AnswerEngine] = Swappable(
            lambda: AnswerEngine(self.retrieval.get().retriever, tz=self.settings.tzinfo()),
            depends_on=("embedding_model_path", "qdrant_url")).follow(bus)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    def _settings_store(self, key: str) -> dict[str, Callable[..., Any]]:
        return {"load": lambda: self.ctx.store.settings.get(key), "save": lambda state: self.ctx.store.settings.set(key, state)}

    # -- the chat engine -----------------------------------------------------------------------------------
    def _build_chat_engine(self) -> LocalRuntime | ServerEngine:
        server = self.local_server_model()
        if server is not None:
            engine = ServerEngine(server, audit=self.audit_sink())
            if self.measure_models:
                self.prober.ensure(server.capability_id, engine, use_grammar=False)
            return engine
        return LocalRuntime(self.chat_model_path(), n_ctx=self.settings.llm_context_tokens,
                            n_threads=self.settings.llm_threads or None,
                            on_loaded=self.measure_model if self.measure_models else None)

    def _hand_over(self, engine: LocalRuntime | ServerEngine) -> None:
        """The shared LLM service answers on the new chat engine from its next request."""
        service = self.llm.peek()
        if service is not None:
            service.runtime = engine

    def build_llm_service(self, runtime: LocalRuntime | ServerEngine) -> LLMService:
        """An `LLMService` over `runtime` from the user's settings. Cloud only when a model is configured; every
        cloud call is redacted first and audited in the store (never content)."""
        s, ctx = self.settings, self.ctx
        policy = RoutingPolicy(cloud_enabled=s.cloud_enabled, fallback_on_failure=s.cloud_fallback_on_failure,
                               fallback_on_overflow=s.cloud_fallback_on_overflow,
                               latency_budget_s=s.cloud_latency_budget_s)
        if not ctx.has_store:
            return LLMService(runtime=runtime, cloud=None, policy=policy, audit=ctx.audit)
        cloud = ledger = None
        if s.cloud_model:
            cloud = CloudClient(CloudConfig(s.cloud_provider, s.cloud_model, base_url=s.cloud_base_url),
                                key_lookup=keyring_lookup)
            ledger = UsageLedger(**self._settings_store(_USAGE_KEY))
        store = ctx.store
        return LLMService(runtime=runtime, cloud=cloud, policy=policy, audit=AuditLog(store).sink(), ledger=ledger,
                          contacts=lambda: known_names(store)[0], organizations=lambda: known_names(store)[1],
                          region=s.region)

    def audit_sink(self) -> Callable[[AuditEntry], None]:
        return AuditLog(self.ctx.store).sink() if self.ctx.has_store else self.ctx.audit

    def local_server_model(self) -> ServerModel | None:
        """The local-server model chosen as the chat engine (Settings > Models), or None for the GGUF."""
        return parse_model_ref(self.settings.local_server_model) if self.settings.local_server_model else None

    def chat_model_path(self) -> Path:
        """The GGUF to load: the setting if set, else the catalogue's default (bundled SmolLM2)."""
        if self.settings.llm_model_path:
            return Path(self.settings.llm_model_path).expanduser()
        return self.models.default().path

    def local_servers(self) -> list[ServerModel]:
        """Models offered by local servers on loopback (default ports and `local_server_urls`). IO pool."""
        return discover(self.settings.local_server_urls)

    def use_chat_model(self, choice: str, save_settings: Callable[..., Any]) -> str:
        """Make `choice` the chat engine now, without a restart: a catalogue key or GGUF path, or a local server's
        model id ("ollama:llama3.2:3b"). A changed setting rebuilds the engine (`settings_did_change`); another
        GGUF on the same runtime is swapped in. Requests already queued finish on the old engine. Returns the
        model's name. IO pool."""
        try:
            info = self.models.set_default(choice)
        except ModelUnavailable:
            server = next((m for m in self.local_servers() if choice in (m.id, m.ref)), None)
            if server is None:
                raise ModelUnavailable(f"No model named {choice!r} in the catalogue or on a local server.",
                                       next_step="See `reflex-assistant models list` and `models servers`.") from None
            save_settings(local_server_model=server.ref)
            return server.id
        self.make_default(info, save_settings)
        return info.key

    def make_default(self, info: ModelInfo, save_settings: Callable[..., Any]) -> None:
        """`info` (already the catalogue's default) becomes the chat engine: a server engine or an explicit GGUF
        setting gives way (the setting change rebuilds it); else the runtime swaps its model."""
        was_gguf_runtime = not self.settings.local_server_model and not self.settings.llm_model_path
        save_settings(local_server_model="", llm_model_path="")
        runtime = self.chat_engine.peek()
        if was_gguf_runtime and isinstance(runtime, LocalRuntime):
            runtime.swap_model(info.path)

    def add_chat_model(self, path: Path) -> ModelInfo:
        """Add a downloaded GGUF to the chat catalogue if llama.cpp loads it and it carries a chat template."""
        if not describe_model(path).chat_template:
            raise ModelUnavailable(f"{path.name} has no chat template, so it cannot hold a conversation.",
                                   next_step="Choose an instruction-tuned (chat) model.")
        return self.models.add(path)

    # -- catalogue, capability, gallery --------------------------------------------------------------------
    @property
    def models(self) -> ModelCatalogue:
        """Local chat models (bundled + added GGUFs); the user's choices live in the store's settings."""
        return self._lazy.get("models", lambda: ModelCatalogue(**self._settings_store(_CATALOGUE_KEY)))

    @property
    def capability(self) -> CapabilityBook:
        """Each chat model's measured tier and probe score, kept in the store's settings."""
        return self._lazy.get("capability", lambda: CapabilityBook(**self._settings_store(_CAPABILITY_KEY)))

    @property
    def prober(self) -> CapabilityProber:
        """Measures chat models in the background (one at a time); announces each result on the bus."""
        return self._lazy.get("prober", lambda: CapabilityProber(self.capability, on_measured=lambda model_id, result:
                              self.bus.emit(MODEL_DID_MEASURE, model=model_id, tier=result.tier.label,
                                            score=round(result.score, 3))))

    def chat_engine_id(self) -> str:
        """The capability id of the chat engine in use (a server model, else the GGUF file)."""
        server = self.local_server_model()
        return server.capability_id if server else gguf_model_id(self.chat_model_path())

    def capability_of(self, capability_id: str) -> ProbeResult | None:
        return self.capability.result(capability_id) if self.ctx.has_store else None

    def chat_models(self) -> list[tuple[ModelInfo, ProbeResult | None]]:
        """The catalogue's chat models, each with its measured capability (None until its probe has run)."""
        return [(info, self.capability_of(gguf_model_id(info.path))) for info in self.models.models()]

    def model_tier(self) -> Tier:
        """The measured tier of the chat model in use; evidence-only until measured (or if its file is gone)."""
        try:
            return self.capability.tier(self.chat_engine_id())
        except (OSError, EngineError):
            return Tier.EVIDENCE_ONLY

    def judgement_llm(self) -> LLMService | None:
        """The LLM service for judgement calls (a decision's pros and cons) when the chat model measured at the
        synthesise tier; None keeps them rules-only. Its runtime queues these behind any answer being written."""
        return self.llm.get() if self.model_tier() >= Tier.SYNTHESISE else None

    def measure_model(self, path: Path) -> Any:
        """Start measuring the GGUF at `path` through the app's runtime unless it is measured; returns the probe's
        Future (done at once when known). Never blocks."""
        return self.prober.ensure(gguf_model_id(path), self.chat_engine.get(), use_grammar=True)

    def measure_model_file(self, path: Path) -> Any:
        """Measure a GGUF that is not the one loaded, on a runtime of its own; returns the probe's Future."""
        runtime = LocalRuntime(path, n_ctx=self.settings.llm_context_tokens, n_threads=self.settings.llm_threads or None)
        future = self.prober.ensure(gguf_model_id(path), runtime, use_grammar=True)
        future.add_done_callback(lambda _f: runtime.close())
        return future

    @property
    def gallery(self) -> ModelGallery:
        """Curated model downloads into `<home>/models`: audited in the store, the hub token from the keyring,
        verified files recorded in the store's settings."""
        def build() -> ModelGallery:
            models_dir = self.ctx.home / "models"
            downloader = ModelDownloader(models_dir, audit=AuditLog(self.ctx.store).sink(), token=hub_token,
                                         endpoint=self.settings.model_hub_url or None,
                                         pinned=lambda repo: gallery.pinned_commit(repo))
            gallery = ModelGallery(downloader, machine=lambda: probe_machine(models_dir),
                                   add_chat_model=self.add_chat_model, **self._settings_store(_GALLERY_KEY),
                                   check_speech_model=lambda path: Transcriber(str(path)).model_name)
            return gallery
        return self._lazy.get("gallery", build)

    def gallery_offer(self) -> GalleryItem | None:
        """The recommended chat model to offer after first run, or None: once the user said "not now", when a
        model other than the bundled one is in use, or when it is already downloaded. IO pool."""
        if (self.settings.gallery_offer_dismissed or self.settings.local_server_model
                or not self.models.default().bundled):
            return None
        item = self.gallery.recommended("chat")
        return item if item is not None and item.installed is None else None

    def download_model(self, name: str, *, on_progress: Callable[[float], None] | None = None,
                       cancel: threading.Event | None = None) -> Any:
        """Download, verify and offer a gallery model; a chat model is then measured in the background on its own
        runtime (closed when the probe ends). IO pool."""
        got = self.gallery.download(name, on_progress=on_progress, cancel=cancel)
        if got.entry.kind == "chat" and self.measure_models:
            self.measure_model_file(got.path)
        return got

    def check_model(self, kind: str, path: str) -> str:
        """Load a speech ("speech": a CTranslate2 Whisper folder) or embedding ("embedding": an ONNX folder or a
        GGUF file) model to check it ("" = the bundled one); its name, or the error that says why it cannot."""
        if kind == "speech":
            return Transcriber(path or None).model_name
        if kind == "embedding":
            return load_embedder(path).model_id
        raise ValueError(kind)

    @staticmethod
    def set_hub_token(token: str) -> None:
        """Keep the user's Hugging Face token (for gated models) in the OS keyring; "" forgets it."""
        if token:
            keyring.set_password(KEYRING_SERVICE, HUB_TOKEN_USER, token)
            return
        try:
            keyring.delete_password(KEYRING_SERVICE, HUB_TOKEN_USER)
        except PasswordDeleteError:
            pass

    @staticmethod
    def set_cloud_key(provider: str, key: str) -> None:
        """Store a cloud API key in the OS keyring (where the cloud runtime looks it up), never on disk."""
        keyring.set_password(KEYRING_SERVICE, f"{provider}-api-key", key)

    def close(self) -> None:
        """Stop a probe under way (nothing partial is stored) and free the chat model."""
        prober = self._lazy.take("prober")
        if prober is not None:
            prober.close()
        self.chat_engine.reset()
