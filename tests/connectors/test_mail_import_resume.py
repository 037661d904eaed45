"""A big mbox import is streamed, batched and resumable across restarts (#20 item 2): a cancelled import keeps
every committed batch and its cursor in the encrypted store, the next run (a new process, a new store handle)
continues at that byte offset without duplicates or gaps, progress only grows and ends at 1, and a finished
file's cursor is gone, so importing it again re-reads it (idempotent) instead of skipping it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bench.workspace_gen import generate
from engine.ingest import ImportStatus, import_mail_files, mail_import, resume_offset
from engine.store import Store


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ws")
    generate(folder, mails=260, events=20, documents=1)
    return folder


def _message_count(store: Store) -> int:
    with store.read() as conn:
        return conn.execute("SELECT count(*), count(DISTINCT provider_id) FROM messages").fetchone()


def test_cancelled_import_resumes_where_it_stopped(store: Store, workspace: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail_import, "BATCH", 40)
    mbox = workspace / "mail.mbox"
    cancel = threading.Event()
    seen: list[ImportStatus] = []

    def on_status(status: ImportStatus) -> None:
        seen.append(status)
        if status.messages >= 80:
            cancel.set()  # the user pauses (or quits) after two batches

    first = import_mail_files(store, [mbox], cancel=cancel, on_status=on_status, read_attachments=False)
    assert first.cancelled and first.messages == 120  # the batch in flight when the cancel came is committed too
    assert _message_count(store) == (120, 120)
    offset, number = resume_offset(store, mbox)
    assert 0 < offset < mbox.stat().st_size and number == 120
    store.close()  # a restart
    with Store.open(store.path, store.key) as again:
        fractions: list[float] = []
        rest = import_mail_files(again, [mbox], on_progress=fractions.append, read_attachments=False)
        assert not rest.cancelled and rest.messages == 260 - 120
        assert _message_count(again) == (260, 260)  # no duplicates, no gaps
        assert fractions == sorted(fractions) and fractions[-1] == 1.0
        assert resume_offset(again, mbox) == (0, 0)  # finished: a later import starts over (idempotent upserts)
        assert import_mail_files(again, [mbox], read_attachments=False).messages == 260
        assert _message_count(again) == (260, 260)
    assert [s.fraction for s in seen] == sorted(s.fraction for s in seen)


def test_eta_comes_once_the_rate_is_known() -> None:
    assert ImportStatus(1, 1000, 1, 0, 0.5).eta_s is None  # 0.1%: too early to say
    status = ImportStatus(250, 1000, 100, 0, 10.0)
    assert status.fraction == 0.25 and status.eta_s == pytest.approx(30.0)


def test_attachments_and_calendar_go_through_the_same_batches(store: Store, workspace: Path) -> None:
    report = import_mail_files(store, [workspace / "mail.mbox", workspace / "calendar.ics"])
    assert report.messages == 260 and report.events >= 20
    with store.read() as conn:
        attached = conn.execute("SELECT count(*) FROM documents WHERE path LIKE 'mail:%'").fetchone()[0]
        noted = conn.execute("SELECT count(*) FROM messages m, json_each(m.attachments_json) a "
                             "WHERE json_array_length(a.value) = 4").fetchone()[0]  # [name, type, size, problem]
    assert attached + noted > 0  # document attachments were read in the batch's child (or said why not)
