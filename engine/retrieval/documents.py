"""Adding the user's documents to the store: files picked, dropped, or found in a watched folder.

The store keeps each document's extracted text (with its structure, see `ExtractedDocument.text`) and the
SHA-256 of the file's bytes; the indexer picks new and changed documents up from its queue. An unchanged
file costs one hash and nothing else; a bad file gives a per-file `IngestError` and the rest continue.
Every file is parsed in a limited child process (`engine.retrieval.isolated`). A watched-folder file that
failed is reported once and not read again until its size or modification time changes (the failures are
remembered in the store's settings, so a restart does not report them again either).
Text never touches disk outside the encrypted store. Threads: any, one call at a time per store is wise.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from engine.errors import IngestError
from engine.retrieval.extract import MAX_FILE_BYTES, is_document_name, kind_for, read_file
from engine.retrieval.isolated import extract_isolated, extract_isolated_many
from engine.store import Store
from models import Document, Message

log = logging.getLogger(__name__)

#: Attachment kinds whose bytes are kept too (encrypted in the store): a citation shows their page as it looks,
#: rendered in memory (the user's own files are read from where they are). Other kinds show their text.
KEPT_AS_FILE = frozenset({"pdf"})
#: Settings key: watched-folder files that failed, path -> [size, mtime_ns] at the failure.
FAILED_FILES_KEY = "documents.failed_files"


def add_documents(store: Store, paths: list[str | Path], *, on_progress: Callable[[float], None] | None = None,
                  cancel: threading.Event | None = None) -> tuple[list[int], list[tuple[Path, IngestError]]]:
    """Store files as documents; returns (document ids, per-file errors). Idempotent by path and content."""
    known = store.documents.hashes_by_path()
    ids: list[int] = []
    failed: list[tuple[Path, IngestError]] = []
    for i, path in enumerate(paths, 1):
        if cancel is not None and cancel.is_set():
            break
        p = Path(path)
        try:
            data = read_file(p)
            digest = hashlib.sha256(data).hexdigest()
            key = str(p.resolve())
            if key in known and known[key][1] == digest:
                ids.append(known[key][0])
            else:
                extracted = extract_isolated(data, kind=kind_for(p), name=p.name)
                ids.append(store.documents.upsert(Document(title=extracted.title, path=key, kind=extracted.kind,
                                                           text=extracted.text, content_hash=digest)))
        except IngestError as err:
            failed.append((p, err))
        if on_progress:
            on_progress(i / len(paths))
    return ids, failed


def add_attachments(store: Store, message: Message, files: list[tuple[str, bytes]]
                    ) -> tuple[list[int], list[tuple[str, IngestError]]]:
    """Store a mail's attachments of the kinds documents have (PDF, DOCX, XLSX, PPTX, CSV, Markdown, text,
    HTML) as documents, extracted through the same isolated, size/ratio/time-limited path as any document, so
    they are indexed, searchable and cited like one (the title names the mail); a PDF's bytes are kept as well
    (`KEPT_AS_FILE`), so a citation can show its page in the app. Idempotent per message and
    file name; returns (document ids, per-file errors). Other kinds are left as attachment metadata.

    Why each unreadable one is also written on the message (`Attachment.problem`, on `message` and in the
    store when it is stored already): the user sees which file Reflex could not read, not only a log line.
    Imports call this before the message is written, sync after (both land the same state)."""
    return add_attachments_of(store, [(message, files)])[0]


def add_attachments_of(store: Store, mails: list[tuple[Message, list[tuple[str, bytes]]]]
                       ) -> list[tuple[list[int], list[tuple[str, IngestError]]]]:
    """`add_attachments` for many mails at once, one result per mail: what an import of thousands of mails uses.

    Why: a limited child costs ~40 ms to start on a loaded 2-core laptop, and 3% of a ten-year mailbox carries a
    document (6,000 at 200k mails), so the whole batch is read in one child (`extract_isolated_many`: a child that
    fails for one file is retried file by file, so a hostile file still costs only itself)."""
    known, with_files = store.documents.hashes_by_path(), store.documents.with_files()
    wanted: list[tuple[int, str, str, str, bytes]] = []  # (mail, name, key, digest, bytes) to extract
    results: list[tuple[list[int], list[tuple[str, IngestError]]]] = [([], []) for _ in mails]
    for m, (message, files) in enumerate(mails):
        for name, data in files:
            if not is_document_name(name):
                continue
            key = attachment_key(message, name)
            digest = hashlib.sha256(data).hexdigest()
            if key in known and known[key][1] == digest:
                results[m][0].append(known[key][0])
                if kind_for(name) in KEPT_AS_FILE and known[key][0] not in with_files:
                    store.documents.put_file(known[key][0], data)  # read before its bytes were kept (schema 6)
            elif len(data) > MAX_FILE_BYTES:
                results[m][1].append((name, IngestError(f"{name}: file is too large ({len(data) // 2**20} MB)",
                                                        next_step="Save the attachment and split it into smaller files.")))
            else:
                wanted.append((m, name, key, digest, data))
    extracted = extract_isolated_many([(data, kind_for(name), name) for _m, name, _k, _d, data in wanted])
    for (m, name, key, digest, data), outcome in zip(wanted, extracted):
        message = mails[m][0]
        if isinstance(outcome, IngestError):
            results[m][1].append((name, outcome))
            continue
        with store.transaction():
            doc_id = store.documents.upsert(Document(title=f"{name} (attached to “{message.subject}”)", path=key,
                                                     kind=outcome.kind, text=outcome.text, content_hash=digest))
            if outcome.kind in KEPT_AS_FILE:
                store.documents.put_file(doc_id, data)
        results[m][0].append(doc_id)
    for (message, files), (_ids, failed) in zip(mails, results):
        _note_problems(store, message, {name for name, _ in files if is_document_name(name)}, dict(failed))
    return results


def _note_problems(store: Store, message: Message, read: set[str], failed: dict[str, IngestError]) -> None:
    """Set (or clear, when it now reads) `problem` on each attachment read this time; store it if it changed."""
    changed = False
    for attachment in message.attachments:
        if attachment.filename not in read:
            continue
        err = failed.get(attachment.filename)
        problem = str(err).removeprefix(f"{attachment.filename}: ") if err is not None else ""
        changed |= problem != attachment.problem
        attachment.problem = problem
    if changed:
        store.messages.set_attachments(message.account, message.provider_id, message.attachments)
    if failed:
        log.warning("%d attachment(s) of one message could not be read as documents", len(failed))


def attachment_key(message: Message, name: str) -> str:
    """The document path an attachment is stored under (no file: the mail it came with, and its name)."""
    return f"mail:{message.account}:{message.provider_id}/{name}"


def attachment_documents(store: Store, message: Message) -> dict[str, int]:
    """File name -> document id of `message`'s attachments that were kept as documents."""
    known = store.documents.hashes_by_path()
    return {a.filename: known[key][0] for a in message.attachments if (key := attachment_key(message, a.filename)) in known}


