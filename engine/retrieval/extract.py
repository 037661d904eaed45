"""Document text extraction: PDF, DOCX, XLSX, PPTX, CSV, Markdown, TXT and HTML to text with positions.

Every extractor returns an `ExtractedDocument` made of `Section`s: a run of text with the heading it sits
under and, for PDFs, its 1-based page. The chunker uses those positions so a citation can open "page 3" or
"§ Pricing". Extraction works on bytes in memory so that a dropped file never needs a plaintext temp copy.

Errors: anything unreadable (unsupported extension, corrupt file, encrypted PDF, undecodable bytes) raises
`IngestError` for that one file. Thread-safe: extractors keep no state.
`extract_bytes` is what runs inside the limited child process: every untrusted file is read through
`engine.retrieval.isolated` (`extract_isolated`, `extract_file`, `extract_files`), never in the app's process.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from engine.errors import IngestError

log = logging.getLogger(__name__)

SUPPORTED_KINDS = ("pdf", "docx", "xlsx", "pptx", "csv", "md", "txt", "html")
EXTENSIONS = {
    ".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".pptx": "pptx", ".csv": "csv", ".md": "md",
    ".markdown": "md", ".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html",
}
_ADD_SUPPORTED = "Add PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), CSV, Markdown, text or HTML files."
# Refuse absurd inputs early: a 200 MB "document" is almost certainly not a document the user meant to add.
MAX_FILE_BYTES = 100 * 1024 * 1024
# DOCX, XLSX and PPTX are zips: their parsers inflate every part into memory, so the declared sizes are checked first
# (Python's zipfile never inflates a member past its declared size; a lie fails its CRC).
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # text XML deflates 5-20x; beyond 100x over 16 MB is a bomb, not a document
MAX_ZIP_MEMBERS = 10_000
#: Largest decompressed PDF stream read (pypdf's own cap is 75 MB, which with the parsing child's ~90 MB of code
#: let one flate bomb cost past the 200 MB a hostile file may; text content streams are far smaller).
MAX_PDF_STREAM_BYTES = 32 * 1024 * 1024
_RATIO_FLOOR = 16 * 1024 * 1024


@dataclass(slots=True)
class Section:
    """A run of text under one heading (`heading` is the path, e.g. "Plan > Risks"); `page` is 1-based."""

    text: str
    heading: str = ""
    page: int | None = None


@dataclass(slots=True)
class ExtractedDocument:
    title: str
    kind: str
    sections: list[Section] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text to store in `Document.text`: Markdown-style heading lines, form feeds between pages.

        Keeping the structure inside the one text column lets the indexer re-chunk a stored document with
        its pages and headings (`sections_from_text`) without a second table.
        """
        out: list[str] = []
        prev_path: list[str] = []
        prev_page = 1
        for s in self.sections:
            if s.page is not None and s.page > prev_page:
                out.append("\f" * (s.page - prev_page))
                prev_page = s.page
            path = s.heading.split(" > ") if s.heading else []
            common = 0
            while common < min(len(path), len(prev_path)) and path[common] == prev_path[common]:
                common += 1
            if path and common == len(path) < len(prev_path):
                common -= 1  # back up to a parent section: repeat its heading, or the parser stays in the child
            out.extend("#" * (level + 1) + " " + path[level] for level in range(common, len(path)))
            prev_path = path
            out.append(s.text)
        return "\n\n".join(out).replace("\n\n\f", "\f").replace("\f\n\n", "\f")


def kind_for(path: str | Path) -> str:
    """The document kind for a file name, or raise `IngestError` for an unsupported type."""
    ext = Path(path).suffix.lower()
    if ext not in EXTENSIONS:
        raise IngestError(
            f"{Path(path).name}: unsupported file type '{ext or 'none'}'",
            next_step=_ADD_SUPPORTED,
        )
    return EXTENSIONS[ext]


def is_document_name(name: str) -> bool:
    """Whether a file of this name is one Reflex reads as a document (by its extension)."""
    return Path(name).suffix.lower() in EXTENSIONS


def read_file(path: str | Path) -> bytes:
    """The bytes of a document file of a supported kind; `IngestError` when unreadable or too large."""
    p = Path(path)
    kind_for(p)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(f"{p.name}: file is too large ({size // 2**20} MB)",
                              next_step="Split the document into smaller files.")
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(f"{p.name}: cannot be read ({exc.strerror or exc})",
                          next_step="Check that the file exists and you may read it.") from exc
    return data


