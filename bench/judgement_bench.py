"""Triage and the pipeline over 10,000 stored mails, against plain iteration over the same rows, in one run.

Times are CPU seconds of the benchmark process (wall times are printed too: on a shared machine they include
other processes' load). The mail is the three labelled evaluation mailboxes (tests/eval/corpora) copied into 10,000 messages with their
own thread keys, stored in a real encrypted store. Measured: reading every row back (the baseline a scan can't
beat), a full triage run (verdicts persisted), and a full pipeline scan (opportunities + commitments).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keyring  # noqa: E402

from bench._report import bench_line  # noqa: E402
from engine.assistant.commitments import CommitmentLedger  # noqa: E402
from engine.assistant.triage import TriageEngine  # noqa: E402
from engine.insights.revenue import RevenueIntel  # noqa: E402
from engine.store import Store, StoreKey  # noqa: E402
from models import Contact, Message  # noqa: E402
from tests.fakes.keyring_backend import MemoryKeyring  # noqa: E402

N = 10_000
CORPORA = Path(__file__).resolve().parents[1] / "tests" / "eval" / "corpora"


def _messages() -> list[Message]:
    """One mailbox (the user of the first corpus) of N messages: the corpora repeated with fresh thread keys."""
    corpora = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPORA.glob("*.json"))]
    user = corpora[0]["user"]["email"]
    out: list[Message] = []
    copy = 0
    while len(out) < N:
        for data in corpora:
            mine = data["user"]["email"]
            swap = (lambda e, mine=mine: user if e == mine else e)  # every copy is the same user's mail
            for m in data["messages"]:
                if len(out) == N:
                    break
                out.append(Message(
                    account="bench", provider_id=f"{copy}-{data['industry'][:8]}-{m['id']}", thread_key=f"{copy}-{data['industry'][:8]}-{m['thread']}",
                    subject=m["subject"], sender=Contact(swap(m["from"]["email"]), m["from"]["name"]),
                    to=[Contact(swap(p["email"]), p["name"]) for p in m["to"]],
                    cc=[Contact(swap(p["email"]), p["name"]) for p in m["cc"]],
                    sent_at=datetime.fromisoformat(m["date"]), body_text=m["body"], headers=dict(m["headers"])))
        copy += 1
    return out


def _timed(fn) -> float:  # noqa: ANN001
    """CPU seconds of this process (the shared bench machine's other load does not count), wall time printed."""
    start, wall = time.process_time(), time.perf_counter()
    fn()
    print(f"  {getattr(fn, '__name__', 'step')}: wall {time.perf_counter() - wall:.2f}s", flush=True)
    return time.process_time() - start


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.create(Path(tmp) / "reflex.db", StoreKey.generate())
        store.messages.upsert(_messages())
        ids = [m.id for m in store.messages.recent(limit=N)]
        iterate = _timed(lambda: [store.messages.get(i) for i in ids])
        triage = _timed(lambda: TriageEngine(store).run(limit=N))
        pipeline = _timed(lambda: (RevenueIntel(store).scan(), CommitmentLedger(store).scan(limit=N, meetings=False)))
        store.close()
    print(f"{len(ids)} mails, CPU seconds: iterate {iterate:.2f}, triage {triage:.2f}, pipeline scan {pipeline:.2f}")
    lines = [
        bench_line("judgement.triage_10k", triage, "s", "<=", 5.0),
        bench_line("judgement.triage_vs_iteration", triage / iterate, "x", "<=", 20.0),
        bench_line("judgement.pipeline_scan_vs_iteration", pipeline / iterate, "x", "<=", 20.0),
    ]
    return 0 if all(line.endswith("PASS") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
