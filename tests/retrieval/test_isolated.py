"""Untrusted documents are parsed in a limited child (issue #16 item 6): zip bombs are refused from their
declared sizes before anything inflates, PDF stream bombs stop at pypdf's limits, and the child's memory,
time and crash are each one per-file `IngestError`. Limits are asserted, never wall time."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

import pytest

import engine.retrieval.documents as documents
import engine.retrieval.extract as extract
from engine.errors import IngestError
from engine.retrieval.documents import FAILED_FILES_KEY, sync_folder
from engine.retrieval.extract import MAX_UNCOMPRESSED_BYTES, check_zip, extract_bytes
from engine.retrieval.isolated import Limits, extract_isolated, run_isolated
from rt_builders import make_docx, make_pdf
from tests.fuzz.hostile import deep_html, pdf_flate_bomb, zip_bomb_docx
from tests.retrieval import isolated_targets as targets

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux only")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_a_docx_zip_bomb_is_refused_from_its_declared_size_in_the_child():
    bomb = zip_bomb_docx(MAX_UNCOMPRESSED_BYTES + 2**20)
    assert len(bomb) < 2 * 2**20
    with pytest.raises(IngestError, match="unpacks to"):
        extract_isolated(bomb, kind="docx", name="bomb.docx")


def test_the_uncompressed_size_limit_is_exact(monkeypatch):
    monkeypatch.setattr(extract, "MAX_UNCOMPRESSED_BYTES", 1000)
    check_zip(_zip({"a": b"x" * 1000}), "ok.docx")
    with pytest.raises(IngestError, match="unpacks to"):
        check_zip(_zip({"a": b"x" * 600, "b": b"y" * 401}), "big.docx")


def test_the_compression_ratio_limit(monkeypatch):
    monkeypatch.setattr(extract, "_RATIO_FLOOR", 10_000)
    data = _zip({"a": b"\0" * 200_000})
    with pytest.raises(IngestError, match="times its size"):
        check_zip(data, "dense.docx")
    monkeypatch.setattr(extract, "MAX_COMPRESSION_RATIO", 10_000)
    check_zip(data, "dense.docx")


def test_the_member_count_limit(monkeypatch):
    monkeypatch.setattr(extract, "MAX_ZIP_MEMBERS", 3)
    with pytest.raises(IngestError, match="parts"):
        check_zip(_zip({str(i): b"" for i in range(4)}), "many.docx")


def test_a_pdf_stream_bomb_stops_at_pypdfs_limits():
    import pypdf

    assert int(pypdf.__version__.split(".")[0]) >= 6
    with pytest.raises(IngestError, match="damaged or not readable"):
        extract_isolated(pdf_flate_bomb(200 * 2**20), kind="pdf", name="bomb.pdf")


def test_pdf_streams_decode_under_our_tighter_cap(monkeypatch):
    """pypdf's 75 MB default let a 48 MB flate bomb peak near 400 MB in-process (above 200 MB in the child)."""
    import pypdf

    seen = []
    real = pypdf.PdfReader

    def spy(*args, **kwargs):
        seen.append(pypdf.get_configuration().zlib_maximum_output_length)
        return real(*args, **kwargs)

    monkeypatch.setattr(pypdf, "PdfReader", spy)
    with pytest.raises(IngestError, match="damaged or not readable"):
        extract.extract_bytes(pdf_flate_bomb(48 * 2**20), kind="pdf", name="bomb.pdf")
    assert seen == [extract.MAX_PDF_STREAM_BYTES] and extract.MAX_PDF_STREAM_BYTES < 48 * 2**20


def test_deep_html_is_a_per_file_error_or_text_never_a_crash():
    try:
        extract_isolated(deep_html(), kind="html", name="deep.html")
    except IngestError as err:
        assert "deep.html" in str(err)


def test_good_documents_come_back_from_the_child_unchanged():
    for data, kind in ((make_docx("Plan", [("h1", "Hiring"), ("p", "Four engineers.")]), "docx"),
                       (make_pdf([["Board", "Revenue grew."]]), "pdf"), (b"<h1>T</h1><p>x</p>", "html")):
        assert extract_isolated(data, kind=kind, name=f"f.{kind}") == extract_bytes(data, kind=kind, name=f"f.{kind}")


