"""One catalogue of engine events and a small thread-safe, Qt-free bus to publish them.

Events are named `<subject>_did_<verb>`; payloads are plain keyword values (ids, counts, states), never
message bodies, transcripts or prompts. Publishers (sync coordinators, indexers, schedulers) call
`bus.emit(name, **payload)` from any thread; subscribers are called synchronously on the emitting thread,
so they must return quickly (the UI's adapter, `ui.event_bridge`, only re-posts them to the GUI thread).
A subscriber that raises is logged and does not stop delivery to the others.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

SYNC_DID_START = "sync_did_start"
"""account: str — a connector started a sync pass."""
SYNC_DID_PROGRESS = "sync_did_progress"
"""account: str, fraction: float in [0, 1]."""
SYNC_DID_FINISH = "sync_did_finish"
"""account: str, added: int, updated: int, deleted: int."""
SYNC_DID_FAIL = "sync_did_fail"
"""account: str, error: str (a human message with its next step)."""
ACCOUNT_DID_NEED_REAUTH = "account_did_need_reauth"
"""account: str — polling stopped until the user reconnects."""
INDEX_DID_PROGRESS = "index_did_progress"
"""fraction: float in [0, 1] — a background indexing run is under way."""
INDEX_DID_FINISH = "index_did_finish"
"""embedded: int, failed: int, cancelled: bool, error: str ("" or a human message with its next step)."""
BRIEFING_DID_FINISH = "briefing_did_finish"
"""day: str (ISO date) — a new daily briefing is ready."""
MEETING_DID_UPDATE = "meeting_did_update"
"""meeting_id: int, status: str."""
JOB_DID_FINISH = "job_did_finish"
"""job: str (a name the user knows, e.g. "Backup"), outcome: str (a human line), failed: bool — a long job ended."""
STORE_DID_CHANGE = "store_did_change"
"""tables: list[str] — rows were imported or changed outside the UI (demo load, import)."""
MODEL_DID_MEASURE = "model_did_measure"
"""model: str (capability id), tier: str (evidence-only | rephrase | synthesise), score: float — a chat model's
capability probe finished (engine.llm.capability)."""
SETTINGS_DID_CHANGE = "settings_did_change"
"""names: list[str] — settings the user changed (names only, never values); components they shape rebuild."""

CATALOGUE = (
    SYNC_DID_START, SYNC_DID_PROGRESS, SYNC_DID_FINISH, SYNC_DID_FAIL, ACCOUNT_DID_NEED_REAUTH,
    INDEX_DID_PROGRESS, INDEX_DID_FINISH, BRIEFING_DID_FINISH, MEETING_DID_UPDATE, STORE_DID_CHANGE,
    MODEL_DID_MEASURE, SETTINGS_DID_CHANGE,
)

Subscriber = Callable[[str, dict[str, Any]], None]


class EventBus:
    """Publish/subscribe by event name ("*" receives everything). Safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[Subscriber]] = {}

    def subscribe(self, name: str, fn: Subscriber) -> Callable[[], None]:
        """Call `fn(name, payload)` for each `name` event; returns a function that unsubscribes."""
        with self._lock:
            self._subscribers.setdefault(name, []).append(fn)

        def unsubscribe() -> None:
            with self._lock:
                if fn in self._subscribers.get(name, []):
                    self._subscribers[name].remove(fn)

        return unsubscribe

    def emit(self, name: str, **payload: Any) -> None:
        """Deliver to `name` subscribers, then "*" subscribers, on the calling thread."""
        with self._lock:
            targets = [*self._subscribers.get(name, ()), *self._subscribers.get("*", ())]
        for fn in targets:
            try:
                fn(name, payload)
            except Exception:  # noqa: BLE001 - one broken subscriber must not starve the rest
                log.exception("event subscriber failed for %s", name)


__all__ = ["CATALOGUE", "EventBus", "Subscriber", *[n.upper() for n in CATALOGUE]]
