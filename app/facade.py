"""`Facade`: the app's implementation of `ui.facade.AppFacade`, what every window is given.

Each member is one call into an engine use-case or a component `Services` wired, with the app's store, settings
and providers filled in; windows never see the store. Threads: as documented on the protocol.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

from app.care import Care
from app.doctor import Check, render_status, run_checks, status_info
from app.importing import import_paths
from app.qt_probe import QtProbe
from app.services import Services
from app.settings import Settings
from app.work import Work
from app.workspace_accounts import WorkspaceAccounts
from connectors.google import GOOGLE_SCOPES, ClientFile, read_client_file, remember_client, remembered_client
from engine.assistant.bootstrap import ContextProposal, propose_context
from engine.assistant.decisions import DecisionAnalyst
from engine.assistant.meeting_notes import MeetingNotes, MeetingNotesService
from engine.assistant.memory import MemoryService
from engine.assistant.triage import TriageResult
from engine.assistant.usage import usage_report
from engine.gallery import GalleryItem
from engine.insights import PERSON_OPT_IN, set_person_opt_in
from engine.insights.corrections import Corrections
from engine.llm import describe_model
from engine.llm.capability import ProbeResult, Tier
from engine.llm.catalogue import ModelInfo
from engine.llm.servers import ServerModel
from engine.privacy import export_store
from engine.retrieval.chunking import describe_locator
from engine.retrieval.documents import attachment_documents
from engine.retrieval import Filters
from engine.retrieval.rag import Citation
from engine.speech import RecordingSession
from engine.usecases import recording
from engine.usecases.acting import ActOutcome, is_action_request, thread_messages
from engine.usecases.asking import Asking
from engine.usecases.briefing import Briefing, build_briefing
from engine.usecases.carrying_out import carry_out, save_reply_draft
from engine.usecases.document_view import DocumentView, document_view
from engine.usecases.inbox import InboxRow, inbox_rows
from engine.usecases.insights_overview import InsightsData, insights_overview
from engine.usecases.links import source_link
from engine.usecases.store_care import StoreCare
from engine.usecases.verified_notes import sentence_verifier
from models import (Account, AuditEntry, Conversation, Decision, Event, Meeting, Message, StrategicContext,
                    TranscriptSegment, Turn)

__all__ = ["Facade"]


def _citation(number: int, c: Any) -> Citation:
    """A stored chunk as a numbered citation (its label and `reflex://` target)."""
    return Citation(number=number, chunk_id=c.id, source_type=c.source_type, source_id=c.source_id, title=c.title,
                    locator=c.locator, where=describe_locator(c.source_type, c.locator), occurred_at=c.occurred_at,
                    text=c.text, score=0.0)

Progress = Callable[[float], None] | None


class Facade:
    """Over one `Services` (whose lifetime the app owns)."""

    def __init__(self, services: Services) -> None:
        self._s = services

    # -- settings and time -------------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self._s.settings

    @property
    def tz(self) -> tzinfo:
        return self._s.tz

    def today(self) -> date:
        return self._s.today()

    def save_settings(self, **changes: Any) -> Settings:
        return self._s.save_settings(**changes)

    # -- chat ------------------------------------------------------------------------------------------
    @property
    def asking(self) -> Asking:
        return self._s.asking

    @property
    def memory(self) -> MemoryService:
        return self._s.memory

    def is_action_request(self, text: str) -> bool:
        return is_action_request(text)

    def act_in_conversation(self, conversation_id: int | None, instruction: str, *,
                            allow_cloud: bool = False) -> tuple[int, ActOutcome]:
        store = self._s.store
        cid = conversation_id or store.conversations.create(instruction[:80])
        store.conversations.add_turn(cid, Turn("user", instruction))
        outcome = self._s.acting.act(instruction, allow_cloud=allow_cloud)
        store.conversations.add_turn(cid, Turn("assistant", outcome.text, model="tools"))
        return cid, outcome

    def conversations(self) -> list[Conversation]:
        return self._s.store.conversations.all()

    def conversation(self, conversation_id: int) -> Conversation | None:
        return self._s.store.conversations.get(conversation_id)

    def citations_for(self, chunk_ids: list[int]) -> list[Citation]:
        """The numbered citations of a saved answer from its chunk ids (deleted sources drop out, numbers keep
        their saved order)."""
        chunks = self._s.store.chunks.get_many(chunk_ids) if chunk_ids else {}
        return [_citation(n, c) for n, cid in enumerate(chunk_ids, 1) if (c := chunks.get(cid)) is not None]

    def search(self, query: str, *, types: tuple[str, ...] = (), since: date | None = None,
               limit: int = 20) -> list[tuple[Citation, str]]:
        hits = self._s.retrieval.search(query, filters=Filters(types=types, since=since), limit=limit)
        return [(_citation(n, h.chunk), h.snippet or h.chunk.text[:240]) for n, h in enumerate(hits, 1)]

    def pending_actions(self) -> list[tuple[int, str, dict[str, Any], bool]]:
        actions = self._s.store.pending_actions
        return ([(a, k, p, False) for a, k, p in actions.pending()]
                + [(a, k, p, True) for a, k, p in actions.uncertain()])

    def reject_action(self, action_id: int) -> None:
        self._s.store.pending_actions.decide(action_id, "rejected")

    def settle_action(self, action_id: int, *, done: bool) -> None:
        self._s.store.pending_actions.settle(action_id, done=done)

    def execute_action(self, action_id: int) -> str:
        """Carry out a confirmed pending action (a mail draft, never sent; an event; an RSVP; a Slack reply; an Asana
        task) and mark it done; a confirmed draft counts as accepted. IO pool."""
        return carry_out(self._s.store, self._s.providers, action_id, usage=self._s.usage)

    # -- models ------------------------------------------------------------------------------------------
    def chat_model_path(self) -> Path:
        return self._s.engines.chat_model_path()

    def chat_models(self) -> list[tuple[ModelInfo, ProbeResult | None]]:
        return self._s.engines.chat_models()

    def add_chat_model(self, path: str) -> ModelInfo:
        return self._s.models.add(path)

    def make_default_model(self, path: str) -> ModelInfo:
        info = self._s.models.set_default(path)
        self._swap_chat_model(info.path)
        return info

    def remove_chat_model(self, path: str) -> ModelInfo:
        models = self._s.models
        info, was_default = models.find(path), models.default().path == Path(path)
        models.remove(path)
        if was_default:
            self._swap_chat_model(models.default().path)
        return info

    def save_hub_token(self, token: str) -> None:
        self._s.engines.set_hub_token(token)

    def _swap_chat_model(self, path: Path) -> None:
        runtime = self._s.engines.chat_engine.peek()
        if runtime is not None:
            runtime.swap_model(path)

    def use_chat_model(self, choice: str) -> str:
        return self._s.engines.use_chat_model(choice, self._s.save_settings)

    def set_model(self, kind: str, path: str) -> str:
        """Check the model loads (else nothing changes), then save the setting: the holder rebuilds it; a new
        embedding model re-embeds everything in the background, its vectors never mixed with the old ones."""
        name = self._s.engines.check_model(kind, path)
        self._s.save_settings(**{"whisper_model_path" if kind == "speech" else "embedding_model_path": path})
        if kind == "embedding":
            self._s.indexing.request()
        return name

    def gallery_items(self) -> list[GalleryItem]:
        return self._s.engines.gallery.items()

    def local_servers(self) -> list[ServerModel]:
        return self._s.engines.local_servers()

    def capability_of(self, capability_id: str) -> ProbeResult | None:
        return self._s.engines.capability_of(capability_id)

    def download_model(self, name: str, *, on_progress: Progress = None, cancel: threading.Event | None = None) -> Any:
        return self._s.engines.download_model(name, on_progress=on_progress, cancel=cancel)

    def gallery_offer(self) -> GalleryItem | None:
        return self._s.engines.gallery_offer()

    def dismiss_gallery_offer(self) -> None:
        self._s.save_settings(gallery_offer_dismissed=True)

    @property
    def work(self) -> Work:
        return self._s.work

    # -- today, inbox, insights, decisions -------------------------------------------------------------------
    def briefing(self, day: date | None = None, *, refresh: bool = True) -> Briefing:
        briefing = build_briefing(self._s.store, day or self.today(), tz=self.tz, refresh=refresh,
                                  model_reader=self._s.jobs.mail_reading.known)
        self._s.triage.reset()  # the briefing refreshed verdicts: triage rebuilds with them
        return briefing

    @property
    def corrections(self) -> Corrections:
        return self._s.corrections

    def inbox(self, limit: int = 500) -> tuple[list[InboxRow], list[str]]:
        return inbox_rows(self._s.store, limit)

    def thread_messages(self, message_id: int) -> list[Message]:
        return thread_messages(self._s.store, message_id)

    def attachment_documents(self, message: Message) -> dict[str, int]:
        return attachment_documents(self._s.store, message)

    def correct_triage(self, message_id: int, field_name: str, value: str | bool) -> TriageResult:
        return self._s.triage.get().correct(message_id, field_name, value)

    def triage_new(self, *, on_progress: Progress = None, cancel: threading.Event | None = None) -> int:
        """Triage the messages that have no verdict yet (after an import or a sync); returns how many."""
        store = self._s.store
        known = {row.message_id for row in store.triage.all()}
        new = [m.id for m in store.messages.recent(limit=5000) if m.id not in known]
        if new:
            self._s.triage.reset()  # new mail (or a new context) changes what the rules know
            self._s.triage.get().run(new, on_progress=on_progress, cancel=cancel)
        return len(new)

    def save_draft(self, message_id: int, body: str) -> str:
        """Save a reply draft in the message's mailbox (never sends); returns the mailbox address. IO pool."""
        return save_reply_draft(self._s.store, self._s.providers, message_id, body,
                                counted=self._s.usage.draft_accepted).address

    def draft_created(self) -> None:
        self._s.usage.draft_created()

    def insights(self) -> InsightsData:
        s = self._s.settings
        return insights_overview(self._s.store, today=self.today(), tz=self.tz, working_hours=s.working_hours,
                                 min_group_size=s.team_min_group_size, model_reader=self._s.jobs.mail_reading.known)

    def _decisions(self) -> DecisionAnalyst:
        # The rules score ranks the options; a capable model adds pros and cons marked "(model)".
        return DecisionAnalyst(self._s.store, today=self.today, llm=self._s.engines.judgement_llm())

    def decide(self, question: str, options: list[str], review_in_days: int = 30) -> Decision:
        return self._decisions().analyze(question, options, review_in_days=review_in_days)

    def decision_journal(self) -> tuple[list[Decision], list[int]]:
        analyst = self._decisions()
        return analyst.journal(), [d.id for d in analyst.due_reviews() if d.id is not None]

    def record_outcome(self, decision_id: int, outcome: str, review_again_in_days: int | None = None) -> Decision:
        return self._decisions().record_outcome(decision_id, outcome, review_again_in_days=review_again_in_days)

    # -- meetings and recording ---------------------------------------------------------------------------
    @property
    def care(self) -> Care:
        return self._s.care

    def meetings(self) -> list[Meeting]:
        return self._s.store.meetings.all()

    def meeting_page(self, meeting_id: int) -> tuple[Meeting | None, list[Any], MeetingNotes | None, bool]:
        meetings = self._s.store.meetings
        return (meetings.get(meeting_id), meetings.markers(meeting_id), self.meeting_notes(meeting_id),
                meetings.has_audio(meeting_id))

    def meeting_audio(self, meeting_id: int) -> bytes:
        return b"".join(chunk[3] for chunk in self._s.store.meetings.audio_chunks(meeting_id))

    def meeting_notes(self, meeting_id: int) -> MeetingNotes | None:
        return MeetingNotesService(self._s.store).saved(meeting_id)

    def summarize_meeting(self, meeting_id: int, *, on_progress: Progress = None,
                          cancel: threading.Event | None = None) -> MeetingNotes:
        """Build and store a meeting's notes. Evidence first: the key points and the extractive summary need no
        model. A model measured at the rephrase tier rewrites the summary (each sentence verified against the key
        points) and proposes decisions, action items and open questions, each kept only when it cites a real
        transcript line; an evidence-only one is not asked at all. IO pool: it waits for the model."""
        capable = self._s.engines.model_tier() >= Tier.REPHRASE
        notes = MeetingNotesService(self._s.store, llm=self._s.llm_service if capable else None, model_items=capable,
                                    verify=sentence_verifier(self._s.retrieval.embedder))
        return notes.summarize(meeting_id, on_progress=on_progress, cancel=cancel)

    def rename_speaker(self, meeting_id: int, old: str, new: str) -> None:
        self._s.intake.rename_speaker(meeting_id, old, new)

    def import_meeting(self, path: str, *, on_progress: Progress = None,
                       cancel: threading.Event | None = None) -> Meeting:
        return self._s.intake.import_file(path, on_progress=on_progress, cancel=cancel)

    def transcribe_meeting(self, meeting_id: int, *, on_progress: Progress = None,
                           cancel: threading.Event | None = None) -> Meeting:
        return self._s.intake.transcribe(meeting_id, on_progress=on_progress, cancel=cancel)

    def acknowledge_recording(self, notice: str) -> None:
        recording.acknowledge_recording(self._s.store, notice)

    def start_recording(self, *, title: str, live: bool, notice: str,
                        on_segments: Callable[[list[TranscriptSegment]], None]) -> RecordingSession:
        return recording.start_recording(self._s.store, title=title, notice=notice, on_segments=on_segments,
                                         transcriber=self._s.transcriber if live else None)

    # -- sources and files ------------------------------------------------------------------------------
    def segment_link(self, segment_id: int) -> str:
        return source_link(self._s.store, "segment", segment_id)

    def calendar_event(self, event_id: int) -> Event | None:
        return self._s.store.events.get(event_id)

    def document_view(self, document_id: int, *, page: int | None = None,
                      chunk_id: int | None = None) -> DocumentView | None:
        return document_view(self._s.store, document_id, page=page, chunk_id=chunk_id)

    def add_files(self, paths: list[str], *, on_progress: Progress = None, cancel: threading.Event | None = None,
                  on_status: Callable[[Any], None] | None = None) -> Any:
        """Add dropped or picked files the way `reflex-assistant import` does (recordings are transcribed and
        adopted like imports), then index them. Returns the `IngestReport`. IO pool."""
        report = import_paths(self._s.store, paths, default_tz=self.tz, on_progress=on_progress, cancel=cancel,
                              on_status=on_status, transcribe=lambda path: self.import_meeting(str(path)))
        self._s.indexing.request()
        return report

    def export_everything(self, dest: str, *, redacted: bool = False, on_progress: Progress = None,
                          cancel: threading.Event | None = None) -> Any:
        """Export all data to a new (NOT encrypted) folder under `dest`, audited. Returns the `ExportReport`."""
        return export_store(self._s.store, Path(dest), redacted=redacted, region=self.settings.region,
                            on_progress=on_progress, cancel=cancel)

    def sync_watched_folder(self) -> int:
        return self._s.jobs.sync_watched_folder()

    # -- accounts, background work, privacy ---------------------------------------------------------------
    def accounts(self) -> list[Account]:
        return self._s.store.accounts.all()

    def connect_account(self, provider: str, *, client_secret: str = "") -> str:
        return self._s.jobs.connect(provider, client_secret=client_secret)

    def disconnect_account(self, key: str, *, delete_data: bool = False) -> dict[str, int]:
        return self._s.jobs.disconnect(key, delete_data=delete_data)

    @property
    def workspace_accounts(self) -> WorkspaceAccounts:
        return WorkspaceAccounts(store=lambda: self._s.store, settings=lambda: self._s.settings,
                                 resync=self._s.jobs.resync)

    @property
    def google_scopes(self) -> list[str]:
        return list(GOOGLE_SCOPES)

    def google_client_kept(self) -> bool:
        return remembered_client() is not None

    def check_google_client(self, path: str) -> ClientFile:
        return read_client_file(Path(path))

    def keep_google_client(self, path: str) -> ClientFile:
        client = read_client_file(Path(path))  # checked again: the file may have changed since the guide read it
        remember_client(client)
        return client

    @property
    def store_care(self) -> StoreCare:
        return self._s.store_care

    def stop_syncs(self) -> int:
        return self._s.jobs.stop_syncs()

    def cancel_indexing(self) -> None:
        self._s.indexing.cancel()

    def audit_entries(self, limit: int = 200) -> list[AuditEntry]:
        return self._s.store.audit.since(limit=limit)

    def diagnostics(self, *, audio_inputs: list[str], tray: bool) -> tuple[str, list[Check]]:
        ctx = self._s.ctx
        return render_status(status_info(ctx)), run_checks(ctx, probe=QtProbe(audio_inputs, tray))

    def cloud_spend_per_day(self) -> dict[str, float]:
        return usage_report(self._s.store, end=self.today()).cloud_spend_per_day

    def save_cloud_key(self, provider: str, key: str) -> None:
        if key:
            self._s.engines.set_cloud_key(provider, key)
        self._s.store.audit.add(AuditEntry("settings", target="cloud", detail={
            "enabled": self.settings.cloud_enabled, "provider": provider, "key_changed": bool(key)}))

    def person_views_allowed(self) -> bool:
        return self._s.store.settings.get(PERSON_OPT_IN) is True

    def allow_person_views(self, allowed: bool) -> None:
        set_person_opt_in(self._s.store, allowed)

    # -- strategic context and first run ---------------------------------------------------------------
    def strategic_context(self) -> StrategicContext | None:
        return self._s.store.contexts.latest()

    def save_context(self, context: StrategicContext) -> int:
        return self._s.store.contexts.save(context)

    def propose_context(self) -> ContextProposal:
        return propose_context(self._s.store)

    def first_run(self, *, passphrase: str, model_path: str, context: StrategicContext | None,
                  load_demo: Callable[[Any], object] | None) -> ContextProposal | None:
        ctx = self._s.ctx
        if model_path:  # refuse a bad file before anything is created
            describe_model(model_path)
        if passphrase:
            ctx.prompt = lambda _text: passphrase
        store = ctx.store if ctx.has_store else ctx.create_store()
        if model_path:
            self._s.models.add(model_path)
            self._s.models.set_default(model_path)
        if context is not None:
            store.contexts.save(context)
        if load_demo is not None:
            load_demo(store)
            if context is None:  # offered after the wizard closes (non-modal): nothing waits on it
                return propose_context(store)
        return None

    def take_recovery_key(self) -> str | None:
        key, self._s.ctx.recovery_key = self._s.ctx.recovery_key, None  # shown once, then forgotten
        return key
