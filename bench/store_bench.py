"""Encrypted store vs plain sqlite3 with the same schema and pragmas, measured in one run.

100k message inserts in one transaction (FTS5 triggers included), 10k random point reads, an FTS5 query, and
the time to open the store with its raw key. Prints ratios store/plain (lower is better).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring  # noqa: E402

from bench._report import bench_line  # noqa: E402
from tests.fakes.keyring_backend import MemoryKeyring  # noqa: E402
from engine.store import Store, StoreKey  # noqa: E402
from engine.store import migrate  # noqa: E402

N_ROWS = 100_000
N_READS = 10_000
PLAIN_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA temp_store=MEMORY",
                 "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-131072")


def _rows() -> list[tuple]:
    rng = random.Random(7)
    words = "budget review renewal pricing robotics forecast hiring board deck customer churn expansion".split()
    return [
        ("acct", f"p{i}", 1, f"{rng.choice(words)} {rng.choice(words)} #{i}", f"s{i % 500}@x.example", "Sender",
         f"2026-11-{1 + i % 28:02d}T10:00:00Z", " ".join(rng.choice(words) for _ in range(60)), "snippet")
        for i in range(N_ROWS)
    ]


def _workload(conn, rows: list[tuple]) -> dict[str, float]:  # noqa: ANN001
    conn.execute("BEGIN")
    conn.execute("INSERT INTO threads(account, thread_key, subject) VALUES ('acct', 't', 's')")
    start = time.perf_counter()
    conn.executemany(
        "INSERT INTO messages(account, provider_id, thread_id, subject, sender_email, sender_name, sent_at, body_text, "
        "snippet) VALUES (?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.execute("COMMIT")
    insert = time.perf_counter() - start
    ids = random.Random(3).sample(range(1, N_ROWS + 1), N_READS)
    start = time.perf_counter()
    for i in ids:
        conn.execute("SELECT subject, body_text, sent_at FROM messages WHERE id = ?", (i,)).fetchone()
    reads = time.perf_counter() - start
    fts = []
    for _ in range(20):
        start = time.perf_counter()
        conn.execute("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'renewal AND pricing' ORDER BY rank LIMIT 20").fetchall()
        fts.append(time.perf_counter() - start)
    return {"insert": insert, "reads": reads, "fts": statistics.median(fts)}


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    rows = _rows()
    with tempfile.TemporaryDirectory() as tmp:
        plain = sqlite3.connect(Path(tmp) / "plain.db", isolation_level=None)
        for pragma in PLAIN_PRAGMAS:
            plain.execute(pragma)
        for m in migrate.available():
            plain.executescript(m.sql)
        base = _workload(plain, rows)
        plain.close()

        key = StoreKey.generate()
        store = Store.create(Path(tmp) / "reflex.db", key)
        with store.read() as conn:
            enc = _workload(conn, rows)
        store.close()
        opens = []
        for _ in range(10):
            start = time.perf_counter()
            Store.open(Path(tmp) / "reflex.db", key).close()
            opens.append(time.perf_counter() - start)

    print(f"plain sqlite3: insert {base['insert']:.2f}s reads {base['reads'] * 1000:.0f}ms fts {base['fts'] * 1000:.2f}ms")
    print(f"store:         insert {enc['insert']:.2f}s reads {enc['reads'] * 1000:.0f}ms fts {enc['fts'] * 1000:.2f}ms")
    lines = [
        bench_line("store.insert_ratio", enc["insert"] / base["insert"], "x", "<=", 1.3),
        bench_line("store.read_ratio", enc["reads"] / base["reads"], "x", "<=", 1.3),
        bench_line("store.fts_ratio", enc["fts"] / base["fts"], "x", "<=", 1.3),
        bench_line("store.open_ms", statistics.median(opens) * 1000, "ms", "<=", 10),
    ]
    return 0 if all(line.endswith("PASS") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
