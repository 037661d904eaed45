"""kill -9 at >= 200 random points of a process that syncs, records and indexes; every restart must find
every acknowledged write, both integrity checks passing, the vector index rebuildable, and no duplicates.

The writer is a forked child of this (already warmed-up) test process, so each run costs milliseconds
instead of an interpreter start: that is what makes 200+ real SIGKILLs affordable on 2 cores. The child:
1. (in a third of the runs) syncs Gmail from the fake server on 127.0.0.1 with the production `SyncCoordinator` (page by page; a
   wrapper acknowledges a batch's ids only when the coordinator asks for the next page, i.e. after COMMIT);
2. then loops: append an audio chunk to a recording (ack after the call returns), or import a document,
   chunk it and store its embedding in one transaction (ack after it).
Acknowledgements go through a pipe with unbuffered `os.write`, so whatever was acknowledged before the kill
reaches the parent. Between kills the mailbox changes (new mail, deletions), as it would while the app is down.
"""

from __future__ import annotations

import os
import random
import signal
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from connectors.base import SyncBatch
from connectors.google import GoogleClient, GoogleConnector
from engine.events import EventBus
from engine.jobs import SyncCoordinator
from engine.retrieval.catalog import load_index, put_embeddings
from engine.retrieval.vector_index import NumpyIndex
from engine.store import Store
from models import Chunk, Document, Meeting
from tests.connectors.conftest import GOOGLE_ACCOUNT, make_mail, seed_mailbox

KILLS = 200
MODEL = "crash-test-model"
DIM = 8
RECORDING = "Crash-test recording"
STARTED = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def _audio(seq: int) -> bytes:
    return (seq.to_bytes(4, "little") * 1024)[:4096]


def _vector(k: int) -> np.ndarray:
    return np.random.default_rng(k).standard_normal(DIM).astype(np.float32)


class AckingConnector:
    """Acknowledges a batch's message ids once the coordinator has committed it (= asks for more)."""

    def __init__(self, inner: GoogleConnector, ack) -> None:  # noqa: ANN001
        self.inner, self.ack, self.account = inner, ack, inner.account
        self._pending: SyncBatch | None = None

    def streams(self) -> list[str]:
        return self.inner.streams()

    def sync(self, stream: str, cursor: str | None) -> SyncBatch:
        self.flush()
        self._pending = self.inner.sync(stream, cursor)
        return self._pending

    def flush(self) -> None:
        if self._pending is not None and self._pending.messages:
            self.ack("mail " + ",".join(m.provider_id for m in self._pending.messages))
        self._pending = None


def _child(db: Path, key, client: GoogleClient, ack_fd: int, seed: int, sync: bool) -> None:  # noqa: ANN001
    def ack(line: str) -> None:
        os.write(ack_fd, (line + "\n").encode())

    rng = random.Random(seed)
    store = Store.open(db, key)
    if sync:
        connector = AckingConnector(GoogleConnector(client, account=GOOGLE_ACCOUNT, calendars=(), page_size=4,
                                                    batch_size=4), ack)
        SyncCoordinator(store=store, connector=connector, bus=EventBus()).run()
        connector.flush()
    meeting = next((m.id for m in store.meetings.all() if m.title == RECORDING), None)
    if meeting is None:
        meeting = store.meetings.create(Meeting(RECORDING, started_at=STARTED))
    with store.read() as conn:
        seq = conn.execute("SELECT coalesce(max(seq) + 1, 0) FROM audio_chunks WHERE meeting_id = ?", (meeting,)).fetchone()[0]
        k = conn.execute("SELECT count(*) FROM documents WHERE path LIKE '/crash/%'").fetchone()[0]
    for _ in range(5000):
        if rng.random() < 0.5:
            store.meetings.append_audio(meeting, seq, _audio(seq))
            ack(f"audio {seq}")
            seq += 1
        else:
            with store.transaction():
                doc = store.documents.upsert(Document(f"Doc {k}", f"/crash/{k}.md", "md", f"document number {k}"))
                chunk = Chunk("doc", doc, f"document number {k}")
                store.chunks.write_source("doc", doc, [chunk])
                put_embeddings(store, MODEL, [(chunk.id, chunk.content_hash, _vector(k))])
            ack(f"doc {k}")
            k += 1


def _run_and_kill(db: Path, key, client: GoogleClient, rng: random.Random, seed: int) -> list[str]:  # noqa: ANN001
    # A third of the runs sync first; a page costs ~130 ms of HTTP against the fake, so they live longer.
    sync = rng.random() < 0.3
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            os.close(read_fd)
            _child(db, key, client, write_fd, seed, sync)
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    os.close(write_fd)
    time.sleep(rng.uniform(0.05, 0.5) if sync else rng.uniform(0.01, 0.15))  # fork+open take ~30 ms
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    chunks = []
    while data := os.read(read_fd, 65536):
        chunks.append(data)
    os.close(read_fd)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the child ended before the kill"
    return b"".join(chunks).decode().splitlines()


