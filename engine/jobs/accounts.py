"""Account lifecycle in the store: forget an account, and (only when the user asks) its synced data."""

from __future__ import annotations

import logging

from engine.store import Store

__all__ = ["remove_account"]

log = logging.getLogger(__name__)


def remove_account(store: Store, key: str, *, delete_data: bool) -> dict[str, int]:
    """Delete the account row and its cursors; with `delete_data`, also its messages and events.

    One transaction: either the account is fully gone or nothing changed. Returns counts removed.
    Tokens are the connector's business (`GoogleAuth.forget` / `MicrosoftAuth.forget`).
    """
    removed = {"messages": 0, "events": 0}
    with store.transaction():
        if delete_data:
            message_ids = store.messages.provider_ids(key)
            event_ids = store.events.provider_ids(key)
            store.messages.delete_provider_ids(key, message_ids)
            store.events.delete_provider_ids(key, event_ids)
            store.messages.delete_empty_threads(key)
            removed = {"messages": len(message_ids), "events": len(event_ids)}
        store.accounts.delete(key)
    log.info("account removed (data deleted: %s): %s", delete_data, removed)
    return removed
