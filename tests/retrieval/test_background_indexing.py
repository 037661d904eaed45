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


class Events:
    """Every INDEX_DID_PROGRESS payload, and a way to wait for one that matches."""

    def __init__(self, bus: EventBus) -> None:
        self.payloads: list[dict] = []
        self._changed = threading.Condition()
        bus.subscribe(INDEX_DID_PROGRESS, self._on)
        bus.subscribe(INDEX_DID_FINISH, self._on)

    def _on(self, _name: str, payload: dict) -> None:
        with self._changed:
            self.payloads.append(payload)
            self._changed.notify_all()

    def wait_for(self, test, timeout: float = 60.0) -> dict:  # noqa: ANN001 - a predicate on a payload
        with self._changed:
            assert self._changed.wait_for(lambda: any(test(p) for p in self.payloads), timeout)
            return next(p for p in self.payloads if test(p))


def test_the_backlog_gives_way_to_the_users_own_work(service: RetrievalService) -> None:
    """#20 item 3: inside `user_busy()` (a chat answer, a transcription) no chunk is embedded; the run says it is
    paused for the user, and carries on where it was when the work ends."""
    bus = EventBus()
    seen = Events(bus)
    job = BackgroundIndexing(lambda: service.indexer, bus, on_battery=lambda: False)
    service.store.messages.upsert(_mails(300))
    job.request()
    seen.wait_for(lambda p: "fraction" in p and p["fraction"] > 0)
    with job.user_busy():
        seen.wait_for(lambda p: p.get("paused") == "user")
        embedded = len(service.index)
        threading.Event().wait(0.6)
        assert len(service.index) == embedded  # nothing ran meanwhile
    done = seen.wait_for(lambda p: "embedded" in p)
    assert done["embedded"] == 300 and not done["cancelled"] and len(service.index) == 300
    assert seen.payloads[-2]["paused"] == "" and seen.payloads[-2]["fraction"] == 1.0
    job.close()


def test_the_backlog_waits_on_battery_and_says_how_long_is_left(service: RetrievalService,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.jobs.indexing as indexing

    monkeypatch.setattr(indexing, "BATTERY_POLL_S", 0.05)
    bus = EventBus()
    seen = Events(bus)
    on_battery = threading.Event()
    on_battery.set()
    job = BackgroundIndexing(lambda: service.indexer, bus, on_battery=on_battery.is_set)
    service.store.messages.upsert(_mails(300))
    job.request()
    seen.wait_for(lambda p: p.get("paused") == "battery")
    threading.Event().wait(0.3)
    assert len(service.index) == 0 and job.running  # waiting for mains power
    on_battery.clear()  # plugged in
    done = seen.wait_for(lambda p: "embedded" in p)
    assert done["embedded"] == 300
    etas = [p["eta_s"] for p in seen.payloads if "eta_s" in p and 0.02 <= p["fraction"] < 1.0 and not p["paused"]]
    assert etas and all(e is not None and e >= 0 for e in etas)
    job.close()


@pytest.mark.parametrize(("battery", "expected"), [(None, False), ({"power_plugged": True}, False),
                                                   ({"power_plugged": False}, True), ({"power_plugged": None}, False)])
def test_on_battery_is_what_the_platform_says(monkeypatch: pytest.MonkeyPatch, battery, expected) -> None:  # noqa: ANN001
    import sys
    import types

    from engine.jobs.indexing import on_battery_power

    fake = types.SimpleNamespace(sensors_battery=lambda: None if battery is None else types.SimpleNamespace(**battery))
    monkeypatch.setitem(sys.modules, "psutil", fake)
    assert on_battery_power() is expected
