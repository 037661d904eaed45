"""The evaluation figures of this run, printed in pytest's terminal summary (so `make test` shows them even when
every test passes, when pytest would otherwise swallow a test's output)."""

from __future__ import annotations

LINES: list[str] = []


def report(line: str) -> None:
    LINES.append(line)
    print(line)
