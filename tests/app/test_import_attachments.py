"""Attachments of imported mail are knowledge too: document kinds become documents (extracted in the limited
child process), queued for the index, citable with the mail they came with; other kinds, and attachments that
cannot be read, stay metadata on the mail."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from app.importing import import_paths


def _eml(tmp_path: Path) -> Path:
    msg = EmailMessage()
    msg["From"] = "Alice Buyer <alice@contoso.example>"
    msg["To"] = "Ines Carvalho <ines@tidewater.example>"
    msg["Subject"] = "Our requirements"
    msg["Message-ID"] = "<req-1@contoso.example>"
    msg["Date"] = "Mon, 23 Nov 2026 09:15:00 +0000"
    msg.set_content("Hi Ines, our requirements are attached. Could you quote by Friday?")
    msg.add_attachment(b"# Requirements\n\nWe need 40 gateways with a marigold-blue enclosure.\n",
                       maintype="text", subtype="markdown", filename="requirements.md")
    msg.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, maintype="image", subtype="png", filename="logo.png")
    msg.add_attachment(b"%PDF-1.4 not really a pdf", maintype="application", subtype="pdf", filename="broken.pdf")
    path = tmp_path / "req.eml"
    path.write_bytes(bytes(msg))
    return path


def test_document_attachments_become_searchable_documents(store, tmp_path: Path) -> None:  # noqa: ANN001
    path = _eml(tmp_path)
    report = import_paths(store, [path])
    assert report.messages == 1
    docs = store.documents.all()
    assert [d.title for d in docs] == ["requirements.md (attached to “Our requirements”)"]
    assert "marigold-blue enclosure" in store.documents.get(docs[0].id).text
    assert ("doc", docs[0].id) in store.index_queue.next(limit=100)  # the indexer picks it up like any document
    assert report.failures == []  # an unreadable attachment stays metadata on the mail, which is imported
    again = import_paths(store, [path])  # idempotent
    assert len(store.documents.all()) == 1 and again.messages == 1
