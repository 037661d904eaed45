"""Background jobs: per-account sync coordinators on an APScheduler scheduler."""

from engine.jobs.accounts import remove_account
from engine.jobs.coordinator import SyncCoordinator, SyncOutcome
from engine.jobs.scheduler import SyncScheduler

__all__ = ["SyncCoordinator", "SyncOutcome", "SyncScheduler", "remove_account"]
