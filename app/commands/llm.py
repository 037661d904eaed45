"""`ask` and `models list|add|remove|default`: the LLM engine on the command line.

Thin: parsing and printing only. The service is wired from the settings here (local model, optional
cloud client, routing policy, audit + usage ledger in the store); cloud use needs an open store,
because every cloud call must be audited.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import asdict
from dataclasses import replace
import sys
from pathlib import Path

from app.commands.gallery import register_models
from app.context import AppContext
from app.facade import Facade
from app.services import Services
from engine.llm import (
    LLMService,
    LocalRuntime,
    ModelCatalogue,
)
from engine.llm.capability import run_probe
from engine.llm.probing import engine_generate, gguf_model_id
from engine.llm.runtime import GROUNDED_ANSWER
from engine.usecases.asking import Asking, Question


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="ask the assistant; the answer streams to stdout sentence by sentence and is "
                                   "saved as a conversation")
    p.add_argument("question")
    p.add_argument("--cloud", action="store_true", help="allow a cloud model for this request")
    p.add_argument("--model", type=Path, default=None, help="GGUF file to use instead of the default")
    p.add_argument("--no-context", action="store_true", help="do not search your data for context")
    p.add_argument("--max-tokens", type=int, default=300, help="longest answer, in tokens")
    p.set_defaults(handler=run_ask)
    p = sub.add_parser("act", help="let the assistant act with its tools (drafts, events and tasks wait for your "
                                   "confirmation: `actions confirm ID`)")
    p.add_argument("instruction", help='e.g. "Draft a reply to Mark about the pilot dates"')
    p.set_defaults(handler=run_act)
    m = sub.add_parser("models", help="list, add, remove or choose local chat models (GGUF)")
    msub = m.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    msub.add_parser("list", help="models in the catalogue").set_defaults(handler=run_models_list)
    a = msub.add_parser("add", help="add a GGUF file (validated first)")
    a.add_argument("path", type=Path)
    a.set_defaults(handler=run_models_add)
    r = msub.add_parser("remove", help="forget a model (the file stays)")
    r.add_argument("name")
    r.set_defaults(handler=run_models_remove)
    d = msub.add_parser("default", help="show or set the default model")
    d.add_argument("name", nargs="?")
    d.set_defaults(handler=run_models_default)
    pr = msub.add_parser("probe", help="measure what a model can be trusted with (its tier); the app does this "
                                       "in the background when a model is loaded")
    pr.add_argument("name", nargs="?", help="model key (default: the default model)")
    pr.set_defaults(handler=run_models_probe)
    register_models(msub)


def build_service(services: Services, *, model: Path | None = None) -> LLMService:
    """The app's LLM service, or one over another GGUF for this command (`--model`)."""
    if model is None:
        return services.llm_service
    s = services.settings
    return services.engines.build_llm_service(LocalRuntime(model, n_ctx=s.llm_context_tokens, n_threads=s.llm_threads or None))


def run_act(args: argparse.Namespace, ctx: AppContext) -> int:
    services = Services(ctx)
    try:
        outcome = services.acting.act(args.instruction)
    finally:
        services.close()
    ctx.emit(asdict(outcome), outcome.text)
    return 0


def run_ask(args: argparse.Namespace, ctx: AppContext) -> int:
    """The asking use-case (`engine.usecases.asking`) on the command line: the answer is printed sentence by
    sentence, then its sources; with a store, the question and the answer are saved as a conversation and counted
    in the usage figures. `--json` prints the answer, its provenance and its citations."""
    services = Services(ctx)
    service = build_service(services, model=args.model)
    question = Question(args.question, feature="cli", allow_cloud=args.cloud, use_data=not args.no_context,
                        params=replace(GROUNDED_ANSWER, max_tokens=args.max_tokens))
    try:
        if ctx.has_store:
            if question.use_data:
                _index_pending(services)
            asking = services.asking.using(lambda: service)  # the Chat page's flow, with `--model`'s service
        else:
            asking = Asking(llm=lambda: service)
        stream = None if ctx.json_output else sys.stdout
        result = asking.ask(question, on_sentence=(lambda t: (stream.write(t), stream.flush())) if stream else None)
    finally:
        if args.model:
            service.runtime.close()  # type: ignore[union-attr]
        services.close()
    if ctx.json_output:
        ctx.emit(result.as_dict())
    else:
        # the sources the answer cites ("not in your data" already named the closest ones)
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", result.text)} if result.found else set()
        shown = [c for c in result.citations if c.number in cited]
        if shown:
            print("\n\nSources:")
        for c in shown:
            print(f"  [{c.number}] {c.label}")
        via = f" — {result.fallback_reason}" if result.fallback_reason else ""
        print(f"\n[{result.provider}: {result.model}{via}]", file=sys.stderr)
    return 0


