"""Spreadsheet, slide deck and CSV text extraction (XLSX via openpyxl, PPTX via python-pptx, CSV via csv).

Why a module of its own: these are the table-shaped formats executives mail each other (a pipeline sheet, a
board deck, an export); each becomes sections the chunker can cite — one per worksheet ("Sheet: Pipeline")
and one per slide ("Slide 3: Pricing"), rows as tab-separated lines so a value keeps its row.

Contract: like every extractor in `engine.retrieval.extract`, these run only inside the limited child process
(`engine.retrieval.isolated.extract_isolated`); XLSX and PPTX are zips, so their declared sizes, member count
and compression ratio are checked by `check_zip` before anything is inflated. Formulas are read as their
last computed values (never evaluated); macros, media and embedded objects are ignored. Errors are
`IngestError`s raised through `extract_bytes`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from engine.errors import IngestError
from engine.retrieval.extract import ExtractedDocument, Section, check_zip, decode_text, title_from_name

__all__ = ["MAX_ROWS_PER_TABLE", "extract_csv", "extract_pptx", "extract_xlsx"]

# A sheet of a million rows is data, not prose: the first rows carry what a question can be about, and the
# rest would drown the index. The cut is said in the text, so an answer never implies it saw everything.
MAX_ROWS_PER_TABLE = 20_000


def _zip_document(data: bytes, name: str, kind: str) -> io.BytesIO:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(f"{name}: not a {kind.upper()} file (old .xls/.ppt files are not supported)",
                          next_step=f"Save it as .{kind} or PDF in its application.")
    check_zip(data, name)
    return io.BytesIO(data)


def _rows_text(rows: Iterable[Iterable[Any]]) -> str:
    """Non-empty rows as tab-separated lines (empty trailing cells dropped), cut at `MAX_ROWS_PER_TABLE`."""
    lines: list[str] = []
    for row in rows:
        cells = ["" if v is None else " ".join(str(v).split()) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(lines) == MAX_ROWS_PER_TABLE:
            lines.append(f"(further rows not read: only the first {MAX_ROWS_PER_TABLE:,} are kept)")
            break
        lines.append("\t".join(cells))
    return "\n".join(lines)


def extract_xlsx(data: bytes, name: str) -> ExtractedDocument:
    """One section per worksheet, headed by its name; hidden sheets too (they are still in the file)."""
    import openpyxl

    book = openpyxl.load_workbook(_zip_document(data, name, "xlsx"), read_only=True, data_only=True)
    try:
        title = (book.properties.title or "").strip()
        sections = [Section(_rows_text(sheet.iter_rows(values_only=True)), heading=f"Sheet: {sheet.title}")
                    for sheet in book.worksheets]
    finally:
        book.close()
    return ExtractedDocument(title=title or title_from_name(name), kind="xlsx", sections=sections)


def _shape_texts(shapes: Iterable[Any]) -> Iterator[str]:
    """Text of text boxes and tables, descending into groups, in the slide's order."""
    for shape in shapes:
        if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):  # a group
            yield from _shape_texts(shape.shapes)
        elif getattr(shape, "has_table", False) and shape.has_table:
            yield _rows_text([cell.text for cell in row.cells] for row in shape.table.rows)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            yield shape.text_frame.text.strip()


def extract_pptx(data: bytes, name: str) -> ExtractedDocument:
    """One section per slide, headed 'Slide N: its title'; the speaker notes follow the slide's text."""
    from pptx import Presentation

    deck = Presentation(_zip_document(data, name, "pptx"))
    sections: list[Section] = []
    for number, slide in enumerate(deck.slides, 1):
        title_shape = slide.shapes.title
        heading = (title_shape.text_frame.text.strip() if title_shape is not None and title_shape.has_text_frame
                   else "")
        texts = [t for t in _shape_texts(slide.shapes) if t and t != heading]
        if slide.has_notes_slide and (notes := slide.notes_slide.notes_text_frame) is not None:
            texts.append(notes.text.strip())
        label = f"Slide {number}: {' '.join(heading.split())}" if heading else f"Slide {number}"
        sections.append(Section("\n".join(t for t in texts if t) or heading, heading=label))
    title = (deck.core_properties.title or "").strip()
    return ExtractedDocument(title=title or title_from_name(name), kind="pptx", sections=sections)


def extract_csv(data: bytes, name: str) -> ExtractedDocument:
    """Rows of a comma-, semicolon- or tab-separated file (the delimiter sniffed from its start)."""
    text = decode_text(data, name)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:  # one column, or too little to tell: commas
        dialect = csv.excel
    return ExtractedDocument(title=title_from_name(name), kind="csv",
                             sections=[Section(_rows_text(csv.reader(io.StringIO(text), dialect)))])
