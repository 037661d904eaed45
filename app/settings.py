"""Typed settings: built-in defaults -> `settings.json` in the data dir -> `REFLEX_*` environment variables.

Secrets never live here (they are in the OS keyring). The data dir comes from platformdirs unless
`REFLEX_HOME` or `--home` says otherwise.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from engine.notifications import NotificationPrefs, QuietHours
from engine.endpoints import check_endpoint
from engine.errors import EngineError

if TYPE_CHECKING:
    from engine.jobs.backups import BackupPlan

APP_NAME = "Reflex"
SETTINGS_FILE = "settings.json"
#: Settings that point Reflex at a server it sends credentials to: HTTPS, or plain HTTP to this computer only.
ENDPOINT_FIELDS = ("google_api", "google_calendar", "google_token_uri", "google_auth_uri", "microsoft_authority_host",
                   "microsoft_graph", "slack_api", "asana_api", "qdrant_url", "cloud_base_url",
                   "model_hub_url")


def default_home() -> Path:
    """REFLEX_HOME, else the platform's per-user data dir."""
    env = os.environ.get("REFLEX_HOME")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class SettingsError(EngineError):
    """settings.json is unreadable or has invalid values."""


class Settings(BaseSettings):
    """User-facing preferences. Every field says what it changes."""

    model_config = SettingsConfigDict(env_prefix="REFLEX_", extra="ignore", validate_assignment=True)

    llm_model_path: str = Field("", description="GGUF file of the local chat model; empty = bundled SmolLM2.")
    llm_context_tokens: int = Field(4096, ge=512, le=131072, description="Context window for the local model.")
    llm_threads: int = Field(0, ge=0, le=256, description="Threads for the local model; 0 = physical cores - 1.")
    whisper_model_path: str = Field("", description="CTranslate2 Whisper folder; empty = bundled tiny.en.")
    local_server_model: str = Field("", description="A model on a local server (Ollama, LM Studio, llama-server) "
                                    "used instead of the GGUF, as '<kind>:<model>@<loopback URL>'; empty = none.")
    local_server_urls: list[str] = Field(default_factory=list, description="More local model servers to look "
                                         "for (loopback URLs, e.g. http://127.0.0.1:11500), beside the default "
                                         "Ollama, LM Studio and llama-server ports.")
    model_hub_url: str = Field("", description="Hugging Face hub (or mirror) for model downloads; empty = "
                               "huggingface.co (or HF_ENDPOINT).")
    gallery_offer_dismissed: bool = Field(False, description="The user said 'not now' to the first-run model offer.")
    embedding_model_path: str = Field("", description="ONNX or GGUF embedding model; empty = bundled MiniLM int8.")
    cloud_enabled: bool = Field(False, description="Allow cloud models at all (off until the user opts in).")
    cloud_provider: str = Field("openai", description="openai | azure | anthropic | openai-compatible.")
    cloud_model: str = Field("", description="Model or deployment name at the cloud provider.")
    cloud_base_url: str = Field("", description="Base URL for Azure or an OpenAI-compatible server (https://, or "
                                                "http:// to this computer or to a host in cloud_plain_http_hosts).")
    cloud_plain_http_hosts: str = Field(
        "", description="Comma-separated hosts of your own network whose OpenAI-compatible model server may be "
                        "reached over plain http:// (anyone on the network can read that traffic; no API key is "
                        "ever sent there).")
    cloud_fallback_on_failure: bool = Field(False, description="Use the cloud when the local model fails.")
    cloud_fallback_on_overflow: bool = Field(False, description="Use the cloud when a prompt cannot fit locally.")
    cloud_latency_budget_s: float = Field(0.0, ge=0, description="Use the cloud past this local latency; 0 = never.")
    sync_interval_minutes: int = Field(5, ge=1, le=1440, description="How often accounts sync.")
    initial_sync_days: int = Field(90, ge=1, le=3650, description="How far back a new account's first sync goes.")
    # Gmail's quota for projects created after 2026-05: 6,000 units/min/user.
    gmail_quota_units_per_minute: int = Field(6000, ge=0, description="Client-side Gmail quota budget; 0 = none.")
    sync_calendars: str = Field("primary", description="Comma-separated Google calendar ids to sync.")
    outlook_calendars: str = Field("", description="Comma-separated Outlook calendar ids to sync; empty = the "
                                   "default calendar.")
    microsoft_client_id: str = Field("", description="Entra ID public client id for Outlook accounts.")
    microsoft_tenant: str = Field("common", description="Entra ID tenant (common, organizations or a tenant id).")
    google_api: str = Field("", description="Gmail API endpoint override (tests, proxies); empty = Google's.")
    google_calendar: str = Field("", description="Calendar API endpoint override; empty = Google's.")
    google_token_uri: str = Field("", description="OAuth token endpoint override; empty = Google's.")
    google_auth_uri: str = Field("", description="OAuth authorization endpoint override; empty = Google's.")
    microsoft_authority_host: str = Field("", description="Entra ID authority override; empty = Microsoft's.")
    microsoft_graph: str = Field("", description="Microsoft Graph endpoint override; empty = Microsoft's.")
    slack_api: str = Field("", description="Slack Web API base URL override; empty = Slack's.")
    asana_api: str = Field("", description="Asana API base URL override; empty = Asana's.")
    briefing_time: str = Field("07:30", pattern=r"^\d{2}:\d{2}$", description="Daily briefing time (local).")
    working_hours: str = Field("09:00-18:00", description="Working hours for scheduling suggestions.")
    qdrant_url: str = Field("", description="Qdrant server URL for team-size corpora; empty = in-memory index.")
    retention_days_audio: int = Field(0, ge=0, description="Delete meeting audio after N days; 0 = keep.")
    retention_days_transcripts: int = Field(0, ge=0, description="Delete transcripts after N days; 0 = keep.")
    retention_days_mail: int = Field(0, ge=0, description="Delete mail bodies after N days; 0 = keep.")
    retention_days_chat: int = Field(0, ge=0, description="Delete chat history after N days; 0 = keep.")
    retention_days_logs: int = Field(14, ge=1, description="Keep log files for N days.")
    watched_folder: str = Field("", description="A folder whose documents stay in the knowledge base (checked "
                                                "every 10 minutes: new, changed and deleted files); empty = none.")
    drop_audio_after_transcription: bool = Field(
        False, description="Delete a meeting's recorded audio once it is transcribed (the transcript stays).")
    recording_consent_notice: str = Field(
        "This meeting is being recorded and transcribed locally on this computer.",
        description="Shown before recording; the acknowledgement is audited.",
    )
    timezone: str = Field("", description="IANA time zone for briefings and calendars; empty = this computer's.")
    region: str = Field("", description="Your country as an ISO code (GB, DE, US...): when Reflex redacts, phone "
                                        "numbers written without a country code are read as this country's; "
                                        "empty = this computer's locale.")
    theme: str = Field("system", pattern="^(system|light|dark)$", description="Appearance.")
    team_min_group_size: int = Field(3, ge=3, description="Smallest group shown in team analytics.")
    notify_meetings: bool = Field(True, description="Notify before a meeting starts, with a link to its dossier.")
    meeting_notice_minutes: int = Field(10, ge=1, le=120, description="How many minutes before a meeting to notify.")
    notify_urgent_mail: bool = Field(True, description="Notify when triage marks a new mail urgent (once per thread).")
    notify_replies_overdue: bool = Field(True, description="Notify when a reply you owe is overdue.")
    reply_overdue_hours: int = Field(48, ge=1, le=720, description="After how many hours an owed reply is overdue.")
    notify_reconnect: bool = Field(True, description="Notify when an account needs you to reconnect it.")
    notify_jobs: bool = Field(True, description="Notify when a long job (indexing, import, backup) finishes.")
    backup_folder: str = Field("", description="Folder for automatic encrypted backups (an external disk or a synced "
                                               "folder); empty = no automatic backups.")
    backup_every_hours: int = Field(24, ge=1, le=24 * 7, description="How often an automatic backup runs.")
    backup_keep: int = Field(7, ge=1, le=100, description="How many automatic backups to keep (older ones deleted).")
    backup_warn_days: int = Field(3, ge=1, le=90, description="Warn when the last good backup is older than this.")
    quick_ask_shortcut: str = Field("Ctrl+Alt+Space", description="System-wide shortcut that opens quick ask "
                                    "(where the desktop allows grabbing one; on Wayland bind "
                                    "`reflex-assistant gui --quick-ask` in the desktop's keyboard settings).")
    quiet_hours: str = Field("", description="No mail notifications in this local window, e.g. 22:00-07:00; "
                                             "empty = none (meeting reminders still come).")

    @field_validator(*(f for f in ENDPOINT_FIELDS if f != "cloud_base_url"))
    @classmethod
    def _credential_safe_endpoint(cls, value: str) -> str:
        return check_endpoint(value)

    @model_validator(mode="after")
    def _cloud_endpoint(self) -> Settings:
        try:
            check_endpoint(self.cloud_base_url, plain_http_hosts=self.cloud_plain_http_hosts.split(","))
        except ValueError as exc:
            raise ValueError(f"cloud_base_url: {exc}") from exc
        return self

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        QuietHours.parse(value)
        return value.strip()

    def notification_prefs(self) -> NotificationPrefs:
        """The notification policy's switches from these settings."""
        switches = {"meeting_soon": self.notify_meetings, "urgent_mail": self.notify_urgent_mail,
                    "reply_overdue": self.notify_replies_overdue, "reconnect": self.notify_reconnect,
                    "job_finished": self.notify_jobs}
        return NotificationPrefs(enabled=frozenset(k for k, on in switches.items() if on),
                                 meeting_lead_minutes=self.meeting_notice_minutes,
                                 reply_overdue_hours=self.reply_overdue_hours,
                                 quiet_hours=QuietHours.parse(self.quiet_hours))

    def backup_plan(self) -> "BackupPlan | None":
        """The automatic backup plan, or None while no folder is chosen."""
        from engine.jobs.backups import BackupPlan  # late: engine.jobs is heavy, settings load at every start

        if not self.backup_folder:
            return None
        return BackupPlan(Path(self.backup_folder).expanduser(), keep=self.backup_keep,
                          every_hours=self.backup_every_hours, warn_after_days=self.backup_warn_days)

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        import phonenumbers

        value = value.strip().upper()
        if value and value not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown country code {value!r} (use an ISO code such as GB, DE or US)")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {value!r} (use a name like Europe/Berlin)") from exc
        return value

    def tzinfo(self) -> tzinfo:
        """The configured zone, else the machine's local zone."""
        return ZoneInfo(self.timezone) if self.timezone else (datetime.now().astimezone().tzinfo or timezone.utc)

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment beats the user file (passed as init kwargs), which beats defaults.
        return env_settings, init_settings


