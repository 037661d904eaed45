"""Getting data in: `demo` and `import PATH...`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from app.context import AppContext
from app.demo import demo_timezone, load_demo
from app.settings import save_settings
from app.importing import import_paths


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="load the demo workspace (Northwind Robotics)")
    p.set_defaults(handler=run_demo)
    p = sub.add_parser("import", help="import .eml, .mbox, .ics, documents (PDF, DOCX, XLSX, PPTX, CSV, Markdown, "
                                      "text, HTML) and recordings (audio/video become transcribed meetings)")
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--account", default="import", help="label stored with imported mail and events")
    p.set_defaults(handler=run_import)


def _store(ctx: AppContext):  # noqa: ANN202
    return ctx.store if ctx.has_store else ctx.create_store()


def run_demo(args: argparse.Namespace, ctx: AppContext) -> int:
    report = load_demo(_store(ctx))
    text = report.summary()
    if not ctx.settings.timezone:
        # The demo company's calendar is written for its own zone; show its days as its people live them.
        ctx.settings.timezone = demo_timezone()
        save_settings(ctx.home, ctx.settings)
        text += f"\nTime zone set to {ctx.settings.timezone} (the demo company's); change it in Settings or settings.json."
    ctx.emit(asdict(report), text + "\nNext: `reflex-assistant status`, or start the app with `reflex-assistant`.")
    return 0


def run_import(args: argparse.Namespace, ctx: AppContext) -> int:
    from app.services import Services

    services = Services(ctx)  # recordings go through the app's speech path (transcribe, link the event, turns)
    try:
        show = sys.stderr.isatty() and not ctx.json_output
        report = import_paths(_store(ctx), args.paths, account=args.account,
                              on_status=(lambda s: print(f"\rImporting… {s.summary()}   ", end="", file=sys.stderr,
                                                         flush=True)) if show else None,
                              transcribe=lambda path: services.intake.import_file(str(path)))
        if show:
            print(file=sys.stderr)
    finally:
        services.close()
    lines = [report.summary()] + [f"  {source}: {reason}" for source, reason in report.failures]
    if report.messages and ctx.store.contexts.latest() is None:
        lines.append("Reflex can propose your strategic context from this mail: `reflex-assistant context propose`.")
    ctx.emit(asdict(report), "\n".join(lines))
    return 0 if report.total or not report.failures else 1
