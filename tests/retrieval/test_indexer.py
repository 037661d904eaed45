"""The indexing pipeline: idempotent, incremental, cancellable, resumable after a restart, model changes."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from engine.bundled import default_embedding, default_embedding_tokenizer
from engine.retrieval import OnnxEmbedder, RetrievalService, add_documents, sync_folder
from engine.store import Store, StoreKey
from models import Meeting, TranscriptSegment
from rt_builders import make_docx, make_pdf, message, utc

pytestmark = pytest.mark.model


class CountingEmbedder:
    """The real embedder, counting how many texts it was asked to embed."""

    def __init__(self, inner: OnnxEmbedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.count = 0

    def embed(self, texts, **kw):  # noqa: ANN001, ANN003, ANN201
        self.count += len(texts)
        return self.inner.embed(texts, **kw)


def _mails(n: int, start: int = 0) -> list:
    return [message(f"p{i}", f"Status update {i}", f"Project {i} is on track; budget item {i * 7} approved.")
            for i in range(start, start + n)]


def _stored_vectors(store: Store) -> dict[str, int]:
    with store.read() as conn:
        return dict(conn.execute("SELECT model_id, count(*) FROM embeddings GROUP BY model_id").fetchall())


def test_second_run_does_nothing_and_unchanged_updates_cost_no_embedding(store: Store, embedder: OnnxEmbedder) -> None:
    counting = CountingEmbedder(embedder)
    service = RetrievalService.open(store, embedder=counting)
    store.messages.upsert(_mails(5))
    first = service.index_now()
    assert (first.sources, first.embedded, counting.count) == (5, 5, 5)
    assert service.index_now().sources == 0 and counting.count == 5
    store.messages.upsert(_mails(5))  # the same mail synced again (e.g. a label change)
    again = service.index_now()
    assert again.sources == 5 and again.embedded == 0 and counting.count == 5
    assert len(service.index) == 5


def test_changed_document_reembeds_only_changed_chunks(store: Store, embedder: OnnxEmbedder, tmp_path: Path) -> None:
    counting = CountingEmbedder(embedder)
    service = RetrievalService.open(store, embedder=counting)
    doc = tmp_path / "plan.md"
    doc.write_text("# Plan\n\n## Hiring\n\nFour engineers.\n\n## Budget\n\nTwo million.\n\n## Risks\n\nChurn.")
    add_documents(store, [doc])
    service.index_now()
    assert counting.count == 3
    doc.write_text("# Plan\n\n## Hiring\n\nSix engineers.\n\n## Budget\n\nTwo million.\n\n## Risks\n\nChurn.")
    add_documents(store, [doc])
    report = service.index_now()
    assert report.embedded == 1 and counting.count == 4
    assert "Six engineers." in service.search("how many engineers")[0].chunk.text
    assert len(service.index) == 3


def test_documents_pdf_docx_and_bad_files(store: Store, embedder: OnnxEmbedder, tmp_path: Path) -> None:
    service = RetrievalService.open(store, embedder=embedder)
    (tmp_path / "board.pdf").write_bytes(make_pdf([["Board update"], ["Runway is 26 months at current burn."]]))
    (tmp_path / "plan.docx").write_bytes(make_docx("Plan", [("h1", "Sales"), ("p", "Quota for EMEA is 4.2M.")]))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    ids, failed = add_documents(store, [tmp_path / n for n in ("board.pdf", "broken.pdf", "plan.docx", "photo.jpg")])
    assert len(ids) == 2 and [p.name for p, _ in failed] == ["broken.pdf", "photo.jpg"]
    service.index_now()
    hit = service.search("how many months of runway")[0]
    assert hit.chunk.source_type == "doc" and hit.where == "page 2"
    assert service.search("EMEA quota")[0].where == "Sales"


def test_cancel_then_restart_resumes_where_it_stopped(store: Store, store_key: StoreKey, embedder: OnnxEmbedder,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.retrieval.indexer as indexer_module

    monkeypatch.setattr(indexer_module, "EMBED_BATCH", 64)  # several committed rounds in 200 chunks
    counting = CountingEmbedder(embedder)
    service = RetrievalService.open(store, embedder=counting)
    store.messages.upsert(_mails(200))
    cancel = threading.Event()
    progress: list[float] = []

    def on_progress(value: float) -> None:
        progress.append(value)
        if counting.count >= 64:  # after the first committed embedding batch
            cancel.set()

    report = service.index_now(on_progress=on_progress, cancel=cancel)
    assert report.cancelled and 0 < report.embedded < 200
    done_before = report.embedded
    path = store.path
    store.close()

    reopened = Store.open(path, store_key)
    try:
        counting2 = CountingEmbedder(embedder)
        service2 = RetrievalService.open(reopened, embedder=counting2)
        assert len(service2.index) == done_before  # rebuilt from the encrypted store at start
        queued, unembedded = service2.indexer.pending()
        assert queued == 0 and unembedded == 200 - done_before
        final = service2.index_now()
        assert counting2.count == 200 - done_before  # never from zero
        assert final.embedded == 200 - done_before and len(service2.index) == 200
    finally:
        reopened.close()
    assert progress == sorted(progress)


def test_background_job_reports_progress_and_can_be_cancelled(service: RetrievalService) -> None:
    from engine.events import INDEX_DID_FINISH, INDEX_DID_PROGRESS, EventBus
    from engine.jobs import BackgroundIndexing

    bus, seen, reports = EventBus(), [], []
    progressed, ended = threading.Event(), threading.Event()
    bus.subscribe(INDEX_DID_PROGRESS, lambda _n, p: (seen.append(p["fraction"]), progressed.set()))
    bus.subscribe(INDEX_DID_FINISH, lambda _n, p: (reports.append(p), ended.set()))
    job = BackgroundIndexing(lambda: service.indexer, bus)
    service.store.messages.upsert(_mails(30))
    job.request()
    assert ended.wait(60)
    assert reports[-1]["embedded"] == 30 and seen[-1] == 1.0
    service.store.messages.upsert(_mails(150, start=30))
    progressed.clear()
    ended.clear()
    job.request()
    assert progressed.wait(60)
    job.cancel()  # 150 embeddings take far longer than this call
    assert ended.wait(60)
    assert reports[-1]["cancelled"] and reports[-1]["embedded"] < 150
    job.close()
    service.index_now()
    assert len(service.index) == 180


def test_changing_the_model_reembeds_and_never_mixes(store: Store, embedder: OnnxEmbedder, tmp_path: Path) -> None:
    service = RetrievalService.open(store, embedder=embedder)
    store.messages.upsert(_mails(10))
    store.meetings.create(Meeting(title="Sync", started_at=utc(2026, 3, 1),
                                  segments=[TranscriptSegment(0, 5, "Project 3 slipped a week.", "Raj")]))
    service.index_now()
    folder = tmp_path / "other-model"
    folder.mkdir()
    shutil.copy(default_embedding().path, folder)  # type: ignore[union-attr]
    shutil.copy(default_embedding_tokenizer().path, folder)  # type: ignore[union-attr]
    other = OnnxEmbedder.from_folder(folder)
    switched = RetrievalService.open(store, embedder=other)
    assert len(switched.index) == 0  # old vectors are not loaded into the new model's index
    assert switched.search("project 3") and all(h.vector_rank is None for h in switched.search("project 3"))
    # Until re-embedding finishes, RAG still finds strong keyword matches (no vector to judge them by).
    assert switched.context("Project 3 slipped").found
    switched.index_now()
    assert _stored_vectors(store) == {other.model_id: 11}
    assert len(switched.index) == 11 and switched.index.model_id == other.model_id
    ids = np.array([cid for cid, _ in switched.index.search(other.embed(["project 3"])[0], 20)])
    assert len(ids) == 11


def test_deleting_a_meeting_removes_its_chunks_and_vectors(service: RetrievalService) -> None:
    store = service.store
    meeting_id = store.meetings.create(Meeting(title="Sync", started_at=utc(2026, 3, 1), segments=[
        TranscriptSegment(0, 5, "Secret project Falcon is late.", "Raj")]))
    service.index_now()
    assert len(service.index) == 1
    store.meetings.delete(meeting_id)
    assert store.counts()["chunks"] == 0 and store.counts()["embeddings"] == 0
    assert service.search("Falcon") == []


def test_watched_folder_sync_adds_updates_and_removes(store: Store, embedder: OnnxEmbedder, tmp_path: Path) -> None:
    service = RetrievalService.open(store, embedder=embedder)
    folder = tmp_path / "watched"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text("# Alpha\n\nThe warehouse pilot starts in May.")
    (folder / "sub" / "b.txt").write_text("Beta notes about the lidar supplier.")
    (folder / ".hidden.md").write_text("# Hidden\n\nnot for indexing")
    (folder / "c.jpg").write_bytes(b"\xff\xd8")
    first = sync_folder(store, folder)
    assert len(first.documents) == 2 and first.removed == 0 and first.failed == []
    service.index_now()
    assert service.search("lidar supplier")[0].chunk.title == "b"
    unchanged = sync_folder(store, folder)
    assert unchanged.documents == first.documents and service.indexer.pending() == (0, 0)  # nothing re-read
    (folder / "sub" / "b.txt").unlink()
    (folder / "a.md").write_text("# Alpha\n\nThe warehouse pilot moved to June.")
    second = sync_folder(store, folder)
    assert second.removed == 1 and len(second.documents) == 1
    service.index_now()
    assert all(h.chunk.title != "b" for h in service.search("lidar supplier"))
    assert "June" in service.search("when does the warehouse pilot start")[0].chunk.text
