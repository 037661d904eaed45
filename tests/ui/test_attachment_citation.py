"""Opening a citation of an attachment from Chat, the quick-ask popup's target or the Inbox's attachment link shows
it inside Reflex (#15 item 6): a PDF at the cited page, rendered from its bytes in the store."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from engine.retrieval.chunking import describe_locator
from engine.retrieval.rag import Citation
from tests.retrieval.rt_builders import attached, chunk_on, make_pdf

PAGES = [[f"Cover line {n}." for n in range(40)],
         ["Pricing", "List price is CHF 1.2 million for the first year."],
         ["Appendix"]]


def citation_of(store, chunk_id: int) -> Citation:  # noqa: ANN001
    chunk = store.chunks.get_many([chunk_id])[chunk_id]
    return Citation(number=1, chunk_id=chunk_id, source_type="doc", source_id=chunk.source_id, title=chunk.title,
                    locator=chunk.locator, where=describe_locator("doc", chunk.locator), occurred_at=None,
                    text=chunk.text, score=1.0)


def test_a_chat_citation_of_a_pdf_attachment_opens_it_at_the_page(qtbot, main_window, store):  # noqa: ANN001
    from ui.attachment_viewer import AttachmentViewer
    from ui.conversation import ShownTurn

    ids = attached(store, [("offer.pdf", make_pdf(PAGES))])
    cited = citation_of(store, chunk_on(store, ids["offer.pdf"], "CHF 1.2"))
    assert cited.target == f"reflex://doc/{ids['offer.pdf']}?page=2&chunk={cited.chunk_id}"
    chat = main_window.show_page("chat")
    chat.session.turns.append(ShownTurn("assistant", "The list price is CHF 1.2 million [1].", [cited]))
    chat.transcript.anchorClicked.emit(QUrl(f"cite:{len(chat.session.turns) - 1}:1"))
    qtbot.waitUntil(lambda: isinstance(getattr(main_window, "source_dialog", None), AttachmentViewer), timeout=10_000)
    viewer = main_window.source_dialog
    assert viewer.pdf_view is not None and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.pdf_view.pageNavigator().currentPage() == 1, timeout=10_000)
    assert viewer.where.text() == "Page 2 of 3"


def test_the_inbox_attachment_link_opens_the_pdf(qtbot, main_window, store):  # noqa: ANN001
    from ui.attachment_viewer import AttachmentViewer

    ids = attached(store, [("offer.pdf", make_pdf(PAGES))])
    main_window.page("inbox").open_target.emit(f"reflex://doc/{ids['offer.pdf']}")  # what the mail view's link does
    qtbot.waitUntil(lambda: isinstance(getattr(main_window, "source_dialog", None), AttachmentViewer), timeout=10_000)
    assert main_window.source_dialog.pdf_view is not None and main_window.source_dialog.where.text() == "Page 1 of 3"