def extract_bytes(data: bytes, *, kind: str, name: str) -> ExtractedDocument:
    """Extract in-memory file content of the given kind; `name` gives the fallback title and error text."""
    extractor = _EXTRACTORS.get(kind)
    if extractor is None:
        raise IngestError(f"{name}: unsupported document kind '{kind}'",
                          next_step=_ADD_SUPPORTED)
    try:
        doc = extractor(data, name)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything on corrupt input
        log.info("extraction failed kind=%s error=%s", kind, type(exc).__name__)
        raise IngestError(f"{name}: the {kind.upper()} file is damaged or not readable ({type(exc).__name__})",
                          next_step="Open and re-save the file, or export it as PDF or text.") from exc
    doc.sections = [s for s in doc.sections if s.text.strip()]
    if not doc.sections:
        raise IngestError(f"{name}: no text could be extracted",
                          next_step="Scanned PDFs need OCR first; otherwise check that the file has text.")
    return doc


def title_from_name(name: str) -> str:
    return Path(name).stem.replace("_", " ").replace("-", " ").strip() or name


def decode_text(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{name}: looks like a binary file, not text",
                          next_step=_ADD_SUPPORTED)
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Legacy 8-bit files: cp1252 maps nearly every byte; better a readable text than a refusal.
    return data.decode("cp1252", errors="replace")


def _extract_txt(data: bytes, name: str) -> ExtractedDocument:
    text = decode_text(data, name).replace("\r\n", "\n")
    return ExtractedDocument(title=title_from_name(name), kind="txt", sections=[Section(text.strip())])


_ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SETEXT = re.compile(r"=+|-{3,}")


def _extract_md(data: bytes, name: str) -> ExtractedDocument:
    title, sections = parse_markdown(decode_text(data, name))
    return ExtractedDocument(title=title or title_from_name(name), kind="md", sections=sections)


def parse_markdown(text: str, *, paged: bool = False) -> tuple[str, list[Section]]:
    """(first level-1 heading, sections) of Markdown split at ATX and setext headings.

    '#' lines inside fenced code blocks are not headings. With `paged`, form feeds separate pages (the
    stored form of a PDF, see `ExtractedDocument.text`) and each section gets its 1-based page.
    """
    text = text.replace("\r\n", "\n")
    lines = (text.replace("\f", "\n\f\n") if paged else text).split("\n")
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    body: list[str] = []
    title = ""
    in_fence = False
    page = 1

    def flush() -> None:
        chunk = "\n".join(body).strip()
        if chunk:
            sections.append(Section(chunk, heading=" > ".join(h for _, h in path), page=page if paged else None))
        body.clear()

    def open_heading(level: int, heading: str) -> None:
        nonlocal title
        flush()
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, heading))
        title = title or (heading if level == 1 else "")

    skip_next = False
    for i, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        if paged and line == "\f":
            flush()
            page += 1
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and (m := _ATX.match(line)):
            open_heading(len(m.group(1)), m.group(2).strip())
            continue
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        starts_block = not body or not body[-1].strip()
        if not in_fence and line.strip() and starts_block and _SETEXT.fullmatch(underline):
            open_heading(1 if underline[0] == "=" else 2, line.strip())  # "Title\n=====" style
            skip_next = True
            continue
        body.append(line)
    flush()
    return title, sections


def sections_from_text(text: str, kind: str) -> list[Section]:
    """Sections back from the stored text of a document (`ExtractedDocument.text`)."""
    return parse_markdown(text, paged=kind == "pdf")[1]


_HEADING_RULES = {f"h{n}": [f"h{n}"] for n in range(1, 7)}


def _extract_html(data: bytes, name: str) -> ExtractedDocument:
    """inscriptis renders tables and lists faithfully (and never fetches remote content); its annotations
    tell where the headings are. The <title> comes from lxml, which inscriptis parses with anyway."""
    import lxml.html
    from inscriptis import get_annotated_text
    from inscriptis.model.config import ParserConfig

    html = decode_text(data, name)
    if not html.strip():
        return ExtractedDocument(title=title_from_name(name), kind="html")
    result = get_annotated_text(html, ParserConfig(annotation_rules=_HEADING_RULES))
    text: str = result["text"]
    heads = sorted((start, end, int(label[1])) for start, end, label in result["label"])
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    cursor = 0
    for start, end, level in heads:
        if start < cursor:
            continue
        sections.append(Section(text[cursor:start].strip(), heading=" > ".join(h for _, h in path)))
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, " ".join(text[start:end].split())))
        cursor = end
    sections.append(Section(text[cursor:].strip(), heading=" > ".join(h for _, h in path)))
    title = " ".join((lxml.html.fromstring(html.encode()).findtext(".//title") or "").split())
    h1 = next((" ".join(text[s:e].split()) for s, e, lv in heads if lv == 1), "")
    return ExtractedDocument(title=title or h1 or title_from_name(name), kind="html", sections=sections)


