"""Background indexing: new data gets indexed off the caller's thread, requests during a run coalesce into one
more run, Stop keeps what was done, and the bus hears progress and the end (counts only)."""

from __future__ import annotations

import threading

import pytest

from engine.events import INDEX_DID_FINISH, INDEX_DID_PROGRESS, EventBus
from engine.jobs import BackgroundIndexing
from engine.retrieval import RetrievalService
from rt_builders import message

pytestmark = pytest.mark.model


class Recorder:
    def __init__(self, bus: EventBus) -> None:
        self.progress: list[float] = []
        self.finished: list[dict] = []
        self.first_progress = threading.Event()
        self.ended = threading.Event()
        bus.subscribe(INDEX_DID_PROGRESS, self._progress)
        bus.subscribe(INDEX_DID_FINISH, self._finish)

    def _progress(self, _name: str, payload: dict) -> None:
        self.progress.append(payload["fraction"])
        self.first_progress.set()

    def _finish(self, _name: str, payload: dict) -> None:
        self.finished.append(payload)
        self.ended.set()


def _mails(n: int, start: int = 0) -> list:
    return [message(f"b{i}", f"Budget note {i}", f"Line item {i} moves to the next quarter.")
            for i in range(start, start + n)]


def _idle(job: BackgroundIndexing, timeout: float = 60.0) -> None:
    done = threading.Event()
    while job.running and not done.wait(0.05):
        timeout -= 0.05
        assert timeout > 0, "indexing did not finish"


def test_new_data_is_indexed_in_the_background_with_progress(service: RetrievalService) -> None:
    bus = EventBus()
    seen = Recorder(bus)
    job = BackgroundIndexing(lambda: service.indexer, bus)
    service.store.messages.upsert(_mails(20))
    job.request()
    assert seen.ended.wait(60)
    assert seen.finished == [{"embedded": 20, "failed": 0, "cancelled": False, "error": ""}]
    assert seen.progress == sorted(seen.progress) and seen.progress[-1] == 1.0
    assert len(service.index) == 20
    job.close()


def test_requests_during_a_run_coalesce_and_stop_keeps_what_was_done(service: RetrievalService) -> None:
    bus = EventBus()
    seen = Recorder(bus)
    job = BackgroundIndexing(lambda: service.indexer, bus)
    service.store.messages.upsert(_mails(120))
    for _ in range(4):  # a sync finishing, an import, the periodic check ... while a run is going
        job.request()
    _idle(job)
    assert 1 <= len(seen.finished) <= 2 and sum(f["embedded"] for f in seen.finished) == 120
    seen.finished.clear()
    seen.first_progress.clear()
    service.store.messages.upsert(_mails(300, start=120))
    job.request()
    assert seen.first_progress.wait(60)
    job.cancel()
    _idle(job)
    [stopped] = seen.finished
    assert stopped["cancelled"] and stopped["embedded"] < 300
    job.request()  # the next request resumes where the stopped run ended
    _idle(job)
    assert len(service.index) == 420
    job.close()
    job.request()  # after close (app exit) nothing starts
    assert not job.running
