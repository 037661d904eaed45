"""Prints the evaluation figures (tests/eval/eval_figures.py) at the end of the run."""

from __future__ import annotations

from eval_figures import LINES


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's TerminalReporter
    if LINES:
        terminalreporter.section("evaluation figures (tests/eval)")
        for line in LINES:
            terminalreporter.write_line(line)
