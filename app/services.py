"""`Services`: the composition root's wiring for one process (the desktop app, or a CLI command that needs the
engine's use-cases). It builds Settings -> Store -> engine use-cases -> providers once, owns their lifetime and
closes them; it holds no use-case logic (that lives in `engine.usecases`) and is not what windows see (they get
`app.facade.Facade`, which implements `ui.facade.AppFacade`).

Everything heavy is constructed lazily on first use, under a lock, because first use happens on worker threads
(the task runner's pools, the LLM worker): loading models must never happen on the GUI thread or before the first
window is painted. Components the settings shape sit in `Swappable` holders (`app.engines`), rebuilt on
`settings_did_change`, which `save_settings` announces.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from app.background import BackgroundJobs
from app.care import Care
from app.context import AppContext
from app.engines import Engines
from app.holders import Lazy, Swappable
from app.providers import Providers
from app.settings import Settings, change_settings
from app.store_host import store_care
from app.work import Work
from engine.answers import AnswerEngine
from engine.assistant.context import ContextService
from engine.assistant.memory import MemoryService
from engine.assistant.triage import TriageEngine
from engine.assistant.usage import UsageTracker
from engine.events import SETTINGS_DID_CHANGE, EventBus
from engine.gallery import ModelGallery
from engine.insights.corrections import Corrections
from engine.jobs import BackgroundIndexing
from engine.llm import LLMService, LocalRuntime, ModelCatalogue
from engine.llm.probing import CapabilityBook, CapabilityProber
from engine.llm.servers import ServerEngine
from engine.privacy import AuditLog
from engine.retrieval import RetrievalService
from engine.retrieval.indexer import Indexer
from engine.usecases.mail_reading import ask_when_capable
from engine.retrieval.rag import build_context
from engine.retrieval.search import Retriever
from engine.speech import Transcriber
from engine.store import Store
from engine.usecases.acting import Acting
from engine.usecases.asking import Asking
from engine.usecases.meeting_intake import MeetingIntake
from engine.usecases.store_care import StoreCare

__all__ = ["Services"]


class Services:
    """Owns the lazily built components of one process. Thread-safe getters; `close()` at exit."""

    def __init__(self, ctx: AppContext, *, bus: EventBus | None = None, measure_models: bool = False) -> None:
        """`measure_models`: run the capability probe in the background whenever a chat model is loaded or
        swapped in (the app does; one-shot CLI commands do not, so the probe never delays their answer)."""
        self.ctx = ctx
        self.bus = bus or EventBus()
        self.engines = Engines(ctx, bus=self.bus, measure_models=measure_models)
        self.providers = Providers(ctx.settings)
        self._lazy = Lazy()
        # Triage caches thread signals and the correction model: rebuilt after new mail or a refreshed briefing.
        self.triage: Swappable[TriageEngine] = Swappable(
            lambda: TriageEngine(self.store, model_reader=self.jobs.mail_reading.known))

    # -- settings, store, time -------------------------------------------------------------------------------
    @property
    def home(self) -> Path:
        return self.ctx.home

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def store(self) -> Store:
        """The open store (opened by app/gui.py before any window exists)."""
        return self.ctx.store

    def save_settings(self, **changes: Any) -> Settings:
        """Validate and persist changed settings (pydantic validates on assignment; a refused value raises
        ValueError and nothing is saved), record which settings changed, by name, in the audit log, and announce
        them (`settings_did_change`), so the components they shape are rebuilt."""
        before, changed = change_settings(self.home, self.ctx.settings, changes)
        if self.ctx.has_store:
            AuditLog(self.store).settings_changed(before, self.ctx.settings)
        if changed:
            self.bus.emit(SETTINGS_DID_CHANGE, names=changed)
        return self.ctx.settings

    @property
    def tz(self) -> tzinfo:
        """The user's time zone (Settings > timezone, else this computer's): every time the UI shows uses it."""
        return self.settings.tzinfo()

    def today(self) -> date:
        """The user's local date."""
        return datetime.now(self.tz).date()

    # -- model-backed components (app.engines) ------------------------------------------------------------------
    @property
    def models(self) -> ModelCatalogue:
        return self.engines.models

    @property
    def capability(self) -> CapabilityBook:
        return self.engines.capability

    @property
    def prober(self) -> CapabilityProber:
        return self.engines.prober

    @property
    def gallery(self) -> ModelGallery:
        return self.engines.gallery

    @property
    def llm_runtime(self) -> LocalRuntime | ServerEngine:
        """The one chat engine (cheap to construct; the model loads on first request)."""
        return self.engines.chat_engine.get()

    @property
    def llm_service(self) -> LLMService:
        """The one LLM service (chat engine + cloud router, redaction and audit) shared by every window."""
        return self.engines.llm.get()

    @property
    def transcriber(self) -> Transcriber:
        """faster-whisper, loaded on first use (~75 MB for the bundled tiny.en)."""
        return self.engines.transcriber.get()

    @property
    def retrieval(self) -> RetrievalService:
        """Embedder + vector index + keyword search, rebuilt from the encrypted store on first use (a worker
        thread: it loads the embedding model)."""
        return self.engines.retrieval.get()

    @property
    def retriever(self) -> Retriever:
        return self.retrieval.retriever

    @property
    def indexer(self) -> Indexer:
        return self.retrieval.indexer

    @property
    def answers(self) -> AnswerEngine:
        return self.engines.answers.get()

    def model_may_write(self) -> bool:
        """Whether the chat model may add (verified) sentences after the evidence-built answer. False until the
        model's measured capability tier (issue 14 item 5) says it can rephrase: the bundled 135M model's
        sentences rarely survive verification and cost seconds."""
        return False

    # -- use-cases ----------------------------------------------------------------------------------------
    @property
    def usage(self) -> UsageTracker:
        """Local-only usage figures, counted on the user's day (as the report counts it)."""
        return self._lazy.get("usage", lambda: UsageTracker(self.store, today=self.today))

    @property
    def memory(self) -> MemoryService:
        """Facts the user asked Reflex to remember ("remember that …" in chat, Settings > Memory, the CLI)."""
        return self._lazy.get("memory", lambda: MemoryService(self.store))

    @property
    def context_service(self) -> ContextService:
        """The strategic context as the one cached, versioned prompt prefix every feature starts with."""
        return self._lazy.get("context_service", lambda: ContextService(self.store))

    @property
    def corrections(self) -> Corrections:
        return self._lazy.get("corrections", lambda: Corrections(self.store))

    @property
    def asking(self) -> Asking:
        """The asking use-case the Chat page, quick-ask and `reflex-assistant ask` answer through; the LLM service,
        sources and answer engine are looked up per question, so a model changed in Settings is used next."""
        return self._lazy.get("asking", lambda: Asking(
            llm=lambda: self.llm_service, store=self.store, context=self.context_service,
            sources=lambda text: build_context(self.retriever, text), usage=self.usage,
            answers=lambda: self.answers, model_writes=lambda: self.model_may_write(),
            busy=lambda: self.indexing.user_busy()))

    @property
    def acting(self) -> Acting:
        """Acting on instructions with the model's tools (a write becomes a pending action)."""
        return self._lazy.get("acting", lambda: Acting(
            store=self.store, tz=lambda: self.tz, llm=lambda: self.llm_service, retriever=lambda: self.retriever,
            embedder=lambda: self.retrieval.embedder, tier=self.engines.model_tier, context=self.context_service))

    @property
    def intake(self) -> MeetingIntake:
        """What happens to every new or re-transcribed meeting (calendar link, turns, retention, usage, event)."""
        return self._lazy.get("intake", lambda: MeetingIntake(
            store=self.store, bus=self.bus, usage=self.usage, transcriber=lambda: self.transcriber,
            drop_audio=lambda: self.settings.drop_audio_after_transcription, busy=lambda: self.indexing.user_busy()))

    @property
    def indexing(self) -> BackgroundIndexing:
        """Background indexing of what sync, imports and recordings add (`request()` from any thread)."""
        return self._lazy.get("indexing", lambda: BackgroundIndexing(lambda: self.indexer, self.bus))

    @property
    def jobs(self) -> BackgroundJobs:
        """Account syncs, the briefing, retention, indexing checks, the watched folder, backups, mail reading."""
        return self._lazy.get("jobs", lambda: BackgroundJobs(self.ctx, bus=self.bus, providers=self.providers,
                                                             indexing=self.indexing, schedule_extra=self.care.schedule,
                                                             mail_asker=ask_when_capable(self.engines.model_tier,
                                                                                         lambda: self.llm_service)))

    @property
    def care(self) -> Care:
        """Notifications' snapshot, automatic backups and meeting-turn edits (`app.care`)."""
        return self._lazy.get("care", lambda: Care(self))

    @property
    def work(self) -> Work:
        """Scheduling, people, Slack replies and tasks for the windows (`app.work`, `ui.work_port.WorkPort`)."""
        return self._lazy.get("work", lambda: Work(self))

    @property
    def store_care(self) -> StoreCare:
        """Restore from a backup, change how the store unlocks and wipe, while the app runs (`app.store_host`)."""
        return self._lazy.get("store_care", lambda: store_care(self))

    def forget(self, *names: str) -> None:
        """Forget lazily built components; they are built again on next use (store care, after a restore)."""
        for name in names:
            self._lazy.take(name)

    def close(self) -> None:
        """Stop background jobs and free models (app exit). The store is closed by the AppContext."""
        jobs, indexing = self._lazy.take("jobs"), self._lazy.take("indexing")
        if jobs is not None:
            jobs.close()
        if indexing is not None:
            indexing.close()
        self.engines.close()  # a probe under way stops first, then the chat model is freed
