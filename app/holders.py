"""`Swappable`: a component the settings shape (the chat engine, the LLM service's cloud side, the speech model, the
embedding model and its index), built on first use and rebuilt when a setting it depends on changes.

The composition root subscribes each holder to `settings_did_change` (engine.events); nobody clears a cache by
hand and nothing needs a restart. Callers look the component up per use (`holder.get()`), so the next request
gets the new one while a request under way finishes on the old one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from engine.events import SETTINGS_DID_CHANGE, EventBus

__all__ = ["Lazy", "Swappable"]

T = TypeVar("T")


class Swappable(Generic[T]):
    """Holds one component. Thread-safe: the first `get()` builds it under a lock (worker threads race for it).
    `close` frees a replaced component; `swapped(new)` tells whoever shares it that a rebuilt one took its place."""

    def __init__(self, build: Callable[[], T], *, depends_on: Iterable[str] = (),
                 close: Callable[[T], Any] | None = None, swapped: Callable[[T], Any] | None = None) -> None:
        self._build, self._close, self._swapped = build, close, swapped
        self.depends_on = frozenset(depends_on)
        self._lock = threading.RLock()
        self._value: T | None = None
        self._built = False

    def get(self) -> T:
        with self._lock:
            if not self._built:
                self._value, self._built = self._build(), True
            return self._value  # type: ignore[return-value]

    @property
    def built(self) -> bool:
        with self._lock:
            return self._built

    def peek(self) -> T | None:
        """The component if it was built, else None (never builds)."""
        with self._lock:
            return self._value if self._built else None

    def rebuild(self) -> None:
        """Replace a built component now (an unbuilt one is left to its first use); the old one is closed."""
        with self._lock:
            if not self._built:
                return
            old, self._value, self._built = self._value, None, False
            new = self.get()
        if self._swapped is not None:
            self._swapped(new)
        if self._close is not None and old is not None:
            self._close(old)

    def reset(self) -> None:
        """Forget the component (it is built again on next use), closing it: what it caches went stale."""
        with self._lock:
            old, self._value, self._built = self._value, None, False
        if self._close is not None and old is not None:
            self._close(old)

    def settings_changed(self, names: Iterable[str]) -> None:
        """A shared component (one with `swapped`) is rebuilt at once and handed over; any other is rebuilt on
        its next use (building may load a model: that belongs on the worker that needs it)."""
        if self.depends_on & set(names):
            self.rebuild() if self._swapped is not None else self.reset()

    def follow(self, bus: EventBus) -> Swappable[T]:
        """Rebuild on `settings_did_change` events naming a setting this component depends on."""
        bus.subscribe(SETTINGS_DID_CHANGE, lambda _name, payload: self.settings_changed(payload.get("names", ())))
        return self


class Lazy:
    """Components built once on first use (the thread-safe `_get` of a composition root)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._built: dict[str, Any] = {}

    def get(self, name: str, build: Callable[[], T]) -> T:
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return self._built[name]

    def peek(self, name: str) -> Any:
        """The component if it was built, else None."""
        with self._lock:
            return self._built.get(name)

    def take(self, name: str) -> Any:
        """Remove and return a built component (for closing it at exit), or None."""
        with self._lock:
            return self._built.pop(name, None)
