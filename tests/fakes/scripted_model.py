"""Scripted "models" for the fake local servers: they recognise the capability probe's items in a chat request
and answer them as a good, a one-source-only, a bad or a hallucinating model would. Anything else gets a short
fixed reply. Each is a `reply(body) -> str` for `FakeChatServer`.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from engine.llm.capability import ProbeItem, builtin_probe

Reply = Callable[[dict], str]


def _item(body: dict) -> ProbeItem | None:
    users = [m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"]
    text = users[-1] if users else ""
    for item in builtin_probe().items:
        if (item.text and item.text in text) or (item.question and item.question in text):
            return item
    return None


def _good(item: ProbeItem) -> str:
    if item.kind == "extract":
        return json.dumps(dict(item.fields))
    if item.kind == "refusal":
        return "Not in the sources."
    return "The answer is " + " and ".join(group[0] for group in item.gold) + " [1]."


def good(body: dict) -> str:
    """Right on every item: a model fit to synthesise."""
    item = _item(body)
    return _good(item) if item else "Here is a short answer."


def single_source(body: dict) -> str:
    """Right on one-source questions, refusals and JSON, but answers two-source questions with half the facts."""
    item = _item(body)
    if item and item.kind == "synthesis":
        return f"The answer is {item.gold[0][0]} [1]." if len(item.gold) > 1 else "Not in the sources."
    return good(body)


def hallucinating(body: dict) -> str:
    """States the right fact, then invents a figure and a person the sources never mention."""
    item = _item(body)
    if item and item.kind != "extract":
        return _good(item) + " Martin Keller confirmed a 17% increase on 23 March."
    return good(body)


def bad(body: dict) -> str:
    """Never answers from the sources: refuses everything and returns empty JSON."""
    item = _item(body)
    return "{}" if item and item.kind == "extract" else "Not in the sources."
