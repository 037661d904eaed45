"""Answer engine latency on the demo workspace, against retrieval measured in the same run.

- The demo workspace is loaded into a real encrypted store and indexed with the bundled MiniLM (index warm: a
  first question is asked before timing).
- For every answerable and unanswerable demo question of tests/eval/answer_questions.json: the retrieval the
  engine runs (`build_context` with the engine's settings: the baseline), then the time from the question to the
  first line of the answer reaching `on_sentence`, with a fresh sentence-vector cache per question (a cold cache:
  the worst case) and with the engine's cache as it fills over the run (what a user asking several questions gets).
- The overhead is the answer time less the retrieval time of the same question; the target is issue 14's
  "answer engine adds <= 150 ms over retrieval on the demo" (median).

Run: `OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/answer_bench.py` (about a minute on 2 cores).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from app.demo import load_demo  # noqa: E402
from bench._report import bench_line  # noqa: E402
from engine.answers import AnswerEngine  # noqa: E402
from engine.answers.engine import EVIDENCE_BUDGET_TOKENS, worth_reading  # noqa: E402
from engine.retrieval import RetrievalService, default_embedder  # noqa: E402
from engine.retrieval.rag import build_context  # noqa: E402
from engine.store import Store, StoreKey  # noqa: E402
from tests.fakes.keyring_backend import MemoryKeyring  # noqa: E402

TARGET_MS = 150.0


def _first_line_ms(engine: AnswerEngine, question: str) -> float:
    started = time.perf_counter()
    first: list[float] = []
    engine.answer(question, on_sentence=lambda _line: first.append(time.perf_counter()) if not first else None)
    return (first[0] - started) * 1000


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    spec = json.loads((ROOT / "tests" / "eval" / "answer_questions.json").read_text(encoding="utf-8"))["sets"]["demo"]
    questions = [q["q"] for q in spec["questions"]] + spec["unanswerable"]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.create(Path(tmp) / "reflex.db", StoreKey.generate())
        load_demo(store)
        service = RetrievalService.open(store, embedder=default_embedder())
        service.index_now()
        warm = AnswerEngine(service.retriever)
        warm.answer(questions[0])
        retrieval, cold, cached = [], [], []
        for question in questions:
            started = time.perf_counter()
            build_context(service.retriever, question, budget_tokens=EVIDENCE_BUDGET_TOKENS, relevant=worth_reading)
            retrieval.append((time.perf_counter() - started) * 1000)
            cold.append(_first_line_ms(AnswerEngine(service.retriever), question))
            cached.append(_first_line_ms(warm, question))
        store.close()
    med = statistics.median
    p95 = lambda xs: sorted(xs)[int(0.95 * (len(xs) - 1))]  # noqa: E731
    cold_over = [a - r for a, r in zip(cold, retrieval)]
    cached_over = [a - r for a, r in zip(cached, retrieval)]
    print(f"{len(questions)} questions; retrieval median {med(retrieval):.0f} ms (p95 {p95(retrieval):.0f}); "
          f"first line, cold cache: median {med(cold):.0f} ms (p95 {p95(cold):.0f}); "
          f"cache filling over the run: median {med(cached):.0f} ms (p95 {p95(cached):.0f})")
    print(f"overhead over retrieval: cold median {med(cold_over):.0f} ms (p95 {p95(cold_over):.0f}); "
          f"cached median {med(cached_over):.0f} ms (p95 {p95(cached_over):.0f})")
    bench_line("answer_retrieval_ms", med(retrieval), "ms", ">=", 0)
    bench_line("answer_first_line_overhead_cold_ms", med(cold_over), "ms", "<=", TARGET_MS)
    line = bench_line("answer_first_line_overhead_cached_ms", med(cached_over), "ms", "<=", TARGET_MS)
    return 0 if line.endswith("PASS") else 1


if __name__ == "__main__":
    sys.exit(main())
