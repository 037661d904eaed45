"""Builders for retrieval tests: domain objects, real PDF, DOCX, XLSX and PPTX files made in memory, and a mail's
attachments stored and chunked."""

from __future__ import annotations

import io
from datetime import datetime, timezone

from engine.retrieval import chunk_sections, sections_from_text
from engine.retrieval.documents import add_attachments
from engine.store import Store
from models import Attachment, Attendee, Contact, Event, Meeting, Message, TranscriptSegment


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def message(pid: str, subject: str, body: str, *, sender: tuple[str, str] = ("dana@acme.example", "Dana Whitfield"),
            thread: str = "", when: datetime | None = None, to: tuple[str, str] = ("ceo@northwind.example", "Chris Ng"),
            ) -> Message:
    return Message(account="demo", provider_id=pid, thread_key=thread or f"t-{pid}", subject=subject,
                   sender=Contact(*sender), to=[Contact(*to)], sent_at=when or utc(2026, 3, 2, 9), body_text=body)


def event(pid: str, title: str, description: str = "", *, when: datetime | None = None,
          attendees: tuple[str, ...] = ("raj@northwind.example",)) -> Event:
    start = when or utc(2026, 3, 5, 15)
    return Event(account="demo", provider_id=pid, title=title, start=start, end=start.replace(hour=start.hour + 1),
                 description=description, attendees=[Attendee(a) for a in attendees])


def meeting(title: str, turns: list[tuple[float, float, str, str]], *, when: datetime | None = None) -> Meeting:
    return Meeting(title=title, started_at=when or utc(2026, 3, 3, 14),
                   segments=[TranscriptSegment(start=s, end=e, speaker=sp, text=t) for s, e, sp, t in turns])


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF (Helvetica text, one list of lines per page) with a correct xref table."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, lines in enumerate(pages):
        content = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({_pdf_escape(line)}) '" for line in lines) + " ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 "
                       f"{font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode())
        data = content.encode("latin-1")
        objects.append(b"<< /Length " + str(len(data)).encode() + b" >>\nstream\n" + data + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for num, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{num} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(title: str, blocks: list[tuple[str, str]]) -> bytes:
    """A real DOCX: blocks are (style, text) with style 'h1', 'h2' or 'p'; plus one table."""
    import docx

    document = docx.Document()
    document.add_heading(title, level=0)
    for style, text in blocks:
        if style.startswith("h"):
            document.add_heading(text, level=int(style[1]))
        else:
            document.add_paragraph(text)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Region", "Quota"
    table.cell(1, 0).text, table.cell(1, 1).text = "EMEA", "4.2M"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """A real workbook (openpyxl), one worksheet per entry, rows as given."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def make_pptx(slides: list[tuple[str, str, str]]) -> bytes:
    """A real deck (python-pptx): each slide is (title, body text, speaker notes)."""
    from pptx import Presentation

    deck = Presentation()
    for title, body, notes in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    buf = io.BytesIO()
    deck.save(buf)
    return buf.getvalue()


def attached(store: Store, files: list[tuple[str, bytes]]) -> dict[str, int]:
    """Store a mail with `files` attached and index their chunks as the indexer does; file name -> document id."""
    mail = message("p1", "Board pack", "See attached.")
    mail.attachments = [Attachment(name, "application/octet-stream", len(data)) for name, data in files]
    store.messages.upsert([mail])
    ids, failed = add_attachments(store, mail, files)
    assert failed == []
    for doc_id in ids:
        doc = store.documents.get(doc_id)
        store.chunks.write_source("doc", doc_id, chunk_sections(sections_from_text(doc.text, doc.kind),
                                                                source_type="doc", source_id=doc_id, title=doc.title))
    return {name: doc_id for (name, _), doc_id in zip(files, ids)}


def chunk_on(store: Store, doc_id: int, words: str) -> int:
    """The id of the first chunk of document `doc_id` that contains `words`."""
    return next(cid for cid, c in store.chunks.get_many(range(1, 100)).items()
                if c.source_id == doc_id and words in c.text)
