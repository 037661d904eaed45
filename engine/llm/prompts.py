"""The one loader for prompt templates in `resources/prompts/*.txt`.

Templates use `string.Template` ($name) substitution on purpose: values (retrieved passages,
tool results, user text) are inserted verbatim and can never be evaluated as template code.
Files are read once and cached; thread-safe after the first read of each name.
"""

from __future__ import annotations

import functools
import importlib.resources
from string import Template

from engine.errors import LLMError

_PACKAGE = "resources.prompts"


@functools.cache
def load(name: str) -> str:
    """Return the raw text of `resources/prompts/<name>.txt` (trailing newline stripped)."""
    try:
        text = importlib.resources.files(_PACKAGE).joinpath(f"{name}.txt").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise LLMError(f"Prompt template {name!r} is missing.",
                       next_step="Reinstall Reflex; resources/prompts is incomplete.") from exc
    return text.rstrip("\n")


def render(template: str, /, **values: object) -> str:
    """Fill a template. A missing value is a programming error and raises KeyError."""
    return Template(load(template)).substitute({k: str(v) for k, v in values.items()})
