"""UI fixtures: the real encrypted test store with a small seeded workspace (or the demo workspace), the real
task runner, LLM worker (bundled SmolLM2, loaded only by tests that ask), event bridge and main window."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
from PySide6.QtCore import QSettings

from app.context import AppContext
from app.facade import Facade
from app.gui import preload_worker_modules
from app.services import Services
from engine.store import Store
from models import (
    Attendee, Contact, Decision, Event, Evidence, Insight, Meeting, Message, Opportunity, StrategicContext,
    TeamMember, TranscriptSegment,
)
from ui.event_bridge import EventBridge
from ui.llm_worker import LlmWorker
from ui.tasks import TaskRunner

preload_worker_modules()  # as the app does before any worker starts

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def seed_workspace(store: Store) -> dict[str, int]:
    """A few rows per repository, through the repositories (ids returned for assertions)."""
    ceo = Contact("ceo@northwind.example", "Dana Reyes")
    buyer = Contact("li@acme.example", "Li Wei", "Acme")
    ids: dict[str, int] = {}
    messages = [
        Message("demo", "m1", "t-acme", "Acme renewal and expansion", buyer, [ceo], sent_at=NOW - timedelta(hours=5),
                body_text="Hi Dana,\nWe want to expand to 40 robots next quarter, roughly $480,000.\n"
                          "<img src=\"https://tracker.example/pixel.gif\">\nLi", is_read=False),
        Message("demo", "m2", "t-acme", "Re: Acme renewal and expansion", ceo, [buyer], sent_at=NOW - timedelta(hours=4),
                body_text="Thanks Li, let's talk Thursday."),
        Message("demo", "m3", "t-board", "Board deck draft", Contact("cfo@northwind.example", "Sam Ortiz"), [ceo],
                sent_at=NOW - timedelta(days=1), body_text="Deck attached for review before the board meeting."),
    ]
    msg_ids = store.messages.upsert(messages)
    ids["acme_message"], ids["board_message"] = msg_ids[0], msg_ids[2]
    start = datetime.now().astimezone().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    ids["event"] = store.events.upsert([Event("demo", "e1", "Acme expansion call", start, start + timedelta(minutes=30),
                                              location="Zoom", attendees=[Attendee(buyer.email, buyer.name)])])[0]
    meeting = Meeting("Weekly leadership sync", NOW - timedelta(days=2), source="demo", status="transcribed",
                      attendees=["Dana", "Sam"], summary="Agreed to prioritise the Acme expansion.",
                      segments=[TranscriptSegment(0.0, 6.0, "Good morning everyone.", "Dana"),
                                TranscriptSegment(6.0, 14.0, "Acme wants forty more robots.", "Sam"),
                                TranscriptSegment(83.5, 90.0, "Let's send the proposal by Friday.", "Dana")])
    ids["meeting"] = store.meetings.create(meeting)
    store.meetings.add_marker(ids["meeting"], 83.5, "action item", "Send Acme proposal")
    store.opportunities.upsert("acme", Opportunity("Acme", "Li Wei", "expansion", 480000, "USD", "proposal",
                                                   "Send proposal", signals=["asked for pricing"],
                                                   evidence=[Evidence("email", msg_ids[0], "expand to 40 robots")]))
    store.opportunities.upsert("globex", Opportunity("Globex", kind="renewal", amount=120000, currency="USD",
                                                     stage="negotiation"))
    for period, value in (("2026-W44", 0.2), ("2026-W45", 0.35), ("2026-W46", 0.1)):
        store.insights.put(Insight("sentiment", "Engineering", period, value, explanation=f"Tone of team mail in {period}."))
    store.decisions.save(Decision("Expand Acme pilot?", ["yes", "wait"], {"revenue": 0.6}, "yes", 0.7,
                                  "Strong buying signals.", review_on=date.today() + timedelta(days=30)))
    store.contexts.save(StrategicContext(values=["Customers first"], goals=["$10M ARR"], priorities=["Acme expansion"],
                                         key_accounts=["Acme"], team=[TeamMember("Sam Ortiz", "CFO")]))
    return ids


@pytest.fixture
def workspace(store: Store) -> dict[str, int]:
    return seed_workspace(store)


@pytest.fixture
def ctx(store: Store, tmp_path: Path) -> Iterator[AppContext]:
    """An AppContext whose store is the fixture's already-open store."""
    context = AppContext(home=store.path.parent, log=False)
    context._store = store  # noqa: SLF001 - share the fixture's connection instead of opening a second
    yield context
    context._store = None  # noqa: SLF001 - the store fixture closes it


@pytest.fixture
def services(ctx: AppContext) -> Iterator[Services]:
    built = Services(ctx)
    yield built
    built.close()


@pytest.fixture
def facade(services: Services) -> Facade:
    """What the windows are given (`ui.facade.AppFacade`), over the fixture's services."""
    return Facade(services)


@pytest.fixture
def tasks(qtbot) -> Iterator[TaskRunner]:  # noqa: ANN001
    failures: list[str] = []
    runner = TaskRunner(failure_handler=lambda parent, message: failures.append(message))
    runner.failures = failures  # type: ignore[attr-defined]
    yield runner
    runner.shutdown()


@pytest.fixture
def llm(services: Services, qtbot) -> Iterator[LlmWorker]:  # noqa: ANN001
    worker = LlmWorker(service_factory=lambda: services.llm_service)
    yield worker
    worker.shutdown()


@pytest.fixture
def bridge(services: Services) -> Iterator[EventBridge]:
    b = EventBridge(bus=services.bus)
    yield b
    b.close()


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def main_window(qtbot, facade, tasks, llm, bridge, qsettings, workspace):  # noqa: ANN001, ANN201
    from ui.main_window import MainWindow

    window = MainWindow(services=facade, tasks=tasks, llm=llm, bridge=bridge, qsettings=qsettings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def demo(store: Store, ctx: AppContext) -> Store:
    """The demo workspace (Northwind Robotics) loaded through `app.demo.load_demo`, in the demo's time zone."""
    from app.demo import demo_timezone, load_demo

    load_demo(store)
    ctx.settings.timezone = demo_timezone()
    return store


@pytest.fixture
def demo_window(qtbot, facade, tasks, llm, bridge, qsettings, demo):  # noqa: ANN001, ANN201
    """The main window over the demo workspace."""
    from ui.main_window import MainWindow

    window = MainWindow(services=facade, tasks=tasks, llm=llm, bridge=bridge, qsettings=qsettings)
    qtbot.addWidget(window)
    window.show()
    return window
