"""Shared fixtures for the LLM tests: one real SmolLM2 runtime for the whole session (load ~0.2 s,
but each load costs ~230 MB and the box has 2 cores shared by everyone)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.llm.catalogue import bundled_model_path
from engine.llm.runtime import LocalRuntime


@pytest.fixture(scope="session")
def model_path():
    return bundled_model_path()


@pytest.fixture(scope="session")
def runtime(model_path) -> Iterator[LocalRuntime]:
    rt = LocalRuntime(model_path, n_ctx=2048, n_threads=1)
    rt.load().result()
    yield rt
    rt.close()
