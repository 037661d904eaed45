"""Attachments of synced mail are knowledge too (#15 item 6): Gmail (the `format=raw` message carries them)
and Outlook (Graph `/messages/{id}/attachments/{id}` with `contentBytes`) bring the bytes of document
attachments, driven by the real client libraries against the fakes; the sync reads them in the limited child
after the mail is committed, stores them encrypted as documents queued for the index, and writes an
unreadable one's reason on its message. Images are never downloaded from Graph."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

from connectors.google import GoogleConnector
from connectors.microsoft import MicrosoftConnector
from engine.events import EventBus
from engine.jobs import SyncCoordinator
from engine.retrieval.extract import is_document_name
from models import Account
from tests.retrieval.rt_builders import make_pptx, make_xlsx
from tests.connectors.conftest import GOOGLE_ACCOUNT, MS_ACCOUNT
from tests.fakes.mail_files import mail_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHEET = make_xlsx({"Pipeline": [["Account", "Amount"], ["Verano Foods", "CHF 1.2 million"]]})
DECK = make_pptx([("Renewal terms", "Three-year term at EUR 90 per seat", "")])


def _documents_by_title(store) -> dict[str, str]:  # noqa: ANN001
    return {d.title: store.documents.get(d.id).text for d in store.documents.all()}


def _check_stored(store, account: str, provider_id: str, expected_titles: set[str]) -> None:  # noqa: ANN001
    docs = _documents_by_title(store)
    assert set(docs) == expected_titles
    assert any("Verano Foods\tCHF 1.2 million" in text for text in docs.values())
    queued = store.index_queue.next(limit=100)
    assert all(("doc", d.id) in queued for d in store.documents.all())
    message = store.messages.get(store.messages.id_for(account, provider_id))
    problems = {a.filename: a.problem for a in message.attachments}
    assert problems["contract.docx"].startswith("not a DOCX file")
    assert problems["pipeline.xlsx"] == "" and problems["photo.png"] == ""


def test_gmail_attachments_are_read_stored_and_an_unreadable_one_is_named_on_the_message(
        store, fake_google, google_client_factory):  # noqa: ANN001
    store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", "ines@tidewater.example"))
    mid = fake_google.add_message(mail_bytes("Pipeline for Q3", "The sheet is attached.", [
        ("pipeline.xlsx", SHEET, XLSX), ("contract.docx", b"PK\x03\x04 not a zip", DOCX),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")]),
        when=datetime.now(timezone.utc) - timedelta(days=1))
    connector = GoogleConnector(google_client_factory(), account=GOOGLE_ACCOUNT, calendars=(),
                                wants_attachment=is_document_name)
    coordinator = SyncCoordinator(store=store, connector=connector, bus=EventBus())
    assert coordinator.run().status == "ok"
    _check_stored(store, GOOGLE_ACCOUNT, mid, {"pipeline.xlsx (attached to “Pipeline for Q3”)"})
    fake_google.modify_labels(mid, remove=("UNREAD",))  # a later sync of the same mail changes nothing
    assert coordinator.run().status == "ok"
    _check_stored(store, GOOGLE_ACCOUNT, mid, {"pipeline.xlsx (attached to “Pipeline for Q3”)"})


def test_outlook_attachments_come_through_graph_and_images_are_never_downloaded(store, fake_ms, graph_factory):  # noqa: ANN001
    store.accounts.upsert(Account(MS_ACCOUNT, "microsoft", "ceo@contoso.example"))

    def file(name: str, data: bytes, mime: str) -> dict:
        return {"name": name, "contentType": mime, "size": len(data), "contentBytes": base64.b64encode(data).decode()}

    mid = fake_ms.add_mail(subject="Renewal pack", body="Sheet and deck attached.", attachments=[
        file("pipeline.xlsx", SHEET, XLSX), file("terms.pptx", DECK, PPTX),
        file("contract.docx", b"PK\x03\x04 not a zip", DOCX), file("photo.png", b"\x89PNG" + b"\0" * 32, "image/png")])
    before = len(fake_ms.requests)
    connector = MicrosoftConnector(graph_factory(), account=MS_ACCOUNT, wants_attachment=is_document_name)
    assert SyncCoordinator(store=store, connector=connector, bus=EventBus()).run().status == "ok"
    _check_stored(store, MS_ACCOUNT, mid, {"pipeline.xlsx (attached to “Renewal pack”)",
                                           "terms.pptx (attached to “Renewal pack”)"})
    assert "Slide 1: Renewal terms" in _documents_by_title(store)["terms.pptx (attached to “Renewal pack”)"]
    fetched = [r[1] for r in fake_ms.requests[before:] if "/attachments/" in r[1]]
    assert len(fetched) == 3 and not any("att3" in path for path in fetched)  # the PNG (att3) stayed on the server


def test_without_a_wish_connectors_bring_metadata_only(fake_ms, graph_factory):  # noqa: ANN001
    fake_ms.add_mail(subject="Deck", attachments=[{"name": "a.pdf", "contentType": "application/pdf", "size": 4,
                                                   "contentBytes": "JVBERi0="}])
    batch = MicrosoftConnector(graph_factory(), account=MS_ACCOUNT).sync("outlook:mail", None)
    assert [a.filename for m in batch.messages for a in m.attachments] == ["a.pdf"]
    assert batch.attachment_files == {}
