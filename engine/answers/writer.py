"""A `ModelWriter` over the LLM service: the chat model the user chose rewrites or extends the evidence answer,
and the answer engine verifies every sentence it streams before anyone sees it."""

from __future__ import annotations

import threading
from typing import Callable

from engine.answers.engine import ModelWriter
from engine.llm import GROUNDED_ANSWER, GenerationParams, LLMService, PromptParts

SYSTEM = ("You restate facts from the evidence you are given, briefly, for a busy executive. You never add a "
          "number, date, amount, name or organisation that the evidence does not state.")


def llm_writer(service: LLMService, *, feature: str = "chat", allow_cloud: bool = False,
               params: GenerationParams = GROUNDED_ANSWER, system: str = SYSTEM) -> ModelWriter:
    """`write(prompt, on_token, cancel)` that streams `service`'s reply to the evidence prompt."""

    def write(prompt: str, on_token: Callable[[str], None], cancel: threading.Event | None) -> object:
        return service.ask(PromptParts(question=prompt, system=system), feature=feature, allow_cloud=allow_cloud,
                           on_token=on_token, cancel=cancel, params=params)

    return write
