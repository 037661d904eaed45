"""Store care while the app runs (engine.usecases.store_care): restore with the recovery key, rekey and wipe on real
encrypted stores, each paused -> locked -> operated -> reopened, and nothing changed when refused or cancelled."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from engine.errors import KeyMissing, StoreError, StoreLocked
from engine.store import Store, StoreInUse, StoreMeta, open_store
from engine.usecases.store_care import (
    CareCancelled, change_store_unlock, restore_backup, wipe_store,
)

from tests.care_host import AppHost, laptop_backup



def test_restore_with_the_recovery_key_replaces_the_store_and_keeps_the_old_one(store, tmp_path, memory_keyring) -> None:
    store.settings.set("test.note", "this laptop")
    src, recovery = laptop_backup(tmp_path)
    host = AppHost(store)
    progress: list[float] = []

    outcome = restore_backup(host, src, recovery_key=f"  {recovery} ", on_progress=progress.append)

    assert host.store() is store and store.settings.get("test.note") == "board deck v3"  # reopened in place
    assert outcome.moved_aside is not None and outcome.moved_aside.exists()
    assert "Restored from" in outcome.summary() and outcome.moved_aside.name in outcome.summary()
    assert host.calls == ["pause", "resume"]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert [e.action for e in host.store().audit.since(limit=5)].count("restore") == 1
    host.store().close()
    with open_store(store.path) as reopened:  # the next start unlocks it from this computer's keyring
        assert reopened.settings.get("test.note") == "board deck v3"


def test_a_wrong_recovery_key_changes_nothing_and_the_store_goes_on(store, tmp_path, memory_keyring) -> None:
    store.settings.set("test.note", "this laptop")
    src, recovery = laptop_backup(tmp_path)
    files = sorted(p.name for p in store.path.parent.iterdir())
    host = AppHost(store)

    with pytest.raises(KeyMissing, match="recovery key"):
        restore_backup(host, src, recovery_key="RFLX-" + "0" * (len(recovery) - 5))

    assert host.calls[-1] == "resume" and host.store().settings.get("test.note") == "this laptop"
    assert sorted(p.name for p in store.path.parent.iterdir()) == files


def test_cancelled_before_it_starts_changes_nothing(store, tmp_path, memory_keyring) -> None:
    src, recovery = laptop_backup(tmp_path)
    host, cancel = AppHost(store), threading.Event()
    cancel.set()
    with pytest.raises(CareCancelled):
        restore_backup(host, src, recovery_key=recovery, cancel=cancel)
    assert host.calls == ["pause", "resume"] and host.store() is store
    assert store.settings.get("test.note") is None


HOLDER = """
import sys, portalocker
handle = open(sys.argv[1], "a+b")
portalocker.lock(handle, portalocker.LOCK_SH)
print("held", flush=True)
sys.stdin.readline()
"""


def test_refused_while_another_process_has_the_store_open(store, tmp_path, memory_keyring) -> None:
    src, recovery = laptop_backup(tmp_path)
    lock_file = store.path.resolve().with_name(f".{store.path.name}.lock")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock_file)], text=True, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    host = AppHost(store)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreInUse, match="another process"):
            restore_backup(host, src, recovery_key=recovery)
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    assert host.calls == ["pause", "resume"] and host.store() is store
    assert store.settings.get("test.note") is None


def test_rekey_to_a_passphrase_reopens_with_it_and_asks_for_it_next_time(store, memory_keyring) -> None:
    store.settings.set("test.note", "kept")
    host = AppHost(store)
    with pytest.raises(StoreError, match="too short"):
        change_store_unlock(host, mode="passphrase", new_passphrase="short")
    assert host.calls == []  # refused before pausing anything

    outcome = change_store_unlock(host, mode="passphrase", new_passphrase="correct horse battery")

    assert outcome.mode == "passphrase" and "new passphrase" in outcome.summary()
    assert host.calls[-1] == "resume" and host.store().settings.get("test.note") == "kept"
    assert StoreMeta(store.path).read()["key_mode"] == "passphrase"
    with pytest.raises(StoreLocked, match="current passphrase"):  # whoever finds it unlocked cannot lock you out
        change_store_unlock(host, mode="passphrase", new_passphrase="another passphrase",
                            current_passphrase="guess guess")
    host.store().close()
    with open_store(store.path, prompt=lambda _: "correct horse battery") as reopened:
        assert reopened.settings.get("test.note") == "kept"


def test_rekey_back_to_the_keyring_needs_no_passphrase_at_the_next_start(store, memory_keyring) -> None:
    host = AppHost(store)
    change_store_unlock(host, mode="passphrase", new_passphrase="correct horse battery")
    change_store_unlock(host, mode="keyring", current_passphrase="correct horse battery")
    assert StoreMeta(store.path).read()["key_mode"] == "keyring"
    host.store().close()
    with open_store(store.path) as reopened:  # no prompt: the keyring holds the new key
        assert reopened.schema_version > 0


def test_wipe_deletes_the_store_its_keys_and_folders_and_hands_no_store_back(store, memory_keyring) -> None:
    home = store.path.parent
    for sub in ("logs", "index"):
        (home / sub).mkdir()
        (home / sub / "x").write_text("personal")
    assert memory_keyring.secrets
    seen: list[Store | None] = []
    host = AppHost(store)

    outcome = wipe_store(host, home=home, forget_sign_ins=lambda s: seen.append(s) or 2)

    assert seen == [store] and outcome.sign_ins_forgotten == 2 and str(home) in outcome.summary()
    assert host.calls[-1] == "resume-none"
    assert not store.path.exists() and not (home / "logs").exists() and not (home / "index").exists()
    assert not any("store-kek" in name for _, name in memory_keyring.secrets)


def test_a_held_background_job_waits_for_its_run_starts_none_and_catches_up_on_release() -> None:
    from engine.jobs.coalesced import CoalescedJob

    class Job(CoalescedJob):
        def __init__(self) -> None:
            super().__init__("test-job")
            self.runs, self.started = 0, threading.Event()

        def _run_once(self, cancel: threading.Event) -> None:
            self.runs += 1
            self.started.set()
            cancel.wait(10)  # a long run that stops when cancelled

    job = Job()
    job.request()
    assert job.started.wait(5)
    job.hold()  # cancels the run under way and waits for it: nothing touches the store after this
    assert not job.running and job.runs == 1
    job.request()  # e.g. a sync finished meanwhile
    assert not job.running and job.runs == 1
    job.started.clear()
    job.release()
    assert job.started.wait(5) and job.runs == 2
    job.close()
