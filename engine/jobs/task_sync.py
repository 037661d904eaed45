"""`TaskSyncCoordinator`: the sync coordinator for connectors whose batches carry tasks (Asana).

Same policy as `SyncCoordinator` (atomic batch + cursor, bounded resync on `CursorExpired`, reconnect
state on `AuthError`); it only extends the commit: tasks and task deletions land in the SAME transaction
as the cursor, and a task that arrives completed closes the open commitment it was created from
(`store.commitments.set_status(id, "done")`), so finishing it in Asana closes the promise in Reflex.
"""

from __future__ import annotations

import logging

from connectors.base import SyncBatch
from engine.jobs.coordinator import SyncCoordinator

__all__ = ["TaskSyncCoordinator"]

log = logging.getLogger(__name__)


class TaskSyncCoordinator(SyncCoordinator):
    """A `SyncCoordinator` that also commits `tasks`/`deleted_tasks` of a batch (e.g. `TaskBatch`).

    `task_counts` accumulates {"upserted", "deleted", "closed"} over this coordinator's runs (the base
    outcome counts mail and events only).
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.task_counts = {"upserted": 0, "deleted": 0, "closed": 0}

    def _commit(self, stream: str, batch: SyncBatch) -> None:
        tasks = getattr(batch, "tasks", [])
        deleted = getattr(batch, "deleted_tasks", [])
        store = self.store
        with store.transaction():
            if tasks:
                store.tasks.upsert(tasks)
            if deleted:
                store.tasks.delete_provider_ids(self.account, deleted)
            done = [t.provider_id for t in tasks if t.completed]
            if done:
                open_ids = {c.id for c in store.commitments.list(status="open")}
                for provider_id in done:
                    linked = store.tasks.get(self.account, provider_id)
                    if linked is not None and linked.commitment_id in open_ids:
                        store.commitments.set_status(linked.commitment_id, "done")
                        self.task_counts["closed"] += 1
                        log.info("sync %s: task completion closed commitment %d", self.account,
                                 linked.commitment_id)
            super()._commit(stream, batch)
        self.task_counts["upserted"] += len(tasks)
        self.task_counts["deleted"] += len(deleted)