@linux_only
def test_the_memory_limit_is_enforced():
    with pytest.raises(IngestError, match="more than 256 MB of memory"):
        run_isolated(targets.hog, 1024 * 2**20, name="big.pdf", limits=Limits(memory_bytes=256 * 2**20))
    assert run_isolated(targets.hog, 16 * 2**20, name="small.pdf", limits=Limits(memory_bytes=256 * 2**20)) > 0


def test_the_time_limit_is_enforced():
    with pytest.raises(IngestError, match="longer than 0.5 s"):
        run_isolated(targets.sleep, 60, name="slow.pdf", limits=Limits(seconds=0.5))


def test_a_native_crash_is_one_damaged_file():
    with pytest.raises(IngestError, match="damaged or not readable"):
        run_isolated(targets.crash, name="crash.pdf")


def test_engine_errors_keep_their_message_and_next_step_and_no_core_file_is_allowed():
    with pytest.raises(IngestError, match="password-protected") as info:
        run_isolated(targets.refuse, name="x.pdf")
    assert info.value.next_step == "Remove the password."
    if sys.platform != "win32":
        assert run_isolated(targets.core_limit, name="x") == 0


def test_a_watched_folder_reports_a_bad_file_once_and_retries_it_only_when_it_changes(store, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text("# Plan\n\nHire four engineers.")
    bad = folder / "bomb.docx"
    bad.write_bytes(_zip({"word/document.xml": b"not really"}))
    reads: list[str] = []
    real = documents.extract_isolated

    def counting(data, *, kind, name):
        reads.append(name)
        return real(data, kind=kind, name=name)

    monkeypatch.setattr(documents, "extract_isolated", counting)
    first = sync_folder(store, folder)
    assert [p.name for p, _ in first.failed] == ["bomb.docx"] and len(first.documents) == 1
    assert str(bad) in store.settings.get(FAILED_FILES_KEY)
    reads.clear()
    second = sync_folder(store, folder)
    assert second.failed == [] and second.still_failing == 1 and "bomb.docx" not in reads
    bad.write_bytes(_zip({"word/document.xml": b"still not really, but changed"}))
    third = sync_folder(store, folder)
    assert [p.name for p, _ in third.failed] == ["bomb.docx"] and "bomb.docx" in reads
    bad.unlink()
    sync_folder(store, folder)
    assert str(bad) not in store.settings.get(FAILED_FILES_KEY)


def test_the_spawn_path_of_windows_and_the_frozen_bundle_works_too(monkeypatch):
    import multiprocessing

    import engine.retrieval.isolated as isolated

    monkeypatch.setattr(isolated, "_context", multiprocessing.get_context("spawn"))
    assert extract_isolated(b"# Plan\n\nHire four.", kind="md", name="plan.md").title == "Plan"
    with pytest.raises(IngestError, match="unpacks to"):
        extract_isolated(zip_bomb_docx(MAX_UNCOMPRESSED_BYTES + 2**20), kind="docx", name="bomb.docx")


def test_many_documents_share_one_child_and_a_failed_child_is_retried_file_by_file(monkeypatch):
    """An import reads a batch's attachments in one child (#20): each result equals a lone extraction, a refused
    file is an error of its own, and when the batch's child dies every file is read again alone."""
    from engine.retrieval import isolated

    good = [(make_docx("Plan", [("p", "Four engineers.")]), "docx", "plan.docx"), (b"<p>x</p>", "html", "x.html")]
    batch = [good[0], (zip_bomb_docx(), "docx", "bomb.docx"), good[1]]
    got = isolated.extract_isolated_many(batch)
    assert [got[0], got[2]] == [extract_bytes(data, kind=kind, name=name) for data, kind, name in good]
    assert isinstance(got[1], IngestError)
    children: list[int] = []
    real = isolated.run_isolated

    def dying_batch(fn, *args, name, limits=isolated.DEFAULT_LIMITS):  # noqa: ANN001, ANN202
        children.append(len(args[0]) if fn is isolated._extract_many else 1)  # noqa: SLF001
        if fn is isolated._extract_many:  # noqa: SLF001
            raise IngestError(f"{name}: the reader stopped unexpectedly")
        return real(fn, *args, name=name, limits=limits)

    monkeypatch.setattr(isolated, "run_isolated", dying_batch)
    again = isolated.extract_isolated_many(batch)
    assert children == [3, 1, 1, 1]
    assert again[0] == got[0] and again[2] == got[2] and isinstance(again[1], IngestError)
