"""What every main-window page shares: its services, the task runner, and a busy/loaded state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ui.facade import AppFacade
from ui.tasks import STORE, TaskRunner

T = TypeVar("T")


class View(QWidget):
    """Base page. Subclasses implement `refresh()` (start loading) and render in their callbacks."""

    loaded = Signal()
    """Emitted after a page has rendered fresh data (tests and the screenshot script wait on it)."""
    open_target = Signal(str)
    add_files = Signal(list)
    """Paths the user picked to add to Reflex (documents, mail files, recordings); the main window adds them."""
    """A `reflex://<type>/<id>[?t=..]` link the main window should open (citations, agenda items)."""

    title = ""

    def __init__(self, *, services: AppFacade, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.setAccessibleName(f"{self.title} page")

    def refresh(self) -> None:
        """Reload from the store (asynchronously). Default: nothing to load."""
        self.loaded.emit()

    def load(self, fn: Callable[..., T], on_success: Callable[[T], None], *, kind: str = "load",
             pool: str = STORE, **kwargs: Any) -> None:
        """Run `fn` on a worker and render its result on the GUI thread (one load per page at a time)."""
        self.tasks.run(fn, kind=f"{type(self).__name__}.{kind}", owner=self, pool=pool,
                       on_success=on_success, **kwargs)

    def select_target(self, kind: str, ident: int, query: dict[str, str]) -> None:
        """Show the item a `reflex://kind/ident?query` link points at (pages that own items override)."""
