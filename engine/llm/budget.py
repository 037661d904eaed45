"""Prompt assembly and the context budget.

Layout (WHY: llama.cpp reuses the KV cache for the longest common token prefix, so what is stable
comes first and per-request text last):

    system  = instructions + strategic context     (stable across requests -> cached)
    history = earlier turns, oldest first
    user    = retrieved passages (delimited, labelled untrusted) + the question

`fit_prompt` drops history oldest-first, then passages least-relevant-first, until the prompt fits
the budget; if even system + question do not fit it raises `ContextOverflow` — never a silent
truncation. Pure functions; token counting is injected (the model's tokenizer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from engine.llm import prompts
from engine.llm.chat import ChatMessage
from engine.llm.errors import ContextOverflow


@dataclass(frozen=True, slots=True)
class ContextItem:
    """A retrieved passage. Higher `score` = more relevant."""

    text: str
    score: float = 0.0
    source: str = ""


@dataclass(frozen=True, slots=True)
class PromptParts:
    """Everything a request may say, before fitting. `context_version` is reported in the answer."""

    question: str
    system: str = ""
    history: Sequence[ChatMessage] = ()
    context: Sequence[ContextItem] = ()
    context_version: int | None = None


@dataclass(frozen=True, slots=True)
class FittedPrompt:
    messages: list[ChatMessage]
    n_tokens: int
    dropped_history: int = 0
    dropped_context: int = 0
    kept_context: list[ContextItem] = field(default_factory=list)


def neutralize_data_delimiters(text: str) -> str:
    """Untrusted text can never open or close the <<<DATA ... DATA>>> block it is quoted in."""
    return text.replace("<<<DATA", "<<DATA").replace("DATA>>>", "DATA>>")


def assemble(parts: PromptParts, history: Sequence[ChatMessage],
             items: Sequence[ContextItem]) -> list[ChatMessage]:
    """Build the message list in cache-friendly order (see module docstring)."""
    messages = [ChatMessage("system", parts.system)] if parts.system else []
    messages.extend(history)
    if items:
        passages = "\n".join(prompts.render("passage", index=i, source=neutralize_data_delimiters(it.source or "note"),
                                            text=neutralize_data_delimiters(it.text))
                             for i, it in enumerate(items, 1))
        question = prompts.render("context_question", passages=passages, question=parts.question)
    else:
        question = parts.question
    messages.append(ChatMessage("user", question))
    return messages


def _drop_oldest_turn(history: list[ChatMessage]) -> int:
    """Drop the oldest message and any assistant reply left dangling at the front."""
    dropped = 1
    history.pop(0)
    while history and history[0].role == "assistant":
        history.pop(0)
        dropped += 1
    return dropped


def fit_prompt(parts: PromptParts, *, count_tokens: Callable[[list[ChatMessage]], int],
               budget: int) -> FittedPrompt:
    """Trim `parts` to at most `budget` tokens as counted by `count_tokens(messages)`.

    Raises `ContextOverflow` when system + question alone exceed the budget.
    """
    history = list(parts.history)
    items = sorted(parts.context, key=lambda it: it.score, reverse=True)
    dropped_history = dropped_context = 0
    while True:
        messages = assemble(parts, history, items)
        n = count_tokens(messages)
        if n <= budget:
            return FittedPrompt(messages, n, dropped_history, dropped_context, items)
        if history:
            dropped_history += _drop_oldest_turn(history)
        elif items:
            items.pop()
            dropped_context += 1
        else:
            raise ContextOverflow(
                f"The question and standing context need {n} tokens; the model holds {budget}.",
                next_step="Shorten the question or the strategic context, choose a model with a "
                          "larger context, or allow cloud fallback for long prompts.")


def split_messages(messages: Sequence[ChatMessage]) -> PromptParts:
    """Turn a plain message list into parts: leading system, middle history, last user question."""
    msgs = list(messages)
    if not msgs or msgs[-1].role != "user":
        raise ValueError("the last message must be the user's question")
    system = msgs.pop(0).content if msgs[0].role == "system" else ""
    return PromptParts(question=msgs[-1].content, system=system, history=tuple(msgs[:-1]))
