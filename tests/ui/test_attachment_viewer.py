"""A citation of an attachment opens it inside Reflex (#15 item 6): the PDF is rendered from memory at the cited
page with the cited words marked, and nothing is written to the temp folder or the data folder, nor handed to
another app; other kinds show their text with the cited passage marked and scrolled to."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices

from engine.usecases.document_view import document_view
from tests.retrieval.rt_builders import attached, chunk_on, make_pdf

PAGES = [[f"Page one line {n}." for n in range(40)],
         ["Pricing", "List price is CHF 1.2 million for the first year.", "Renewal is due in March."],
         [f"Appendix line {n}." for n in range(40)]]


def files_under(*folders: Path) -> set[str]:
    return {os.path.join(root, name) for folder in folders for root, _, names in os.walk(folder) for name in names}


@pytest.fixture()
def watched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, store) -> tuple[Path, ...]:  # noqa: ANN001
    """A temp folder of the test's own (Qt and Python both use it), the data folder, and no other app opens."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    opened: list = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    yield temp, store.path.parent
    assert opened == []  # nothing was handed to another app


def test_a_pdf_opens_at_the_cited_page_from_memory(qtbot, store, watched):  # noqa: ANN001
    from ui.attachment_viewer import AttachmentViewer

    pdf = make_pdf(PAGES)
    ids = attached(store, [("offer.pdf", pdf)])
    view = document_view(store, ids["offer.pdf"], page=2, chunk_id=chunk_on(store, ids["offer.pdf"], "CHF 1.2"))
    before = files_under(*watched)
    viewer = AttachmentViewer(view)
    qtbot.addWidget(viewer)
    viewer.show()
    assert viewer.pdf_view is not None and viewer.text_view is None
    assert viewer.document.pageCount() == 3
    qtbot.waitUntil(lambda: viewer.pdf_view.verticalScrollBar().value() > 0, timeout=10_000)  # not at the top
    assert viewer.pdf_view.pageNavigator().currentPage() == 1 and viewer.where.text() == "Page 2 of 3"
    assert viewer.search.searchString().startswith("List price is CHF 1.2")
    qtbot.waitUntil(lambda: viewer.pdf_view.currentSearchResultIndex() >= 0, timeout=10_000)  # the words are marked
    assert viewer.search.resultAtIndex(viewer.pdf_view.currentSearchResultIndex()).page() == 1
    viewer.grab()  # render the pages
    assert files_under(*watched) == before  # no decrypted copy anywhere: temp folder and data folder unchanged


def test_a_text_attachment_opens_with_the_cited_passage_marked(qtbot, store, watched):  # noqa: ANN001
    from ui.attachment_viewer import MARK, AttachmentViewer

    text = "\n\n".join(f"Paragraph {n} of the minutes, about nothing much at all." for n in range(80))
    text += "\n\nThe budget for the pilot is EUR 80,000 and it starts in May."
    ids = attached(store, [("minutes.txt", text.encode())])
    view = document_view(store, ids["minutes.txt"], chunk_id=chunk_on(store, ids["minutes.txt"], "EUR 80,000"))
    viewer = AttachmentViewer(view)
    qtbot.addWidget(viewer)
    viewer.show()
    assert viewer.pdf_view is None and "cited passage is marked" in viewer.where.text()
    qtbot.waitUntil(lambda: viewer.text_view.verticalScrollBar().value() > 0, timeout=10_000)
    html = viewer.text_view.toHtml()
    marked = html[html.index(f"background-color:{MARK}"):]
    assert "EUR 80,000" in marked[:2000] and "Paragraph 0 " not in marked[:2000]


def test_a_pdf_without_kept_bytes_opens_as_its_text_at_the_page(qtbot, store):  # noqa: ANN001
    from models import Document
    from ui.attachment_viewer import AttachmentViewer

    pages = [f"Page {n} text. " + "Filler line.\n" * 60 for n in (1, 2, 3)]
    doc_id = store.documents.upsert(Document("Old deck", "mail:a:p9/deck.pdf", "pdf", "\f".join(pages)))
    viewer = AttachmentViewer(document_view(store, doc_id, page=3))
    qtbot.addWidget(viewer)
    viewer.show()
    assert viewer.pdf_view is None and viewer.where.text() == "Page 3 of 3"
    qtbot.waitUntil(lambda: viewer.text_view.verticalScrollBar().value() > 0, timeout=10_000)