def load_settings(home: Path) -> Settings:
    """Read `home/settings.json` (if any) under the environment's overrides."""
    path = home / SETTINGS_FILE
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("top level must be an object")
        except (OSError, ValueError) as exc:
            raise SettingsError(f"{path} is not valid JSON ({exc}).", next_step="Fix or delete the file; defaults apply without it.") from exc
    try:
        return Settings(**data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SettingsError(f"{path} has invalid values: {problems}.", next_step="Fix those entries or delete them to use defaults.") from exc


def save_settings(home: Path, settings: Settings) -> None:
    """Write only values that differ from the defaults, atomically."""
    defaults = Settings.model_construct()
    changed = {k: v for k, v in settings.model_dump().items() if getattr(defaults, k, None) != v}
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / (SETTINGS_FILE + ".tmp")
    tmp.write_text(json.dumps(changed, indent=2), encoding="utf-8")
    os.replace(tmp, home / SETTINGS_FILE)


def change_settings(home: Path, settings: Settings, changes: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Apply `changes` to `settings` in place, all or nothing: validated on a copy (pydantic validates on
    assignment; a refused value raises ValueError and nothing changes), saved to `home`, then applied. Returns
    the settings as they were and the names whose value changed, sorted."""
    before, candidate = settings.model_copy(), settings.model_copy()
    for name, value in changes.items():
        setattr(candidate, name, value)
    save_settings(home, candidate)
    for name in changes:
        setattr(settings, name, getattr(candidate, name))
    return before, sorted(n for n in changes if getattr(before, n) != getattr(settings, n))
