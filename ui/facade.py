"""`AppFacade`: everything the windows ask of the rest of the app, as one protocol the UI is given.

The UI never imports `app/` and never touches a store repository: app/gui.py builds the implementation
(`app.facade.Facade`) and hands it to every window as the keyword argument `services`. Each member
blocks (it reads the store, waits for a model or the network), so windows call them from the task runner's
workers — the store worker unless a docstring says IO pool — and render the result on the GUI thread.
Engine and model types cross this boundary as they are (`engine.*`, `models.*`): the UI may import those.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol


if TYPE_CHECKING:
    from engine.retrieval.rag import Citation
    from engine.assistant.bootstrap import ContextProposal
    from engine.insights.corrections import Corrections
    from engine.assistant.memory import MemoryService
    from engine.assistant.triage import TriageResult
    from engine.jobs.backups import BackupCheck
    from engine.speech import RecordingSession, Turn
    from engine.store.backup import BackupInfo
    from engine.usecases.acting import ActOutcome
    from engine.usecases.asking import Asking
    from engine.usecases.attention import Attention
    from engine.usecases.briefing import Briefing
    from engine.usecases.document_view import DocumentView
    from engine.usecases.inbox import InboxRow
    from engine.usecases.insights_overview import InsightsData
    from models import (Account, AuditEntry, Conversation, Decision, Event, Meeting, Message, StrategicContext,
                        TranscriptSegment)
    from ui.settings_ports import StoreCare, UiSettings, WorkspaceAccountsPort
    from ui.work_port import WorkPort

__all__ = ["AppFacade", "CarePort", "ModelChoices", "Progress"]

Progress = Callable[[float], None]


class ModelChoices(Protocol):
    """What the model gallery needs (each call blocks; the panel runs them on workers)."""

    def gallery_items(self) -> list[Any]:
        """`engine.gallery.GalleryItem`s: entry, this machine's verdict, local path when downloaded."""

    def local_servers(self) -> list[Any]:
        """`engine.llm.servers.ServerModel`s offered on loopback."""

    def capability_of(self, capability_id: str) -> Any:
        """The model's measured `ProbeResult`, or None until it is measured."""

    def download_model(self, name: str, *, on_progress: Progress | None = None,
                       cancel: threading.Event | None = None) -> Any: ...

    def use_chat_model(self, choice: str) -> str:
        """Make a GGUF path / catalogue key or a server model id the chat engine, without a restart."""

    def set_model(self, kind: str, path: str) -> str:
        """Use another speech or embedding model ("" = the bundled one), without a restart; its name."""

    def save_hub_token(self, token: str) -> None:
        """Keep a Hugging Face token for gated models in the OS keyring ("" forgets it). IO pool."""


class CarePort(Protocol):
    """Backups and meeting-turn edits (the app's `Care`)."""

    def attention(self, now: datetime) -> "Attention": ...
    def backup_now(self) -> "tuple[BackupInfo, BackupCheck]": ...
    def check_backup_recovery_key(self, recovery_key: str) -> "BackupCheck": ...
    def backup_status(self) -> str: ...
    def turns(self, meeting_id: int) -> "list[Turn]": ...
    def fix_turn(self, meeting_id: int, turn: int, name: str) -> "list[Turn]": ...
    def split_turn(self, meeting_id: int, turn: int, at_line: int, name: str) -> "list[Turn]": ...
    def merge_turn(self, meeting_id: int, turn: int) -> "list[Turn]": ...


