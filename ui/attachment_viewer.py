"""A document opened from a citation, inside Reflex: a PDF rendered from memory at the cited page, any other kind as
its extracted text with the cited passage marked and scrolled to (#15 item 6).

Why never a file: an attachment exists only in the encrypted store. Writing it out decrypted for another app to
open would leave a copy that app caches, indexes or syncs. So the PDF's bytes go into a `QBuffer` that
`QPdfDocument.load(QIODevice)` reads; nothing is written anywhere. The data comes ready from the engine
(`engine.usecases.document_view.DocumentView`, fetched on a worker); this dialog only shows it. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QModelIndex, QPointF, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from ui.widgets import SafeTextBrowser, plain_to_html

if TYPE_CHECKING:
    from engine.usecases.document_view import DocumentView

__all__ = ["AttachmentViewer"]

#: The cited passage's background (readable in the light and dark themes: the text keeps its own colour).
MARK = "#ffe58a"
#: How many words of the cited passage the PDF view searches for to mark them (enough to be unique on a page).
MARK_WORDS = 8


class AttachmentViewer(QDialog):
    """Non-modal; `pdf_view` (a PDF) or `text_view` (anything else, or a PDF whose bytes are not kept or do not
    load) holds the document. `page` is the cited 1-based page shown first."""

    def __init__(self, view: "DocumentView", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(view.title)
        self.setAccessibleName(f"Source: {view.title}")
        self.page = view.page or 1
        self._anchor = ""  # where the text view scrolls once shown
        self.pdf_view: QPdfView | None = None
        self.text_view: SafeTextBrowser | None = None
        layout = QVBoxLayout(self)
        self.where = QLabel()
        self.where.setAccessibleName("Where the citation points")
        layout.addWidget(self.where)
        self._buffer = QBuffer(self)  # the PDF's bytes, in memory for as long as the document is shown
        self.document = QPdfDocument(self)
        if view.pdf and self._load_pdf(view.pdf):
            self._show_pdf(view, layout)
        else:
            self._show_text(view, layout)
        self.resize(760, 720)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Go to the cited place once the pages are laid out (a scroll before that is lost)."""
        super().showEvent(event)
        QTimer.singleShot(0, self._go_to_citation)

    def _go_to_citation(self) -> None:
        if self.pdf_view is not None:
            self.pdf_view.pageNavigator().jump(self.page - 1, QPointF(), 0)
        elif self.text_view is not None and self._anchor:
            self.text_view.scrollToAnchor(self._anchor)

    # -- a PDF, as it looks -----------------------------------------------------------------------------------
    def _load_pdf(self, data: bytes) -> bool:
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        return self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0

    def _show_pdf(self, view: "DocumentView", layout: QVBoxLayout) -> None:
        self.pdf_view = QPdfView(self)
        self.pdf_view.setAccessibleName("Document pages")
        self.pdf_view.setDocument(self.document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.pdf_view, 1)
        self.page = min(self.page, self.document.pageCount())
        navigator = self.pdf_view.pageNavigator()
        navigator.currentPageChanged.connect(self._page_changed)
        navigator.jump(self.page - 1, QPointF(), 0)
        self._page_changed(navigator.currentPage())
        marked = _mark_words(view)
        if marked:  # the view marks what its search model finds; the cited page's hit becomes the current one
            self.search = QPdfSearchModel(self)
            self.search.setDocument(self.document)
            self.search.rowsInserted.connect(self._hit_found)
            self.pdf_view.setSearchModel(self.search)
            self.search.setSearchString(marked)

    def _page_changed(self, index: int) -> None:
        self.where.setText(f"Page {index + 1} of {self.document.pageCount()}")

    def _hit_found(self, _parent: QModelIndex, first: int, last: int) -> None:
        if self.pdf_view is None or self.pdf_view.currentSearchResultIndex() >= 0:
            return
        for row in range(first, last + 1):
            if self.search.resultAtIndex(row).page() == self.page - 1:
                self.pdf_view.setCurrentSearchResultIndex(row)
                return

    # -- anything else, as its text ---------------------------------------------------------------------------
    def _show_text(self, view: "DocumentView", layout: QVBoxLayout) -> None:
        self.text_view = SafeTextBrowser(accessible_name="Source text")
        layout.addWidget(self.text_view, 1)
        paged = len(view.pages) > 1
        parts = [f"<h3>{plain_to_html(view.title)}</h3>"]
        for number, text in enumerate(view.pages, 1):
            if paged:
                parts.append(f'<a name="page-{number}"></a><p><i>Page {number}</i></p>')
            span = view.span if number == view.page else None
            if span is None:
                parts.append(f"<p>{plain_to_html(text)}</p>")
            else:
                start, end = span
                parts.append(f"<p>{plain_to_html(text[:start])}<a name=\"cited\"></a>"
                             f"<span style=\"background-color:{MARK}; color:#000\">{plain_to_html(text[start:end])}"
                             f"</span>{plain_to_html(text[end:])}</p>")
        self.text_view.setHtml("".join(parts))
        self.where.setText((f"Page {view.page} of {len(view.pages)}" if paged and view.page else "")
                           + (" · the cited passage is marked" if view.span else ""))
        self._anchor = "cited" if view.span else f"page-{view.page}" if paged and view.page else ""


def _mark_words(view: "DocumentView") -> str:
    """Words of the cited passage for the PDF view to search and mark: its first line of three words or more
    (a search does not cross a line of the page), cut to `MARK_WORDS`; "" when the passage was not located."""
    if view.span is None or view.page is None:
        return ""
    start, end = view.span
    lines = [line.split() for line in view.pages[view.page - 1][start:end].splitlines() if line.strip()]
    words = next((line for line in lines if len(line) >= 3), lines[0] if lines else [])
    return " ".join(words[:MARK_WORDS])
