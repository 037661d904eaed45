"""#18 in the app: propose a meeting (free slots, a pending meeting confirmed into Google Calendar through the fake
server), RSVP buttons that only propose an answer, the People page's dossier and the Tasks page's search — each
driven through the real widgets on the real encrypted store."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from models import Account, Attendee, Event
from models.tasks import Task
from tests.connectors.conftest import GOOGLE_ACCOUNT, fake_google, google_auth, google_client_factory  # noqa: F401
from ui.pending_action import PendingActionBox

ME = "ceo@northwind.example"


def _button(box: PendingActionBox, text: str) -> QPushButton:
    return next(b for b in box.findChildren(QPushButton) if b.text() == text)


def _me(services) -> None:  # noqa: ANN001
    services.store.settings.set("assistant.me", {"emails": [ME], "name": "Dana Reyes"})


def _connect_google(services, fake_google, google_client_factory) -> None:  # noqa: ANN001, F811
    """The user's Google account, connected to the fake server (its sign-in in the test keyring)."""
    _me(services)
    google_client_factory()
    e = fake_google.endpoints()
    for name, value in (("google_api", e.api), ("google_calendar", e.calendar), ("google_token_uri", e.token_uri),
                        ("google_auth_uri", e.auth_uri)):
        setattr(services.settings, name, value)
    services.store.accounts.upsert(Account(GOOGLE_ACCOUNT, "google", ME, state="connected"))


def test_propose_a_meeting_from_a_thread_and_confirm_it_into_google(  # noqa: ANN001, F811
        qtbot, services, tasks, workspace, fake_google, google_client_factory):
    from ui.scheduling_dialog import SchedulingDialog

    _connect_google(services, fake_google, google_client_factory)
    dialog = SchedulingDialog(work=services.work, tasks=tasks, origin="thread", ref=str(workspace["acme_message"]))
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.slots_found, timeout=10000) as found:
        pass
    assert dialog.attendees() == ["li@acme.example"]  # everyone on the thread but the user
    assert dialog.title_edit.text() == "Acme renewal and expansion"
    assert found.args[0] == dialog.slots.count() > 0 and dialog.slots.item(0).text() in dialog.proposal.toPlainText()
    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "Acme expansion terms")
    dialog.minutes.setValue(45)
    with qtbot.waitSignal(dialog.slots_found, timeout=10000):
        qtbot.mouseClick(dialog.find_button, Qt.MouseButton.LeftButton)
    assert "45-minute" in dialog.proposal.toPlainText()
    with qtbot.waitSignal(dialog.pending.shown, timeout=10000) as shown:
        qtbot.mouseClick(dialog.propose_button, Qt.MouseButton.LeftButton)
    assert fake_google.state.events == {}  # proposed, not created
    [(action_id, kind, payload)] = services.store.pending_actions.pending()
    assert (shown.args[0], kind, payload["origin"]) == (action_id, "create_event", "thread")
    with qtbot.waitSignal(dialog.pending.decided, timeout=20000) as decided:
        qtbot.mouseClick(_button(dialog.pending, "Confirm"), Qt.MouseButton.LeftButton)
    assert "invitations sent to 1" in decided.args[0]
    [created] = fake_google.state.events.values()
    assert created.body["summary"] == "Acme expansion terms"
    assert [a["email"] for a in created.body["attendees"]] == ["li@acme.example"]
    assert services.store.pending_actions.pending() == []


def test_rsvp_buttons_propose_an_answer_that_waits_for_confirmation(qtbot, services, tasks, workspace):  # noqa: ANN001
    from ui.rsvp import InvitationsPanel

    _me(services)
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
    [event_id] = services.store.events.upsert([Event(
        "demo", "inv1", "Board dinner", start, start + timedelta(hours=2), organizer="chair@board.example",
        attendees=[Attendee("chair@board.example", "Chair", "accepted", True), Attendee(ME, "Dana Reyes")])])
    panel = InvitationsPanel(work=services.work, tasks=tasks)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=10000) as loaded:
        panel.refresh()
    assert loaded.args == [1] and not panel.isHidden()
    [bar] = panel.bars
    assert "Board dinner" in bar.label.text() and "not answered yet" in bar.label.text()
    with qtbot.waitSignal(bar.pending.shown, timeout=10000):
        qtbot.mouseClick(bar.buttons["declined"], Qt.MouseButton.LeftButton)
    [(action_id, kind, payload)] = services.store.pending_actions.pending()
    assert kind == "rsvp" and payload["response"] == "declined" and payload["event_id"] == event_id
    with qtbot.waitSignal(bar.pending.decided, timeout=10000) as decided:
        qtbot.mouseClick(_button(bar.pending, "Reject"), Qt.MouseButton.LeftButton)
    assert decided.args[0].startswith("Rejected") and services.store.pending_actions.pending() == []
    assert bar.pending.card is None


