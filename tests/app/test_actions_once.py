"""A confirmed action happens once (issue #16 item 7): the row is claimed atomically before the side effect, the
provider's id recorded after it; a crash in between leaves it "may have been done — check", never retried.

The provider here is a stand-in handler that records each side effect durably (a line in a file), so the count
survives the kill -9 of the process that performed it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from app.providers import Providers
from app.settings import Settings
from engine.errors import EngineError
from engine.store import Store
from engine.usecases import carrying_out as actions
from engine.usecases.carrying_out import carry_out
from tests.faults import count_points, crash_at

KIND = "create_task"


@pytest.fixture
def side_effects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    log = tmp_path / "provider.log"

    def provider(store, providers, payload):  # noqa: ANN001, ANN202 - the handler contract of carrying_out
        time.sleep(0.2)  # a provider call takes a while: the window in which a second click arrives
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(payload["title"] + "\n")
        return "provider", "Done at the provider.", f"remote-{payload['title']}"

    monkeypatch.setitem(actions._HANDLERS, KIND, provider)  # noqa: SLF001
    return log


def _count(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_two_confirmations_at_once_carry_it_out_once(store: Store, store_key, side_effects: Path) -> None:
    """The app and the CLI (two connections) confirm the same action together: one wins, one is refused."""
    action = store.pending_actions.add(KIND, {"title": "invite"})
    other = Store.open(store.path, store_key)  # the second process's own connection
    outcomes: list[str] = []

    def confirm(s: Store) -> None:
        try:
            outcomes.append(carry_out(s, Providers(Settings()), action))
        except EngineError as exc:
            outcomes.append(f"refused: {exc}")

    threads = [threading.Thread(target=confirm, args=(s,)) for s in (store, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert _count(side_effects) == 1
    assert sorted(o.startswith("refused") for o in outcomes) == [False, True]
    assert store.pending_actions.status(action) == ("done", "remote-invite")


def test_a_failure_before_the_side_effect_leaves_it_pending(store: Store, monkeypatch) -> None:
    def refuses(store, providers, payload):  # noqa: ANN001, ANN202
        raise EngineError("No connected account.")

    monkeypatch.setitem(actions._HANDLERS, KIND, refuses)  # noqa: SLF001
    action = store.pending_actions.add(KIND, {"title": "x"})
    with pytest.raises(EngineError):
        carry_out(store, Providers(Settings()), action)
    assert [a for a, _, _ in store.pending_actions.pending()] == [action]


@pytest.mark.slow
def test_killed_anywhere_while_carrying_out_it_never_happens_twice(store: Store, store_key, side_effects: Path) -> None:
    path = store.path
    action = store.pending_actions.add(KIND, {"title": "board-invite"})
    store.close()
    snapshot = path.read_bytes()

    def operation() -> None:
        with Store.open(path, store_key) as s:
            carry_out(s, Providers(Settings()), action)

    points = count_points(operation)
    side_effects.unlink()
    for n in range(len(points) + 1):
        path.write_bytes(snapshot)
        for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            side.unlink(missing_ok=True)
        side_effects.unlink(missing_ok=True)
        crash_at(operation, n)
        with Store.open(path, store_key) as s:
            assert s.integrity_problems() == []
            status, provider_id = s.pending_actions.status(action)
            done = _count(side_effects)
            assert done <= 1
            if status == "pending":  # certainly not done: confirming again does it, once
                assert done == 0, f"point {n}: done at the provider but offered again"
                carry_out(s, Providers(Settings()), action)
                assert _count(side_effects) == 1
            elif status == "running":  # maybe done: shown for the user to check, never carried out again
                assert [a for a, _, _ in s.pending_actions.uncertain()] == [action]
                with pytest.raises(EngineError, match="already decided"):
                    carry_out(s, Providers(Settings()), action)
                assert _count(side_effects) == done
            else:
                assert status == "done" and provider_id == "remote-board-invite" and done == 1, f"point {n}"
