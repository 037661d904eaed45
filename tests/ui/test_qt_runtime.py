"""Guards against Qt binding regressions that would crash the app after enough streamed tokens."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ticked = Signal(int)
    """Emitted once per tick (test only)."""


def test_signal_emit_keeps_reference_counts_balanced(qtbot) -> None:
    # PySide6 6.12.0 returned True from emit() without a new reference: after a few hundred emits
    # the interpreter aborted with "bool_dealloc". pyproject pins below 6.12 for this reason.
    emitter = _Emitter()
    received: list[int] = []
    emitter.ticked.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(2000):
        emitter.ticked.emit(i)
    assert len(received) == 2000
    assert abs(sys.getrefcount(True) - before) < 50
