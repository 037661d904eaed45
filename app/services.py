"""`Services`: the engine objects the desktop app uses, built once from the `AppContext` and passed into
windows as keyword-only constructor arguments (no module-level singletons).

Everything heavy is constructed lazily on first use, under a lock, because first use happens on worker
threads (the task runner's pools, the LLM worker): importing llama.cpp, faster-whisper or onnxruntime and
loading models must never happen on the GUI thread or before the first window is painted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.context import AppContext
from app.settings import Settings, save_settings
from engine.errors import EngineError
from engine.events import MEETING_DID_UPDATE, STORE_DID_CHANGE, SYNC_DID_FINISH, EventBus
from models import AuditEntry

if TYPE_CHECKING:
    from app.care import Care
    from app.work import Work
    from engine.usecases.briefing import Briefing
    from engine.usecases.asking import Asking
    from engine.answers import AnswerEngine
    from engine.assistant.context import ContextService
    from engine.assistant.memory import MemoryService
    from engine.assistant.usage import UsageTracker
    from engine.assistant.decisions import DecisionAnalyst
    from engine.assistant.triage import TriageEngine, TriageResult
    from app.tools import ActOutcome
    from engine.jobs import BackgroundIndexing
    from engine.llm.tools import ToolRegistry
    from engine.llm import LLMService, LocalRuntime, ModelCatalogue
    from engine.llm.capability import ProbeResult, Tier
    from engine.llm.catalogue import ModelInfo
    from engine.llm.probing import CapabilityBook, CapabilityProber
    from engine.gallery import GalleryItem, ModelGallery
    from engine.llm.servers import ServerEngine, ServerModel
    from engine.retrieval import RetrievalService
    from engine.retrieval.indexer import Indexer
    from engine.retrieval.rag import Citation
    from engine.retrieval.search import Retriever
    from engine.speech import Transcriber
    from engine.store import Store
    from engine.store.repos.mail import MessageSummary
    from engine.store.repos.triage import TriageRow
    from models import Decision, Meeting, Message

log = logging.getLogger(__name__)
T = TypeVar("T")

_CATALOGUE_KEY = "llm.catalogue"
_CAPABILITY_KEY = "llm.capability"
_GALLERY_KEY = "gallery.downloads"
HUB_TOKEN_USER = "huggingface-token"


def hub_token() -> str | None:
    """The user's Hugging Face token from the OS keyring (for gated models), or None."""
    import keyring
    from keyring.errors import KeyringError

    from engine.llm.cloud import KEYRING_SERVICE

    try:
        return keyring.get_password(KEYRING_SERVICE, HUB_TOKEN_USER)
    except KeyringError:
        return None
_USAGE_KEY = "llm.usage"


@dataclass(slots=True)
class InboxRow:
    """One inbox line: the message, its stored triage verdict (None until triaged) and whether it is evidence
    for a sales opportunity (the "opportunity" tag)."""

    message: "MessageSummary"
    triage: "TriageRow | None"
    opportunity: str = ""  # the account name, or ""


@dataclass(slots=True)
class InsightsData:
    """Everything the Insights page shows, computed on the store worker."""

    pipeline: list[Any]  # models.Opportunity
    stale: list[Any]  # engine.insights.revenue.StaleAlert
    pulse: Any  # engine.insights.pulse.PulseReport
    usage: Any  # engine.assistant.usage.UsageReport


def source_link(store: "Store", source_type: str, source_id: int) -> str:
    """The reflex:// link that opens a source in the app (an email's thread, a meeting at the moment a transcript
    segment was said), or "" when it is gone or has no page."""
    if source_type == "email":
        return f"reflex://email/{source_id}"
    if source_type == "segment":
        position = store.meetings.segment_position(source_id)
        return f"reflex://meeting/{position[0]}?t={position[1]:.2f}" if position else ""
    if source_type == "meeting":
        return f"reflex://meeting/{source_id}"
    return ""


@dataclass(slots=True)
class PreparedQuestion:
    """A question made ready for the model: prompt parts plus the numbered sources its [n] refer to."""

    parts: Any  # engine.llm.PromptParts
    citations: list["Citation"] = field(default_factory=list)