def _verify(db: Path, key, mail: set[str], audio: int, docs: int, *, index: bool) -> tuple[int, int]:  # noqa: ANN001
    with Store.open(db, key) as store:
        assert store.integrity_problems() == []  # PRAGMA integrity_check + cipher_integrity_check
        with store.read() as conn:
            ids = [r[0] for r in conn.execute("SELECT provider_id FROM messages WHERE account = ?", (GOOGLE_ACCOUNT,))]
            seqs = [r[0] for r in conn.execute(
                "SELECT seq FROM audio_chunks a JOIN meetings m ON m.id = a.meeting_id WHERE m.title = ? ORDER BY seq",
                (RECORDING,))]
            paths = {r[0] for r in conn.execute("SELECT path FROM documents WHERE path LIKE '/crash/%'")}
            embedded = conn.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", (MODEL,)).fetchone()[0]
            sample = conn.execute("SELECT data FROM audio_chunks a JOIN meetings m ON m.id = a.meeting_id "
                                  "WHERE m.title = ? ORDER BY random() LIMIT 1", (RECORDING,)).fetchone()
        assert len(ids) == len(set(ids)), "duplicate messages"
        assert mail <= set(ids), f"acknowledged mail lost: {sorted(mail - set(ids))[:5]}"
        assert seqs == list(range(len(seqs))) and len(seqs) >= audio, "acknowledged audio lost or a gap/duplicate"
        assert paths == {f"/crash/{k}.md" for k in range(len(paths))} and len(paths) >= docs, "document lost or duplicated"
        if sample is not None:
            assert bytes(sample[0]) in {_audio(s) for s in seqs}
        if index:
            rebuilt = load_index(store, NumpyIndex(MODEL, DIM))
            assert rebuilt == embedded == len(paths), "the vector index does not rebuild from the store"
        return len(seqs), len(paths)


@pytest.mark.slow
def test_kill_9_at_random_points_loses_no_acknowledged_write(store, store_key, fake_google, google_client_factory) -> None:
    seed_mailbox(fake_google, 60)
    db = store.path
    store.close()
    rng = random.Random(int(os.environ.get("REFLEX_CRASH_SEED", "9")))
    acked_mail: set[str] = set()
    audio = docs = 0
    productive = 0
    # Built once here and inherited by every child: building a discovery client costs ~100 ms, and the
    # parent never uses this one, so no connection state is shared across the fork.
    client = google_client_factory()
    started = time.monotonic()
    for attempt in range(KILLS):
        lines = _run_and_kill(db, store_key, client, rng, attempt)
        productive += bool(lines)
        for line in lines:
            kind, _, value = line.partition(" ")
            if kind == "mail":
                acked_mail.update(value.split(","))
            elif kind == "audio":
                audio = max(audio, int(value) + 1)
            elif kind == "doc":
                docs = max(docs, int(value) + 1)
        audio, docs = _verify(db, store_key, acked_mail, audio, docs, index=attempt % 10 == 0)
        fake_google.add_message(make_mail(10_000 + attempt))  # the world moves on while we are down
        if attempt % 7 == 3:
            gone = rng.choice(sorted(fake_google.state.mails))
            fake_google.delete_message(gone)
            acked_mail.discard(gone)
    elapsed = time.monotonic() - started
    print(f"\n{KILLS} kills in {elapsed:.1f} s; {productive} after >= 1 acknowledged write; "
          f"{len(acked_mail)} mails, {audio} audio chunks, {docs} documents acknowledged")
    assert productive >= KILLS // 2, "most kills hit before any write: the test proved little"
    assert audio > 0 and docs > 0 and acked_mail
    _verify(db, store_key, acked_mail, audio, docs, index=True)

    with Store.open(db, store_key) as reopened:  # a final uninterrupted sync converges on the server exactly
        connector = GoogleConnector(google_client_factory(), account=GOOGLE_ACCOUNT, calendars=(), page_size=50)
        assert SyncCoordinator(store=reopened, connector=connector, bus=EventBus()).run().status == "ok"
        with reopened.read() as conn:
            ids = [r[0] for r in conn.execute("SELECT provider_id FROM messages WHERE account = ?", (GOOGLE_ACCOUNT,))]
    assert sorted(ids) == sorted(fake_google.state.mails)
