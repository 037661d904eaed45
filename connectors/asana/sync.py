"""Asana project streams: a full listing, then incremental changes from the events API's sync tokens; and the
user's own tasks ("asana:mytasks": assigned to them in the workspace, changed since the last pass).

One stream per project the user picked: "asana:project:<gid>". Cursor states (`encode_cursor`):
- `{"phase": "full", "sync": S, "offset": O}`: listing the project's tasks page by page. S was taken
  BEFORE the listing (Asana hands out a first token with a 412), so changes made while listing are
  replayed from the events afterwards (replays are idempotent upserts).
- `{"phase": "events", "sync": S}`: `GET /events?resource=<project>&sync=S`, at most 100 events a call,
  `has_more` says whether to call again.
A full listing is never `done`: the same run continues with the events catch-up. A 412 on a stored token
raises `CursorExpired`; the engine clears the cursor once and a bounded full resync starts.

Event handling: for task events, "deleted" removes the task; every other action re-reads the task (one
`GET /tasks/<gid>`, deduplicated per batch) so the store holds the task as it is now, including tasks
removed from the project (their project list changes) and completions (which close linked commitments).

Tasks do not fit `SyncBatch`'s mail/calendar fields, so batches are `TaskBatch`es; the engine commits
them with `engine.jobs.TaskSyncCoordinator`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from connectors.asana.client import AsanaClient, NotFound, SyncTokenExpired
from connectors.asana.mapping import TASK_FIELDS, task_from_asana
from connectors.base import SyncBatch, decode_cursor, encode_cursor
from connectors.errors import CursorExpired
from models.tasks import Task

__all__ = ["MY_TASKS", "PROJECT_PREFIX", "AsanaConnector", "TaskBatch"]

log = logging.getLogger(__name__)

PROJECT_PREFIX = "asana:project:"
MY_TASKS = "asana:mytasks"


@dataclass(slots=True)
class TaskBatch(SyncBatch):
    """A `SyncBatch` that also carries tasks (upserted) and deleted task ids."""

    tasks: list[Task] = field(default_factory=list)
    deleted_tasks: list[str] = field(default_factory=list)

    @property
    def change_count(self) -> int:
        return len(self.tasks) + len(self.deleted_tasks)


class AsanaConnector:
    """The picked projects of one Asana user, as `Connector` streams of `TaskBatch`es.

    `account` is "asana:<user gid>". Not thread-safe: one sync of an account at a time.
    """

    def __init__(self, client: AsanaClient, *, account: str, projects: tuple[str, ...], workspace: str = "",
                 page_size: int = 100, initial_days: int = 90) -> None:
        """`workspace`: also sync the user's own tasks there ("asana:mytasks"), in any project or none."""
        self.client = client
        self.account = account
        self.projects = projects
        self.workspace = workspace
        self.page_size = page_size
        self.initial_days = initial_days

    def streams(self) -> list[str]:
        return [PROJECT_PREFIX + gid for gid in self.projects] + ([MY_TASKS] if self.workspace else [])

    def sync(self, stream: str, cursor: str | None) -> TaskBatch:
        if stream == MY_TASKS and self.workspace:
            return self._my_tasks(decode_cursor(cursor))
        project = stream[len(PROJECT_PREFIX):] if stream.startswith(PROJECT_PREFIX) else ""
        if project not in self.projects:
            raise ValueError(f"unknown stream {stream!r} for {self.account}")
        state = decode_cursor(cursor)
        if state is None:
            state = {"phase": "full", "sync": self._fresh_token(project), "offset": None}
        if state.get("phase") == "full":
            return self._list_page(project, state)
        return self._events(project, str(state["sync"]))

    # -- the user's own tasks ----------------------------------------------------------------------------

    def _my_tasks(self, state: dict | None) -> TaskBatch:
        """Tasks assigned to the user, changed since the last pass (Asana has no events feed for them: the
        cursor is the time the previous pass started). A task deleted in Asana stays until its project syncs."""
        if state is None or not state.get("since"):
            since = datetime.now(timezone.utc) - timedelta(days=self.initial_days)
            state = {"since": since.isoformat(timespec="seconds"), "offset": None}
        started = state.get("started") or datetime.now(timezone.utc).isoformat(timespec="seconds")
        opts = {"assignee": "me", "workspace": self.workspace, "modified_since": state["since"],
                "limit": self.page_size, "opt_fields": TASK_FIELDS}
        if state.get("offset"):
            opts["offset"] = state["offset"]
        page = self.client.call(self.client.tasks.get_tasks, opts, full_payload=True)
        tasks = [task_from_asana(item, account=self.account) for item in page.get("data") or []]
        offset = (page.get("next_page") or {}).get("offset")
        cursor = {**state, "offset": offset, "started": started} if offset else {"since": started}
        log.info("asana %s/my tasks: %d changed", self.account, len(tasks))
        return TaskBatch(tasks=tasks, new_cursor=encode_cursor(cursor), done=not offset)

    # -- full listing -------------------------------------------------------------------------------

    def _fresh_token(self, project: str) -> str:
        """Asana answers a call without a sync token with 412 and a token for "from now"."""
        try:
            data = self.client.call(self.client.events.get_events, project, {}, full_payload=True)
        except SyncTokenExpired as err:
            return err.fresh_token
        return str(data.get("sync", ""))

    def _list_page(self, project: str, state: dict) -> TaskBatch:
        opts = {"limit": self.page_size, "opt_fields": TASK_FIELDS}
        if state.get("offset"):
            opts["offset"] = state["offset"]
        page = self.client.call(self.client.tasks.get_tasks_for_project, project, opts, full_payload=True)
        tasks = [task_from_asana(item, account=self.account) for item in page.get("data") or []]
        offset = (page.get("next_page") or {}).get("offset")
        cursor = {**state, "offset": offset} if offset else {"phase": "events", "sync": state["sync"]}
        log.info("asana %s/%s: listing page with %d tasks", self.account, project, len(tasks))
        return TaskBatch(tasks=tasks, new_cursor=encode_cursor(cursor), done=False, full_sync=True)

    # -- incremental --------------------------------------------------------------------------------

    def _events(self, project: str, token: str) -> TaskBatch:
        try:
            data = self.client.call(self.client.events.get_events, project, {"sync": token}, full_payload=True)
        except SyncTokenExpired as err:
            raise CursorExpired("Asana events are no longer available from the stored point",
                                next_step="Reflex resyncs the project.") from err
        deleted: dict[str, None] = {}
        changed: dict[str, None] = {}
        for event in data.get("data") or []:
            resource = event.get("resource") or {}
            if resource.get("resource_type") != "task":
                continue
            gid = str(resource["gid"])
            if event.get("action") == "deleted":
                deleted[gid] = None
                changed.pop(gid, None)
            else:
                changed[gid] = None
                deleted.pop(gid, None)
        tasks: list[Task] = []
        for gid in changed:
            try:
                item = self.client.call(self.client.tasks.get_task, gid, {"opt_fields": TASK_FIELDS})
            except NotFound:
                deleted[gid] = None
                continue
            tasks.append(task_from_asana(item, account=self.account))
        log.info("asana %s/%s: %d events, %d tasks changed, %d deleted", self.account, project,
                 len(data.get("data") or []), len(tasks), len(deleted))
        return TaskBatch(tasks=tasks, deleted_tasks=list(deleted),
                         new_cursor=encode_cursor({"phase": "events", "sync": str(data.get("sync") or token)}),
                         done=not data.get("has_more"))
