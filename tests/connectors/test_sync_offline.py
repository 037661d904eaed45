"""Offline: an unreachable provider pauses polling (no backoff hammering), a probe notices the way back."""

from __future__ import annotations

import time

from engine.jobs import SyncOutcome, SyncScheduler
from engine.jobs.scheduler import OFFLINE_PROBE_ID
from tests.connectors.test_sync_coordinator import coordinator


class _Flaky:
    """A coordinator whose network is down until `online` is set (the scheduler only calls run())."""

    def __init__(self, account: str) -> None:
        self.account = account
        self.online = False
        self.runs = 0

    def run(self, cancel=None, on_progress=None) -> SyncOutcome:  # noqa: ANN001
        self.runs += 1
        if self.online:
            return SyncOutcome(self.account)
        return SyncOutcome(self.account, status="unavailable", error="Cannot reach Google", offline=True)


def test_unreachable_google_is_reported_as_offline(store, fake_google, google_client_factory) -> None:
    coord = coordinator(store, google_client_factory())
    fake_google.stop()  # nothing listens any more: connections are refused, as with no network
    outcome = coord.run()
    assert outcome.status == "unavailable" and outcome.offline


def test_a_provider_error_is_not_offline(store, fake_google, google_client_factory) -> None:
    fake_google.fail("/messages", 503, times=99)
    outcome = coordinator(store, google_client_factory()).run()
    assert outcome.status == "unavailable" and not outcome.offline


def test_offline_pauses_every_sync_job_and_a_probe_resumes_them() -> None:
    first, second = _Flaky("google:a"), _Flaky("microsoft:b")
    scheduler = SyncScheduler(interval_minutes=5, jitter_s=0)
    scheduler.start()
    try:
        scheduler.add_account(first, first_run_in_s=3600)
        scheduler.add_account(second, first_run_in_s=3600)
        scheduler._after(first.run())  # noqa: SLF001 - the scheduler's reaction to an offline outcome
        assert scheduler.paused_reason == "offline"
        assert all(scheduler._scheduler.get_job(a).next_run_time is None for a in scheduler.accounts())  # noqa: SLF001
        probe = scheduler._scheduler.get_job(OFFLINE_PROBE_ID)  # noqa: SLF001
        assert probe is not None and probe.trigger.interval.total_seconds() == 60
        scheduler._probe("google:a")  # noqa: SLF001 - still offline: stays paused
        assert scheduler.paused_reason == "offline"
        first.online = second.online = True
        scheduler._probe("google:a")  # noqa: SLF001
        assert scheduler.paused_reason == "" and scheduler._scheduler.get_job(OFFLINE_PROBE_ID) is None  # noqa: SLF001
        deadline = time.monotonic() + 10
        while second.runs == 0 and time.monotonic() < deadline:  # resumed jobs run at once (sync_now)
            time.sleep(0.05)
        assert second.runs >= 1
    finally:
        scheduler.shutdown(wait=False)
