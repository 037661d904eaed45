"""Background jobs: per-account sync coordinators on an APScheduler scheduler, and knowledge-base indexing."""

from engine.jobs.accounts import remove_account
from engine.jobs.coordinator import SyncCoordinator, SyncOutcome
from engine.jobs.indexing import BackgroundIndexing
from engine.jobs.scheduler import SyncScheduler

__all__ = ["BackgroundIndexing", "SyncCoordinator", "SyncOutcome", "SyncScheduler", "remove_account"]
