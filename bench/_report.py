"""The one line format every benchmark ends with, so `make bench` can gather a table."""

from __future__ import annotations

import operator

_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


def bench_line(name: str, value: float, unit: str, op: str, target: float) -> str:
    """`BENCH <name> <value> <unit> target <op> <number> PASS|FAIL`, printed and returned."""
    verdict = "PASS" if _OPS[op](value, target) else "FAIL"
    shown = f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"
    line = f"BENCH {name} {shown} {unit} target {op} {target:g} {verdict}"
    print(line, flush=True)
    return line
