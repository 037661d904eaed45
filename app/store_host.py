"""The running app as `engine.usecases.store_care.StoreHost`: what restore, rekey and wipe pause, and what they
hand back. Built by `Services.store_care`; the use-case runs on the UI's store worker, so no other store task runs
meanwhile, and the scheduler and indexing are stopped (waiting for their work under way) before the store closes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.providers import forget_keyring_entries
from engine.store import Store
from engine.usecases.store_care import StoreCare

__all__ = ["AppStoreHost", "store_care"]


#: What reads the store's contents once and keeps them (`Services` lazies): rebuilt after a restore.
FROM_CONTENTS = ("usage", "memory", "context_service", "corrections", "asking", "acting", "intake")


class AppStoreHost:
    def __init__(self, services: Any) -> None:
        """`services`: the app's `Services` (not imported: it builds this)."""
        self._s = services
        self._scheduler_was_running = False
        self.gone = False  # a wipe (or a store that would not reopen) left the app without a store

    @property
    def db_path(self) -> Path:
        return self._s.ctx.db_path

    def store(self) -> Store:
        return self._s.store

    def pause(self) -> None:
        """Stop the scheduler (waiting for its running jobs) and hold indexing and the mail reading (waiting for
        their runs)."""
        self._scheduler_was_running = self._s.jobs.pause()
        self._s.indexing.hold()
        self._s.jobs.mail_reading.hold()

    def resume(self, store: Store | None) -> None:
        """The store object is the same, reopened (Store.reopen): whatever holds it goes on; what cached its old
        contents (the search index, triage, cached use-cases) is rebuilt on next use; the scheduler and indexing
        start again. None: nothing restarts (the app closes)."""
        if store is None:
            self.gone = True
            return
        self._s.forget(*FROM_CONTENTS)
        for holder in (self._s.engines.retrieval, self._s.engines.answers, self._s.triage):
            holder.reset()
        self._s.jobs.mail_reading.forget()  # its readings came from the old contents: the next run takes them back
        if self._scheduler_was_running:
            self._s.jobs.resume()
        self._s.indexing.release()
        self._s.jobs.mail_reading.release()


def store_care(services: Any) -> StoreCare:
    """Restore, rekey and wipe for Settings → Privacy, over the running app."""
    return StoreCare(AppStoreHost(services), home=services.home,
                     forget_sign_ins=lambda store: forget_keyring_entries(store, services.settings))
