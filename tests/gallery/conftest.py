"""Gallery fixtures: a fake Hugging Face hub serving the bundled SmolLM2 GGUF and the bundled faster-whisper
tiny.en folder, and catalogue entries pointing at them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from engine.bundled import default_llm, default_whisper
from engine.gallery.catalogue import CatalogueEntry, find_entry
from tests.fakes.hf_hub import FakeHub

CHAT_REPO = "reflex-test/SmolLM2-135M-Instruct-GGUF"
SPEECH_REPO = "reflex-test/faster-whisper-tiny.en"
WHISPER_FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")


@pytest.fixture()
def hub() -> Iterator[FakeHub]:
    whisper = default_whisper().path
    fake = FakeHub(repos={CHAT_REPO: {"smollm2-135m-instruct-q4_1.gguf": default_llm().path},
                          SPEECH_REPO: {name: whisper / name for name in WHISPER_FILES}})
    yield fake
    fake.stop()


@pytest.fixture()
def chat_entry() -> CatalogueEntry:
    return replace(find_entry("qwen2.5-0.5b"), name="smollm2-test", repo=CHAT_REPO,
                   files=("smollm2-135m-instruct-q4_1.gguf",), size_mb=98)


@pytest.fixture()
def speech_entry() -> CatalogueEntry:
    return replace(find_entry("whisper-tiny.en"), name="whisper-test", repo=SPEECH_REPO)
