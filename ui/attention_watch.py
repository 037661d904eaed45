"""Every minute, asks what needs the user's attention (on the store worker), lets the notification policy decide,
shows the result through the `Notifier` and keeps the tray menu's status lines current.

Also turns engine bus events into notices: a reconnect is needed, an account synced again, a long job ended.
The snapshot is read off the GUI thread (`fetch` runs on the task runner); the policy and the presentation run on
the GUI thread (they are cheap). A failed poll is logged by type and retried on the next tick.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from engine.notifications import NotificationPolicy, tray_lines
from engine.usecases.attention import Attention
from ui.notifier import Notifier
from ui.tasks import TaskRunner
from ui.tray import TrayController

__all__ = ["AttentionWatch"]

log = logging.getLogger(__name__)


class AttentionWatch(QObject):
    polled = Signal()
    """A poll finished and its notices (if any) were shown."""

    def __init__(self, *, fetch: Callable[[datetime], Attention], policy: NotificationPolicy, notifier: Notifier,
                 tasks: TaskRunner, tray: TrayController | None = None, interval_ms: int = 60_000,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch, self.policy, self._notifier, self._tasks, self._tray = fetch, policy, notifier, tasks, tray
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Poll now, then every interval."""
        self.poll()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def poll(self) -> None:
        now = self._clock()
        self._tasks.run(lambda: self._fetch(now), kind="attention", owner=self, replace=False,
                        on_success=lambda snap: self._show(now, snap),
                        on_failure=lambda exc: log.info("attention poll failed: %s", type(exc).__name__))

    def _show(self, now: datetime, snap: Attention) -> None:
        self._notifier.show([*self.policy.meetings(now, snap.events), *self.policy.mail(now, snap.alerts)])
        if self._tray is not None:
            self._tray.set_status(*tray_lines(now, snap.events, snap.alerts, self.policy.tz))
        self.polled.emit()

    def on_engine_event(self, name: str, payload: dict[str, Any]) -> None:
        """Connect to `EventBridge.event_received`: reconnects and finished long jobs become notices."""
        account = str(payload.get("account", ""))
        if name == "account_did_need_reauth":
            self._notifier.show(self.policy.reconnect(account))
        elif name == "sync_did_finish":
            self.policy.synced(account)
        elif name == "job_did_finish":
            self._notifier.show(self.policy.job_finished(str(payload.get("job", "")), str(payload.get("outcome", "")),
                                                         failed=bool(payload.get("failed"))))
        elif name == "index_did_finish" and not payload.get("cancelled") and int(payload.get("embedded", 0)) >= 50:
            error = str(payload.get("error", ""))
            self._notifier.show(self.policy.job_finished(
                "Indexing", error or f"{payload.get('embedded')} new items are searchable.", failed=bool(error)))
