"""`reflex-assistant`: the command line, built on the same services as the desktop app.

Each command group lives in `app/commands/<area>.py` and registers its subcommands; a handler is
`fn(args, ctx: AppContext) -> int`. Engine and connector errors become one human message plus a next step here,
at the edge, with a distinct exit code (2 for a locked store).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from importlib import metadata
from pathlib import Path

from app.context import AppContext
from app.hardening import harden_process
from app.settings import default_home
from connectors.errors import ConnectorError
from engine.errors import EngineError

COMMAND_MODULES = (
    "app.commands.core",
    "app.commands.data",
    "app.commands.llm",
    "app.commands.search",
    "app.commands.accounts",
    "app.commands.intel",
    "app.commands.actions",
    "app.commands.memory",
    "app.commands.strategy",
    "app.commands.corrections",
    "app.commands.workspace",
    "app.commands.privacy",
    "app.commands.speech",
    "app.commands.gui",
)


def _version() -> str:
    try:
        return metadata.version("reflex-assistant")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _add_common(parser: argparse.ArgumentParser) -> None:
    """Give every leaf command --home and --json, whatever module registered it."""
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
    if actions:
        for child in actions[0].choices.values():
            _add_common(child)
        return
    existing = {opt for a in parser._actions for opt in a.option_strings}  # noqa: SLF001
    if "--home" not in existing:
        parser.add_argument("--home", type=Path, default=argparse.SUPPRESS, help="data folder (default: REFLEX_HOME or the user data dir)")
    if "--json" not in existing:
        parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reflex-assistant",
        description="Reflex: a local-first AI assistant. With no command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"reflex-assistant {_version()}")
    parser.add_argument("--home", type=Path, default=None, help="data folder (default: REFLEX_HOME or the user data dir)")
    parser.add_argument("--json", action="store_true", default=False, help="machine-readable output")
    parser.add_argument("--self-test", action="store_true", help="check store, LLM, search and speech on this machine; exit 0 if all pass")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for child in sub.choices.values():
        _add_common(child)
    return parser


def main(argv: list[str] | None = None) -> int:
    harden_process()  # umask 077 and no core dumps, before anything is read or written
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from app.selftest import run_self_test

        return run_self_test()
    if not getattr(args, "handler", None):
        if args.command:  # a group such as `models` without its subcommand
            parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "--help"])
        args = parser.parse_args(["gui", *(argv if argv is not None else sys.argv[1:])])
    ctx = None
    try:
        ctx = AppContext(home=args.home or default_home(), json_output=bool(args.json))
        return int(args.handler(args, ctx) or 0)
    except (EngineError, ConnectorError) as err:
        message = err.human() if isinstance(err, EngineError) else "\n".join(filter(None, [str(err), err.next_step]))
        print(f"reflex-assistant: {message}", file=sys.stderr)
        return getattr(err, "exit_code", 1)
    except KeyboardInterrupt:
        print("reflex-assistant: interrupted; nothing was lost.", file=sys.stderr)
        return 130
    finally:
        if ctx is not None:
            ctx.release()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