def _extract_docx(data: bytes, name: str) -> ExtractedDocument:
    """Paragraph styles 'Title' and 'Heading N' give the structure; tables become tab-separated rows."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(f"{name}: not a DOCX file (old .doc files are not supported)",
                          next_step="Save it as .docx or PDF in your word processor.")
    check_zip(data, name)
    document = docx.Document(io.BytesIO(data))
    title = (document.core_properties.title or "").strip()
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    body: list[str] = []

    def flush() -> None:
        if body:
            sections.append(Section("\n".join(body).strip(), heading=" > ".join(h for _, h in path)))
            body.clear()

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                if any(cells):
                    body.append("\t".join(cells))
            continue
        assert isinstance(block, Paragraph)
        style = (block.style.name if block.style is not None else "") or ""
        text = block.text.strip()
        level = 0
        if style == "Title":
            title = title or text
            continue
        if m := re.fullmatch(r"Heading (\d)", style):
            level = int(m.group(1))
        if level and text:
            flush()
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, text))
        elif text:
            body.append(text)
    flush()
    return ExtractedDocument(title=title or title_from_name(name), kind="docx", sections=sections)


def check_zip(data: bytes, name: str) -> None:
    """Refuse a zip whose declared contents are too many, too large, or compressed too well (a zip bomb),
    before anything is inflated. Raises `IngestError`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    total = sum(m.file_size for m in members)
    problem = ""
    if len(members) > MAX_ZIP_MEMBERS:
        problem = f"it holds {len(members):,} parts (the limit is {MAX_ZIP_MEMBERS:,})"
    elif total > MAX_UNCOMPRESSED_BYTES:
        problem = f"it unpacks to {total // 2**20:,} MB (the limit is {MAX_UNCOMPRESSED_BYTES // 2**20} MB)"
    elif total > _RATIO_FLOOR and total > MAX_COMPRESSION_RATIO * max(1, len(data)):
        problem = f"it unpacks {total // max(1, len(data)):,} times its size (a zip bomb)"
    if problem:
        raise IngestError(f"{name}: not read because {problem}",
                          next_step="If it is a real document, export it as PDF and add that.")


def _extract_pdf(data: bytes, name: str) -> ExtractedDocument:
    """One section per page, so citations can open the page; encrypted PDFs are refused, not guessed."""
    from pypdf import PdfReader, apply_configuration

    limits = {f"{codec}_maximum_output_length": MAX_PDF_STREAM_BYTES
              for codec in ("zlib", "lzw", "run_length", "brotli")}
    with apply_configuration(**limits):
        return _read_pdf(PdfReader(io.BytesIO(data), strict=False), name)


def _read_pdf(reader: Any, name: str) -> ExtractedDocument:
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise IngestError(f"{name}: the PDF is password-protected",
                                  next_step="Remove the password (print to PDF) and add it again.")
        except IngestError:
            raise
        except Exception as exc:  # noqa: BLE001 - pypdf raises several types for unsupported crypto
            raise IngestError(f"{name}: the PDF is password-protected",
                              next_step="Remove the password (print to PDF) and add it again.") from exc
    meta_title = ""
    try:
        meta_title = (reader.metadata.title or "").strip() if reader.metadata else ""
    except Exception:  # noqa: BLE001 - broken info dictionaries are common and harmless
        meta_title = ""
    sections = [Section((page.extract_text() or "").strip(), page=i)
                for i, page in enumerate(reader.pages, 1)]
    return ExtractedDocument(title=meta_title or title_from_name(name), kind="pdf", sections=sections)


def _office_zip(data: bytes, name: str, kind: str) -> io.BytesIO:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(f"{name}: not a {kind.upper()} file (old .xls/.ppt files are not supported)",
                          next_step=f"Save it as .{kind} or PDF in its application.")
    check_zip(data, name)
    return io.BytesIO(data)


def _extract_xlsx(data: bytes, name: str) -> ExtractedDocument:
    from engine.retrieval.office import xlsx_sheets

    title, parts = xlsx_sheets(_office_zip(data, name, "xlsx"))
    return ExtractedDocument(title=title or title_from_name(name), kind="xlsx",
                             sections=[Section(text, heading=heading) for heading, text in parts])


def _extract_pptx(data: bytes, name: str) -> ExtractedDocument:
    from engine.retrieval.office import pptx_slides

    title, parts = pptx_slides(_office_zip(data, name, "pptx"))
    return ExtractedDocument(title=title or title_from_name(name), kind="pptx",
                             sections=[Section(text, heading=heading) for heading, text in parts])


def _extract_csv(data: bytes, name: str) -> ExtractedDocument:
    from engine.retrieval.office import csv_text

    text = csv_text(decode_text(data, name))
    return ExtractedDocument(title=title_from_name(name), kind="csv", sections=[Section(text)])


_EXTRACTORS: dict[str, Callable[[bytes, str], ExtractedDocument]] = {
    "pdf": _extract_pdf, "docx": _extract_docx, "md": _extract_md, "txt": _extract_txt, "html": _extract_html,
    "xlsx": _extract_xlsx, "pptx": _extract_pptx, "csv": _extract_csv,
}
