"""The curated model catalogue (`resources/models/catalogue.json`): chat GGUFs and faster-whisper folders that
Reflex offers to download, with what a user needs to choose (size, licence, context, RAM, speed, languages).

Pure data, read once. Sizes are approximate; the hub's metadata gives the exact size and sha256 at download time.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from dataclasses import dataclass

from engine.errors import EngineError


class GalleryError(EngineError):
    """Base of the gallery's errors (catalogue lookups, downloads)."""


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One downloadable model. `kind` is "chat" (one GGUF file) or "speech" (a CTranslate2 folder's files)."""

    name: str
    kind: str
    title: str
    repo: str
    revision: str
    files: tuple[str, ...]
    size_mb: int
    licence: str
    ram_gb: float
    speed_class: str  # fast | medium | slow, on a typical 8-core laptop
    languages: tuple[str, ...]
    quantization: str = ""
    parameters_b: float = 0.0
    context_length: int = 0
    chat_template: str = ""

    @property
    def size_bytes(self) -> int:
        return self.size_mb * 1_000_000

    @property
    def multilingual(self) -> bool:
        return "multilingual" in self.languages or len(self.languages) > 1


def _entry(kind: str, raw: dict) -> CatalogueEntry:
    files = tuple(raw["files"]) if "files" in raw else (raw["file"],)
    return CatalogueEntry(name=raw["name"], kind=kind, title=raw["title"], repo=raw["repo"], revision=raw["revision"],
                          files=files, size_mb=raw["size_mb"], licence=raw["licence"], ram_gb=raw["ram_gb"],
                          speed_class=raw["speed_class"], languages=tuple(raw["languages"]),
                          quantization=raw.get("quantization", ""), parameters_b=raw.get("parameters_b", 0.0),
                          context_length=raw.get("context_length", 0), chat_template=raw.get("chat_template", ""))


@functools.cache
def curated() -> tuple[CatalogueEntry, ...]:
    """Every curated model: chat models first (smallest first), then speech models."""
    raw = json.loads(importlib.resources.files("resources").joinpath("models/catalogue.json").read_text("utf-8"))
    return tuple(_entry(kind, item) for kind in ("chat", "speech") for item in raw[kind])


def find_entry(name: str) -> CatalogueEntry:
    """The curated model called `name`. Raises `GalleryError` naming the choices."""
    for entry in curated():
        if entry.name == name:
            return entry
    names = ", ".join(e.name for e in curated())
    raise GalleryError(f"No model called {name!r} in the gallery.", next_step=f"Choose one of: {names}.")
