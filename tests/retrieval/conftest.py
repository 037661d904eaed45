"""Retrieval fixtures: the real bundled embedder (loaded once) and a retrieval service over the real encrypted
store of the suite's `store` fixture. Domain-object and file builders are in rt_builders.py."""

from __future__ import annotations

import pytest

from engine.retrieval import OnnxEmbedder, RetrievalService, default_embedder
from engine.store import Store


@pytest.fixture(scope="session")
def embedder() -> OnnxEmbedder:
    return default_embedder()


@pytest.fixture
def service(store: Store, embedder: OnnxEmbedder) -> RetrievalService:
    return RetrievalService.open(store, embedder=embedder)
