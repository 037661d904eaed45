"""`reflex-assistant import` and the demo loader: route each file to the code that reads it, then store it.

Mail and calendar files go through `connectors.files` (the same parsers the Gmail/Outlook connectors use) by way of
`engine.ingest.import_mail_files` (streamed, batched, resumable); documents, and the document attachments of imported
mail, through the retrieval engine's extractors. An import, the demo and a sync store data the same way. One bad
file never stops the rest.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Callable, Iterable, Iterator

from connectors.files import SUPPORTED_SUFFIXES as MAIL_CALENDAR_SUFFIXES
from engine.errors import EngineError
from engine.ingest import ImportStatus, IngestReport, import_mail_files
from engine.retrieval.extract import SUPPORTED_KINDS as DOCUMENT_KINDS
from engine.retrieval.documents import add_documents
from engine.speech.audio import SUPPORTED_EXTENSIONS as AUDIO_SUFFIXES
from engine.store import Store

DOCUMENT_SUFFIXES = tuple(f".{k}" for k in DOCUMENT_KINDS) + (".htm", ".markdown")


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            yield path


def import_paths(store: Store, paths: Iterable[str | Path], *, account: str = "import",
                 window: tuple[datetime, datetime] | None = None, default_tz: tzinfo = timezone.utc,
                 cancel: threading.Event | None = None,
                 on_progress: Callable[[float], None] | None = None,
                 on_status: Callable[[ImportStatus], None] | None = None,
                 transcribe: Callable[[Path], object] | None = None) -> IngestReport:
    """Import files and folders; returns counts and per-file failures (source + reason, never content).
    Audio and video become meetings through `transcribe` (the app's speech path); without it they are reported.
    Mail and calendar files go through `engine.ingest.import_mail_files` (an .mbox streams, commits in batches and
    resumes where a cancelled or killed import stopped); `on_progress`/`on_status` report it (bytes, counts, ETA),
    then the documents' progress."""
    files = list(_expand(Path(p) for p in paths))
    mail = [p for p in files if p.suffix.lower() in MAIL_CALENDAR_SUFFIXES]
    docs = [p for p in files if p.suffix.lower() in DOCUMENT_SUFFIXES]
    audio = [p for p in files if p.suffix.lower() in AUDIO_SUFFIXES and p.exists()]
    report = IngestReport()
    for p in files:
        if p not in mail and p not in docs and p not in audio:
            reason = "no such file" if not p.exists() else f"unsupported file type {p.suffix or '(none)'}"
            report.failures.append((str(p), f"{reason}; Reflex imports .eml, .mbox, .ics, PDF, DOCX, XLSX, PPTX, CSV, Markdown, "
                                             "text, HTML and audio/video recordings"))
    for p in audio:
        if cancel is not None and cancel.is_set():
            break
        if transcribe is None:
            report.failures.append((str(p), "a recording: transcribe it with `reflex-assistant transcribe FILE`"))
            continue
        try:
            transcribe(p)
            report.meetings += 1
        except EngineError as err:  # silent, corrupt or unsupported audio: this file only
            report.failures.append((str(p), err.human()))
    if mail:
        report.merge(import_mail_files(store, mail, account=account, window=window, default_tz=default_tz,
                                       cancel=cancel, on_progress=on_progress, on_status=on_status))
    if docs and not (cancel is not None and cancel.is_set()):
        ids, failed = add_documents(store, docs, on_progress=on_progress)
        report.documents += len(ids)
        report.failures += [(str(path), err.human()) for path, err in failed]
    if on_progress is not None:
        on_progress(1.0)
    return report