@dataclass(slots=True)
class FolderSync:
    documents: list[int] = field(default_factory=list)
    removed: int = 0
    failed: list[tuple[Path, IngestError]] = field(default_factory=list)  # new failures only
    still_failing: int = 0  # files that failed before and have not changed since: not read again


def sync_folder(store: Store, folder: str | Path, *, on_progress: Callable[[float], None] | None = None,
                cancel: threading.Event | None = None) -> FolderSync:
    """Make the store's documents from `folder` match its supported files: add new, update changed, and
    delete documents whose file is gone (their chunks and vectors go with them). Hidden files are skipped."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise IngestError(f"{root} is not a folder", next_step="Choose an existing folder to watch.")
    files = sorted(p for p in root.rglob("*") if p.is_file() and is_document_name(p.name)
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    remembered: dict[str, list[int]] = store.settings.get(FAILED_FILES_KEY, {}) or {}
    stamps = {str(p): _stamp(p) for p in files}
    unchanged_failures = {key for key, stamp in stamps.items() if remembered.get(key) == stamp}
    ids, failed = add_documents(store, [p for p in files if str(p) not in unchanged_failures],
                                on_progress=on_progress, cancel=cancel)
    _remember_failures(store, remembered, root, stamps, unchanged_failures, failed)
    result = FolderSync(documents=ids, failed=failed, still_failing=len(unchanged_failures))
    if cancel is not None and cancel.is_set():
        return result
    present = {str(p) for p in files}
    for path, (doc_id, _) in store.documents.hashes_by_path().items():
        if Path(path).is_relative_to(root) and path not in present:
            store.documents.delete(doc_id)
            result.removed += 1
    log.info("folder sync documents=%d removed=%d failed=%d still_failing=%d", len(ids), result.removed,
             len(failed), result.still_failing)
    return result


def _stamp(path: Path) -> list[int]:
    """[size, mtime_ns]: what must change before a failed file is read again."""
    try:
        st = path.stat()
    except OSError:
        return [-1, -1]
    return [st.st_size, st.st_mtime_ns]


def _remember_failures(store: Store, remembered: dict[str, list[int]], root: Path, stamps: dict[str, list[int]],
                       unchanged: set[str], failed: list[tuple[Path, IngestError]]) -> None:
    """Keep failures of files still there and unchanged, add the new ones; forget the rest of `root`."""
    keep = {key: stamp for key, stamp in remembered.items()
            if key in unchanged or not Path(key).is_relative_to(root)}
    keep.update({str(path): stamps.get(str(path), _stamp(path)) for path, _ in failed})
    if keep != remembered:
        store.settings.set(FAILED_FILES_KEY, keep)
