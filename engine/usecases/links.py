"""`reflex://` links that open a source in the app: an email's thread, a meeting (at the moment a transcript
segment was said)."""

from __future__ import annotations

from engine.store import Store

__all__ = ["source_link"]


def source_link(store: Store, source_type: str, source_id: int) -> str:
    """The link for a source, or "" when it is gone or has no page."""
    if source_type == "email":
        return f"reflex://email/{source_id}"
    if source_type == "segment":
        position = store.meetings.segment_position(source_id)
        return f"reflex://meeting/{position[0]}?t={position[1]:.2f}" if position else ""
    if source_type == "meeting":
        return f"reflex://meeting/{source_id}"
    return ""
