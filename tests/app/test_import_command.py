"""`reflex-assistant import`: mail, calendar and documents in one call; bad files reported, the rest kept."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from app.cli import main

EML = b"""From: Alice Buyer <alice@contoso.example>
To: Dana Whitfield <dana@northwind-robotics.example>
Subject: Expansion to 40 units
Message-ID: <exp-1@contoso.example>
Date: Mon, 23 Nov 2026 09:15:00 +0000
Content-Type: text/plain; charset=utf-8

Hi Dana, we'd like to expand to 40 units. Can you send a quote by Friday?
"""

ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:evt-1@test
DTSTAMP:20261120T000000Z
DTSTART:20261125T150000Z
DTEND:20261125T160000Z
SUMMARY:Contoso expansion call
ATTENDEE;CN=Alice Buyer;PARTSTAT=ACCEPTED:mailto:alice@contoso.example
END:VEVENT
END:VCALENDAR
"""


def test_import_mixed_folder(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.eml").write_bytes(EML)
    (src / "cal.ics").write_bytes(ICS)
    (src / "notes.md").write_text("# Pricing\n\nRobot arms list at $12,000 per unit.\n")
    (src / "broken.ics").write_bytes(b"BEGIN:VCALENDAR\nthis is not ical")
    (src / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    home = tmp_path / "h"
    code = main(["import", str(src), "--home", str(home), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (report["messages"], report["events"], report["documents"]) == (1, 1, 1)
    failed = {Path(source).name for source, _ in report["failures"]}
    assert failed == {"broken.ics", "photo.jpg"}

    # Importing again is idempotent.
    main(["import", str(src), "--home", str(home)])
    capsys.readouterr()
    main(["status", "--home", str(home), "--json"])
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert (counts["messages"], counts["events"], counts["documents"]) == (1, 1, 1)


def test_import_of_only_bad_files_fails_with_reasons(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.eml"
    code = main(["import", str(missing), "--home", str(tmp_path / "h")])
    out = capsys.readouterr().out
    assert code == 1 and "nope.eml" in out and "could not be imported" in out


@pytest.mark.model
def test_recordings_import_as_transcribed_meetings_and_bad_audio_is_reported(tmp_path: Path, capsys) -> None:
    src = tmp_path / "rec"
    src.mkdir()
    subprocess.run(["espeak-ng", "-w", str(src / "standup.wav"), "The quarterly budget review is on Friday."],
                   check=True)
    (src / "garbage.m4a").write_bytes(b"not audio at all" * 100)
    home = tmp_path / "h"
    code = main(["import", str(src), "--home", str(home), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["meetings"] == 1
    assert [Path(source).name for source, _ in report["failures"]] == ["garbage.m4a"]
    main(["meetings", "list", "--home", str(home), "--json"])
    [meeting] = json.loads(capsys.readouterr().out)
    assert meeting["source"] == "import"
