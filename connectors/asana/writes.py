"""Writes to Asana, never automatic: the engine turns each into a pending action the user confirms.

`create_task` performs the call only when invoked. It is not retried after an ambiguous network failure
(the task may exist already); a 429 is retried, since Asana did nothing.
"""

from __future__ import annotations

from typing import Any

from connectors.asana.client import AsanaClient
from connectors.asana.mapping import TASK_FIELDS, task_from_asana
from connectors.errors import ConnectorError
from models.tasks import Task

__all__ = ["ASANA_TASK", "create_task"]

#: The pending-action kind for a task Reflex proposes to create in Asana.
ASANA_TASK = "asana_task"


def create_task(client: AsanaClient, body: dict[str, Any], *, account: str) -> Task:
    """Create a task from a `tasks.create` body (`commitment_task_body`); returns it as Asana stored it."""
    if not str(body.get("name", "")).strip() or not body.get("workspace"):
        raise ConnectorError("A task needs a name and a workspace.")

    created = client.call(client.tasks.create_task, {"data": body}, {"opt_fields": TASK_FIELDS},
                          idempotent=False)
    return task_from_asana(created, account=account)
