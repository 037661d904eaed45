"""Slack and Asana in the product: a Slack reply drafted in the Inbox becomes a pending action the user
confirms (Slack has no drafts folder, so "save as draft" means "wait for my confirmation, then post"), and
Asana tasks are listed and searched on the Tasks page.

Why here and not in the connectors: the connectors map and write; deciding what a reply in the Inbox means
for a Slack message, and what a search over tasks matches, is product behaviour shared by the app and the
CLI. Store reads and one pending-action write; call from the store worker.
"""

from __future__ import annotations

from connectors.errors import ConnectorError
from connectors.slack import SLACK_REPLY, reply_payload
from engine.errors import EngineError
from engine.store import Store
from models import Message
from models.tasks import Task

__all__ = ["find_tasks", "is_slack", "propose_slack_reply"]


def is_slack(message: Message) -> bool:
    """Whether `message` came from a Slack workspace (its reply is posted in the thread, not saved as a draft)."""
    return message.account.startswith("slack:")


def propose_slack_reply(store: Store, message_id: int, text: str) -> int:
    """A pending `slack_reply` into the thread of stored Slack message `message_id`; returns the action id.
    Nothing is posted until the user confirms it. Raises EngineError for an empty reply, a message that is
    gone, or one that is not a Slack message Reflex can reply to."""
    if not text.strip():
        raise EngineError("The reply is empty.", next_step="Write the reply first.")
    message = store.messages.get(message_id)
    if message is None:
        raise EngineError("That message is no longer in the store.", next_step="Refresh the inbox.")
    try:
        payload = reply_payload(message, text.strip())
    except ConnectorError as exc:
        raise EngineError(str(exc), next_step="Reply in Slack itself.") from exc
    return store.pending_actions.add(SLACK_REPLY, {**payload, "origin": "slack", "ref": message.provider_id})


def find_tasks(store: Store, query: str = "", *, open_only: bool = True) -> list[Task]:
    """Synced tasks (Asana) by due date, undated last, whose title, notes, projects or assignee contain every
    word of `query` (case-insensitive)."""
    words = query.lower().split()
    out = []
    for task in store.tasks.list(open_only=open_only):
        haystack = " ".join([task.title, task.notes, task.assignee_name, task.assignee_email, *task.projects]).lower()
        if all(w in haystack for w in words):
            out.append(task)
    return out
