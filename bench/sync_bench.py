"""Gmail sync throughput and incremental cost against the fake Gmail server (no artificial delay).

1. Baseline, same run: transport only — the same batched `messages.get format=raw` calls for all ids,
   no parsing, no store.
2. Initial sync of N messages through the production path (GoogleConnector + SyncCoordinator):
   fetch + MIME parse + encrypted store + FTS5 triggers, cursor committed per page. Embedding excluded.
   The client-side quota budget is disabled: against real Gmail the 6,000 units/min quota (300 gets/min)
   is the limit, which is the point of being >= 1,000 msg/s locally.
3. Incremental sync after 10 changes (4 new, 3 label changes, 3 deletions): HTTP requests and message
   fetches counted at the server; must be O(changes), not O(mailbox).
The initial-sync rate is reported per wall-clock second (the issue's target) and per second of this
process's CPU time, which does not depend on how busy the other processes on a shared machine are.

The fake server runs in a child process so it does not share the GIL with the client being measured.
Usage: python bench/sync_bench.py [--messages 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from bench._report import bench_line  # noqa: E402
from tests.fakes.keyring_backend import MemoryKeyring  # noqa: E402

SERVER = r"""
import json, sys, threading
from datetime import datetime, timedelta, timezone
from tests.fakes.google_server import FakeGoogle
from tests.fakes.tls import Reply
from tests.connectors.conftest import make_mail

class Server(FakeGoogle):
    def handle(self, method, path, query, headers, body):
        if path == "/_bench/stats":
            return Reply.json({"requests": sum(1 for m, p in self.requests if not p.startswith("/_bench")),
                               "gets": sum(1 for m, p in self.requests if "/messages/" in p)})
        if path == "/_bench/change":
            ids = sorted(self.state.mails)
            for i in range(4):
                self.add_message(make_mail(900000 + i))
            for mid in ids[:3]:
                self.modify_labels(mid, remove=("UNREAD",))
            for mid in ids[3:6]:
                self.delete_message(mid)
            return Reply.json({"ok": True})
        return super().handle(method, path, query, headers, body)

server = Server()
server.start()
now = datetime.now(timezone.utc)
n = int(sys.argv[1])
for i in range(n):
    when = now - timedelta(seconds=i * 60)
    server.add_message(make_mail(i, when=when), when=when)
print(json.dumps({"url": server.url, "refresh_token": server.issue_refresh_token()}), flush=True)
sys.stdin.read()
"""


def _stats(url: str) -> dict:
    with urlopen(url + "/_bench/stats") as reply:  # noqa: S310 - our own 127.0.0.1 fake
        return json.loads(reply.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    opts = parser.parse_args()

    from google.oauth2.credentials import Credentials

    from connectors.base import QuotaBudget, Retrier
    from connectors.google import GMAIL_UNITS, GoogleAuth, GoogleClient, GoogleConnector, GoogleEndpoints
    from engine.events import EventBus
    from engine.jobs import SyncCoordinator
    from engine.store import Store, StoreKey
    from models import Account
    from tests.fakes.google_server import FakeGoogle

    keyring.set_keyring(MemoryKeyring())
    child = subprocess.Popen([sys.executable, "-c", SERVER, str(opts.messages)], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        info = json.loads(child.stdout.readline())
        url = info["url"]
        endpoints = GoogleEndpoints(api=url, calendar=url + "/calendar/v3/", token_uri=url + "/token",
                                    auth_uri=url + "/o/oauth2/auth")
        account = "google:ceo@northwind.example"
        auth = GoogleAuth(endpoints=endpoints)
        auth.store(account, Credentials(None, refresh_token=info["refresh_token"], client_id=FakeGoogle.CLIENT_ID,
                                        client_secret=FakeGoogle.CLIENT_SECRET, token_uri=endpoints.token_uri))

        def client() -> GoogleClient:
            return GoogleClient(auth.credentials(account), endpoints=endpoints, budget=QuotaBudget(None),
                                retrier=Retrier())

        # 1. baseline: transport only, same listing + batched gets
        base = client()
        t0 = time.perf_counter()
        ids, token = [], None
        while True:
            page = base.execute(base.gmail.users().messages().list(userId="me", maxResults=100, pageToken=token),
                                units=GMAIL_UNITS["messages.list"])
            ids += [m["id"] for m in page.get("messages", [])]
            api = base.gmail.users().messages()
            base.execute_batch(((mid, api.get(userId="me", id=mid, format="raw")) for mid in ids[-100:]),
                               units_each=20)
            token = page.get("nextPageToken")
            if not token:
                break
        transport_s = time.perf_counter() - t0
        transport_rate = len(ids) / transport_s

        # 2. full pipeline into a real encrypted store
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.create(Path(tmp) / "reflex.db", StoreKey.generate())
            store.accounts.upsert(Account(account, "google", "ceo@northwind.example"))
            connector = GoogleConnector(client(), account=account, calendars=())
            coordinator = SyncCoordinator(store=store, connector=connector, bus=EventBus())
            t0, cpu0 = time.perf_counter(), time.process_time()
            outcome = coordinator.run()
            sync_s, sync_cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
            with store.read() as conn:
                stored = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
                indexed = conn.execute("SELECT count(*) FROM messages_fts").fetchone()[0]
            assert outcome.status == "ok" and stored == indexed == opts.messages, (outcome, stored, indexed)
            rate = stored / sync_s
            cpu_rate = stored / sync_cpu_s

            # 3. incremental after 10 changes
            with urlopen(url + "/_bench/change"):  # noqa: S310
                pass
            before = _stats(url)
            outcome = coordinator.run()
            after = _stats(url)
            store.close()
        requests = after["requests"] - before["requests"]
        fetched = after["gets"] - before["gets"]
        assert (outcome.added, outcome.updated, outcome.deleted) == (4, 3, 3), outcome
    finally:
        child.stdin.close()
        child.wait(timeout=30)

    print(f"transport only: {len(ids)} msgs in {transport_s:.2f} s ({transport_rate:.0f} msg/s)")
    print(f"full sync:      {stored} msgs in {sync_s:.2f} s ({rate:.0f} msg/s), "
          f"pipeline/transport time ratio {sync_s / transport_s:.2f}x")
    print(f"sync client CPU: {1000 * sync_cpu_s / stored:.2f} ms/msg ({cpu_rate:.0f} msg per CPU-second; "
          f"wall/CPU {sync_s / sync_cpu_s:.2f}x: above 1 is waiting for the server or for a core)")
    print(f"incremental:    10 changes -> {requests} HTTP requests, {fetched} messages fetched")
    results = [
        bench_line("sync.gmail_initial_rate", rate, "msg/s", ">=", 1000),
        # The same target per second of this process's CPU (fetch+parse+store, the fake server excluded):
        # what a sync that has a core to itself reaches, whatever the other processes on the box do.
        bench_line("sync.gmail_initial_rate_per_cpu_s", cpu_rate, "msg/s", ">=", 1000),
        bench_line("sync.gmail_incremental_requests", requests, "requests", "<=", 10),
        bench_line("sync.gmail_incremental_fetches", fetched, "messages", "<=", 10),
    ]
    return 0 if all(line.endswith("PASS") for line in results) else 1


if __name__ == "__main__":
    sys.exit(main())
