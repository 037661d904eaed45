"""`memory add|list|edit|remove`: the facts Reflex should remember about you."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from app.context import AppContext
from engine.assistant.memory import MemoryService


def register(sub: argparse._SubParsersAction) -> None:
    memory = sub.add_parser("memory", help="facts Reflex remembers (e.g. 'my EA is Jane Park')")
    verbs = memory.add_subparsers(dest="memory_command", metavar="ACTION", required=True)
    add = verbs.add_parser("add", help="remember a fact")
    add.add_argument("text")
    add.set_defaults(handler=run_add)
    verbs.add_parser("list", help="what Reflex remembers").set_defaults(handler=run_list)
    edit = verbs.add_parser("edit", help="change a remembered fact")
    edit.add_argument("id", type=int)
    edit.add_argument("text")
    edit.set_defaults(handler=run_edit)
    remove = verbs.add_parser("remove", help="forget a fact")
    remove.add_argument("id", type=int)
    remove.set_defaults(handler=run_remove)


def run_add(args: argparse.Namespace, ctx: AppContext) -> int:
    memory_id = MemoryService(ctx.store).remember(args.text)
    ctx.emit({"id": memory_id}, f"Remembered as #{memory_id}.")
    return 0


def run_list(args: argparse.Namespace, ctx: AppContext) -> int:
    items = MemoryService(ctx.store).items()
    ctx.emit([asdict(i) for i in items], "\n".join(f"#{i.id}  {i.text}" for i in items) or "Nothing remembered yet.")
    return 0


def run_edit(args: argparse.Namespace, ctx: AppContext) -> int:
    MemoryService(ctx.store).update(args.id, args.text)
    ctx.emit({"id": args.id}, f"Updated #{args.id}.")
    return 0


def run_remove(args: argparse.Namespace, ctx: AppContext) -> int:
    MemoryService(ctx.store).forget(args.id)
    ctx.emit({"id": args.id}, f"Forgot #{args.id}.")
    return 0
