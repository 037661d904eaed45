"""Chat messages and rendering them with the model's own chat template.

The GGUF's `tokenizer.chat_template` (Jinja2, e.g. ChatML for SmolLM2) is rendered with
llama-cpp-python's sandboxed `Jinja2ChatFormatter`, so we format exactly as the model was trained.
Models without a template (base models) get a plain transcript. Pure functions; thread-safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ROLES = ("system", "user", "assistant")


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message. `role` is system | user | assistant."""

    role: str
    content: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown chat role {self.role!r}")


class ChatRenderer:
    """Turns messages into the prompt string a given model expects (plus its stop strings)."""

    def __init__(self, template: str, *, bos_token: str = "", eos_token: str = "") -> None:
        self._formatter = None
        self.stop: tuple[str, ...] = (eos_token,) if eos_token else ()
        if template:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            self._formatter = Jinja2ChatFormatter(template=template, bos_token=bos_token,
                                                  eos_token=eos_token)
        else:
            self.stop = ("\nUser:",)

    def render(self, messages: Sequence[ChatMessage]) -> str:
        """The prompt text, ending where the assistant's reply starts."""
        if self._formatter is None:
            lines = [f"{m.role.capitalize()}: {m.content}" for m in messages]
            return "\n".join(lines) + "\nAssistant:"
        dicts = [{"role": m.role, "content": m.content} for m in messages]
        return self._formatter(messages=dicts).prompt  # type: ignore[arg-type]
