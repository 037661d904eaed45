"""Retention: per-class purge with secure_delete, space reclaimed, derived chunks gone, audited."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

from app.settings import Settings
from engine.privacy import AuditLog, RetentionPolicy, purge, run_retention
from models import Chunk, Contact, Meeting, Message, TranscriptSegment, Turn

NOW = datetime.now(timezone.utc).replace(microsecond=0)
CANARY = "RETENTION-CANARY-7731"


def _seed(store, age_days: int, n: int) -> None:
    at = NOW - timedelta(days=age_days)
    store.messages.upsert([Message("acct", f"m{age_days}-{i}", f"t{age_days}-{i}", f"Subject {i}", Contact("a@b.example", "A"),
                                   sent_at=at, body_text=f"{CANARY} body {i} " + "x" * 2000, snippet=f"{CANARY} snip")
                           for i in range(n)])
    meeting_id = store.meetings.create(Meeting(f"Meeting {age_days}", started_at=at, segments=[
        TranscriptSegment(float(i), float(i + 1), f"{CANARY} said {i}") for i in range(n)]))
    for seq in range(n):
        store.meetings.append_audio(meeting_id, seq, os.urandom(16000))
    store.chunks.write_source("meeting", meeting_id, [Chunk("meeting", meeting_id, f"{CANARY} chunk")])
    conv = store.conversations.create(f"chat {age_days}")
    store.conversations.add_turn(conv, Turn("user", f"{CANARY} question"))
    with store.transaction() as conn:
        conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (at.strftime("%Y-%m-%dT%H:%M:%SZ"), conv))


def test_purge_removes_only_expired_classes_and_reclaims_space(store, tmp_path) -> None:
    _seed(store, age_days=100, n=40)
    _seed(store, age_days=2, n=5)
    policy = RetentionPolicy(audio_days=30, transcripts_days=30, mail_days=30, chat_days=30, logs_days=7)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "reflex.log.3").write_text("old")
    (logs / "reflex.log").write_text("current")
    os.utime(logs / "reflex.log.3", (time.time() - 30 * 86400,) * 2)
    with store.read() as conn:
        secure_before = conn.execute("PRAGMA secure_delete").fetchone()[0]
    report = purge(store, policy, log_dir=logs, now=NOW, audit=AuditLog(store))
    assert (report.audio_chunks, report.transcript_segments, report.mail_bodies, report.conversations,
            report.log_files) == (40, 40, 40, 1, 1)
    assert report.vacuumed and report.bytes_after < report.bytes_before
    assert sorted(p.name for p in logs.iterdir()) == ["reflex.log"]
    counts = store.counts()
    assert counts["audio_chunks"] == 5 and counts["transcript_segments"] == 5 and counts["conversations"] == 1
    assert counts["messages"] == 45  # headers stay, bodies go
    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM messages WHERE body_text LIKE ?", (f"%{CANARY}%",)).fetchone()[0] == 5
        assert conn.execute("SELECT count(*) FROM chunks WHERE text LIKE ?", (f"%{CANARY}%",)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?", (CANARY.replace("-", " "),)).fetchone()[0] == 5
        assert conn.execute("PRAGMA secure_delete").fetchone()[0] == secure_before  # restored after the purge
    entry = AuditLog(store).entries(actions=["delete"])[0]
    assert entry.target == "retention" and entry.detail["mail_bodies"] == 40
    assert store.integrity_problems() == []
    again = purge(store, policy, log_dir=logs, now=NOW)
    assert again.removed == 0 and not again.vacuumed


def test_zero_days_keeps_everything(store) -> None:
    _seed(store, age_days=4000, n=3)
    report = purge(store, RetentionPolicy(), now=NOW)
    assert report.removed == 0 and store.counts()["audio_chunks"] == 3


def test_daily_job_reads_the_settings(store, tmp_path) -> None:
    _seed(store, age_days=400, n=2)
    report = run_retention(store, Settings(retention_days_mail=365), tmp_path)
    assert report.mail_bodies == 2 and report.audio_chunks == 0