def test_a_confirmed_answer_tells_the_organizer_and_the_invitation_is_answered(  # noqa: ANN001, F811
        qtbot, services, tasks, workspace, fake_google, google_client_factory):
    from ui.rsvp import InvitationsPanel

    _connect_google(services, fake_google, google_client_factory)
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
    provider_id = fake_google.put_event({
        "summary": "Board dinner", "start": {"dateTime": start.isoformat()},
        "end": {"dateTime": (start + timedelta(hours=2)).isoformat()}, "attendees": [
        {"email": "chair@board.example", "organizer": True, "responseStatus": "accepted"},
        {"email": ME, "responseStatus": "needsAction"}]})
    services.store.events.upsert([Event(
        GOOGLE_ACCOUNT, provider_id, "Board dinner", start, start + timedelta(hours=2),
        organizer="chair@board.example", attendees=[Attendee("chair@board.example", "Chair", "accepted", True),
                                                     Attendee(ME, "Dana Reyes")])])
    panel = InvitationsPanel(work=services.work, tasks=tasks)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.refresh()
    [bar] = panel.bars
    with qtbot.waitSignal(bar.pending.shown, timeout=10000):
        qtbot.mouseClick(bar.buttons["tentative"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(bar.pending.decided, timeout=20000) as decided:
        qtbot.mouseClick(_button(bar.pending, "Confirm"), Qt.MouseButton.LeftButton)
    assert decided.args[0] == "Answered “Board dinner”: tentative."
    attendees = fake_google.state.events[provider_id].body["attendees"]
    assert [a["responseStatus"] for a in attendees if a["email"] == ME] == ["tentative"]
    assert bar.label.text().endswith("you said maybe") and not any(b.isEnabled() for b in bar.buttons.values())
    assert services.work.invitations()[0].response == "tentative"  # the stored copy knows before the next sync


def test_people_page_finds_a_person_and_shows_their_dossier(qtbot, services, tasks, workspace):  # noqa: ANN001
    from ui.views.people import PeopleView

    _me(services)
    services.store.memories.add("Li wants the pilot discount in writing.")
    view = PeopleView(services=services, tasks=tasks)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    everyone = view.list.count()
    assert everyone >= 2
    with qtbot.waitSignal(view.loaded, timeout=10000):
        qtbot.keyClicks(view.search, "acme")
    assert view.list.count() == 1 < everyone
    with qtbot.waitSignal(view.dossier_shown, timeout=10000) as shown:
        view.list.setCurrentRow(0)
    assert shown.args == ["li@acme.example"]
    text = view.view.toPlainText()
    assert "Acme renewal and expansion" in text  # a recent thread
    assert "Acme expansion call" in text  # an upcoming meeting
    assert "Li wants the pilot discount in writing." in text  # the user's note
    assert view.meet_button.isEnabled()
    qtbot.mouseClick(view.meet_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.scheduling.target_loaded, timeout=10000):
        pass
    assert view.scheduling.attendees() == ["li@acme.example"]
    with qtbot.waitSignal(view.dossier_shown, timeout=10000) as shown:
        view.show_person("Nobody Known")
    assert "knows nobody" in view.view.toPlainText() and not view.meet_button.isEnabled()


def test_a_name_from_a_mail_header_is_shown_as_text(qtbot, services, tasks, workspace):  # noqa: ANN001
    from PySide6.QtCore import Qt as QtNs

    from models import Contact
    from ui.views.people import PeopleView

    services.store.contacts.upsert([Contact("eve@evil.example", '<img src="https://tracker.example/p.gif">Eve')])
    view = PeopleView(services=services, tasks=tasks)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.dossier_shown, timeout=10000):
        view.show_person("eve@evil.example")
    assert view.name.textFormat() == QtNs.TextFormat.PlainText and view.name.text().startswith("<img")


def test_tasks_page_lists_and_searches_asana_tasks(qtbot, services, tasks, workspace):  # noqa: ANN001
    from ui.views.tasks import TasksView

    services.store.tasks.upsert([
        Task("asana:1", "1", "Send Globex quote", notes="pricing v2", due=date(2030, 3, 5), projects=["Sales"],
             url="https://app.asana.com/0/1/1"),
        Task("asana:1", "2", "Hire VP Marketing", assignee_name="Pat Lee", projects=["Hiring"]),
        Task("asana:1", "3", "Book the offsite", completed=True),
    ])
    view = TasksView(services=services, tasks=tasks)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    assert [view.table.item(r, 0).text() for r in range(view.table.rowCount())] == ["Send Globex quote",
                                                                                     "Hire VP Marketing"]
    assert view.table.item(0, 2).text() == "Sales" and view.table.item(1, 3).text() == "Pat Lee"
    with qtbot.waitSignal(view.loaded, timeout=10000):
        qtbot.keyClicks(view.search, "pricing")
    assert view.table.rowCount() == 1 and view.table.item(0, 0).text() == "Send Globex quote"
    view.search.clear()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.include_done.click()
    assert view.table.rowCount() == 3 and "Book the offsite" in [view.table.item(r, 0).text() for r in range(3)]
    with qtbot.waitSignal(view.loaded, timeout=10000):
        qtbot.keyClicks(view.search, "no-such-task")
    assert view.table.rowCount() == 0 and view.count.text() == "No task matches."


def test_a_cited_task_opens_selected_on_the_tasks_page(qtbot, main_window, services):  # noqa: ANN001
    [done_id] = services.store.tasks.upsert([Task("asana:1", "9", "Renew the Acme NDA", completed=True)])
    tasks_page = main_window.page("tasks")
    with qtbot.waitSignal(tasks_page.loaded, timeout=10000):
        main_window.open_target(f"reflex://task/{done_id}")  # a citation in Chat or quick ask
    assert main_window.stack.currentWidget() is tasks_page and tasks_page.include_done.isChecked()
    [row] = {i.row() for i in tasks_page.table.selectedItems()}
    assert tasks_page.table.item(row, 0).text() == "Renew the Acme NDA"
