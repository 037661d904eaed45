"""Asana JSON <-> `models.Task`. Pure functions, no I/O."""

from __future__ import annotations

from datetime import date, datetime
from collections.abc import Callable
from typing import Any

from models import Commitment, Evidence
from models.tasks import Task

__all__ = ["TASK_FIELDS", "commitment_task_body", "task_from_asana"]

#: opt_fields for every task read, so list and get return the same shape.
TASK_FIELDS = ("name,notes,assignee,assignee.name,assignee.email,due_on,due_at,completed,completed_at,"
               "projects,projects.name,permalink_url,modified_at")


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def task_from_asana(item: dict[str, Any], *, account: str) -> Task:
    """A task record (with `TASK_FIELDS`) -> `Task`; `due_at` wins over `due_on` for the due date."""
    assignee = item.get("assignee") or {}
    due_at = _datetime(item.get("due_at"))
    due = due_at.date() if due_at else (date.fromisoformat(item["due_on"]) if item.get("due_on") else None)
    return Task(
        account=account, provider_id=str(item["gid"]), title=str(item.get("name") or ""),
        notes=str(item.get("notes") or ""), assignee_email=str(assignee.get("email") or ""),
        assignee_name=str(assignee.get("name") or ""), due=due, completed=bool(item.get("completed")),
        completed_at=_datetime(item.get("completed_at")),
        projects=[str(p.get("name") or p.get("gid")) for p in item.get("projects") or []],
        url=str(item.get("permalink_url") or ""), modified_at=_datetime(item.get("modified_at")),
    )


def _evidence_line(commitment: Commitment, link: Callable[[Evidence], str] | None) -> str:
    kinds = {"email": "an e-mail", "meeting": "a meeting", "segment": "a meeting transcript"}
    lines = []
    for ev in commitment.evidence[:3]:
        url = link(ev) if link is not None else ""
        where = f"{kinds.get(ev.source_type, ev.source_type)} ({url or f'Reflex {ev.source_type} #{ev.source_id}'})"
        lines.append(f"- From {where}" + (f': "{ev.quote}"' if ev.quote else ""))
    return "\n".join(lines)


def commitment_task_body(commitment: Commitment, *, workspace: str, project: str = "", assignee: str = "me",
                         link: Callable[[Evidence], str] | None = None) -> dict[str, Any]:
    """The `tasks.create` body for a commitment, with links back to its sources in the notes (`link` turns a
    source into a reflex:// URL that opens it in the app)."""
    who = (f"You promised {commitment.counterparty}" if commitment.direction == "owed_by_me"
           else f"{commitment.owner} owes you")
    notes = (f"{who}: {commitment.what}\n\nCreated by Reflex from commitment #{commitment.id}.\n"
             f"{_evidence_line(commitment, link)}")
    body: dict[str, Any] = {"name": commitment.what[:250], "notes": notes.strip(), "workspace": workspace}
    if commitment.direction == "owed_by_me":
        body["assignee"] = assignee
    if commitment.due:
        body["due_on"] = commitment.due.isoformat()
    if project:
        body["projects"] = [project]
    return body
