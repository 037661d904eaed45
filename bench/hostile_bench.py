"""Hostile inputs: time and peak memory of each through the product path (issue #16; targets <= 2 s, <= 200 MB).

Each input runs in a fresh Python process, so one input's peak cannot hide behind another's. Mail and
calendars are parsed in that process (`parse_message`, `iter_import`, `parse_calendar`); documents go through
`extract_isolated`, i.e. a limited child (timed after one warm-up file, as the app's forkserver starts once per
run), whose own peak is measured by running the same extraction once
more in a child that reports its `ru_maxrss`. Peak memory is the larger of the two processes. Baselines (a
normal mail, calendar and documents of the same kinds) run the same way in the same run, so the figures can
be read against the cost of a harmless file on this machine.

Each hostile input must end in a clear per-file outcome (an error, or a capped result), never a hang.
Usage: python bench/hostile_bench.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TIME_TARGET_S = 2.0
MEMORY_TARGET_MB = 200.0


def _rss_mb(ru_maxrss: int) -> float:
    return ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB elsewhere


def _inputs() -> dict[str, tuple[str, Callable[[], bytes], str]]:
    """name -> (kind, builder, role); kind is mail | mbox | ics | a document kind."""
    from tests.connectors.conftest import make_mail
    from tests.fuzz import hostile
    from tests.retrieval.rt_builders import make_docx, make_pdf

    daily = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//b//EN\r\nBEGIN:VEVENT\r\nUID:d\r\n"
             b"DTSTART:20260101T090000Z\r\nRRULE:FREQ=DAILY;COUNT=365\r\nSUMMARY:standup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    return {
        "baseline_mail": ("mail", lambda: make_mail(1), "baseline"),
        "mime_nested_1200": ("mail", lambda: hostile.nested_multipart(1200), "hostile"),
        "mime_huge_headers": ("mail", lambda: hostile.huge_header_mail(4 * 2**20), "hostile"),
        "mbox_with_bomb": ("mbox", lambda: hostile.mbox_of(make_mail(1), hostile.nested_multipart(1200),
                                                           make_mail(2)), "hostile"),
        "baseline_ics_daily": ("ics", lambda: daily, "baseline"),
        "ics_secondly_bomb": ("ics", lambda: hostile.recurrence_bomb("SECONDLY"), "hostile"),
        "ics_minutely_bomb": ("ics", lambda: hostile.recurrence_bomb("MINUTELY", old_event=False), "hostile"),
        "baseline_docx": ("docx", lambda: make_docx("Plan", [("h1", "Hiring"), ("p", "Four engineers.")]), "baseline"),
        "docx_zip_bomb_300mb": ("docx", lambda: hostile.zip_bomb_docx(300 * 2**20), "hostile"),
        "baseline_pdf": ("pdf", lambda: make_pdf([["Board", "Revenue grew."]]), "baseline"),
        "pdf_flate_bomb_200mb": ("pdf", lambda: hostile.pdf_flate_bomb(200 * 2**20), "hostile"),
        "html_deep_100k": ("html", lambda: hostile.deep_html(100_000), "hostile"),
    }


def _probe(data: bytes, kind: str, name: str) -> tuple[str, int]:
    """In the limited child: the extraction's outcome and this child's peak RSS."""
    from engine.errors import IngestError
    from engine.retrieval.extract import extract_bytes

    try:
        extract_bytes(data, kind=kind, name=name)
        outcome = "ok"
    except IngestError as err:
        outcome = f"error: {err}"
    return outcome, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _parse(kind: str, data: bytes, path: Path) -> str:
    """The product path for `kind`; returns a one-line outcome."""
    if kind == "mail":
        from connectors.mime import MalformedMessage, parse_message

        try:
            return f"ok: {len(parse_message(data).body_text)} characters"
        except MalformedMessage as err:
            return f"error: {err}"
    if kind in ("mbox", "ics"):
        from connectors.files import ImportFailure, iter_import

        path.write_bytes(data)
        results = list(iter_import([path]))
        failures = [r.reason for r in results if isinstance(r, ImportFailure)]
        return f"{len(results) - len(failures)} items, {len(failures)} failures {failures[:1]}"
    from engine.errors import IngestError
    from engine.retrieval.isolated import extract_isolated

    try:
        return f"ok: {len(extract_isolated(data, kind=kind, name=path.name).text)} characters"
    except IngestError as err:
        return f"error: {err}"


def measure(name: str, workdir: str) -> None:
    """Child-process entry: build input `name`, time its product path, print one JSON line."""
    kind, build, _ = _inputs()[name]
    data = build()
    path = Path(workdir) / f"{name}.{kind}"
    if kind not in ("mail", "mbox", "ics"):  # the app starts its forkserver once; time files after that
        from engine.retrieval.isolated import extract_isolated

        extract_isolated(b"warm-up", kind="txt", name="warm.txt")
    before = _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    start = time.perf_counter()
    outcome = _parse(kind, data, path)
    seconds = time.perf_counter() - start
    peak = _rss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    if kind not in ("mail", "mbox", "ics"):
        from engine.retrieval.isolated import run_isolated

        _, child_rss = run_isolated(_probe, data, kind, path.name, name=path.name)
        peak = max(peak, _rss_mb(child_rss))
    print(json.dumps({"name": name, "bytes": len(data), "seconds": seconds, "peak_mb": peak,
                      "start_mb": before, "outcome": outcome[:160]}))


def main() -> int:
    import tempfile

    from bench._report import bench_line

    failed = False
    with tempfile.TemporaryDirectory(prefix="reflex-hostile-") as workdir:
        for name, (_, _, role) in _inputs().items():
            code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.hostile_bench import measure; " \
                   f"measure({name!r}, {workdir!r})"
            try:
                run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
            except subprocess.TimeoutExpired:
                print(f"{name}: still running after 120 s")
                bench_line(f"hostile.{name}.seconds", 120, "s", "<=", TIME_TARGET_S)
                failed = True
                continue
            if run.returncode != 0:
                print(f"{name}: crashed\n{run.stderr[-1500:]}")
                failed = True
                continue
            row = json.loads(run.stdout.strip().splitlines()[-1])
            print(f"{name} ({role}, {row['bytes']:,} bytes): {row['seconds']:.2f} s, peak {row['peak_mb']:.0f} MB "
                  f"(interpreter and imports before parsing: {row['start_mb']:.0f} MB) -> {row['outcome']}")
            if role == "hostile":
                bench_line(f"hostile.{name}.seconds", row["seconds"], "s", "<=", TIME_TARGET_S)
                bench_line(f"hostile.{name}.peak_mb", row["peak_mb"], "MB", "<=", MEMORY_TARGET_MB)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
