"""kill -9 a syncing subprocess at random points, resume, and prove: no lost and no duplicate message.

The child (this file run with `python -m`) opens the real encrypted store and syncs Gmail from the
fake server with the production coordinator. The parent SIGKILLs it after a random delay, mutates the
mailbox in between (adds, deletions), and restarts it until one run completes. Then the store must
hold exactly the server's messages, each once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.connectors.conftest import GOOGLE_ACCOUNT, make_mail, seed_mailbox

ROOT = Path(__file__).resolve().parents[2]


def _child(config: dict) -> int:
    """Sync the account once; exit 0 when the coordinator finished every stream."""
    import keyring
    from keyring.backend import KeyringBackend

    from connectors.base import QuotaBudget, Retrier
    from connectors.google import GoogleAuth, GoogleClient, GoogleConnector, GoogleEndpoints
    from engine.events import EventBus
    from engine.jobs import SyncCoordinator
    from engine.store import Store, StoreKey

    class EnvKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return config["secret"] if username == GOOGLE_ACCOUNT else None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise NotImplementedError

        def delete_password(self, service: str, username: str) -> None:
            raise NotImplementedError

    keyring.set_keyring(EnvKeyring())
    endpoints = GoogleEndpoints(**config["endpoints"])
    client = GoogleClient(GoogleAuth(endpoints=endpoints).credentials(GOOGLE_ACCOUNT), endpoints=endpoints,
                          budget=QuotaBudget(None), retrier=Retrier(base=0.05))
    connector = GoogleConnector(client, account=GOOGLE_ACCOUNT, calendars=(), page_size=7, batch_size=3)
    with Store.open(Path(config["db"]), StoreKey(raw=bytes.fromhex(config["key"]))) as store:
        outcome = SyncCoordinator(store=store, connector=connector, bus=EventBus()).run()
    return 0 if outcome.status == "ok" else 1


def _server_ids(fake) -> list[str]:
    return sorted(fake.state.mails)


@pytest.mark.slow
def test_kill_9_at_random_points_then_resume_loses_and_duplicates_nothing(
        store, store_key, memory_keyring, fake_google, google_client_factory):
    from models import Account

    google_client_factory()  # puts a valid refresh token in the (test) keyring
    store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", "ceo@northwind.example"))
    db_path = store.path
    store.close()
    seed_mailbox(fake_google, 1500)  # enough that a sync outlasts the first random kill on a fast machine
    endpoints = fake_google.endpoints()
    config = {"db": str(db_path), "key": store_key.raw.hex(),
              "secret": memory_keyring.get_password("reflex-assistant", GOOGLE_ACCOUNT),
              "endpoints": {"api": endpoints.api, "calendar": endpoints.calendar,
                            "token_uri": endpoints.token_uri, "auth_uri": endpoints.auth_uri}}
    env = {**os.environ, "REFLEX_SYNC_CHILD": json.dumps(config), "PYTHONPATH": str(ROOT)}
    rng = random.Random(int(os.environ.get("REFLEX_CRASH_SEED", "5")))
    kills = 0
    for attempt in range(12):
        child = subprocess.Popen([sys.executable, "-m", "tests.connectors.test_sync_crash"], cwd=ROOT, env=env)
        try:
            rc = child.wait(timeout=rng.uniform(0.5, 2.0) if attempt < 8 else 60)
        except subprocess.TimeoutExpired:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            kills += 1
            # the world moves on while we are down: new mail arrives, some mail is deleted
            fake_google.add_message(make_mail(1000 + attempt))
            fake_google.delete_message(rng.choice(_server_ids(fake_google)))
            continue
        assert rc == 0
        break
    else:
        pytest.fail("the sync never completed")
    assert kills >= 1, "the random delays never interrupted a sync; the test proved nothing"

    from engine.store import Store

    with Store.open(db_path, store_key) as reopened, reopened.read() as conn:
        rows = [r[0] for r in conn.execute("SELECT provider_id FROM messages WHERE account = ?", (GOOGLE_ACCOUNT,))]
        fts = conn.execute("SELECT count(*) FROM messages_fts").fetchone()[0]
    assert len(rows) == len(set(rows)), "duplicates after resume"
    assert sorted(rows) == _server_ids(fake_google), "lost or stale messages after resume"
    assert fts == len(rows)


if __name__ == "__main__":
    sys.exit(_child(json.loads(os.environ["REFLEX_SYNC_CHILD"])))
