"""Run one CLI command group's handler through argparse with a real AppContext (closed afterwards)."""

from __future__ import annotations

import argparse
from pathlib import Path
from types import ModuleType


def run_command(module: ModuleType, argv: list[str], home: Path, *, json_output: bool = False) -> int:
    from app.context import AppContext

    parser = argparse.ArgumentParser()
    module.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    ctx = AppContext(home=home, json_output=json_output, log=False)
    try:
        return args.handler(args, ctx)
    finally:
        ctx.close()
