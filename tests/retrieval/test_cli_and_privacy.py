"""The `search` command end to end, and the plaintext canary: after indexing, no file in the data dir holds
the text in the clear (the store is SQLCipher; the vector index lives in memory; logs carry counts only)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from app.commands import search as search_cmd
from app.context import AppContext
from engine.retrieval import RetrievalService, add_documents
from engine.store import Store
from rt_builders import message, utc

pytestmark = pytest.mark.model

CANARY = "CANARY-7f3a9c-ZEBRA-QUOKKA"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    search_cmd.register(sub)
    return parser.parse_args(argv)


def _files_containing(root: Path, needle: str) -> list[Path]:
    variants = [needle.encode(), needle.lower().encode(), needle.encode("utf-16-le")]
    return [p for p in root.rglob("*") if p.is_file() and any(v in p.read_bytes() for v in variants)]


def test_search_command_json_and_text(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    store.messages.upsert([
        message("m1", "Acme renewal", "Acme asks for a 12% discount.", when=utc(2026, 3, 2, 9)),
        message("m2", "Offsite", "The offsite moves to Tahoe.", sender=("ops@northwind.example", "Pat"),
                when=utc(2026, 1, 2, 9)),
    ])
    home = store.path.parent
    ctx = AppContext(home=home, json_output=True, log=False)
    try:
        args = _parse(["search", "discount", "--type", "email", "--since", "2026-03-01"])
        assert args.handler(args, ctx) == 0
        out = json.loads(capsys.readouterr().out)
        assert [h["title"] for h in out] == ["Acme renewal"] and out[0]["source_type"] == "email"
        args = _parse(["search", "offsite", "--person", "pat", "--until", "2026-02-01"])
        ctx.json_output = False
        assert args.handler(args, ctx) == 0
        text = capsys.readouterr().out
        assert text.startswith("1. [email] Offsite — 2026-01-02") and "**offsite**" in text.lower()
        args = _parse(["search", "discount", "--person", "nobody-at-all"])
        args.handler(args, ctx)
        assert capsys.readouterr().out.strip() == "No results."
    finally:
        ctx.close()
    with pytest.raises(SystemExit):
        _parse(["search", "x", "--since", "March"])
    with pytest.raises(SystemExit):
        _parse(["search", "x", "--type", "fax"])


def test_plaintext_canary_never_reaches_disk_outside_the_encrypted_store(
        store: Store, tmp_path: Path, embedder, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    inbox = tmp_path / "inbox"  # the user's own file lives outside the data dir
    inbox.mkdir()
    (inbox / "canary.md").write_text(f"# Secret plan\n\nThe codename is {CANARY} and it ships in May.\n")
    home = store.path.parent
    service = RetrievalService.open(store, embedder=embedder)
    add_documents(store, [inbox / "canary.md"])
    store.messages.upsert([message("c1", f"Re: {CANARY}", f"Reminder about {CANARY}.")])
    service.index_now()
    assert CANARY in service.search("codename secret plan")[0].chunk.text
    # The CLI path too (it logs to the data dir).
    ctx = AppContext(home=home, json_output=True, log=True)
    try:
        args = _parse(["search", CANARY])
        args.handler(args, ctx)
        assert CANARY in capsys.readouterr().out
    finally:
        ctx.close()
    store.close()
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name == "reflex.db" for p in files)
    assert _files_containing(home, CANARY) == []
    # The check can fail: a plaintext copy would be found.
    (home / "leak.txt").write_text(f"oops {CANARY}")
    assert _files_containing(home, CANARY) == [home / "leak.txt"]
