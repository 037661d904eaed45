"""Structured replies that fit their budget (engine/llm/schema_fit.py): any cut-off JSON reply closes into valid
JSON that keeps every value written in full, and a bounded schema's budget covers its longest reply."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from engine.llm.budget import PromptParts
from engine.llm.errors import StructuredOutputError
from engine.llm.schema_fit import close_truncated, token_ceiling
from engine.llm.structured import generate_structured

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                     st.floats(allow_nan=False, allow_infinity=False))
_JSON = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=12)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(doc=st.dictionaries(st.text(max_size=6), _JSON, min_size=1, max_size=5), cut=st.integers(1, 400),
       indent=st.sampled_from([None, 2]))
def test_any_prefix_of_a_json_object_closes_into_valid_json_keeping_whole_values(doc, cut, indent) -> None:
    text = json.dumps(doc, indent=indent)
    prefix = text[:cut]
    closed = json.loads(close_truncated(prefix))
    assert isinstance(closed, dict)
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        through = len(json.dumps(dict(items[: i + 1]), indent=indent).rstrip("}").rstrip())
        if len(prefix) > through:  # written in full and followed by a separator: kept exactly
            assert closed[key] == value


def test_a_value_cut_mid_token_is_dropped_not_guessed() -> None:
    assert json.loads(close_truncated('{"title": "Budget rev')) == {"title": "Budget rev"}
    assert json.loads(close_truncated('{"title": "A", "minutes": 1')) == {"title": "A"}  # 1 of 15? never guessed
    assert json.loads(close_truncated('{"title": "A", "remote": tru')) == {"title": "A"}
    assert json.loads(close_truncated('{"a": [1, 2, {"b": "x')) == {"a": [1, 2, {"b": "x"}]}
    assert close_truncated('{"done": true}') == '{"done": true}'
    assert close_truncated("no json at all") == "no json at all"  # left for validation to reject


class Bounded(BaseModel):
    title: str = Field(min_length=1, max_length=40)
    minutes: Literal[15, 30, 45, 60]
    remote: bool
    day: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    tags: list[Literal["a", "bb"]] = Field(default_factory=list, max_length=3)


class Unbounded(BaseModel):
    body: str


def test_a_bounded_schema_has_a_ceiling_above_its_longest_reply_and_an_unbounded_one_none() -> None:
    ceiling = token_ceiling(Bounded.model_json_schema())
    longest = Bounded(title="\u2028\u2029" * 20, minutes=60, remote=False, day="2026-12-01", tags=["bb"] * 3)
    assert ceiling is not None and len(json.dumps(longest.model_dump(), ensure_ascii=True).encode()) <= ceiling
    assert token_ceiling(Unbounded.model_json_schema()) is None
    assert token_ceiling({"type": "string", "pattern": "^[a-z]+$"}) is None


class _Note(BaseModel):
    title: str
    body: str


def test_a_raw_control_character_in_a_string_is_read_not_retried() -> None:

    replies = ['{"title": "Call\tKim", "body": "line one\nline two"}']
    calls: list[str] = []

    def generate(parts: PromptParts, grammar: str | None) -> str:
        calls.append(parts.question)
        return replies[0]

    note = generate_structured(_Note, PromptParts("q", system="s"), generate, use_grammar=False)
    assert (note.title, note.body) == ("Call\tKim", "line one\nline two")
    assert len(calls) == 1  # no retry spent on it


def test_json_that_is_really_broken_still_fails_after_one_retry() -> None:

    calls: list[str] = []

    def generate(parts: PromptParts, grammar: str | None) -> str:
        calls.append(parts.question)
        return '{"title": "x", "body": }'

    with pytest.raises(StructuredOutputError):
        generate_structured(_Note, PromptParts("q", system="s"), generate, use_grammar=False)
    assert len(calls) == 2
