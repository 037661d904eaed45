"""App-level fixtures: the composition root (`Services`) over the suite's open encrypted store."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from app.context import AppContext
from app.services import Services
from engine.events import INDEX_DID_FINISH
from engine.store import Store


@pytest.fixture
def services(store: Store) -> Iterator[Services]:
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store (the fixture closes it)
    built = Services(ctx)
    yield built
    built.close()


@pytest.fixture
def indexed(services: Services) -> threading.Event:
    """Set each time a background indexing run ends (clear it before waiting for the next)."""
    done = threading.Event()
    services.bus.subscribe(INDEX_DID_FINISH, lambda _name, _payload: done.set())
    return done
