"""A canary written through every repository never appears in the database, WAL or SHM files."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np

from engine.store import Store
from engine.store.repos.triage import TriageRow
from models import (
    Account, AuditEntry, Chunk, Commitment, Contact, Decision, Document, Event, Insight, Meeting, Message,
    Opportunity, StrategicContext, SyncCursor, TranscriptSegment, Turn,
)
from models.tasks import Task

CANARY = "CANARY-7f3e-zebra-quartz"


def _write_everything(store: Store) -> None:
    now = datetime(2026, 11, 25, 10, tzinfo=timezone.utc)
    store.accounts.upsert(Account(f"google:{CANARY}@x.example", "google", f"{CANARY}@x.example", CANARY))
    store.cursors.set(SyncCursor("acct", "gmail", CANARY))
    store.messages.upsert([Message("a", "m1", "t1", f"Subject {CANARY}", Contact(f"{CANARY}@x.example", CANARY),
                                   body_text=f"Body {CANARY}", sent_at=now)])
    store.events.upsert([Event("a", "e1", f"Event {CANARY}", now, now, description=CANARY)])
    mid = store.meetings.create(Meeting(f"Meeting {CANARY}", now, segments=[TranscriptSegment(0, 1, f"said {CANARY}")]))
    store.meetings.append_audio(mid, 0, CANARY.encode() * 10)
    store.meetings.add_marker(mid, 1.0, "important", CANARY)
    doc_id = store.documents.upsert(Document(f"Doc {CANARY}", f"/tmp/{CANARY}.md", "md", f"text {CANARY}"))
    chunk = Chunk("doc", doc_id, f"chunk {CANARY}", title=CANARY)
    store.chunks.write_source("doc", doc_id, [chunk])
    assert store.embeddings.put("m", [(chunk.id, chunk.content_hash, 4, np.ones(4, dtype=np.float32).tobytes())])
    conv = store.conversations.create(f"Chat {CANARY}")
    store.conversations.add_turn(conv, Turn("user", f"question {CANARY}"))
    store.memories.add(f"memory {CANARY}")
    store.contexts.save(StrategicContext(values=[CANARY]))
    store.commitments.upsert("fp", Commitment(CANARY, "me", f"send {CANARY}", due=date(2026, 12, 1)))
    store.opportunities.upsert("fp", Opportunity(f"{CANARY} Corp", amount=1.0))
    store.decisions.save(Decision(f"Should we {CANARY}?", options=[CANARY]))
    store.insights.put(Insight("sentiment", CANARY, "2026-W48", 0.1, explanation=CANARY))
    store.audit.add(AuditEntry("export", CANARY))
    store.settings.set("theme", CANARY)
    store.pending_actions.add("draft_email", {"body": CANARY})
    store.tasks.upsert([Task("asana:1", "t1", f"task {CANARY}")])
    message_id = store.messages.id_for("a", "m1")
    store.triage.put(TriageRow(message_id, "urgent", "customer", True, awaiting_from=CANARY, reason=f"why {CANARY}"))
    store.triage.add_correction(message_id, "category", CANARY)
    store.usage.add(date(2026, 11, 25), f"metric {CANARY}")
    store.job_runs.finish(store.job_runs.start(f"job {CANARY}"), "ok", {"note": CANARY})
    store.meetings.set_speakers({seg.id: f"speaker {CANARY}" for seg in store.meetings.segments(mid)})


def _hits(paths: list[Path]) -> list[str]:
    return [p.name for p in paths if CANARY.encode() in p.read_bytes()]


def test_canary_is_nowhere_in_plaintext(store: Store) -> None:
    _write_everything(store)
    # Check while the WAL still holds data, then again after close (checkpointed).
    side_files = store.files()
    assert any(p.name.endswith("-wal") for p in side_files)
    assert _hits(side_files) == []
    path = store.path
    store.close()
    assert _hits([p for p in path.parent.iterdir() if p.is_file()]) == []


def test_control_plain_sqlite_shows_the_grep_works(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (?)", (CANARY,))
    conn.commit()
    conn.close()
    assert _hits([path]) == ["plain.db"]
