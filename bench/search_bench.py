"""Hybrid search at 100k chunks, measured in one run against baselines.

- A real encrypted store with 100k synthetic chunks (Zipf vocabulary, realistic metadata: 5 source types, two
  years of timestamps, 300 people, threads) and random unit vectors stored as their embeddings.
- Hybrid search latency (query embedding + FTS5 BM25 + numpy vector search + RRF + chunk fetch + snippets),
  unfiltered and filtered at 20% selectivity, vs the numpy brute-force baseline (matrix product + top-k) on
  the same matrix, and vs qdrant-client local mode (`:memory:`, the alternative the laptop index replaces).
- Index rebuild from the store at start, and embedding throughput of the bundled int8 MiniLM on short
  chunks of one sentence, a short mail and a full ~250-token document chunk.

Run: `OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/search_bench.py` (about 1-2 minutes on 2 cores).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
import time
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench._report import bench_line  # noqa: E402
from engine.retrieval import Filters, NumpyIndex, Retriever, default_embedder  # noqa: E402
from engine.retrieval import catalog  # noqa: E402
from models import IndexFilter, person_tokens  # noqa: E402
from engine.store import Store, StoreKey  # noqa: E402

N_CHUNKS = 100_000
N_QUERIES = 200
DIM = 384
TYPES = ["email"] * 45 + ["meeting"] * 20 + ["doc"] * 20 + ["event"] * 10 + ["note"] * 5  # meeting = 20%
START = datetime(2024, 12, 1, tzinfo=timezone.utc)


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    base = ("renewal pricing discount contract legal review pipeline forecast quarter budget hiring plan board "
            "deck customer churn expansion robotics warehouse pilot integration roadmap security audit invoice "
            "payment shipment delay supplier factory headcount offsite agenda retention onboarding launch "
            "partnership investor runway margin revenue bookings quota territory escalation outage incident "
            "migration vendor procurement compliance privacy").split()
    words = base + [f"{a}{b}" for a in ("acme", "globex", "initech", "umbra", "stark", "wayne", "tyrell", "cyber")
                    for b in ("", "co", "labs", "corp")] + [f"term{i}" for i in range(3000)]
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
    rng.shuffle(words)
    return words, weights


def build_store(path: Path, model_id: str) -> tuple[Store, np.ndarray, np.ndarray, list[str]]:
    rng = random.Random(42)
    nrng = np.random.default_rng(42)
    words, weights = _vocabulary(rng)
    people = [f"Person{i} Surname{i % 37} <p{i}@example.com>" for i in range(300)]
    store = Store.create(path, StoreKey(passphrase="bench"))
    vectors = nrng.normal(size=(N_CHUNKS, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    types = [rng.choice(TYPES) for _ in range(N_CHUNKS)]
    rows = []
    for i, st in enumerate(types):
        who = rng.sample(people, rng.randint(1, 4))
        when = (START + timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append((i + 1, st, i, 0, " ".join(rng.choices(words, weights, k=4)),
                     " ".join(rng.choices(words, weights, k=rng.randint(40, 160))), json.dumps(who), when, "",
                     f"t{i // 4}", " " + " ".join(person_tokens(who)) + " ", f"h{i}"))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO chunks(id, source_type, source_id, position, title, text, people_json, occurred_at, locator, "
            "thread_key, people_tokens, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        conn.executemany("INSERT INTO embeddings(chunk_id, model_id, dim, vector) VALUES (?,?,?,?)",
                         [(i + 1, model_id, DIM, vectors[i].tobytes()) for i in range(N_CHUNKS)])
    return store, vectors, np.array(types), words


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000.0


def timed(fn, args_list, cpu: list[float] | None = None) -> list[float]:  # noqa: ANN001
    """Wall seconds per call (and this process's CPU seconds into `cpu`, which other load barely inflates)."""
    out = []
    for args in args_list:
        t, c = time.perf_counter(), time.process_time()
        fn(*args)
        out.append(time.perf_counter() - t)
        if cpu is not None:
            cpu.append(time.process_time() - c)
    return out


def main() -> int:
    load0 = os.getloadavg()[0]
    embedder = default_embedder()
    tmp = Path(tempfile.mkdtemp(prefix="reflex-search-bench-"))
    t0 = time.perf_counter()
    store, vectors, types, words = build_store(tmp / "reflex.db", embedder.model_id)
    print(f"built store with {N_CHUNKS} chunks in {time.perf_counter() - t0:.1f}s", flush=True)

    index = NumpyIndex(embedder.model_id, DIM)
    t = time.perf_counter()
    loaded = catalog.load_index(store, index)
    rebuild_s = time.perf_counter() - t
    assert loaded == N_CHUNKS
    retriever = Retriever(store=store, embedder=embedder, index=index)

    rng = random.Random(7)
    # Queries: one or two frequent content words (Zipf ranks 20-400; the top 20 act as stop words) and one
    # specific word (ranks 400-3000), like "renewal pricing globex".
    queries = [" ".join(rng.choices(words[20:400], k=rng.randint(1, 2)) + [rng.choice(words[400:3000])])
               for _ in range(N_QUERIES)]
    for q in queries[:10]:  # warm caches
        retriever.search(q)
    cpu_un: list[float] = []
    cpu_f: list[float] = []
    unfiltered = timed(lambda q: retriever.search(q, limit=10), [(q,) for q in queries], cpu_un)
    meeting_filter = Filters(types=("meeting",))
    filtered = timed(lambda q: retriever.search(q, filters=meeting_filter, limit=10), [(q,) for q in queries], cpu_f)
    selectivity = float((types == "meeting").mean())

    # Baseline: numpy brute force on the same matrix (vector side only; the floor any exact index pays).
    qvecs = embedder.embed(queries)
    mask = types == "meeting"

    def brute(qv: np.ndarray, use_mask: bool) -> None:
        scores = vectors @ qv
        if use_mask:
            scores = np.where(mask, scores, -np.inf)
        top = np.argpartition(-scores, 10)[:10]
        top[np.argsort(-scores[top])]

    brute_un = timed(brute, [(qv, False) for qv in qvecs])
    brute_f = timed(brute, [(qv, True) for qv in qvecs])
    vec_un = timed(lambda qv: index.search(qv, 50), [(qv,) for qv in qvecs])
    vec_f = timed(lambda qv: index.search(qv, 50, IndexFilter(source_types=frozenset({"meeting"}))),
                  [(qv,) for qv in qvecs])
    embed_q = timed(lambda q: embedder.embed([q]), [(q,) for q in queries[:100]])
    fts_f = timed(lambda q: catalog.keyword_search(store, q, IndexFilter(source_types=frozenset({"meeting"}))),
                  [(q,) for q in queries])

    # qdrant-client local mode on the same data (what the numpy index replaces on the laptop).
    from qdrant_client import QdrantClient, models

    client = QdrantClient(":memory:")
    client.create_collection("b", vectors_config=models.VectorParams(size=DIM, distance=models.Distance.DOT))
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "local mode is not recommended above 20,000 points": that is the point
        for s in range(0, N_CHUNKS, 2000):
            client.upload_collection("b", vectors=vectors[s:s + 2000], ids=list(range(s, min(N_CHUNKS, s + 2000))),
                                     payload=[{"source_type": str(x)} for x in types[s:s + 2000]])
    qdrant_insert_s = time.perf_counter() - t
    qfilter = models.Filter(must=[models.FieldCondition(key="source_type", match=models.MatchValue(value="meeting"))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q_un = timed(lambda qv: client.query_points("b", query=qv.tolist(), limit=10), [(qv,) for qv in qvecs[:20]])
        q_f = timed(lambda qv: client.query_points("b", query=qv.tolist(), limit=10, query_filter=qfilter),
                    [(qv,) for qv in qvecs[:5]])

    # Embedding throughput: mail-sized chunks and full document chunks.
    # Embedding throughput by chunk length: one sentence (what FACTS.md measured: ~15 tokens), a short mail
    # (subject + a sentence or two, ~30 tokens) and a full document chunk (~250 tokens). Real words only: the
    # synthetic 'termNNN' tokens split into several WordPieces each, which no real text does.
    real = [w for w in words if not any(ch.isdigit() for ch in w)]
    rates = {}
    for label, (lo, hi, n) in {"sentence": (6, 12, 1000), "mail": (8, 24, 1000), "doc": (180, 240, 100)}.items():
        texts = [" ".join(rng.choices(real, k=rng.randint(lo, hi))) for _ in range(n)]
        embedder.embed(texts[:32])
        t = time.perf_counter()
        embedder.embed(texts)
        rates[label] = n / (time.perf_counter() - t)
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)

    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (at the start: {load0:.1f})")
    print(f"filter selectivity: {selectivity:.1%}")
    print(f"hybrid unfiltered p50 {pct(unfiltered, 50):.1f} ms p95 {pct(unfiltered, 95):.1f} ms")
    print(f"hybrid filtered   p50 {pct(filtered, 50):.1f} ms p95 {pct(filtered, 95):.1f} ms")
    print(f"hybrid CPU time per query: unfiltered p50 {pct(cpu_un, 50):.1f} p95 {pct(cpu_un, 95):.1f} ms, "
          f"filtered p50 {pct(cpu_f, 50):.1f} p95 {pct(cpu_f, 95):.1f} ms")
    print(f"  parts: query embedding p50 {pct(embed_q, 50):.1f} ms; FTS5 filtered p50 {pct(fts_f, 50):.1f} ms "
          f"p95 {pct(fts_f, 95):.1f} ms; numpy index top-50 p50 {pct(vec_un, 50):.1f} / filtered "
          f"{pct(vec_f, 50):.1f} ms")
    print(f"baseline numpy brute force p50 {pct(brute_un, 50):.1f} ms p95 {pct(brute_un, 95):.1f} ms; "
          f"masked p50 {pct(brute_f, 50):.1f} ms p95 {pct(brute_f, 95):.1f} ms")
    print(f"qdrant-client local :memory: insert {qdrant_insert_s:.1f}s; top-10 p50 {pct(q_un, 50):.0f} ms "
          f"p95 {pct(q_un, 95):.0f} ms; filtered p50 {pct(q_f, 50):.0f} ms p95 {pct(q_f, 95):.0f} ms")
    print(f"ratios: numpy index vs brute force {pct(vec_un, 50) / pct(brute_un, 50):.2f}x (unfiltered), "
          f"{pct(vec_f, 50) / pct(brute_f, 50):.2f}x (filtered); qdrant local filtered vs numpy index filtered "
          f"{pct(q_f, 50) / pct(vec_f, 50):.0f}x slower")
    print(f"index rebuild {rebuild_s:.2f}s for {N_CHUNKS}; embedding chunks/s: " +
          ", ".join(f"{label} {rate:.0f}" for label, rate in rates.items()))
    lines = [
        bench_line("search.hybrid_p95_unfiltered", pct(unfiltered, 95), "ms", "<=", 30),
        bench_line("search.hybrid_p95_filtered20", pct(filtered, 95), "ms", "<=", 30),
        bench_line("search.hybrid_p50_unfiltered", pct(unfiltered, 50), "ms", "<=", 30),
        bench_line("search.hybrid_p50_filtered20", pct(filtered, 50), "ms", "<=", 30),
        bench_line("search.vector_vs_bruteforce_p50", pct(vec_un, 50) / pct(brute_un, 50), "x", "<=", 1.5),
        bench_line("search.index_rebuild_100k", rebuild_s, "s", "<=", 10),
        bench_line("embed.sentence_chunks_per_s", rates["sentence"], "chunks/s", ">=", 600),
        bench_line("embed.mail_chunks_per_s", rates["mail"], "chunks/s", ">=", 200),
        bench_line("embed.doc_chunks_per_s", rates["doc"], "chunks/s", ">=", 20),
    ]
    return 0 if all(line.endswith("PASS") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
