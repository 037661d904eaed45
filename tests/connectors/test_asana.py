"""Asana connector against the fake Asana API (real asana SDK v5) and a real encrypted store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from connectors.asana import (AsanaAuth, AsanaClient, AsanaConnector, commitment_task_body, create_task)
from connectors.base import Retrier
from connectors.errors import AuthError, ConnectorError
from engine.events import EventBus
from engine.jobs.task_sync import TaskSyncCoordinator
from models import Account, Commitment, Evidence
from tests.fakes.asana_server import USER, WORKSPACE, FakeAsana

ACCOUNT = f"asana:{USER}"


@pytest.fixture
def asana_fake() -> Iterator[FakeAsana]:
    with FakeAsana(events_page=3) as server:
        yield server


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(fake: FakeAsana, token: str = "pat-good", sleeps: Sleeps | None = None) -> AsanaClient:
    return AsanaClient(token, endpoints=fake.endpoints(), requests_per_minute=None,
                       retrier=Retrier(attempts=4, max_wait=30, sleep=sleeps if sleeps is not None else Sleeps()))


def make_coordinator(store, fake: FakeAsana, projects: tuple[str, ...], client: AsanaClient | None = None,
                     page_size: int = 2) -> TaskSyncCoordinator:
    store.accounts.upsert(Account(ACCOUNT, "asana", "dana@northwind.example"))
    connector = AsanaConnector(client or make_client(fake), account=ACCOUNT, projects=projects, page_size=page_size)
    return TaskSyncCoordinator(store=store, connector=connector, bus=EventBus())


def task_ids(store) -> list[str]:
    return sorted(t.provider_id for t in store.tasks.list(account=ACCOUNT))


def test_full_sync_pages_then_events_are_incremental_and_idempotent(store, asana_fake):
    launch = asana_fake.add_project("Launch")
    gids = [asana_fake.add_task(f"Task {n}", launch, due_on="2030-01-0%d" % (n + 1)) for n in range(5)]
    coord = make_coordinator(store, asana_fake, (launch,))
    assert coord.run().status == "ok"
    assert task_ids(store) == sorted(gids)
    assert asana_fake.count(f"/projects/{launch}/tasks") == 3  # 5 tasks at 2 per page
    first = store.tasks.get(ACCOUNT, gids[0])
    assert first.title == "Task 0" and first.due == date(2030, 1, 1)
    assert first.assignee_email == "dana@northwind.example" and first.projects == ["Launch"]
    # incremental: only changed tasks are fetched
    gets_before = asana_fake.count("/tasks/", "GET") - asana_fake.count("/projects/")
    asana_fake.update_task(gids[1], name="Task 1 renamed", due_on="2030-02-01")
    asana_fake.delete_task(gids[2])
    new = asana_fake.add_task("Late addition", launch, assignee=None)
    assert coord.run().status == "ok"
    assert task_ids(store) == sorted([g for g in gids if g != gids[2]] + [new])
    assert store.tasks.get(ACCOUNT, gids[1]).title == "Task 1 renamed"
    assert store.tasks.get(ACCOUNT, new).assignee_email == ""
    gets = asana_fake.count("/tasks/", "GET") - asana_fake.count("/projects/") - gets_before
    assert gets == 2  # the renamed and the new task; the deleted one needs no fetch
    # idempotent: nothing changed -> nothing fetched, nothing duplicated
    coord.run()
    assert task_ids(store) == sorted([g for g in gids if g != gids[2]] + [new])


def test_more_events_than_a_page_are_followed(store, asana_fake):
    launch = asana_fake.add_project("Launch")
    coord = make_coordinator(store, asana_fake, (launch,))
    coord.run()
    made = [asana_fake.add_task(f"T{n}", launch) for n in range(7)]  # 7 events, 3 per page
    coord.run()
    assert task_ids(store) == sorted(made)


def test_expired_sync_token_triggers_one_bounded_full_resync(store, asana_fake):
    launch = asana_fake.add_project("Launch")
    keep = asana_fake.add_task("Keep", launch)
    coord = make_coordinator(store, asana_fake, (launch,))
    coord.run()
    asana_fake.update_task(keep, name="Keep v2")
    asana_fake.expire_tokens()
    outcome = coord.run()
    assert outcome.status == "ok" and outcome.resyncs == [f"asana:project:{launch}"]
    assert store.tasks.get(ACCOUNT, keep).title == "Keep v2"


def test_rate_limit_honours_retry_after(store, asana_fake):
    launch = asana_fake.add_project("Launch")
    asana_fake.add_task("A", launch)
    sleeps = Sleeps()
    asana_fake.fail("/tasks", 429, headers={"Retry-After": "5"}, body={"errors": [{"message": "Rate limited"}]})
    outcome = make_coordinator(store, asana_fake, (launch,), client=make_client(asana_fake, sleeps=sleeps)).run()
    assert outcome.status == "ok" and len(task_ids(store)) == 1
    assert len(sleeps) == 1 and 5 <= sleeps[0] <= 6


def test_revoked_token_puts_the_account_in_reconnect_state(store, asana_fake):
    launch = asana_fake.add_project("Launch")
    asana_fake.tokens.clear()
    outcome = make_coordinator(store, asana_fake, (launch,)).run()
    assert outcome.status == "auth" and store.accounts.get(ACCOUNT).state == "reconnect_needed"


def commitment(store) -> Commitment:
    item = Commitment(owner="me", counterparty="Pat Kim", what="Send the revised proposal to Acme",
                      due=date(2030, 3, 1), evidence=[Evidence("meeting", 7, "I'll send the revised proposal")])
    store.commitments.upsert("fp-acme-proposal", item)
    return item


def test_task_from_a_commitment_round_trips_and_completion_closes_it(store, asana_fake):
    launch = asana_fake.add_project("Launch")
    coord = make_coordinator(store, asana_fake, (launch,))
    coord.run()
    promise = commitment(store)
    body = commitment_task_body(promise, workspace=WORKSPACE, project=launch)
    created = create_task(make_client(asana_fake), body, account=ACCOUNT)
    with store.transaction():
        store.tasks.upsert([created])
        store.tasks.link(ACCOUNT, created.provider_id, source=f"commitment:{promise.id}", commitment_id=promise.id)
    sent = asana_fake.created[-1]
    assert sent["name"] == promise.what and sent["due_on"] == "2030-03-01" and sent["assignee"] == "me"
    assert f"commitment #{promise.id}" in sent["notes"] and "Reflex meeting #7" in sent["notes"]
    linked = commitment_task_body(promise, workspace=WORKSPACE, link=lambda ev: f"reflex://meeting/{ev.source_id}")
    assert "(reflex://meeting/7)" in linked["notes"]  # a link that opens the source in Reflex
    coord.run()  # the creation event re-reads the task: the link survives a sync
    assert store.tasks.get(ACCOUNT, created.provider_id).commitment_id == promise.id
    assert [c.id for c in store.commitments.list(status="open")] == [promise.id]
    asana_fake.update_task(created.provider_id, completed=True)
    coord.run()
    assert store.commitments.list(status="open") == []
    assert [c.id for c in store.commitments.list(status="done")] == [promise.id]
    assert coord.task_counts["closed"] == 1


def test_create_is_not_repeated_after_an_ambiguous_failure(asana_fake):
    asana_fake.fail("/tasks", 503, body={"errors": [{"message": "Server Error"}]})
    with pytest.raises(ConnectorError, match="may or may not"):
        create_task(make_client(asana_fake), {"name": "x", "workspace": WORKSPACE}, account=ACCOUNT)
    assert asana_fake.count("/tasks", "POST") == 1 and asana_fake.created == []


def test_token_is_checked_and_kept_in_the_keyring_only(asana_fake, memory_keyring):
    auth = AsanaAuth(endpoints=asana_fake.endpoints())
    identity = auth.connect_token("pat-good")
    assert identity.account_key == ACCOUNT and identity.workspaces == ((WORKSPACE, "Northwind"),)
    assert auth.token(ACCOUNT) == "pat-good" and ("reflex-assistant", ACCOUNT) in memory_keyring.secrets
    with pytest.raises(AuthError):
        auth.connect_token("pat-bad")
    auth.forget(ACCOUNT)
    with pytest.raises(AuthError):
        auth.token(ACCOUNT)


def test_my_tasks_outside_any_picked_project_sync_and_their_completion_closes_the_commitment(store, asana_fake):
    """A task Reflex filed with no project (or a colleague assigned in a project the user did not pick) is still
    the user's: the "my tasks" stream brings it, and completing it in Asana closes the commitment."""
    other = asana_fake.add_project("Not picked")
    assigned = asana_fake.add_task("Review the Q4 board deck", other)
    asana_fake.add_task("Someone else's", other, assignee=None)
    store.accounts.upsert(Account(ACCOUNT, "asana", "dana@northwind.example"))
    connector = AsanaConnector(make_client(asana_fake), account=ACCOUNT, projects=(), workspace=WORKSPACE,
                               page_size=1)
    coord = TaskSyncCoordinator(store=store, connector=connector, bus=EventBus())
    assert connector.streams() == ["asana:mytasks"]
    promise = commitment(store)
    created = create_task(make_client(asana_fake), commitment_task_body(promise, workspace=WORKSPACE), account=ACCOUNT)
    with store.transaction():
        store.tasks.upsert([created])
        store.tasks.link(ACCOUNT, created.provider_id, source=f"commitment:{promise.id}", commitment_id=promise.id)
    coord.run()
    assert task_ids(store) == sorted([assigned, created.provider_id])  # paged one by one, mine only
    asana_fake.update_task(created.provider_id, completed=True)
    coord.run()  # the next pass asks only for what changed since the previous one
    assert [c.id for c in store.commitments.list(status="done")] == [promise.id]
