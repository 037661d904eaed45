"""Structured output: a pydantic model in, a validated instance out.

Locally the schema becomes a GBNF grammar (`LlamaGrammar.from_json_schema`'s converter), so the
model can only emit JSON of the right shape; pydantic then checks what a grammar cannot. A reply cut
off by `max_tokens` is closed into valid JSON first (`schema_fit.close_truncated`; the service also
sizes the budget from the schema). Cloud models get the schema in the prompt. Either way: one retry
that tells the model what was wrong, then `StructuredOutputError`. Thread-safe (pure + caches).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from engine.llm import prompts
from engine.llm.budget import PromptParts
from engine.llm.errors import StructuredOutputError
from engine.llm.schema_fit import close_truncated

M = TypeVar("M", bound=BaseModel)

# generate(parts, grammar_or_None) -> raw text
Generate = Callable[[PromptParts, "str | None"], str]


# Longer length limits are left to pydantic: the converter unrolls `maxLength: n` into n nested
# optional rules, which llama.cpp's grammar parser rejects for n in the hundreds.
GRAMMAR_MAX_UNROLL = 64


def _loosen(node: object) -> object:
    if isinstance(node, dict):
        return {k: _loosen(v) for k, v in node.items()
                if not (k in ("maxLength", "maxItems") and isinstance(v, int) and v > GRAMMAR_MAX_UNROLL)}
    if isinstance(node, list):
        return [_loosen(v) for v in node]
    return node


@functools.lru_cache(maxsize=64)
def schema_to_gbnf(schema_json: str) -> str:
    """GBNF grammar for a JSON schema (cached: conversion is pure Python and not free)."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return json_schema_to_gbnf(json.dumps(_loosen(json.loads(schema_json))))


def schema_json(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema())


def _problem(exc: ValidationError | ValueError) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "root"
        return f"{where}: {first.get('msg', 'invalid')}"
    return "not valid JSON"


def generate_structured(model: type[M], parts: PromptParts, generate: Generate, *,
                        use_grammar: bool) -> M:
    """Ask for `model`-shaped JSON; validate; retry once with the error; else raise.

    `use_grammar=True` for the local runtime (constrained decoding); False for cloud models,
    which instead see the schema in the question.
    """
    schema = schema_json(model)
    grammar = schema_to_gbnf(schema) if use_grammar else None
    question = parts.question
    if not use_grammar:
        question = f"{question}\n\n{prompts.render('structured_instructions', schema=schema)}"
    attempt = replace(parts, question=question)
    problem = ""
    for _ in range(2):
        raw = generate(attempt, grammar)
        try:
            return _validate(model, close_truncated(_strip_fences(raw)))
        except ValidationError as exc:
            problem = _problem(exc)
        retry_note = prompts.render("structured_retry", problem=problem)
        attempt = replace(parts, question=f"{question}\n\n{retry_note}")
    raise StructuredOutputError(
        f"The model's reply did not match the expected structure ({problem}).",
        next_step="Try again, rephrase the request, or use a larger model.")


def _validate(model: type[M], text: str) -> M:
    """Strict JSON first; a raw control character inside a string (a tab or newline a model typed where JSON
    wants an escape) is read leniently instead of costing the retry: the value is what the model meant."""
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        if not any(error["type"] == "json_invalid" for error in exc.errors()):
            raise
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            raise exc from None
        return model.model_validate(data)


def _strip_fences(raw: str) -> str:
    """Cloud models like to wrap JSON in ``` fences; the grammar path never does."""
    text = raw.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()
