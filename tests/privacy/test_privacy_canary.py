"""Canary scan: run the demo end to end (ingest, index, chat, transcribe, brief) with canary strings planted in
mail, a document and speech, then scan every byte under the data dir and a dedicated temp dir: 0 plaintext
hits (DB, -wal, -shm, index, audio, logs, caches). A control file proves the scanner finds a planted canary."""

from __future__ import annotations

import subprocess
import tempfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.context import AppContext
from app.demo import load_demo, reference_date
from app.importing import import_paths
from app.services import Services
from engine.llm import GenerationParams
from engine.llm.service import LLMService

MAIL_CANARY = "QUOKKA-MAIL-88213"
DOC_CANARY = "PELICAN-DOC-41977"
SPOKEN = "purple elephant"  # tiny.en gets common words right; a made-up code would come back garbled
CANARIES = (MAIL_CANARY, DOC_CANARY, SPOKEN)


def _hits(root: Path) -> list[tuple[str, str]]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes().lower()
            found += [(str(path), c) for c in CANARIES
                      if c.lower().encode() in data or c.lower().encode("utf-16-le") in data]
    return found


@pytest.mark.model
def test_no_plaintext_canary_anywhere_after_a_full_demo_run(tmp_path, monkeypatch) -> None:
    home, tmp, inputs = tmp_path / "home", tmp_path / "tmp", tmp_path / "inputs"
    for d in (home, tmp, inputs):
        d.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Dana <dana@acme.example>", "ceo@northwind.example", "Pricing"
    msg["Date"], msg["Message-ID"] = "Mon, 02 Mar 2026 09:00:00 +0000", "<canary@acme.example>"
    msg.set_content(f"The discount code for the renewal is {MAIL_CANARY}. Please confirm by Friday.")
    (inputs / "canary.eml").write_bytes(msg.as_bytes())
    (inputs / "canary-notes.md").write_text(f"# Board prep\n\nThe board password hint is {DOC_CANARY}.\n")
    wav = inputs / "canary-meeting.wav"
    wav.write_bytes(subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "--stdout",
                                    "The code name for the new office is purple elephant. I repeat, purple elephant."],
                                   check=True, capture_output=True).stdout)

    ctx = AppContext(home=home)  # real JSON-lines logging into home/logs
    store = ctx.create_store()
    services = Services(ctx)
    try:
        load_demo(store)
        report = import_paths(store, [inputs / "canary.eml", inputs / "canary-notes.md"], account="demo")
        assert report.messages == 1 and report.documents == 1, report.failures
        from engine.speech.meetings import import_file

        meeting = import_file(store, services.transcriber, wav, title="Office plans")
        assert any(SPOKEN in s.text.lower() for s in meeting.segments), [s.text for s in meeting.segments]
        services.indexer.run()
        service = LLMService(runtime=services.llm_runtime, audit=ctx.audit)
        prepared = services.asking.prepare("What is the discount code for the renewal, and where is the new office?")
        assert any(MAIL_CANARY in c.text for c in prepared.parts.context), "the canary mail was not retrieved"
        service.ask(prepared.parts, params=GenerationParams(max_tokens=32, temperature=0.0))
        from engine.usecases.briefing import build_briefing

        build_briefing(store, reference_date())
        assert list(home.glob("reflex.db-wal")), "scan while the store is open too: the WAL must be there"
        assert _hits(home) == [] and _hits(tmp) == []
    finally:
        services.close()
        ctx.close()

    assert (home / "reflex.db").exists() and list((home / "logs").glob("*.log*"))
    assert _hits(home) == [] and _hits(tmp) == []
    control = tmp / "control.txt"  # the scanner must see a planted canary
    control.write_text(f"leak {DOC_CANARY}")
    assert _hits(tmp) == [(str(control), DOC_CANARY)]
