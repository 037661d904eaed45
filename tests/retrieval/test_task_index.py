"""Synced tasks are searchable like mail: a task is indexed with its notes, projects, assignee and due date, found
by keywords and meaning, re-queued when it changes, and gone from search the moment it is deleted."""

from __future__ import annotations

from datetime import date

import pytest

from engine.retrieval import Filters, RetrievalService
from models.tasks import Task

pytestmark = pytest.mark.model


def _queued(store) -> set[tuple[str, int]]:  # noqa: ANN001
    with store.read() as conn:
        return set(conn.execute("SELECT source_type, source_id FROM index_queue").fetchall())


def test_tasks_are_indexed_found_requeued_and_removed(service: RetrievalService) -> None:
    store = service.store
    quote, hire = store.tasks.upsert([
        Task("asana:1", "1", "Send Globex the revised quote", notes="Pricing v2 with the 12% volume discount.",
             due=date(2030, 3, 5), projects=["Sales"], assignee_name="Pat Lee", assignee_email="pat@acme.example"),
        Task("asana:1", "2", "Hire a VP Marketing", projects=["Hiring"]),
    ])
    assert {("task", quote), ("task", hire)} <= _queued(store)
    service.index_now()
    hits = service.search("Globex volume discount", filters=Filters(types=("task",)))
    assert hits and hits[0].chunk.source_id == quote and hits[0].chunk.title == "Send Globex the revised quote"
    assert "Projects: Sales" in hits[0].chunk.text and "Pat Lee" in hits[0].chunk.text
    assert "Due: Tuesday 05 March 2030" in hits[0].chunk.text
    assert not _queued(store)
    store.tasks.upsert([Task("asana:1", "2", "Hire a VP Marketing", projects=["Hiring"], completed=True)])
    assert _queued(store) == {("task", hire)}  # what it says changed: indexed again
    service.index_now()
    assert "Task (done)" in service.search("VP Marketing", filters=Filters(types=("task",)))[0].chunk.text
    store.tasks.delete_provider_ids("asana:1", ["1"])
    assert service.search("Globex volume discount", filters=Filters(types=("task",))) == []
