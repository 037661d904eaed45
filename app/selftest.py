"""`reflex-assistant --self-test`: prove a build works end to end on this machine, frozen or not.

Creates a throwaway encrypted store, generates a few tokens with the bundled LLM, embeds and searches a small
text, and transcribes a short bundled clip. One pass/fail line per part with its timing; exit code 0 only when
every part passed. Uses a random passphrase (no keyring needed) and a private temp folder that is deleted after.
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Callable

from models import Contact, Message


@dataclass(slots=True)
class PartResult:
    name: str
    ok: bool
    seconds: float
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'} {self.name:<8} {self.seconds * 1000:8.0f} ms  {self.detail}"


def _store_part(tmp: Path) -> str:
    from engine.store import Store, StoreKey

    key = StoreKey(passphrase=secrets.token_urlsafe(16))
    store = Store.create(tmp / "reflex.db", key)
    try:
        msg = Message("selftest", "1", "t", "Self-test", Contact("self@test.example"), body_text="quarterly review",
                      sent_at=datetime.now(timezone.utc))
        (mid,) = store.messages.upsert([msg])
        assert store.messages.search("quarterly") == [mid]
        assert store.integrity_problems() == []
    finally:
        store.close()
    return "encrypted store created, written, searched, integrity ok"


def _llm_part(tmp: Path) -> str:
    from engine.llm import GenerationParams, LocalRuntime, PromptParts, bundled_model_path

    runtime = LocalRuntime(bundled_model_path(), n_ctx=512)
    try:
        done = runtime.complete(PromptParts(question="Say hello."), GenerationParams(max_tokens=8, temperature=0, seed=1))
    finally:
        runtime.close()
    if done.tokens_out < 1:
        raise RuntimeError("the model produced no tokens")
    return f"{done.tokens_out} tokens from {done.model}"


def _search_part(tmp: Path) -> str:
    from engine.retrieval import ChunkMeta, NumpyIndex, default_embedder

    embedder = default_embedder()
    texts = ["The board meets on the first Tuesday.", "Robot arm pricing is $12,000 per unit.", "Lunch is at noon."]
    vectors = embedder.embed(texts)
    query = embedder.embed(["How much does a robot arm cost?"])[0]
    index = NumpyIndex(embedder.model_id, vectors.shape[1])
    index.upsert(list(range(len(texts))), vectors, [ChunkMeta("doc")] * len(texts))
    hits = index.search(query, 1)
    best = hits[0][0]
    if best != 1:
        raise RuntimeError(f"expected the pricing sentence first, got #{best}")
    return f"{vectors.shape[1]}-d embeddings, nearest neighbour correct"


def _speech_part(tmp: Path) -> str:
    from engine.speech import Transcriber, decode_audio

    clip = Path(str(resources.files("resources") / "selftest" / "hello.wav"))
    audio = decode_audio(clip)
    text = Transcriber().transcribe(audio).text.lower()
    if "quarterly" not in text and "review" not in text:
        raise RuntimeError(f"unexpected transcript ({len(text)} chars)")
    return f"{len(audio) / 16000:.1f} s clip transcribed"


def _desktop_part(tmp: Path) -> str:
    """Qt with its platform plugin, QtCharts, QtMultimedia and QtPdf load from this install (what a bundle must ship
    for the window, the Insights charts, the recorder and the attachment viewer), and the app's stylesheet is there."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCharts import QChart, QChartView
    from PySide6.QtMultimedia import QMediaDevices
    from PySide6.QtPdfWidgets import QPdfView
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["reflex-selftest"])
    QChartView(QChart()).resize(10, 10)
    QPdfView().resize(10, 10)
    inputs = len(QMediaDevices.audioInputs())
    styles = [p for p in (resources.files("resources") / "styles").iterdir() if p.name.endswith(".qss")]
    if not styles:
        raise RuntimeError("no stylesheet in resources/styles")
    return f"Qt {pyside_version} on {app.platformName()}, charts and PDF ok, {inputs} audio input(s)"


PARTS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("store", _store_part), ("llm", _llm_part), ("search", _search_part), ("speech", _speech_part),
    ("desktop", _desktop_part),
)


def run_self_test(out: Callable[[str], None] = print) -> int:
    results = []
    with tempfile.TemporaryDirectory(prefix="reflex-selftest-") as tmp:
        for name, part in PARTS:
            start = time.perf_counter()
            try:
                detail, ok = part(Path(tmp)), True
            except Exception as exc:  # noqa: BLE001 - every failure is reported as that part's FAIL line
                detail, ok = f"{type(exc).__name__}: {exc}", False
            result = PartResult(name, ok, time.perf_counter() - start, detail)
            results.append(result)
            out(result.line())
    frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
    passed = sum(r.ok for r in results)
    out(f"self-test{frozen}: {passed}/{len(results)} passed")
    return 0 if passed == len(results) else 1
