"""Structured replies that fit their token budget: the budget a JSON schema needs, and closing a reply that ran
out of it anyway.

A grammar makes the model emit JSON of the schema's shape, but `max_tokens` can still cut the reply mid-string
("a grammar-constrained reply cut off by max_tokens=40 was invalid JSON" on another CPU). Two defences:
- `token_ceiling(schema)`: when every string and array of the schema is bounded, the most tokens any reply the
  grammar allows can take (each token is at least one byte, so bytes bound tokens). `LLMService.structured`
  raises the budget to it, so such a reply can never be cut.
- `close_truncated(text)`: a reply that was cut anyway (unbounded text fields, a cloud model) becomes valid JSON:
  open strings and containers are closed and a value cut mid-token (a number that may have lost digits, `tru`)
  is dropped with its key. Validation then fills in defaults; a required field the model never reached stays
  missing, so validation reports it (the caller retries or says so) instead of Reflex inventing a value.
Pure functions; thread-safe.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pydantic_core

__all__ = ["close_truncated", "token_ceiling"]

#: Whitespace the grammar allows around each separator: llama-cpp-python 0.3's converter has `space ::= " "?`.
_SPACE = 1
#: Worst case bytes per string character: a `\uXXXX` escape.
_CHAR = 6
#: The longest JSON number the grammar lets the model write is unbounded in principle; llama.cpp's integer rule
#: allows up to 16 digits and the fraction/exponent about as many again.
_NUMBER = 40

_CUT_SCALAR = re.compile(r"(?<=[\[:,])\s*(?:-?[0-9][0-9.eE+-]*|-|t|tr|tru|f|fa|fal|fals|n|nu|nul)\s*$")


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _resolve(defs.get(ref.rsplit("/", 1)[1], {}), defs)
    return node


def token_ceiling(schema: dict[str, Any]) -> int | None:
    """The most tokens a grammar-conforming reply for `schema` can take, or None when some string or array has
    no bound (then only `close_truncated` protects the reply)."""
    defs = schema.get("$defs", {})

    def size(node: dict[str, Any]) -> int | None:
        node = _resolve(node, defs)
        if "const" in node:
            return len(json.dumps(node["const"]))
        if "enum" in node:
            return max(len(json.dumps(v)) for v in node["enum"])
        options = node.get("anyOf") or node.get("oneOf")
        if options:
            sizes = [size(o) for o in options]
            return None if None in sizes else max(s for s in sizes if s is not None)
        kind = node.get("type")
        if kind == "string":
            limit = node.get("maxLength")
            if limit is None and isinstance(node.get("pattern"), str):
                return _pattern_size(node["pattern"])
            return None if limit is None else 2 + _CHAR * int(limit)
        if kind in ("integer", "number"):
            return _NUMBER
        if kind in ("boolean", "null"):
            return 5
        if kind == "array":
            limit, item = node.get("maxItems"), size(node.get("items", {}))
            return None if limit is None or item is None else 2 + int(limit) * (item + 1 + 2 * _SPACE)
        if kind == "object":
            total = 2 + _SPACE
            for key, sub in node.get("properties", {}).items():
                value = size(sub)
                if value is None:
                    return None
                total += len(json.dumps(key)) + 2 + value + 3 * _SPACE
            return total
        return None

    return size(schema)


def _pattern_size(pattern: str) -> int | None:
    """Characters a simple anchored pattern can match ("^[0-9]{4}-[0-9]{2}$"), None for anything open-ended."""
    body = pattern.removeprefix("^").removesuffix("$")
    if re.search(r"[*+]|\{\d*,\}|\)\{", body):
        return None
    units = re.findall(r"(\[[^\]]*\]|\\.|[^\\\[{])(?:\{(\d+)(?:,(\d+))?\})?", body)
    return 2 + _CHAR * sum(int(hi or lo or 1) for _, lo, hi in units)


def close_truncated(text: str) -> str:
    """`text` if it is valid JSON; else the cut-off JSON reply closed into valid JSON (see the module docstring).
    Text that is no JSON prefix at all comes back unchanged, for validation to reject."""
    try:
        json.loads(text)
        return text
    except ValueError:
        pass
    try:
        value = pydantic_core.from_json(_CUT_SCALAR.sub("", text), allow_partial="trailing-strings")
    except ValueError:
        return text
    return json.dumps(value, ensure_ascii=False)
