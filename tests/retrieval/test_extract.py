"""Extraction of every supported format, per-file errors, and the stored-text round trip of structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engine.errors import IngestError
from engine.retrieval.extract import ExtractedDocument, Section, extract_bytes, parse_markdown, sections_from_text
from engine.retrieval.isolated import extract_file, extract_files
from rt_builders import make_docx, make_pdf


def test_pdf_pages_become_sections_with_page_numbers() -> None:
    data = make_pdf([["Board update", "Revenue grew 14 percent."], ["Risks", "Churn in EMEA rose (two accounts)."]])
    doc = extract_bytes(data, kind="pdf", name="board-update.pdf")
    assert [s.page for s in doc.sections] == [1, 2]
    assert "Revenue grew 14 percent" in doc.sections[0].text
    assert "Churn in EMEA rose (two accounts)" in doc.sections[1].text
    assert doc.title == "board update"


def test_docx_headings_paragraphs_and_tables() -> None:
    data = make_docx("Operating plan", [("h1", "Hiring"), ("p", "Four backend engineers in Q2."),
                                        ("h2", "Sales"), ("p", "Two account executives.")])
    doc = extract_bytes(data, kind="docx", name="plan.docx")
    assert doc.title == "Operating plan"
    by_heading = {s.heading: s.text for s in doc.sections}
    assert "Four backend engineers" in by_heading["Hiring"]
    assert "Two account executives" in by_heading["Hiring > Sales"]
    assert "EMEA\t4.2M" in by_heading["Hiring > Sales"]


def test_markdown_headings_ignore_code_fences_and_keep_setext() -> None:
    title, sections = parse_markdown("Plan\n====\n\nIntro text.\n\n## Risks\n\n```\n# not a heading\n```\nMore.\n\n"
                                     "Budget\n------\nTwo million.")
    assert title == "Plan"
    assert [(s.heading, s.text.splitlines()[0]) for s in sections] == [
        ("Plan", "Intro text."), ("Plan > Risks", "```"), ("Plan > Budget", "Two million.")]
    assert "# not a heading" in sections[1].text


def test_html_text_title_and_headings() -> None:
    html = (b"<html><head><title>Pricing memo</title><script>var x = 'hidden';</script></head><body>"
            b"<h1>Pricing</h1><p>List price is <b>$40</b> per seat.</p><h2>Discounts</h2><ul><li>10% over 500 seats</li>"
            b"</ul></body></html>")
    doc = extract_bytes(html, kind="html", name="memo.html")
    assert doc.title == "Pricing memo"
    assert "hidden" not in doc.text
    by_heading = {s.heading: s.text for s in doc.sections}
    assert "List price is $40 per seat." in by_heading["Pricing"]
    assert "10% over 500 seats" in by_heading["Pricing > Discounts"]


def test_txt_legacy_encoding_is_decoded() -> None:
    doc = extract_bytes("Café résumé – notes".encode("cp1252"), kind="txt", name="notes.txt")
    assert doc.text == "Café résumé – notes"


@pytest.mark.parametrize("name, data, phrase", [
    ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "damaged"),
    ("broken.docx", b"PK\x03\x04 not a zip at all", "not a DOCX"),
    ("old.docx", b"\xd0\xcf\x11\xe0 legacy word file", "not a DOCX"),
    ("empty.txt", b"   \n  ", "no text"),
    ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary"),
])
def test_corrupt_files_raise_ingest_error(tmp_path: Path, name: str, data: bytes, phrase: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as err:
        extract_file(path)
    assert phrase in str(err.value) and err.value.next_step


def test_batch_continues_past_bad_files(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("# Good\n\nFine text.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "bad.pdf").write_bytes(b"garbage")
    (tmp_path / "also-good.txt").write_text("Plain text.")
    progress: list[float] = []
    done, failed = extract_files([tmp_path / n for n in ("good.md", "image.png", "bad.pdf", "also-good.txt", "gone.md")],
                                 on_progress=progress.append)
    assert [p.name for p, _ in done] == ["good.md", "also-good.txt"]
    assert [p.name for p, _ in failed] == ["image.png", "bad.pdf", "gone.md"]
    assert "unsupported file type" in str(failed[0][1])
    assert progress[-1] == 1.0


def test_stored_text_round_trips_pages_and_heading_paths() -> None:
    doc = ExtractedDocument("t", "pdf", [Section("intro", page=1), Section("p2", "A > B", page=2),
                                         Section("p4", "A > C", page=4)])
    assert sections_from_text(doc.text, "pdf") == doc.sections


_heading = st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=12)
_body = st.text(st.characters(whitelist_categories=("L", "N", "Zs", "P"), blacklist_characters="#=-`~>"),
                min_size=1, max_size=80).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(_heading, max_size=3), _body, st.integers(0, 2)), min_size=1, max_size=8))
@example([(["A", "B"], "in B", 0), (["A"], "back in A", 0)])  # up to the parent section with no new heading
def test_stored_text_round_trip_property(parts: list[tuple[list[str], str, int]]) -> None:
    page = 1
    sections = []
    heading = ""
    for path, body, page_step in parts:
        page += page_step
        heading = " > ".join(path) or heading  # extractors never leave a heading for "no heading"
        sections.append(Section(body, heading, page))
    doc = ExtractedDocument("t", "pdf", sections)
    back = sections_from_text(doc.text, "pdf")
    # Same text in the same order, each on its page under its heading path (consecutive sections that share
    # both merge, which loses nothing a citation needs).
    expected: list[tuple[str, int | None, str]] = []
    for sec in sections:
        if expected and expected[-1][1:] == (sec.page, sec.heading):
            expected[-1] = (expected[-1][0] + "\n\n" + sec.text, sec.page, sec.heading)
        else:
            expected.append((sec.text, sec.page, sec.heading))
    assert [(s.text, s.page, s.heading) for s in back] == expected


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=400))
def test_markdown_parser_never_raises_and_keeps_words(text: str) -> None:
    _, sections = parse_markdown(text)
    kept = " ".join(s.text for s in sections)
    for word in text.split():
        if not word.startswith(("#", "=", "-")):
            assert word in kept or word in " ".join(s.heading for s in sections)
