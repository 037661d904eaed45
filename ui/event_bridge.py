"""Re-emits engine bus events (`engine.events`) as Qt signals on the GUI thread.

The engine's bus calls subscribers on whatever thread published (a sync worker, the scheduler); this
adapter only re-posts each event through a queued signal, so every receiver runs on the GUI thread.
It is the only place the UI subscribes to the engine bus.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from engine import events
from engine.events import EventBus


class EventBridge(QObject):
    """Create on the GUI thread; call `close()` (or let app exit) to unsubscribe."""

    event_received = Signal(str, dict)
    """name, payload — every engine event, in publication order."""
    sync_progress = Signal(str, float)
    """account key, fraction in [0, 1] (-1 when a pass starts and its size is not known yet)."""
    sync_finished = Signal(str)
    """account key — a sync pass finished; views showing mail/calendar refresh."""
    sync_failed = Signal(str, str)
    """account key, human message."""
    reauth_needed = Signal(str)
    """account key — polling stopped until the user reconnects (notification + Settings > Accounts)."""
    store_changed = Signal()
    """Data changed outside the UI (import, demo load, background job): views reload."""
    briefing_ready = Signal(str)
    """ISO day — a new daily briefing is ready (notification)."""
    index_progress = Signal(float)
    """fraction in [0, 1] — background indexing of new data is under way."""
    index_finished = Signal(dict)
    """embedded, failed, cancelled, error — a background indexing run ended."""
    _posted = Signal(str, dict)

    def __init__(self, *, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._posted.connect(self._dispatch)
        self._unsubscribe = bus.subscribe("*", self._on_engine_event)

    def close(self) -> None:
        self._unsubscribe()

    def _on_engine_event(self, name: str, payload: dict[str, Any]) -> None:
        # Any thread: only queue it to the GUI thread.
        self._posted.emit(name, dict(payload))

    @Slot(str, dict)
    def _dispatch(self, name: str, payload: dict[str, Any]) -> None:
        self.event_received.emit(name, payload)
        account = str(payload.get("account", ""))
        if name == events.SYNC_DID_START:
            self.sync_progress.emit(account, -1.0)
        elif name == events.SYNC_DID_PROGRESS:
            self.sync_progress.emit(account, float(payload.get("fraction", 0.0)))
        elif name == events.SYNC_DID_FINISH:
            self.sync_finished.emit(account)
            self.store_changed.emit()
        elif name == events.SYNC_DID_FAIL:
            self.sync_failed.emit(account, str(payload.get("error", "")))
        elif name == events.ACCOUNT_DID_NEED_REAUTH:
            self.reauth_needed.emit(account)
        elif name == events.STORE_DID_CHANGE:
            self.store_changed.emit()
        elif name == events.BRIEFING_DID_FINISH:
            self.briefing_ready.emit(str(payload.get("day", "")))
        elif name == events.INDEX_DID_PROGRESS:
            self.index_progress.emit(float(payload.get("fraction", 0.0)))
        elif name == events.INDEX_DID_FINISH:
            self.index_finished.emit(payload)
