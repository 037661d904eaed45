"""A fake Asana API (1.0) on 127.0.0.1, spoken to by the real `asana` SDK (v5).

Wire format as Asana's: `{"data": ...}` envelopes, `next_page: {offset, path, uri}` pagination with opaque
offsets, `{"errors": [{"message": ...}]}` on failure, 401 for an unknown token. The events API keeps a log
per project: `GET /events?resource=<gid>` without a token, or with one older than `min_seq`, answers 412
with a fresh `sync` token; otherwise up to `events_page` events since the token, a new `sync`, `has_more`.
Tests edit tasks through helpers (`add_task`, `update_task`, `delete_task`) which log the events Asana
would emit. Rate limits are injected with `fail(path, 429, headers={"Retry-After": ...})`.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from datetime import datetime, timezone
from urllib.parse import urlencode

from connectors.asana import AsanaEndpoints
from tests.fakes.tls import LocalServer, Reply

USER = "1200000000000001"
WORKSPACE = "1100000000000001"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FakeAsana(LocalServer):
    def __init__(self, *, events_page: int = 100) -> None:
        super().__init__()
        self.lock = threading.RLock()
        self.tokens = {"pat-good": USER}
        self.users = {USER: {"gid": USER, "resource_type": "user", "name": "Dana Reyes",
                             "email": "dana@northwind.example"}}
        self.projects: dict[str, dict] = {}
        self.tasks: dict[str, dict] = {}
        self.events: list[tuple[int, str, dict]] = []  # (seq, project gid, event)
        self.seq = 0
        self.min_seq = 0
        self.events_page = events_page
        self.created: list[dict] = []
        self._gids = itertools.count(1300000000000001)

    def endpoints(self) -> AsanaEndpoints:
        return AsanaEndpoints(api=f"{self.url}/api/1.0")

    # -- helpers --------------------------------------------------------------------------------------

    def gid(self) -> str:
        return str(next(self._gids))

    def add_project(self, name: str) -> str:
        gid = self.gid()
        with self.lock:
            self.projects[gid] = {"gid": gid, "resource_type": "project", "name": name, "archived": False}
        return gid

    def _log(self, action: str, task: dict, project: str | None = None) -> None:
        targets = [project] if project else [p["gid"] for p in task["projects"]]
        for gid in targets:
            self.seq += 1
            self.events.append((self.seq, gid, {
                "user": {"gid": USER, "resource_type": "user"}, "created_at": _now(), "type": "task",
                "action": action, "resource": {"gid": task["gid"], "resource_type": "task", "name": task["name"]},
                "parent": {"gid": gid, "resource_type": "project"} if action in ("added", "removed") else None}))

    def add_task(self, name: str, project: str, *, assignee: str | None = USER, due_on: str | None = None,
                 notes: str = "") -> str:
        gid = self.gid()
        with self.lock:
            self.tasks[gid] = {"gid": gid, "resource_type": "task", "name": name, "notes": notes,
                               "assignee": dict(self.users[assignee]) if assignee else None, "due_on": due_on,
                               "due_at": None, "completed": False, "completed_at": None,
                               "projects": [{"gid": project, "resource_type": "project",
                                             "name": self.projects[project]["name"]}] if project else [],
                               "permalink_url": f"https://app.asana.com/0/{project or 0}/{gid}",
                               "modified_at": _now(), "workspace": {"gid": WORKSPACE}}
            if project:
                self._log("added", self.tasks[gid], project)
        return gid

    def update_task(self, gid: str, **changes: object) -> None:
        with self.lock:
            task = self.tasks[gid]
            task.update(changes, modified_at=_now())
            if changes.get("completed"):
                task["completed_at"] = _now()
            self._log("changed", task)

    def delete_task(self, gid: str) -> None:
        with self.lock:
            task = self.tasks.pop(gid)
            self._log("deleted", task)

    def expire_tokens(self) -> None:
        with self.lock:
            self.min_seq = self.seq + 1

    # -- HTTP -----------------------------------------------------------------------------------------

    @staticmethod
    def _errors(status: int, message: str, **extra: object) -> Reply:
        return Reply.json({"errors": [{"message": message}], **extra}, status)

    def _page(self, items: list[dict], query: dict[str, str], path: str) -> Reply:
        start = int(base64.b64decode(query["offset"]).decode()) if query.get("offset") else 0
        limit = int(query.get("limit") or 50)
        chunk = items[start:start + limit]
        next_page = None
        if start + limit < len(items):
            offset = base64.b64encode(str(start + limit).encode()).decode()
            next_page = {"offset": offset, "path": f"{path}?{urlencode({'limit': limit, 'offset': offset})}",
                         "uri": f"{self.url}/api/1.0{path}"}
        return Reply.json({"data": chunk, "next_page": next_page})

    def handle(self, method: str, path: str, query: dict[str, str], headers: dict[str, str],
               body: bytes) -> Reply:
        if not path.startswith("/api/1.0/"):
            return self._errors(404, "Not found")
        token = headers.get("authorization", "").removeprefix("Bearer ").strip()
        with self.lock:
            if token not in self.tokens:
                return self._errors(401, "Not Authorized")
            parts = path[len("/api/1.0/"):].strip("/").split("/")
            if parts == ["users", "me"]:
                return Reply.json({"data": {**self.users[USER], "workspaces": [
                    {"gid": WORKSPACE, "resource_type": "workspace", "name": "Northwind"}]}})
            if parts == ["projects"] or parts[:1] == ["workspaces"] and parts[-1:] == ["projects"]:
                return self._page(list(self.projects.values()), query, "/" + "/".join(parts))
            if len(parts) == 3 and parts[0] == "projects" and parts[2] == "tasks":
                if parts[1] not in self.projects:
                    return self._errors(404, "project: Unknown object")
                tasks = [t for t in self.tasks.values() if any(p["gid"] == parts[1] for p in t["projects"])]
                return self._page(tasks, query, path[len("/api/1.0"):])
            if parts == ["tasks"] and method == "POST":
                return self._create(json.loads(body or b"{}").get("data") or {})
            if parts == ["tasks"]:  # GET /tasks?assignee=me&workspace=W&modified_since=T: the user's own tasks
                if query.get("assignee") != "me" or query.get("workspace") != WORKSPACE:
                    return self._errors(400, "assignee and workspace are required")
                since = datetime.fromisoformat(query.get("modified_since") or "1970-01-01T00:00:00+00:00")
                mine = [t for t in self.tasks.values() if (t.get("assignee") or {}).get("gid") == USER
                        and datetime.fromisoformat(t["modified_at"]) >= since]
                return self._page(mine, query, "/tasks")
            if len(parts) == 2 and parts[0] == "tasks":
                task = self.tasks.get(parts[1])
                return Reply.json({"data": task}) if task else self._errors(404, "task: Unknown object")
            if parts == ["events"]:
                return self._events(query)
        return self._errors(404, "Not found")

    def _create(self, data: dict) -> Reply:
        if not data.get("name") or data.get("workspace") != WORKSPACE:
            return self._errors(400, "name and a known workspace are required")
        project = (data.get("projects") or [None])[0]
        assignee = USER if data.get("assignee") in ("me", USER) else None
        gid = self.add_task(str(data["name"]), project, assignee=assignee, due_on=data.get("due_on"),
                            notes=str(data.get("notes", "")))
        self.created.append(data)
        return Reply.json({"data": self.tasks[gid]}, 201)

    def _events(self, query: dict[str, str]) -> Reply:
        project = query.get("resource", "")
        if project not in self.projects:
            return self._errors(400, "resource: Not a valid resource")
        fresh = f"sync-{self.seq}"
        token = query.get("sync", "")
        if not token.startswith("sync-") or int(token[5:]) < self.min_seq - 1:
            return self._errors(412, "Sync token invalid or too old. If you are attempting to keep resources "
                                     "in sync, you must fetch the full dataset for this query now and use the "
                                     "new sync token for the next sync.", sync=fresh)
        since = int(token[5:])
        pending = [(seq, ev) for seq, gid, ev in self.events if seq > since and gid == project]
        chunk = pending[:self.events_page]
        last = chunk[-1][0] if chunk else since
        return Reply.json({"data": [ev for _, ev in chunk], "sync": f"sync-{last if len(pending) > len(chunk) else self.seq}",
                           "has_more": len(pending) > len(chunk)})