def _index_pending(services: Services) -> None:
    """Bring the knowledge-base index up to date so the answer can cite what was imported last."""
    queued, unembedded = services.indexer.pending()
    if queued or unembedded:
        print(f"Indexing {queued} new item(s) first…", file=sys.stderr)
        services.indexer.run()


def _catalogue(ctx: AppContext) -> ModelCatalogue:
    return Services(ctx).models


def run_models_list(args: argparse.Namespace, ctx: AppContext) -> int:
    services = Services(ctx)
    models, default = services.engines.chat_models(), services.models.default()
    rows = [{"key": m.key, "path": str(m.path), "architecture": m.architecture,
             "parameters": m.n_parameters, "quantization": m.quantization,
             "context_length": m.context_length, "chat": bool(m.chat_template),
             "default": m.path == default.path, "bundled": m.bundled,
             "tier": r and r.tier.label, "probe_score": r and round(r.score, 3), "probe_items": r and r.run}
            for m, r in models]
    lines = [f"{'*' if m.path == default.path else ' '} {m.summary()}  "
             f"{r.summary() if r else 'tier: not measured yet (models probe)'}" for m, r in models]
    ctx.emit(rows, "\n".join(lines))
    return 0


def run_models_probe(args: argparse.Namespace, ctx: AppContext) -> int:
    """Measure a model now (foreground, with progress on stderr) and store its tier."""
    services = Services(ctx)
    info = services.models.find(args.name) if args.name else services.models.default()
    runtime = LocalRuntime(info.path, n_ctx=services.settings.llm_context_tokens,
                           n_threads=services.settings.llm_threads or None)
    try:
        result = run_probe(engine_generate(runtime), use_grammar=True,
                           on_progress=None if ctx.json_output else
                           lambda f: print(f"\rMeasuring {info.key}… {f:.0%}", end="", file=sys.stderr))
        if ctx.has_store:
            services.capability.record(gguf_model_id(info.path), result)
    finally:
        runtime.close()
        services.close()
    ctx.emit({"key": info.key, **result.as_dict()},
             f"\n{info.key}: {result.summary()} — {result.hallucinations} invented value(s), {result.seconds:.0f} s")
    return 0


def run_models_add(args: argparse.Namespace, ctx: AppContext) -> int:
    info = _catalogue(ctx).add(args.path)
    ctx.emit({"added": info.key, "path": str(info.path)}, f"Added {info.summary()}")
    return 0


def run_models_remove(args: argparse.Namespace, ctx: AppContext) -> int:
    _catalogue(ctx).remove(args.name)
    ctx.emit({"removed": args.name}, f"Removed {args.name} from the catalogue (the file is untouched).")
    return 0


def run_models_default(args: argparse.Namespace, ctx: AppContext) -> int:
    """Show or choose the chat engine: a catalogue GGUF, or a local server's model (`models servers`)."""
    services = Services(ctx)
    try:
        if args.name:
            Facade(services).use_chat_model(args.name)
        server = services.engines.local_server_model()
        if server is not None:
            ctx.emit({"default": server.id, "url": server.base_url, "local_server": True},
                     f"Default model: {server.id} on {server.base_url}")
            return 0
        info = services.models.default()
    finally:
        services.close()
    ctx.emit({"default": info.key, "path": str(info.path), "local_server": False}, f"Default model: {info.summary()}")
    return 0