class AppFacade(ModelChoices, Protocol):
    """What windows may ask (see the module docstring for threads)."""

    # -- settings and time -------------------------------------------------------------------------------
    @property
    def settings(self) -> UiSettings:
        """The typed settings (read them here; change them with `save_settings`)."""

    @property
    def tz(self) -> tzinfo:
        """The user's time zone: every time the UI shows uses it."""

    def today(self) -> date: ...

    def save_settings(self, **changes: Any) -> Any:
        """Validate, persist and audit changed settings (all or nothing; ValueError when refused). Components
        the changed settings shape (chat engine, speech and embedding models, cloud) are rebuilt."""

    # -- chat ------------------------------------------------------------------------------------------
    @property
    def asking(self) -> "Asking":
        """The asking use-case (evidence-first cited answers, saved and counted). IO pool."""

    @property
    def memory(self) -> "MemoryService": ...

    def is_action_request(self, text: str) -> bool:
        """Whether `text` is an instruction to do something (answered by `act_in_conversation`)."""

    def act_in_conversation(self, conversation_id: int | None, instruction: str, *,
                            allow_cloud: bool = False) -> "tuple[int, ActOutcome]":
        """Save the instruction, act on it (a write becomes a pending action) and save the reply; returns the
        conversation id and the outcome. IO pool."""

    def conversations(self) -> "list[Conversation]": ...
    def conversation(self, conversation_id: int) -> "Conversation | None": ...
    def citations_for(self, chunk_ids: list[int]) -> "list[Citation]": ...

    def search(self, query: str, *, types: tuple[str, ...] = (), since: date | None = None,
               limit: int = 20) -> "list[tuple[Citation, str]]":
        """`reflex-assistant search` in the app: hybrid search over mail, calendar, meetings, documents, notes and
        tasks; each hit as a citation (label, `reflex://` target) and its snippet. IO pool."""

    def pending_actions(self) -> list[tuple[int, str, dict[str, Any], bool]]:
        """(id, kind, payload, uncertain): pending actions, then those a crash left uncertain."""

    def reject_action(self, action_id: int) -> None: ...
    def settle_action(self, action_id: int, *, done: bool) -> None: ...

    def execute_action(self, action_id: int) -> str:
        """Carry out a pending action the user just confirmed; returns what happened. IO pool."""

    def chat_model_path(self) -> Path: ...
    def chat_models(self) -> list[tuple[Any, Any]]: ...
    def add_chat_model(self, path: str) -> Any: ...

    def remove_chat_model(self, path: str) -> Any:
        """Forget a catalogue GGUF (the file stays); when it was the default, the new default (the bundled model)
        is swapped in. Its ModelInfo. IO pool."""

    def make_default_model(self, path: str) -> Any:
        """Make a catalogue GGUF the default chat model now (swapped in without a restart); its ModelInfo."""

    @property
    def work(self) -> "WorkPort":
        """Scheduling, people, Slack replies and tasks (`ui.work_port`)."""

    # -- today, inbox, insights, decisions -------------------------------------------------------------------
    def briefing(self, day: date | None = None, *, refresh: bool = True) -> "Briefing": ...

    @property
    def corrections(self) -> "Corrections":
        """The user's corrections to commitments and opportunities."""

    def inbox(self, limit: int = 500) -> "tuple[list[InboxRow], list[str]]": ...
    def thread_messages(self, message_id: int) -> "list[Message]": ...
    def attachment_documents(self, message: "Message") -> dict[str, int]: ...
    def correct_triage(self, message_id: int, field_name: str, value: str | bool) -> "TriageResult": ...
    def triage_new(self, *, on_progress: Progress | None = None, cancel: threading.Event | None = None) -> int: ...
    def save_draft(self, message_id: int, body: str) -> str: ...
    def draft_created(self) -> None: ...
    def insights(self) -> "InsightsData": ...
    def decide(self, question: str, options: list[str], review_in_days: int = 30) -> "Decision": ...
    def decision_journal(self) -> "tuple[list[Decision], list[int]]": ...
    def record_outcome(self, decision_id: int, outcome: str, review_again_in_days: int | None = None) -> "Decision": ...

    # -- meetings and recording ---------------------------------------------------------------------------
    @property
    def care(self) -> CarePort: ...

    def meetings(self) -> "list[Meeting]": ...

    def meeting_page(self, meeting_id: int) -> "tuple[Meeting | None, list[Any], Any, bool]":
        """(meeting, markers, stored notes or None, whether its audio is kept)."""

    def meeting_audio(self, meeting_id: int) -> bytes: ...
    def meeting_notes(self, meeting_id: int) -> Any: ...
    def summarize_meeting(self, meeting_id: int, *, on_progress: Progress | None = None,
                          cancel: threading.Event | None = None) -> Any: ...
    def rename_speaker(self, meeting_id: int, old: str, new: str) -> None: ...
    def import_meeting(self, path: str, *, on_progress: Progress | None = None,
                       cancel: threading.Event | None = None) -> "Meeting": ...
    def transcribe_meeting(self, meeting_id: int, *, on_progress: Progress | None = None,
                           cancel: threading.Event | None = None) -> "Meeting": ...
    def acknowledge_recording(self, notice: str) -> None:
        """Remember when the user first acknowledged the recording notice (shown in Settings)."""

    def start_recording(self, *, title: str, live: bool, notice: str,
                        on_segments: Callable[["list[TranscriptSegment]"], None]) -> "RecordingSession":
        """A recording session (live transcription with the speech model when `live`). IO pool."""

    # -- sources and files ------------------------------------------------------------------------------
    def segment_link(self, segment_id: int) -> str: ...
    def calendar_event(self, event_id: int) -> "Event | None": ...
    def document_view(self, document_id: int, *, page: int | None = None,
                      chunk_id: int | None = None) -> "DocumentView | None":
        """A document ready to show inside Reflex at the cited page with the cited chunk located (a PDF's bytes
        to render in memory); None when it is gone."""
    def add_files(self, paths: list[str], *, on_progress: Progress | None = None,
                  cancel: threading.Event | None = None, on_status: Callable[[Any], None] | None = None) -> Any:
        """Import files as `reflex-assistant import` does; `on_status(engine.ingest.ImportStatus)` after each
        committed batch of mail (worker thread); `cancel` stops after that batch and the report says so. IO pool."""
    def export_everything(self, dest: str, *, redacted: bool = False, on_progress: Progress | None = None,
                          cancel: threading.Event | None = None) -> Any: ...
    def sync_watched_folder(self) -> int: ...

    # -- accounts, background work, privacy ---------------------------------------------------------------
    def accounts(self) -> "list[Account]": ...
    def connect_account(self, provider: str, *, client_secret: str = "") -> str: ...
    def disconnect_account(self, key: str, *, delete_data: bool = False) -> dict[str, int]: ...

    @property
    def workspace_accounts(self) -> "WorkspaceAccountsPort":
        """Slack/Asana connect and picks, and the Google calendars to choose from (`ui.settings_ports`)."""

    @property
    def google_scopes(self) -> list[str]:
        """What Reflex asks Google for (the guide lists them for the consent screen)."""

    def google_client_kept(self) -> bool:
        """Whether the user's Google OAuth client is kept (in the OS keyring): Connect needs no file then. IO pool."""

    def check_google_client(self, path: str) -> Any:
        """Check a downloaded client file (a Desktop-app client, its id, loopback redirects); an object with
        `summary()`, or raises with what to download instead. IO pool."""

    def keep_google_client(self, path: str) -> Any:
        """Check the file again and keep the client in the OS keyring. IO pool."""

    @property
    def store_care(self) -> "StoreCare":
        """Restore from a backup, change how the store unlocks, wipe (`ui.settings_ports`): the app pauses its
        background work, closes the store, operates and reopens. Store worker."""
    def stop_syncs(self) -> int: ...
    def cancel_indexing(self) -> None: ...
    def audit_entries(self, limit: int = 200) -> "list[AuditEntry]": ...

    def diagnostics(self, *, audio_inputs: list[str], tray: bool) -> tuple[str, list[Any]]:
        """`reflex-assistant doctor` and `status` for Settings → Diagnostics: the data folder's status text and the
        checks (objects with name, ok, required, detail, fix, `line()`); the Qt facts are the caller's. IO pool
        (loads each model once: seconds)."""
    def cloud_spend_per_day(self) -> dict[str, float]: ...

    def save_cloud_key(self, provider: str, key: str) -> None:
        """Keep a cloud API key in the OS keyring ("" keeps the current one) and audit the cloud settings."""

    def person_views_allowed(self) -> bool: ...
    def allow_person_views(self, allowed: bool) -> None: ...
    def gallery_offer(self) -> Any: ...
    def dismiss_gallery_offer(self) -> None: ...

    # -- strategic context and first run ---------------------------------------------------------------
    def strategic_context(self) -> "StrategicContext | None": ...
    def save_context(self, context: "StrategicContext") -> int:
        """Save a new version of the strategic context; its version number."""
    def propose_context(self) -> "ContextProposal": ...

    def first_run(self, *, passphrase: str, model_path: str, context: "StrategicContext | None",
                  load_demo: Callable[[Any], object] | None) -> "ContextProposal | None":
        """Create the store (with `passphrase` when there is no secure keyring), add the chosen model, save the
        context, load the demo; returns a context proposal from the demo's mail when no context was given. IO pool."""

    def take_recovery_key(self) -> str | None:
        """The new store's recovery key, once (then forgotten)."""
