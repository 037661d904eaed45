"""XLSX, PPTX and CSV (issue #15 item 6): real files made with the real libraries come back as cited sections
through the one limited child process, and their zip bombs are refused from declared sizes like a DOCX's."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import IngestError
from engine.retrieval.extract import MAX_UNCOMPRESSED_BYTES, extract_bytes
from engine.retrieval.isolated import extract_isolated
from engine.retrieval.office import MAX_ROWS_PER_TABLE
from rt_builders import make_pptx, make_xlsx


def test_xlsx_sheets_become_sections_with_their_rows_in_the_child():
    data = make_xlsx({"Pipeline": [["Account", "Stage", "Amount"], ["Hallbrook Dental", "Proposal", 48000],
                                   [None, None, None], ["Verano Foods", "Pilot", "CHF 1.2 million"]],
                      "Notes": [["Renewal decision due 14 March"]]})
    doc = extract_isolated(data, kind="xlsx", name="q3-pipeline.xlsx")
    assert doc.kind == "xlsx" and doc.title == "q3 pipeline"
    assert [s.heading for s in doc.sections] == ["Sheet: Pipeline", "Sheet: Notes"]
    assert doc.sections[0].text.splitlines() == ["Account\tStage\tAmount", "Hallbrook Dental\tProposal\t48000",
                                                 "Verano Foods\tPilot\tCHF 1.2 million"]
    assert "Sheet: Pipeline" in doc.text and "Renewal decision due 14 March" in doc.text


def test_pptx_slides_are_sections_headed_by_number_and_title_with_their_notes():
    data = make_pptx([("Board update", "Revenue up 18% year on year", "Mention the Lisbon office"),
                      ("Pricing", "Enterprise tier at EUR 90 per seat", "")])
    doc = extract_isolated(data, kind="pptx", name="board.pptx")
    assert [s.heading for s in doc.sections] == ["Slide 1: Board update", "Slide 2: Pricing"]
    assert "Revenue up 18% year on year" in doc.sections[0].text
    assert "Mention the Lisbon office" in doc.sections[0].text
    assert doc.sections[1].text == "Enterprise tier at EUR 90 per seat"


@pytest.mark.parametrize("text, delimiter", [("a,b\n1,2\n", ","), ("a;b\n1;2\n", ";"), ("a\tb\n1\t2\n", "\t")])
def test_csv_delimiters_are_sniffed_and_rows_kept(text, delimiter):
    doc = extract_bytes(text.encode(), kind="csv", name="export.csv")
    assert doc.sections[0].text == "a\tb\n1\t2", delimiter


def test_a_long_table_is_cut_and_says_so():
    rows = "\n".join(f"row{i},value" for i in range(MAX_ROWS_PER_TABLE + 50))
    text = extract_bytes(rows.encode(), kind="csv", name="big.csv").sections[0].text
    assert text.count("\n") == MAX_ROWS_PER_TABLE and "further rows not read" in text.splitlines()[-1]


def _bomb(kind: str, member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(member, "w") as out:
            for _ in range(MAX_UNCOMPRESSED_BYTES // 2**20 + 1):
                out.write(b"A" * 2**20)
    return buf.getvalue()


@pytest.mark.parametrize("kind, member", [("xlsx", "xl/worksheets/sheet1.xml"), ("pptx", "ppt/slides/slide1.xml")])
def test_office_zip_bombs_are_refused_from_their_declared_size(kind, member):
    with pytest.raises(IngestError, match="unpacks to"):
        extract_isolated(_bomb(kind, member), kind=kind, name=f"bomb.{kind}")


@pytest.mark.parametrize("kind", ["xlsx", "pptx"])
def test_legacy_or_broken_office_files_are_a_clear_per_file_error(kind):
    with pytest.raises(IngestError, match=f"not a {kind.upper()} file") as err:
        extract_isolated(b"\xd0\xcf\x11\xe0 legacy office file", kind=kind, name=f"old.{kind}")
    assert err.value.next_step
    with pytest.raises(IngestError, match="damaged or not readable"):
        extract_isolated(_zip_of({"[Content_Types].xml": b"<nonsense"}), kind=kind, name=f"broken.{kind}")


def _zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_csv_of_any_bytes_is_text_or_one_ingest_error(data):
    try:
        doc = extract_bytes(data, kind="csv", name="any.csv")
    except IngestError:
        return
    assert all(s.text.strip() for s in doc.sections)
