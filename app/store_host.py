"""The running app as `engine.usecases.store_care.StoreHost`: what restore, rekey and wipe pause, and what they
hand back. Built by `Services.store_care`; the use-case runs on the UI's store worker, so no other store task runs
meanwhile, and the scheduler and indexing are stopped (waiting for their work under way) before the store closes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.privacy import forget_keyring_entries
from engine.store import Store
from engine.usecases.store_care import StoreCare

if TYPE_CHECKING:
    from app.services import Services

__all__ = ["AppStoreHost", "store_care"]


class AppStoreHost:
    def __init__(self, services: "Services") -> None:
        self._s = services
        self.gone = False  # a wipe (or a store that would not reopen) left the app without a store

    @property
    def db_path(self) -> Path:
        return self._s.ctx.db_path

    def store(self) -> Store:
        return self._s.store

    def pause(self) -> None:
        self._s.pause_background()

    def resume(self, store: Store | None) -> None:
        """The store object is the same, reopened (Store.reopen): whatever holds it goes on; what cached its old
        contents is rebuilt. None: nothing restarts (the app closes)."""
        if store is None:
            self.gone = True
            return
        self._s.resume_background(contents_changed=True)


def store_care(services: "Services") -> StoreCare:
    """Restore, rekey and wipe for Settings → Privacy, over the running app."""
    return StoreCare(AppStoreHost(services), home=services.home,
                     forget_sign_ins=lambda store: forget_keyring_entries(store, services.settings))
