"""What a citation of a document opens inside Reflex: the document at the cited page, the cited passage found (#15
item 6).

Why in memory: an attachment lives only in the encrypted store. Handing it to another app would mean writing it
decrypted to a temporary file that outlives the moment (other apps cache, index and sync what they open). So a
PDF's bytes (kept in the store, `engine.retrieval.documents.KEPT_AS_FILE`) go to the UI as bytes, which renders
them from a memory buffer; every other kind is shown as the text that was extracted and indexed, with the cited
passage located in it. The user's own files (picked, dropped or watched) are read from where they already are.

`document_view(store, document_id, page=, chunk_id=)` is pure apart from store reads; any thread (the app calls
it on its store worker). `locate(text, passage)` finds a passage in text whose whitespace may differ (chunks are
packed from paragraphs and carry a few words of the previous chunk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from engine.errors import IngestError
from engine.retrieval.extract import read_file
from engine.store import Store

__all__ = ["DocumentView", "document_view", "locate"]

#: Attachments are stored under this path prefix (`engine.retrieval.documents.attachment_key`): no file exists.
_ATTACHMENT_PATH = "mail:"


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A document ready to show: `pages` of extracted text (one item when it has no pages), the cited 1-based
    `page` (None: the start), the cited `passage` and where it is on that page (`span`, offsets into
    `pages[page - 1]`, or None when it was not found), and the original `pdf` bytes to render (None: show text)."""

    document_id: int
    title: str
    kind: str
    pages: list[str]
    page: int | None = None
    passage: str = ""
    span: tuple[int, int] | None = None
    pdf: bytes | None = None


def document_view(store: Store, document_id: int, *, page: int | None = None, chunk_id: int | None = None
                  ) -> DocumentView | None:
    """The document `document_id` opened at `page` with the passage of chunk `chunk_id` (a citation's), or None
    when the document is gone. A page past the end is the last; a chunk of another source is ignored."""
    doc = store.documents.get(document_id)
    if doc is None:
        return None
    pages = doc.text.split("\f")  # the stored text keeps a form feed between pages
    chunk = store.chunks.get_many([chunk_id]).get(chunk_id) if chunk_id is not None else None
    passage = chunk.text if chunk is not None and (chunk.source_type, chunk.source_id) == ("doc", document_id) else ""
    page = min(max(page, 1), len(pages)) if page is not None else None
    span = None
    if passage:
        # the chunk's page, else the first page holding it (a locator without a page: a text document)
        order = [page - 1] if page is not None else list(range(len(pages)))
        for index in order:
            span = locate(pages[index], passage)
            if span is not None:
                page = index + 1
                break
    return DocumentView(document_id, doc.title, doc.kind, pages, page, passage, span,
                        _pdf_bytes(store, document_id, doc.kind, doc.path))


def _pdf_bytes(store: Store, document_id: int, kind: str, path: str) -> bytes | None:
    if kind != "pdf":
        return None
    kept = store.documents.file(document_id)
    if kept is not None or path.startswith(_ATTACHMENT_PATH):
        return kept
    try:  # the user's own file, where it is (size-limited like any document read)
        return read_file(Path(path)) if Path(path).is_file() else None
    except IngestError:
        return None


def locate(text: str, passage: str) -> tuple[int, int] | None:
    """(start, end) of `passage` in `text`, matching its paragraphs word by word whatever the whitespace between
    them: from the first paragraph found to the end of the last one found after it (the first paragraph of a
    chunk may be the tail of the previous one, cut mid-sentence, and is then simply not found)."""
    start = end = None
    for unit in re.split(r"\n\s*\n", passage.strip()):
        words = unit.split()
        if not words:
            continue
        found = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, end or 0)
        if found is None:
            continue
        start = found.start() if start is None else start
        end = found.end()
    return (start, end) if start is not None and end is not None else None
