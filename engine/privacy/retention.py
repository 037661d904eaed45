"""Retention: per data class, keep N days or forever; a daily purge that really removes the bytes.

Data classes and what "expired" removes (0 days = keep forever, except logs which always rotate):
- audio:       the encrypted audio chunks of meetings that started before the cutoff (transcripts stay);
- transcripts: transcript segments of those meetings, and the search chunks derived from them (title,
               attendees and the summary the user kept stay, and are re-indexed);
- mail:        bodies and snippets of messages sent before the cutoff, and their search chunks (headers,
               participants and subject stay, so threads and contacts still make sense);
- chat:        conversations last updated before the cutoff, with their turns;
- logs:        rotated log files older than the cutoff in `<home>/logs`.

The rows go with `secure_delete` on and the file is compacted after (see engine.store.repos.purge), so the
bytes really leave the disk.

Threads: `purge` holds the store for its duration (a daily job on a worker thread; seconds on a large store).
Errors: store failures raise `StoreError` subclasses; the transaction rolls back, nothing is half-purged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol

from engine.privacy.audit import AuditLog
from engine.store import Store

__all__ = ["PurgeReport", "RetentionPolicy", "RetentionSettings", "purge", "run_retention"]

log = logging.getLogger(__name__)


class RetentionSettings(Protocol):
    """The settings retention reads: days to keep each data class."""

    @property
    def retention_days_audio(self) -> int: ...
    @property
    def retention_days_transcripts(self) -> int: ...
    @property
    def retention_days_mail(self) -> int: ...
    @property
    def retention_days_chat(self) -> int: ...
    @property
    def retention_days_logs(self) -> int: ...


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Days to keep each data class; 0 = forever (logs: at least 1)."""

    audio_days: int = 0
    transcripts_days: int = 0
    mail_days: int = 0
    chat_days: int = 0
    logs_days: int = 14

    @classmethod
    def from_settings(cls, settings: RetentionSettings) -> "RetentionPolicy":
        """From the app's settings (`app.settings.Settings` has these fields; the engine cannot import it)."""
        return cls(settings.retention_days_audio, settings.retention_days_transcripts, settings.retention_days_mail,
                   settings.retention_days_chat, settings.retention_days_logs)


@dataclass(slots=True)
class PurgeReport:
    audio_chunks: int = 0
    transcript_segments: int = 0
    mail_bodies: int = 0
    conversations: int = 0
    log_files: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    vacuumed: bool = False

    @property
    def removed(self) -> int:
        return self.audio_chunks + self.transcript_segments + self.mail_bodies + self.conversations + self.log_files

    def summary(self) -> str:
        return (f"Removed {self.audio_chunks} audio chunks, {self.transcript_segments} transcript segments, "
                f"{self.mail_bodies} mail bodies, {self.conversations} conversations, {self.log_files} log files; "
                f"store {self.bytes_before / 1e6:.1f} MB -> {self.bytes_after / 1e6:.1f} MB.")


def _cutoff(now: datetime, days: int) -> datetime | None:
    if days <= 0:
        return None
    return (now - timedelta(days=days)).astimezone(timezone.utc)


def _size(store: Store) -> int:
    return sum(p.stat().st_size for p in store.files())


def purge(store: Store, policy: RetentionPolicy, *, log_dir: Path | None = None, now: datetime | None = None,
          vacuum_threshold: float = 0.05, audit: AuditLog | None = None,
          cancel: threading.Event | None = None) -> PurgeReport:
    """Apply `policy` once. Compacts the file when free pages exceed `vacuum_threshold` of it."""
    now = now or datetime.now(timezone.utc)
    report = PurgeReport(bytes_before=_size(store))
    if cancel is not None and cancel.is_set():
        return report
    with store.purge.secure_delete():
        with store.transaction():
            _purge_rows(store, now, policy, report)
        report.vacuumed = store.purge.compact(vacuum_threshold)
    if log_dir is not None:
        report.log_files = _purge_logs(log_dir, now, max(1, policy.logs_days))
    report.bytes_after = _size(store)
    if audit is not None and report.removed:
        audit.record("delete", "retention", **{k: v for k, v in asdict(report).items() if isinstance(v, int)})
    log.info("retention purge removed %d items (vacuumed=%s)", report.removed, report.vacuumed)
    return report


def _purge_rows(store: Store, now: datetime, policy: RetentionPolicy, report: PurgeReport) -> None:
    if (cut := _cutoff(now, policy.audio_days)) is not None:
        report.audio_chunks = store.purge.meeting_audio_before(cut)
    if (cut := _cutoff(now, policy.transcripts_days)) is not None:
        report.transcript_segments = store.purge.transcripts_before(cut)
    if (cut := _cutoff(now, policy.mail_days)) is not None:
        report.mail_bodies = store.purge.mail_bodies_before(cut)
    if (cut := _cutoff(now, policy.chat_days)) is not None:
        report.conversations = store.purge.conversations_before(cut)


def _purge_logs(log_dir: Path, now: datetime, days: int) -> int:
    cutoff = (now - timedelta(days=days)).timestamp()
    removed = 0
    for path in log_dir.glob("*.log*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
                removed += 1
    return removed


def run_retention(store: Store, settings: RetentionSettings, home: Path) -> PurgeReport:
    """The daily job: the scheduler calls this (on a worker thread) with the app's store and settings."""
    return purge(store, RetentionPolicy.from_settings(settings), log_dir=Path(home) / "logs", audit=AuditLog(store))
