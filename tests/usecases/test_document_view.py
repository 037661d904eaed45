"""A citation of an attachment opens it inside Reflex (#15 item 6): a PDF's bytes are kept in the encrypted store
(and go when the document goes), so the viewer renders the cited page from memory; every kind opens at the cited
page with the cited passage found in its text, whatever whitespace the chunker put between paragraphs."""

from __future__ import annotations

from engine.retrieval.documents import add_attachments
from engine.usecases.document_view import document_view, locate
from models import Attachment
from tests.retrieval.rt_builders import attached, chunk_on, make_pdf, message

PAGES = [["Quarterly review", "Revenue rose in all regions."],
         ["Pricing", "List price is CHF 1.2 million for the first year.", "Renewal is due in March."],
         ["Risks", "The auditors arrive on Monday."]]
NOTES = "Meeting notes\n\nThe budget for the pilot is EUR 80,000.\n\nNext step: send the order form by Friday."


def test_a_pdf_citation_opens_its_page_from_the_kept_bytes(store):
    pdf = make_pdf(PAGES)
    ids = attached(store, [("board.pdf", pdf)])
    view = document_view(store, ids["board.pdf"], page=2, chunk_id=chunk_on(store, ids["board.pdf"], "CHF 1.2"))
    assert view.pdf == pdf and view.kind == "pdf" and len(view.pages) == 3 and view.page == 2
    start, end = view.span
    assert "CHF 1.2 million" in view.pages[1][start:end]
    assert document_view(store, ids["board.pdf"], page=99).page == 3  # past the end: the last page
    store.documents.delete(ids["board.pdf"])
    assert store.documents.file(ids["board.pdf"]) is None and document_view(store, ids["board.pdf"]) is None


def test_other_kinds_open_as_their_text_with_the_passage_found(store):
    ids = attached(store, [("notes.txt", NOTES.encode()), ("board.pdf", make_pdf(PAGES))])
    chunk = chunk_on(store, ids["notes.txt"], "EUR 80,000")
    view = document_view(store, ids["notes.txt"], chunk_id=chunk)
    assert view.pdf is None and store.documents.file(ids["notes.txt"]) is None  # only a PDF's bytes are kept
    start, end = view.span
    assert "budget for the pilot is EUR 80,000" in view.pages[0][start:end] and view.page == 1
    other = document_view(store, ids["board.pdf"], page=1, chunk_id=chunk)  # a chunk of another document
    assert (other.passage, other.span, other.page) == ("", None, 1)


def test_a_passage_is_found_whatever_the_whitespace():
    text = "Intro line.\n\nThe budget for the\npilot is EUR 80,000.   Next step:\n\tsend the order form by Friday.\n"
    passage = "for the pilot is EUR 80,000.\n\nNext step: send the order form by Friday."
    start, end = locate(text, passage)
    assert text[start:end].split() == "for the pilot is EUR 80,000. Next step: send the order form by Friday.".split()
    assert locate(text, "Nothing like this is written there.") is None


def test_a_pdf_read_before_its_bytes_were_kept_gets_them_when_it_comes_again(store):
    pdf = make_pdf(PAGES)
    ids = attached(store, [("board.pdf", pdf)])
    with store.transaction() as conn:  # as a store from before schema 6 has it
        conn.execute("DELETE FROM document_files")
    assert document_view(store, ids["board.pdf"]).pdf is None
    mail = message("p1", "Board pack", "See attached.")  # the same mail imported again
    mail.attachments = [Attachment("board.pdf", "application/pdf", len(pdf))]
    assert add_attachments(store, mail, [("board.pdf", pdf)]) == ([ids["board.pdf"]], [])
    assert document_view(store, ids["board.pdf"]).pdf == pdf
