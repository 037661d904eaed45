"""`models gallery`, `models download NAME`, `models servers` and `models hub-token`: getting a better model.

Thin: parsing and printing. Registered under the `models` command by app/commands/llm.py.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading

from app.context import AppContext
from app.engines import Engines
from app.facade import Facade
from app.services import Services


def register_models(msub: argparse._SubParsersAction) -> None:
    g = msub.add_parser("gallery", help="curated chat and speech models, with what fits this computer")
    g.set_defaults(handler=run_gallery)
    d = msub.add_parser("download", help="download a gallery model (verified; Ctrl-C stops, run again to resume)")
    d.add_argument("name", help="a name from `models gallery`, e.g. llama-3.2-3b")
    d.add_argument("--default", action="store_true", help="make it the default once it is ready")
    d.set_defaults(handler=run_download)
    t = msub.add_parser("hub-token", help="store a Hugging Face token for gated models in the system keyring "
                                          "(read from stdin; empty forgets it)")
    t.set_defaults(handler=run_hub_token)
    s = msub.add_parser("servers", help="models offered by local servers (Ollama, LM Studio, llama-server)")
    s.set_defaults(handler=run_servers)


def run_gallery(args: argparse.Namespace, ctx: AppContext) -> int:
    services = Services(ctx)
    items = services.gallery.items()
    rows = [{"name": i.entry.name, "kind": i.entry.kind, "title": i.entry.title, "size_mb": i.entry.size_mb,
             "licence": i.entry.licence, "context_length": i.entry.context_length, "ram_gb": i.entry.ram_gb,
             "languages": list(i.entry.languages), "status": i.verdict.status, "reason": i.verdict.reason,
             "installed": str(i.installed) if i.installed else None} for i in items]
    marks = {"recommended": "★", "fits": " ", "slow": "~", "too-big": "✗", "no-disk": "✗"}
    lines = [f"{marks[i.verdict.status]} {i.entry.name:<18} {i.entry.kind:<6} {i.entry.size_mb / 1000:5.1f} GB  "
             f"{i.entry.licence:<28} {i.verdict.status}: {i.verdict.reason}"
             f"{'  [downloaded]' if i.installed else ''}" for i in items]
    ctx.emit(rows, "\n".join(lines))
    return 0


def run_download(args: argparse.Namespace, ctx: AppContext) -> int:
    services = Services(ctx)
    cancel = threading.Event()
    show = None if ctx.json_output else (
        lambda f: print(f"\rDownloading {args.name}… {f:.0%}", end="", file=sys.stderr, flush=True))
    try:
        got = services.engines.download_model(args.name, on_progress=show, cancel=cancel)
        if args.default and got.entry.kind == "chat":
            Facade(services).use_chat_model(str(got.path))
        elif args.default:
            Facade(services).set_model("speech", str(got.path))
    except KeyboardInterrupt:
        print("\nStopped. Run the same command again to continue where it stopped.", file=sys.stderr)
        return 130
    finally:
        services.close()
    ctx.emit({"name": got.entry.name, "path": str(got.path), **got.as_record()},
             f"\n{got.entry.title} is ready at {got.path}"
             + (" and is now the default." if args.default else
                f". Make it the default with `reflex-assistant models default {got.path.stem}`."
                if got.entry.kind == "chat" else "."))
    return 0


def run_hub_token(args: argparse.Namespace, ctx: AppContext) -> int:
    token = (getpass.getpass("Hugging Face token: ") if sys.stdin.isatty() else sys.stdin.readline()).strip()
    Engines.set_hub_token(token)
    ctx.emit({"stored": bool(token)}, "Token stored in the system keyring." if token else "Token forgotten.")
    return 0


def run_servers(args: argparse.Namespace, ctx: AppContext) -> int:
    services = Services(ctx)
    found = services.engines.local_servers()
    current = services.settings.local_server_model
    measured = {m.ref: services.engines.capability_of(m.capability_id) for m in found}
    ctx.emit([{"id": m.id, "server": m.server, "url": m.base_url, "model": m.name, "size_bytes": m.size_bytes,
               "default": m.ref == current, "tier": (r := measured[m.ref]) and r.tier.label} for m in found],
             "\n".join(f"{'*' if m.ref == current else ' '} {m.id:<40} {m.base_url}  "
                       f"{r.summary() if (r := measured[m.ref]) else 'tier: not measured yet'}" for m in found) or
             "No local model server answered (Ollama on 11434, LM Studio on 1234, llama-server on 8080).")
    return 0
