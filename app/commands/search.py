"""`search "query" [--type ...] [--person X] [--since DATE] [--until DATE] [--thread KEY] [--limit N] [--json]`.

Hybrid search (FTS5 BM25 + local embeddings, fused) over mail, calendar, meetings, documents and notes.
Before searching it catches up on whatever is queued for indexing (incremental: usually nothing or a few
items), so results include mail synced a moment ago.
"""

from __future__ import annotations

import argparse
import sys
from datetime import tzinfo

from app.context import AppContext
from engine.retrieval import SOURCE_TYPES, Filters, RetrievalService, SearchHit, parse_day


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search mail, calendar, meetings, documents and notes")
    p.add_argument("query", help="words or a question")
    p.add_argument("--type", dest="types", action="append", choices=SOURCE_TYPES, default=None,
                   help="only this kind of source (repeatable)")
    p.add_argument("--person", default="", help="only sources involving this person (name or address)")
    p.add_argument("--since", type=_day, default=None, help="only from this date on (YYYY-MM-DD)")
    p.add_argument("--until", type=_day, default=None, help="only before this date (YYYY-MM-DD)")
    p.add_argument("--thread", default="", help="only this email thread key or 'meeting:<id>'")
    p.add_argument("--limit", type=int, default=10, help="how many results (default 10)")
    p.set_defaults(handler=run_search)


def _day(text: str):  # noqa: ANN202 - argparse type callback
    try:
        return parse_day(text)
    except Exception as exc:  # noqa: BLE001 - argparse wants ArgumentTypeError
        raise argparse.ArgumentTypeError(str(exc)) from exc


def open_service(ctx: AppContext) -> RetrievalService:
    """The retrieval service for a CLI run: the configured embedding model and index, caught up with the queue."""
    service = RetrievalService.open(ctx.store, embedding_model=ctx.settings.embedding_model_path,
                                    qdrant_url=ctx.settings.qdrant_url, tz=ctx.settings.tzinfo())
    queued, unembedded = service.indexer.pending()
    if queued or unembedded:
        show = sys.stderr.isatty() and not ctx.json_output
        report = service.index_now(on_progress=_progress_printer() if show else None)
        if show:
            print(f"\rIndexed {report.sources} items, {report.embedded} passages.   ", file=sys.stderr)
    return service


def _progress_printer():  # noqa: ANN202
    def show(fraction: float) -> None:
        print(f"\rIndexing… {fraction:4.0%}", end="", file=sys.stderr, flush=True)

    return show


def run_search(args: argparse.Namespace, ctx: AppContext) -> int:
    filters = Filters(types=tuple(args.types or ()), person=args.person, since=args.since, until=args.until,
                      thread=args.thread)
    service = open_service(ctx)
    hits = service.search(args.query, filters=filters, limit=max(1, args.limit))
    ctx.emit([h.as_dict() for h in hits], render(hits, bold=sys.stdout.isatty(), tz=ctx.settings.tzinfo()))
    return 0


def render(hits: list[SearchHit], *, bold: bool = False, tz: tzinfo | None = None) -> str:
    """Readable results: kind, title, date (in `tz`), where, then the snippet with highlighted terms."""
    if not hits:
        return "No results."
    open_, close = ("\033[1m", "\033[0m") if bold else ("**", "**")
    lines = []
    for i, hit in enumerate(hits, 1):
        c = hit.chunk
        head = [f"{i}. [{c.source_type}] {c.title}"]
        if c.occurred_at:
            head.append(c.occurred_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
        if hit.where:
            head.append(hit.where)
        lines.append(" — ".join(head))
        lines.append("   " + hit.marked_snippet(open_, close))
    return "\n".join(lines)
