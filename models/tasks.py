"""Tasks from a task manager (Asana), linked back to what created them in Reflex."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class Task:
    """One task. `provider_id` is unique per account (Asana task gid), which makes upserts idempotent.

    `source` says where a task Reflex created came from ("commitment:12"); `commitment_id` links it to the
    commitment it tracks, so completing the task closes the commitment. Both are Reflex-side fields: a
    sync never knows or clears them.
    """

    account: str
    provider_id: str
    title: str
    notes: str = ""
    assignee_email: str = ""
    assignee_name: str = ""
    due: date | None = None
    completed: bool = False
    completed_at: datetime | None = None
    projects: list[str] = field(default_factory=list)  # project names
    url: str = ""
    modified_at: datetime | None = None
    source: str = ""
    commitment_id: int | None = None
    id: int | None = None
