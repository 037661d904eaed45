"""Attachments of imported mail are knowledge too: document kinds become documents (extracted in the limited
child process), queued for the index, citable with the mail they came with; other kinds, and attachments that
cannot be read, stay metadata on the mail."""

from __future__ import annotations

from pathlib import Path

from app.importing import import_paths
from tests.fakes.mail_files import mail_with_attachments


def test_document_attachments_become_searchable_documents(store, tmp_path: Path) -> None:  # noqa: ANN001
    path = mail_with_attachments(tmp_path)
    report = import_paths(store, [path])
    assert report.messages == 1
    docs = store.documents.all()
    assert [d.title for d in docs] == ["requirements.md (attached to “Our requirements”)"]
    assert "marigold-blue enclosure" in store.documents.get(docs[0].id).text
    assert ("doc", docs[0].id) in store.index_queue.next(limit=100)  # the indexer picks it up like any document
    assert report.failures == []  # an unreadable attachment stays metadata on the mail, which is imported
    [message] = store.messages.recent(limit=5)
    problems = {a.filename: a.problem for a in store.messages.get(message.id).attachments}
    assert "damaged or not readable" in problems["broken.pdf"]  # said on the message, with its file name
    assert problems["requirements.md"] == problems["logo.png"] == ""
    again = import_paths(store, [path])  # idempotent
    assert len(store.documents.all()) == 1 and again.messages == 1

