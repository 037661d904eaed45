"""Spreadsheet, slide deck and CSV text extraction (XLSX via openpyxl, PPTX via python-pptx, CSV via csv).

Why a module of its own: these are the table-shaped formats executives mail each other (a pipeline sheet, a
board deck, an export); each becomes sections the chunker can cite — one per worksheet ("Sheet: Pipeline")
and one per slide ("Slide 3: Pricing"), rows as tab-separated lines so a value keeps its row.

Contract: called only by `engine.retrieval.extract` (which wraps the parts in its `ExtractedDocument`), so
only inside the limited child process (`engine.retrieval.isolated.extract_isolated`), and only after
`check_zip` has checked an XLSX's or PPTX's declared sizes, member count and compression ratio. Formulas
are read as their last computed values (never evaluated); macros, media and embedded objects are ignored.
Parser exceptions propagate; `extract_bytes` turns them into per-file `IngestError`s.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["MAX_ROWS_PER_TABLE", "csv_text", "pptx_slides", "xlsx_sheets"]

# A sheet of a million rows is data, not prose: the first rows carry what a question can be about, and the
# rest would drown the index. The cut is said in the text, so an answer never implies it saw everything.
MAX_ROWS_PER_TABLE = 20_000

Parts = tuple[str, list[tuple[str, str]]]  # (title from the file's properties, [(heading, text)])


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


def xlsx_sheets(stream: io.BytesIO) -> Parts:
    """One part per worksheet, headed by its name; hidden sheets too (they are still in the file)."""
    import openpyxl

    book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    try:
        title = (book.properties.title or "").strip()
        parts = [(f"Sheet: {sheet.title}", _rows_text(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
    finally:
        book.close()
    return title, parts


def _shape_texts(shapes: Iterable[Any]) -> Iterator[str]:
    """Text of text boxes and tables, descending into groups, in the slide's order."""
    for shape in shapes:
        if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):  # a group
            yield from _shape_texts(shape.shapes)
        elif getattr(shape, "has_table", False) and shape.has_table:
            yield _rows_text([cell.text for cell in row.cells] for row in shape.table.rows)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            yield shape.text_frame.text.strip()


def pptx_slides(stream: io.BytesIO) -> Parts:
    """One part per slide, headed 'Slide N: its title'; the speaker notes follow the slide's text."""
    from pptx import Presentation

    deck = Presentation(stream)
    parts: list[tuple[str, str]] = []
    for number, slide in enumerate(deck.slides, 1):
        title_shape = slide.shapes.title
        heading = (title_shape.text_frame.text.strip() if title_shape is not None and title_shape.has_text_frame
                   else "")
        texts = [t for t in _shape_texts(slide.shapes) if t and t != heading]
        if slide.has_notes_slide and (notes := slide.notes_slide.notes_text_frame) is not None:
            texts.append(notes.text.strip())
        label = f"Slide {number}: {' '.join(heading.split())}" if heading else f"Slide {number}"
        parts.append((label, "\n".join(t for t in texts if t) or heading))
    return (deck.core_properties.title or "").strip(), parts


def csv_text(text: str) -> str:
    """Rows of a comma-, semicolon- or tab-separated text (the delimiter sniffed from its start)."""
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:  # one column, or too little to tell: commas
        dialect = csv.excel
    return _rows_text(csv.reader(io.StringIO(text), dialect))