class Services:
    """Owns the lazily built engine services for one GUI process. Thread-safe getters; `close()` at exit."""

    def __init__(self, ctx: AppContext, *, bus: EventBus | None = None, measure_models: bool = False) -> None:
        """`measure_models`: run the capability probe in the background whenever a chat model is loaded or
        swapped in (the app does; one-shot CLI commands do not, so the probe never delays their answer)."""
        self.ctx = ctx
        self.bus = bus or EventBus()
        self.measure_models = measure_models
        self._lock = threading.RLock()
        self._built: dict[str, Any] = {}

    # -- plain state -------------------------------------------------------------------------------------
    @property
    def home(self) -> Path:
        return self.ctx.home

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    def save_settings(self, **changes: Any) -> Settings:
        """Validate and persist changed settings (pydantic validates on assignment; a refused value raises
        ValueError and nothing is saved) and record which settings changed, by name, in the audit log."""
        from engine.privacy import AuditLog

        before = self.ctx.settings.model_copy()
        candidate = self.ctx.settings.model_copy()
        for name, value in changes.items():
            setattr(candidate, name, value)
        save_settings(self.home, candidate)
        for name in changes:
            setattr(self.ctx.settings, name, getattr(candidate, name))
        if self.ctx.has_store:
            AuditLog(self.store).settings_changed(before, self.ctx.settings)
        return self.ctx.settings

    @property
    def store(self) -> "Store":
        """The open store (opened by app/gui.py before any window exists)."""
        return self.ctx.store

    # -- lazily built engines ----------------------------------------------------------------------------
    def _get(self, name: str, build: Callable[[], T]) -> T:
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return self._built[name]

    def built(self, name: str) -> bool:
        """Whether `name` (llm_runtime, transcriber, retriever, ...) was already constructed."""
        return name in self._built

    @property
    def models(self) -> "ModelCatalogue":
        """Local chat models (bundled + added GGUFs); the user's choices live in the store's settings."""
        def build() -> "ModelCatalogue":
            from engine.llm import ModelCatalogue

            return ModelCatalogue(load=lambda: self.store.settings.get(_CATALOGUE_KEY),
                                  save=lambda state: self.store.settings.set(_CATALOGUE_KEY, state))
        return self._get("models", build)

    def local_server_model(self) -> "ServerModel | None":
        """The local-server model chosen as the chat engine (Settings > Models), or None for the GGUF."""
        from engine.llm.servers import parse_model_ref

        return parse_model_ref(self.settings.local_server_model) if self.settings.local_server_model else None

    def chat_engine_id(self) -> str:
        """The capability id of the chat engine in use (a server model, else the GGUF file)."""
        from engine.llm.probing import gguf_model_id

        server = self.local_server_model()
        return server.capability_id if server else gguf_model_id(self.chat_model_path())

    def capability_of(self, capability_id: str) -> "ProbeResult | None":
        """The measured capability of a model by its capability id (a GGUF's or a server model's)."""
        return self.capability.result(capability_id) if self.ctx.has_store else None

    def local_servers(self) -> list["ServerModel"]:
        """Models offered by local servers on loopback (default ports and `local_server_urls`). IO pool."""
        from engine.llm.servers import discover

        return discover(self.settings.local_server_urls)

    def use_chat_model(self, choice: str) -> str:
        """Make `choice` the chat engine now, without a restart: a catalogue key or GGUF path, or a local server's
        model id from `local_servers()` ("ollama:llama3.2:3b"). Requests already queued finish on the old
        engine. Returns the model's name. IO pool."""
        from engine.llm.errors import ModelUnavailable

        try:
            info = self.models.set_default(choice)
        except ModelUnavailable:
            server = next((m for m in self.local_servers() if choice in (m.id, m.ref)), None)
            if server is None:
                raise ModelUnavailable(f"No model named {choice!r} in the catalogue or on a local server.",
                                       next_step="See `reflex-assistant models list` and `models servers`.") from None
            self.save_settings(local_server_model=server.ref)
            self._replace_chat_engine()
            return server.id
        was_server = bool(self.settings.local_server_model)
        self.save_settings(local_server_model="", llm_model_path="")
        if was_server:
            self._replace_chat_engine()
        elif self.built("llm_runtime"):
            self.llm_runtime.swap_model(info.path)
        return info.key

    def _replace_chat_engine(self) -> None:
        """Build the chat engine the settings name and hand it to the shared LLM service; close the old one."""
        with self._lock:
            old = self._built.pop("llm_runtime", None)
        if old is None:
            return
        engine = self.llm_runtime
        service = self._built.get("llm_service")
        if service is not None:
            service.runtime = engine
        old.close()

    def chat_model_path(self) -> Path:
        """The GGUF to load: the setting if set, else the catalogue's default (bundled SmolLM2)."""
        if self.settings.llm_model_path:
            return Path(self.settings.llm_model_path).expanduser()
        return self.models.default().path

    @property
    def capability(self) -> "CapabilityBook":
        """Each chat model's measured tier and probe score, kept in the store's settings."""
        def build() -> "CapabilityBook":
            from engine.llm.probing import CapabilityBook

            return CapabilityBook(load=lambda: self.store.settings.get(_CAPABILITY_KEY),
                                  save=lambda state: self.store.settings.set(_CAPABILITY_KEY, state))
        return self._get("capability", build)

    @property
    def prober(self) -> "CapabilityProber":
        """Measures chat models in the background (one at a time); announces each result on the bus."""
        def build() -> "CapabilityProber":
            from engine.events import MODEL_DID_MEASURE
            from engine.llm.probing import CapabilityProber

            return CapabilityProber(self.capability, on_measured=lambda model_id, result: self.bus.emit(
                MODEL_DID_MEASURE, model=model_id, tier=result.tier.label, score=round(result.score, 3)))
        return self._get("prober", build)

    def chat_models(self) -> list[tuple["ModelInfo", "ProbeResult | None"]]:
        """The catalogue's chat models, each with its measured capability (None until its probe has run)."""
        from engine.llm.probing import gguf_model_id

        return [(info, self.capability.result(gguf_model_id(info.path)) if self.ctx.has_store else None)
                for info in self.models.models()]

    def model_tier(self) -> "Tier":
        """The measured tier of the chat model in use; evidence-only until it is measured (or if its file is gone)."""
        from engine.llm.capability import Tier

        try:
            return self.capability.tier(self.chat_engine_id())
        except (OSError, EngineError):
            return Tier.EVIDENCE_ONLY

    def measure_model(self, path: Path) -> Any:
        """Start measuring the GGUF at `path` through the app's runtime unless it is measured; returns the
        probe's Future (done at once when known). Never blocks."""
        from engine.llm.probing import gguf_model_id

        return self.prober.ensure(gguf_model_id(path), self.llm_runtime, use_grammar=True)

    @property
    def gallery(self) -> "ModelGallery":
        """Curated model downloads (engine.gallery) into `<home>/models`: audited in the store, the hub token from
        the keyring, verified files recorded in the store's settings."""
        def build() -> "ModelGallery":
            from engine.gallery import ModelDownloader, ModelGallery, probe_machine
            from engine.privacy import AuditLog
            from engine.speech import Transcriber

            models_dir = self.home / "models"
            downloader = ModelDownloader(models_dir, audit=AuditLog(self.store).sink(), token=hub_token,
                                         endpoint=self.settings.model_hub_url or None,
                                         pinned=lambda repo: gallery.pinned_commit(repo))
            gallery = ModelGallery(downloader, machine=lambda: probe_machine(models_dir),
                                   load=lambda: self.store.settings.get(_GALLERY_KEY),
                                   save=lambda state: self.store.settings.set(_GALLERY_KEY, state),
                                   add_chat_model=self._add_chat_model,
                                   check_speech_model=lambda path: Transcriber(str(path)).model_name)
            return gallery
        return self._get("gallery", build)

    def gallery_items(self) -> list["GalleryItem"]:
        """The curated models with this computer's verdict and their local path once downloaded. IO pool."""
        return self.gallery.items()

    def gallery_offer(self) -> "GalleryItem | None":
        """The recommended chat model to offer after first run, or None: once the user said "not now", when a
        model other than the bundled one is in use, or when it is already downloaded. IO pool."""
        if (self.settings.gallery_offer_dismissed or self.settings.local_server_model
                or not self.models.default().bundled):
            return None
        item = self.gallery.recommended("chat")
        return item if item is not None and item.installed is None else None

    def dismiss_gallery_offer(self) -> None:
        """Remember "not now" for the first-run model offer."""
        self.save_settings(gallery_offer_dismissed=True)

    def _add_chat_model(self, path: Path) -> "ModelInfo":
        """Add a downloaded GGUF to the chat catalogue if llama.cpp loads it and it carries a chat template."""
        from engine.llm.catalogue import describe_model
        from engine.llm.errors import ModelUnavailable

        if not describe_model(path).chat_template:
            raise ModelUnavailable(f"{path.name} has no chat template, so it cannot hold a conversation.",
                                   next_step="Choose an instruction-tuned (chat) model.")
        return self.models.add(path)

    def download_model(self, name: str, *, on_progress: Callable[[float], None] | None = None,
                       cancel: threading.Event | None = None) -> Any:
        """Download, verify and offer a gallery model (`engine.gallery.DownloadedModel`); a chat model is then
        measured in the background on its own runtime (closed when the probe ends). IO pool."""
        got = self.gallery.download(name, on_progress=on_progress, cancel=cancel)
        if got.entry.kind == "chat" and self.measure_models:
            self.measure_model_file(got.path)
        return got

    def measure_model_file(self, path: Path) -> Any:
        """Measure a GGUF that is not the one loaded, on a runtime of its own; returns the probe's Future."""
        from engine.llm import LocalRuntime
        from engine.llm.probing import gguf_model_id

        runtime = LocalRuntime(path, n_ctx=self.settings.llm_context_tokens, n_threads=self.settings.llm_threads or None)
        future = self.prober.ensure(gguf_model_id(path), runtime, use_grammar=True)
        future.add_done_callback(lambda _f: runtime.close())
        return future

    def set_hub_token(self, token: str) -> None:
        """Keep the user's Hugging Face token (for gated models) in the OS keyring; "" forgets it."""
        import keyring
        from keyring.errors import PasswordDeleteError

        from engine.llm.cloud import KEYRING_SERVICE

        if token:
            keyring.set_password(KEYRING_SERVICE, HUB_TOKEN_USER, token)
            return
        try:
            keyring.delete_password(KEYRING_SERVICE, HUB_TOKEN_USER)
        except PasswordDeleteError:
            pass

    @property
    def llm_runtime(self) -> "LocalRuntime | ServerEngine":
        """The one local model runtime (cheap to construct; the model loads on first request). With
        `measure_models`, every model it loads is measured in the background."""
        def build() -> "LocalRuntime | ServerEngine":
            from engine.llm import LocalRuntime
            from engine.llm.servers import ServerEngine

            server = self.local_server_model()
            if server is not None:
                engine = ServerEngine(server, audit=self._audit_sink())
                if self.measure_models:
                    self.prober.ensure(server.capability_id, engine, use_grammar=False)
                return engine
            return LocalRuntime(self.chat_model_path(), n_ctx=self.settings.llm_context_tokens,
                                n_threads=self.settings.llm_threads or None,
                                on_loaded=self.measure_model if self.measure_models else None)
        return self._get("llm_runtime", build)

    def _audit_sink(self) -> Callable[[AuditEntry], None]:
        from engine.privacy import AuditLog

        return AuditLog(self.store).sink() if self.ctx.has_store else self.ctx.audit

    @property
    def llm_service(self) -> "LLMService":
        """The one LLM service (local runtime + cloud router, redaction and audit) shared by every window."""
        return self._get("llm_service", lambda: self.build_llm_service(self.llm_runtime))

    def build_llm_service(self, runtime: "LocalRuntime") -> "LLMService":
        """An `LLMService` over `runtime` from the user's settings. Cloud only when a model is configured; every
        cloud call is redacted first and audited in the store (never content)."""
        from engine.llm import CloudClient, CloudConfig, LLMService, RoutingPolicy, UsageLedger, keyring_lookup
        from engine.privacy import AuditLog, known_names

        s, ctx = self.settings, self.ctx
        cloud = ledger = None
        if s.cloud_model and ctx.has_store:
            cloud = CloudClient(CloudConfig(s.cloud_provider, s.cloud_model, base_url=s.cloud_base_url),
                                key_lookup=keyring_lookup)
            ledger = UsageLedger(load=lambda: self.store.settings.get(_USAGE_KEY),
                                 save=lambda state: self.store.settings.set(_USAGE_KEY, state))
        policy = RoutingPolicy(cloud_enabled=s.cloud_enabled, fallback_on_failure=s.cloud_fallback_on_failure,
                               fallback_on_overflow=s.cloud_fallback_on_overflow,
                               latency_budget_s=s.cloud_latency_budget_s)
        if ctx.has_store:
            return LLMService(runtime=runtime, cloud=cloud, policy=policy, audit=AuditLog(self.store).sink(),
                              ledger=ledger, contacts=lambda: known_names(self.store)[0],
                              organizations=lambda: known_names(self.store)[1], region=s.region)
        return LLMService(runtime=runtime, cloud=None, policy=policy, audit=ctx.audit)

    @property
    def transcriber(self) -> "Transcriber":
        """faster-whisper, loaded on first use (~75 MB for the bundled tiny.en)."""
        def build() -> "Transcriber":
            from engine.speech import Transcriber

            return Transcriber(self.settings.whisper_model_path or None)
        return self._get("transcriber", build)

    def add_files(self, paths: list[str], *, on_progress: Callable[[float], None] | None = None,
                  cancel: threading.Event | None = None) -> Any:
        """Add files or folders the user dropped or picked: documents, mail/calendar files and recordings, the
        same way `reflex-assistant import` does; then index them. Returns the `IngestReport`. IO pool."""
        from app.importing import import_paths

        report = import_paths(self.store, paths, default_tz=self.tz, on_progress=on_progress, cancel=cancel,
                              transcribe=lambda path: self.import_meeting(str(path)))
        self.indexing.request()
        return report

    def sync_watched_folder(self) -> int:
        """Bring the watched folder's documents up to date (new, changed, deleted files); returns how many
        documents changed. Scheduler thread."""
        from engine.retrieval.documents import sync_folder

        folder = self.settings.watched_folder
        if not folder:
            return 0
        try:
            result = sync_folder(self.store, folder)
        except EngineError as err:  # the folder was moved or unmounted: say so in the log, try again later
            log.warning("watched folder not synced: %s", type(err).__name__)
            return 0
        if result.failed:  # only new failures: a file that failed before is not read again until it changes
            log.warning("watched folder: %d files could not be read", len(result.failed))
        if result.documents or result.removed:
            self.indexing.request()
        return len(result.documents) + result.removed

    def export_everything(self, dest: str, *, redacted: bool = False, on_progress: Callable[[float], None] | None = None,
                          cancel: threading.Event | None = None) -> Any:
        """Export all data to a new folder under `dest` (readable formats: .eml, .ics, JSON, Markdown; `redacted`
        replaces personal details), audited. The folder is NOT encrypted. Returns the `ExportReport`. IO pool."""
        from engine.privacy import export_store

        return export_store(self.store, Path(dest), redacted=redacted, region=self.settings.region,
                            on_progress=on_progress, cancel=cancel)

    def set_model(self, kind: str, path: str) -> str:
        """Use another speech ("speech": a CTranslate2 Whisper folder) or embedding ("embedding": an ONNX folder or
        a GGUF file) model, "" = the bundled one. It must load first (else the error says why and nothing
        changes); a new embedding model re-embeds everything in the background and its vectors never mix with
        the old ones. Returns the model's name. IO pool."""
        if kind == "speech":
            from engine.speech import Transcriber

            name = Transcriber(path or None).model_name
            self.save_settings(whisper_model_path=path)
            with self._lock:
                self._built.pop("transcriber", None)
            return name
        if kind != "embedding":
            raise ValueError(kind)
        from engine.retrieval import load_embedder

        name = load_embedder(path).model_id
        self.save_settings(embedding_model_path=path)
        with self._lock:
            for built in ("retrieval", "tool_registry", "answers"):
                self._built.pop(built, None)
        self.indexing.request()
        return name

    @property
    def retrieval(self) -> "RetrievalService":
        """Embedder + vector index (in memory, or a Qdrant server when `qdrant_url` is set) + keyword search,
        rebuilt from the encrypted store on first use (a worker thread: it loads the embedding model)."""
        def build() -> "RetrievalService":
            from engine.retrieval import RetrievalService

            return RetrievalService.open(self.store, embedding_model=self.settings.embedding_model_path,
                                         qdrant_url=self.settings.qdrant_url, tz=self.tz)
        return self._get("retrieval", build)

    @property
    def retriever(self) -> "Retriever":
        return self.retrieval.retriever

    @property
    def answers(self) -> "AnswerEngine":
        """The answer engine over the retriever (evidence first, verified model sentences, "not in your data");
        one per retriever, so its in-memory sentence vectors are reused across questions."""
        def build() -> "AnswerEngine":
            from engine.answers import AnswerEngine

            return AnswerEngine(self.retriever, tz=self.tz)
        return self._get("answers", build)

    @property
    def asking(self) -> "Asking":
        """The asking use-case the Chat page and the quick-ask popup answer through (as `reflex-assistant ask`
        does): evidence-first cited answers from the answer engine, saved with the conversation and counted.
        `llm`, `sources` and `answers` are looked up per question, so a model changed in Settings is used next."""
        def build() -> "Asking":
            from engine.retrieval.rag import build_context
            from engine.usecases.asking import Asking

            return Asking(llm=lambda: self.llm_service, store=self.store, context=self.context_service,
                          sources=lambda text: build_context(self.retriever, text), usage=self.usage,
                          answers=lambda: self.answers, model_writes=lambda: self.model_may_write())
        return self._get("asking", build)

    def model_may_write(self) -> bool:
        """Whether the chat model may add (verified) sentences after the evidence-built answer. False until the
        model's measured capability tier (issue 14 item 5) says it can rephrase: the bundled 135M model's
        sentences rarely survive verification and cost seconds."""
        return False

    @property
    def indexing(self) -> "BackgroundIndexing":
        """Background indexing of what sync, imports and recordings add (`request()` from any thread). Started
        by `start_background_jobs`; progress and the end go out on the bus for the status bar."""
        def build() -> "BackgroundIndexing":
            from engine.jobs import BackgroundIndexing

            return BackgroundIndexing(lambda: self.indexer, self.bus)
        return self._get("indexing", build)

    @property
    def indexer(self) -> "Indexer":
        return self.retrieval.indexer

    # -- composite operations (called on worker threads) ---------------------------------------------------
    def prepare_question(self, question: str, history: list[tuple[str, str]] | None = None) -> PreparedQuestion:
        """Retrieve sources for `question` and build the prompt (system + strategic context first, so the
        model's prefix cache reuses it). `history` is [(role, text)] oldest first. Worker thread only."""
        from engine.llm import ChatMessage, ContextItem
        from engine.retrieval.rag import build_context

        rag = build_context(self.retriever, question)
        items = [ContextItem(text=c.text, score=c.score, source=c.label) for c in rag.citations]
        if not rag.found:
            question = f"{question}\n\n({rag.prompt_block})"
        parts = self.context_service.parts(question, history=[ChatMessage(role, text) for role, text in history or []],
                                           context=items)
        return PreparedQuestion(parts=parts, citations=list(rag.citations))

    @property
    def tool_registry(self) -> "ToolRegistry":
        """The model's tools over the user's data (reads answer from the store; writes file pending actions)."""
        def build() -> "ToolRegistry":
            from app.tools import build_registry

            return build_registry(self)
        return self._get("tool_registry", build)

    def act(self, text: str, *, allow_cloud: bool = False) -> "ActOutcome":
        """Let the model act on an instruction ("draft a reply to Mark…", "put a call with Li on Tuesday 10:00")
        with its tools; a write comes back as a pending action for the user to confirm. IO pool."""
        from app.tools import act

        return act(self, text, allow_cloud=allow_cloud)

    @property
    def context_service(self) -> "ContextService":
        """The strategic context (values, goals, priorities, key accounts, board, roster) as the one cached,
        versioned prompt prefix every feature starts with, so the model's prefix cache is shared."""
        def build() -> "ContextService":
            from engine.assistant.context import ContextService

            return ContextService(self.store)
        return self._get("context_service", build)

    def citations_for(self, chunk_ids: list[int]) -> list["Citation"]:
        """Rebuild the numbered citations of a saved answer from its chunk ids (deleted sources drop out,
        numbers keep their saved order). Worker thread only."""
        from engine.retrieval.chunking import describe_locator
        from engine.retrieval.rag import Citation

        if not chunk_ids:
            return []
        chunks = self.store.chunks.get_many(chunk_ids)
        return [Citation(number=n, chunk_id=cid, source_type=c.source_type, source_id=c.source_id, title=c.title,
                         locator=c.locator, where=describe_locator(c.source_type, c.locator),
                         occurred_at=c.occurred_at, text=c.text, score=0.0)
                for n, cid in enumerate(chunk_ids, 1) if (c := chunks.get(cid)) is not None]

    def thread_messages(self, message_id: int) -> list["Message"]:
        """Every message of the thread that `message_id` belongs to, oldest first. Worker thread only."""
        return [m for mid in self.store.messages.thread_of(message_id) if (m := self.store.messages.get(mid)) is not None]

    # -- time ---------------------------------------------------------------------------------------------
    @property
    def tz(self) -> tzinfo:
        """The user's time zone (Settings > timezone, else this computer's): every time the UI shows uses it."""
        return self.settings.tzinfo()

    def today(self) -> date:
        """The user's local date."""
        return datetime.now(self.tz).date()

    # -- intelligence (worker threads; the store worker unless noted) ----------------------------------------
    def briefing(self, day: date | None = None, *, refresh: bool = True) -> "Briefing":
        """The daily briefing for `day` (default today) in the user's zone; `refresh` re-runs triage,
        commitments and revenue extraction first (~2 s on the demo workspace). Store worker."""
        from engine.usecases.briefing import build_briefing

        briefing = build_briefing(self.store, day or self.today(), tz=self.tz, refresh=refresh)
        with self._lock:
            self._built.pop("triage", None)  # the briefing refreshed verdicts; rebuild lazily with them
        return briefing

    @property
    def triage_engine(self) -> "TriageEngine":
        """One `TriageEngine` (it caches thread signals and the correction model). Store worker only."""
        def build() -> "TriageEngine":
            from engine.assistant.triage import TriageEngine

            return TriageEngine(self.store)
        return self._get("triage", build)

    def triage_new(self, *, on_progress: Callable[[float], None] | None = None,
                   cancel: threading.Event | None = None) -> int:
        """Triage the messages that have no verdict yet (after an import or a sync); returns how many."""
        known = {row.message_id for row in self.store.triage.all()}
        new = [m.id for m in self.store.messages.recent(limit=5000) if m.id not in known]
        if new:
            with self._lock:
                self._built.pop("triage", None)  # new mail (or a new context) changes what the rules know
            self.triage_engine.run(new, on_progress=on_progress, cancel=cancel)
        return len(new)

    def correct_triage(self, message_id: int, field_name: str, value: str | bool) -> "TriageResult":
        """Store the user's correction (priority, category or needs_reply) and return the new verdict."""
        return self.triage_engine.correct(message_id, field_name, value)

    def inbox(self, limit: int = 500) -> tuple[list[InboxRow], list[str]]:
        """The newest `limit` messages with their triage verdicts and opportunity tags, plus account keys."""
        verdicts = {row.message_id: row for row in self.store.triage.all()}
        deals = {e.source_id: o.account for o in self.store.opportunities.list() for e in o.evidence
                 if e.source_type == "email"}
        rows = [InboxRow(m, verdicts.get(m.id), deals.get(m.id, "")) for m in self.store.messages.recent(limit=limit)]
        return rows, [a.key for a in self.store.accounts.all()]

    def insights(self) -> InsightsData:
        """Revenue pipeline and stale alerts, the team pulse (aggregated per team, small groups withheld) and
        local usage analytics. Re-scans opportunities first so the pipeline matches the mail."""
        from engine.assistant.usage import usage_report
        from engine.insights.pulse import TeamPulse
        from engine.insights.revenue import RevenueIntel

        revenue = RevenueIntel(self.store)
        revenue.scan()
        settings = self.settings
        pulse = TeamPulse(self.store, tz=self.tz, working_hours=settings.working_hours,
                          min_group_size=settings.team_min_group_size).report()
        return InsightsData(revenue.pipeline(), revenue.stale(self.today()), pulse,
                            usage_report(self.store, end=self.today()))

    def judgement_llm(self) -> "LLMService | None":
        """The LLM service for judgement calls (a decision's pros and cons) when the chat model measured at the
        synthesise tier (see engine.llm.capability); None keeps them rules-only. Its runtime queues these calls
        behind any answer being written."""
        from engine.llm.capability import Tier

        return self.llm_service if self.model_tier() >= Tier.SYNTHESISE else None

    def _decisions(self) -> "DecisionAnalyst":
        from engine.assistant.decisions import DecisionAnalyst

        # The rules score is what ranks the options; a capable model adds pros and cons marked "(model)".
        return DecisionAnalyst(self.store, today=self.today, llm=self.judgement_llm())

    def decide(self, question: str, options: list[str], review_in_days: int = 30) -> "Decision":
        """Analyse and record a decision (options, goal-weighted criteria, alignment, recommendation)."""
        return self._decisions().analyze(question, options, review_in_days=review_in_days)

    def decision_journal(self) -> tuple[list["Decision"], list[int]]:
        """Every recorded decision and the ids of those due for review today."""
        analyst = self._decisions()
        return analyst.journal(), [d.id for d in analyst.due_reviews() if d.id is not None]

    def record_outcome(self, decision_id: int, outcome: str, review_again_in_days: int | None = None) -> "Decision":
        return self._decisions().record_outcome(decision_id, outcome, review_again_in_days=review_again_in_days)

    def meeting_notes(self, meeting_id: int) -> Any:
        """The stored notes of a meeting (`engine.assistant.meeting_notes.MeetingNotes`), or None."""
        from engine.assistant.meeting_notes import MeetingNotesService

        return MeetingNotesService(self.store).saved(meeting_id)

    def summarize_meeting(self, meeting_id: int, *, on_progress: Callable[[float], None] | None = None,
                          cancel: threading.Event | None = None) -> Any:
        """Build and store a meeting's notes (summary, decisions, action items as commitments, open questions,
        a follow-up draft as a pending action). Items come from rules (and a capable model); the summary from the
        chat model (the runtime queues this behind any answer being written; cloud only by the user's policy),
        checked against the transcript, else the extractive one. IO pool: it waits for the model."""
        from engine.assistant.meeting_notes import MeetingNotesService

        from engine.llm.capability import Tier
        from engine.usecases.verified_notes import sentence_verifier

        # Evidence first: the key points and the extractive summary need no model. A model measured at the rephrase
        # tier rewrites the summary (each sentence verified against the key points) and proposes decisions, action
        # items and open questions, each kept only when it cites a real transcript line; an evidence-only one is
        # not asked at all.
        capable = self.model_tier() >= Tier.REPHRASE
        notes = MeetingNotesService(self.store, llm=self.llm_service if capable else None, model_items=capable,
                                    verify=sentence_verifier(self.retrieval.embedder))
        return notes.summarize(meeting_id, on_progress=on_progress, cancel=cancel)

    def execute_action(self, action_id: int) -> str:
        """Carry out a pending action the user just confirmed (a mail draft, never sent; a calendar event; an
        RSVP; a Slack reply; an Asana task) and mark it done; returns what happened. If it cannot be done, an
        error says why and it stays pending. IO pool."""
        from app.actions import carry_out

        action = self.store.pending_actions.get(action_id)
        said = carry_out(self.store, self.settings, action_id)
        if action is not None and action.kind == "draft_email":
            self.usage.draft_accepted()
        return said

    def segment_link(self, segment_id: int) -> str:
        """`reflex://meeting/<id>?t=<seconds>` for a transcript segment (evidence links), or "" if it is gone."""
        return source_link(self.store, "segment", segment_id)

    def save_draft(self, message_id: int, body: str) -> str:
        """Save `body` as a reply draft in the provider mailbox of `message_id` (never sends); returns where.
        Only called after the user confirmed. Audited (kind and account, never the text). IO pool."""
        from app.actions import MAILBOXES
        from app.commands.accounts import save_mail_draft

        message = self.store.messages.get(message_id)
        account = self.store.accounts.get(message.account) if message else None
        if message is None:
            raise EngineError("That message is no longer in the store.", next_step="Refresh the inbox.")
        if account is None or account.provider not in MAILBOXES or account.state != "connected":
            raise EngineError(
                f"{message.account} is not a connected Google or Microsoft account, so there is no mailbox to save "
                "the draft in.",
                next_step="Copy the reply into your mail app, or connect the account in Settings > Accounts.")
        subject = message.subject if message.subject.lower().startswith("re:") else f"Re: {message.subject}"
        save_mail_draft(account, self.settings, to=[message.sender], subject=subject, body=body, reply_to=message)
        with self.store.transaction():
            self.store.audit.add(AuditEntry("tool", target=account.key, detail={"kind": "create_draft"}))
            self.usage.draft_accepted()
        return account.address

    def set_cloud_key(self, provider: str, key: str) -> None:
        """Store a cloud API key in the OS keyring (where the cloud runtime looks it up), never on disk."""
        import keyring

        from engine.llm.cloud import KEYRING_SERVICE

        keyring.set_password(KEYRING_SERVICE, f"{provider}-api-key", key)

    def disconnect_account(self, key: str, *, delete_data: bool = False) -> dict[str, int]:
        """Forget an account: stop its sync job, delete every keyring entry of its sign-in, its row and cursors,
        and with `delete_data` its synced mail and events. Audited. Returns the counts removed. IO pool."""
        from app.commands.accounts import disconnect

        scheduler = self._built.get("scheduler")
        if scheduler is not None:
            scheduler.remove_account(key)  # a queued run must not re-sync what is being removed
        account = self.store.accounts.get(key)
        if account is None:
            return {"messages": 0, "events": 0}
        return disconnect(self.store, account, delete_data=delete_data, settings=self.settings)

    @property
    def scheduler(self) -> Any:
        """Background jobs on one APScheduler: a sync job per connected account (Google, Microsoft, Slack,
        Asana), the daily briefing at the configured time, the nightly retention purge and an indexing check.
        Built and started on first use (`start_background_jobs`); jobs run on scheduler threads, publish on `bus`."""
        def build() -> Any:
            from apscheduler.schedulers.background import BackgroundScheduler

            from engine.usecases.briefing import schedule_briefing
            from engine.events import BRIEFING_DID_FINISH
            from engine.jobs import SyncScheduler
            from engine.privacy import run_retention

            aps = BackgroundScheduler(timezone=self.tz)
            scheduler = SyncScheduler(interval_minutes=self.settings.sync_interval_minutes, scheduler=aps)
            for account in self.store.accounts.all():
                if account.state == "connected":
                    self._schedule_sync(scheduler, account)
            schedule_briefing(aps, at=self.settings.briefing_time, open_store=lambda: self.store,
                              deliver=lambda b: self.bus.emit(BRIEFING_DID_FINISH, day=str(b.day)),
                              tz_name=self.settings.timezone)
            aps.add_job(run_retention, "cron", hour=3, minute=30, id="retention", name="retention purge",
                        args=[self.store, self.settings, self.home], coalesce=True, max_instances=1,
                        misfire_grace_time=6 * 3600, replace_existing=True)
            # Catches what arrives without an event in this process (a CLI import beside the running app).
            aps.add_job(self.indexing.request, "interval", minutes=10, id="indexing", name="index new data",
                        coalesce=True, max_instances=1, replace_existing=True)
            aps.add_job(self.sync_watched_folder, "interval", minutes=10, id="watched-folder",
                        name="watched folder", coalesce=True, max_instances=1, replace_existing=True,
                        next_run_time=datetime.now(self.tz))
            self.care.schedule(aps)
            scheduler.start()
            return scheduler
        return self._get("scheduler", build)

    @property
    def care(self) -> "Care":
        """Notifications' snapshot, automatic backups and meeting-turn edits (`app.care`)."""
        from app.care import Care

        return self._get("care", lambda: Care(self))

    @property
    def work(self) -> "Work":
        """Scheduling, people, Slack replies and tasks for the windows (`app.work`, `ui.work_port.WorkPort`)."""
        from app.work import Work

        return self._get("work", lambda: Work(self))

    def _schedule_sync(self, scheduler: Any, account: Any) -> None:
        """Add `account`'s sync job; an account whose sign-in is gone is marked for reconnecting instead."""
        from app.commands.accounts import build_connector
        from app.commands.workspace import workspace_coordinator
        from connectors.errors import ConnectorError
        from engine.events import ACCOUNT_DID_NEED_REAUTH
        from engine.jobs import SyncCoordinator

        try:
            if account.provider in ("google", "microsoft"):
                connector = build_connector(account, self.settings)
                scheduler.add_account(SyncCoordinator(store=self.store, connector=connector, bus=self.bus))
            elif account.provider in ("slack", "asana"):
                scheduler.add_account(workspace_coordinator(account, store=self.store, settings=self.settings,
                                                            bus=self.bus))
        except ConnectorError as err:
            self.store.accounts.record_sync(account.key, error=str(err), state="reconnect_needed")
            self.bus.emit(ACCOUNT_DID_NEED_REAUTH, account=account.key)

    def connect_account(self, provider: str, *, client_secret: str = "") -> str:
        """Connect (or reconnect) a Google account with the user's OAuth client file, or a Microsoft account
        with the configured client id, in the browser; then sync it now. Returns the account key. IO pool: it
        waits for the browser (up to 5 minutes)."""
        from app.commands.accounts import connect_google, connect_microsoft

        if provider == "google":
            key = connect_google(self.store, self.settings, Path(client_secret))
        elif provider == "microsoft":
            key = connect_microsoft(self.store, self.settings)
        else:
            raise EngineError(f"Reflex cannot connect {provider} accounts from here.",
                              next_step=f"Use `reflex-assistant {provider} connect`.")
        scheduler = self._built.get("scheduler")
        account = self.store.accounts.get(key)
        if scheduler is not None and account is not None:
            scheduler.remove_account(key)  # a reconnect replaces the job that had stopped
            self._schedule_sync(scheduler, account)
            scheduler.sync_now(key)
        return key

    def start_background_jobs(self) -> int:
        """App start (worker thread): close recordings a crash left open, record syncs in the egress ledger,
        and start the scheduler. Returns how many recordings were recovered."""
        from engine.privacy import AuditLog
        from engine.speech import recover_interrupted

        recovered = recover_interrupted(self.store)
        AuditLog(self.store).attach(self.bus)
        indexing = self.indexing
        for name in (SYNC_DID_FINISH, STORE_DID_CHANGE, MEETING_DID_UPDATE):  # new data: index it (coalesced)
            self.bus.subscribe(name, lambda _name, _payload: indexing.request())
        indexing.request()  # what the last session, a demo load or a CLI import left pending
        _ = self.scheduler
        return len(recovered)

    def link_recorded_meeting(self, meeting_id: int) -> None:
        """After a recording stops: adopt the calendar event it overlaps (title, attendees), count it in the
        local usage figures and announce it (so it gets indexed). Worker thread."""
        meeting = self.store.meetings.get(meeting_id, with_segments=False)
        if meeting is not None:
            self._adopt_meeting(meeting)

    def import_meeting(self, path: str, *, on_progress: Callable[[float], None] | None = None,
                       cancel: threading.Event | None = None) -> "Meeting":
        """Transcribe an audio/video file into a new meeting, then adopt and announce it like a recording.
        Raises the speech engine's errors (unsupported, silent, cancelled: nothing is kept). IO pool."""
        from engine.speech import import_file

        meeting = import_file(self.store, self.transcriber, path, on_progress=on_progress, cancel=cancel)
        self._adopt_meeting(meeting)
        return meeting

    def transcribe_meeting(self, meeting_id: int, *, on_progress: Callable[[float], None] | None = None,
                           cancel: threading.Event | None = None) -> "Meeting":
        """Transcribe (or re-transcribe, e.g. with a bigger model) a recorded meeting from its encrypted audio, then
        adopt and announce it like a new recording. IO pool."""
        from engine.speech import transcribe_meeting

        meeting = transcribe_meeting(self.store, self.transcriber, meeting_id, on_progress=on_progress, cancel=cancel)
        self._adopt_meeting(meeting)
        return meeting

    def _adopt_meeting(self, meeting: "Meeting") -> None:
        from engine.assistant.meeting_notes import link_calendar_event
        from engine.speech import segment_turns

        link_calendar_event(self.store, meeting)
        segments = [s for s in self.store.meetings.segments(meeting.id) if s.id is not None]
        if segments and not any(s.speaker for s in segments):  # names the user gave are never replaced
            segment_turns(segments)  # pause-based turns, "Speaker 1/2" until the user names them
            self.store.meetings.set_speakers({s.id: s.speaker for s in segments if s.id is not None})
        if segments and self.settings.drop_audio_after_transcription:
            self.store.meetings.drop_audio(meeting.id)  # retention: the transcript stays, the recording goes
        if meeting.ended_at is not None:
            self.usage.meeting_transcribed((meeting.ended_at - meeting.started_at).total_seconds() / 60)
        self.bus.emit(MEETING_DID_UPDATE, meeting_id=meeting.id, status=meeting.status)

    def rename_speaker(self, meeting_id: int, old: str, new: str) -> None:
        """Give a speaker label ("Speaker 2") a name (usually an attendee's) across the meeting, and announce it
        so search and citations use the name. Raises EngineError for an empty name. Store worker."""
        if not new.strip():
            raise EngineError("A speaker name cannot be empty.", next_step="Type the person's name.")
        self.store.meetings.rename_speaker(meeting_id, old, new.strip())
        self.bus.emit(MEETING_DID_UPDATE, meeting_id=meeting_id, status="renamed")

    @property
    def memory(self) -> "MemoryService":
        """Facts the user asked Reflex to remember ("remember that …" in chat, Settings > Memory, the CLI)."""
        def build() -> "MemoryService":
            from engine.assistant.memory import MemoryService

            return MemoryService(self.store)
        return self._get("memory", build)

    @property
    def usage(self) -> "UsageTracker":
        """Local-only usage figures (questions, drafts, meetings, model latency, cloud spend)."""
        def build() -> "UsageTracker":
            from engine.assistant.usage import UsageTracker

            return UsageTracker(self.store, today=self.today)  # the user's day, as the report counts it
        return self._get("usage", build)

    def record_answer(self, answer: Any) -> None:
        """Count one answered question and its model latency/cost (an `engine.llm.Answer`). Worker thread."""
        with self.store.transaction():
            self.usage.question_asked()
            self.usage.model_call(answer.ttft_s, cost_usd=answer.cost_usd or 0.0)

    def stop_syncs(self) -> int:
        """Stop the account syncs under way after their current batch; they resume at the next scheduled run."""
        scheduler = self._built.get("scheduler")
        return scheduler.stop_running() if scheduler is not None else 0

    def sync_now(self) -> int:
        """Sync every scheduled account now (on the scheduler's threads); returns how many there are."""
        scheduler = self.scheduler
        scheduler.sync_now()
        return len(scheduler.accounts())

    def close(self) -> None:
        """Stop background jobs and free models (app exit). The store is closed by the AppContext."""
        with self._lock:
            prober = self._built.pop("prober", None)
            runtime = self._built.pop("llm_runtime", None)
            scheduler = self._built.pop("scheduler", None)
            indexing = self._built.pop("indexing", None)
        if prober is not None:
            prober.close()  # a probe under way stops at its next item; nothing partial is stored
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if indexing is not None:
            indexing.close()
        if runtime is not None:
            runtime.close()
