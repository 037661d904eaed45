"""#18 wired into the main window: a name opens the People page, a Slack message's reply is posted only after
Confirm (through the fake Slack), an invitation mail carries RSVP buttons, and Today offers invitations and
"propose a meeting" about a commitment — all through the real widgets."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QPushButton

from models import Account, Attendee, Commitment, Contact, Event, Message
from tests.fakes.slack_server import ME as SLACK_ME, FakeSlack
from ui.pending_action import PendingActionBox
from ui.widgets import SafeTextBrowser

ME = "ceo@northwind.example"


def _button(box: PendingActionBox, text: str) -> QPushButton:
    return next(b for b in box.findChildren(QPushButton) if b.text() == text)


def test_a_sender_name_opens_their_dossier(qtbot, main_window, workspace):  # noqa: ANN001
    inbox = main_window.show_page("inbox")
    with qtbot.waitSignal(inbox.thread_loaded, timeout=10000):
        inbox.select_target("email", workspace["acme_message"], {})
    html = inbox.thread_view.toHtml()
    assert 'href="reflex://person/li@acme.example"' in html  # the sender
    assert 'href="reflex://person/ceo@northwind.example"' in html  # and each recipient
    people = main_window.page("people")
    with qtbot.waitSignal(people.dossier_shown, timeout=10000) as shown:
        inbox.thread_view.anchorClicked.emit(QUrl("reflex://person/li@acme.example"))  # the sender's name
    assert shown.args == ["li@acme.example"] and main_window.stack.currentWidget() is people
    assert "Acme renewal and expansion" in people.view.toPlainText()


def test_a_slack_reply_is_posted_only_after_confirm(qtbot, main_window, services):  # noqa: ANN001
    from app.providers import Providers
    from connectors.slack import SlackAuth
    from engine.events import EventBus

    with FakeSlack() as slack:
        slack.add_user("U0PAT", "Pat Lee", "pat@northwind.example")
        slack.add_channel("D0PAT", "", kind="dm", members=[SLACK_ME, "U0PAT"])
        root = slack.post("D0PAT", "U0PAT", "Can you approve the Acme discount?")
        services.settings.slack_api = slack.endpoints().api
        account = SlackAuth(endpoints=slack.endpoints()).connect_token("xoxp-good").account_key
        services.store.accounts.upsert(Account(account, "slack", "dana@northwind.example"))
        services.store.settings.set(f"{account}.channels", ["D0PAT"])
        assert Providers(services.settings).coordinator(services.store.accounts.get(account), store=services.store,
                                                        bus=EventBus()).run().status == "ok"
        message_id = services.store.messages.id_for(account, f"D0PAT:{root}")
        inbox = main_window.show_page("inbox")
        with qtbot.waitSignal(inbox.thread_loaded, timeout=10000):
            inbox.select_target("email", message_id, {})
        assert inbox.save_draft_button.text() == "Post to Slack…"
        qtbot.keyClicks(inbox.draft, "Approved, go ahead.")
        with qtbot.waitSignal(inbox.reply_pending.shown, timeout=10000):
            qtbot.mouseClick(inbox.save_draft_button, Qt.MouseButton.LeftButton)
        assert slack.posted == []  # proposed, not posted
        with qtbot.waitSignal(inbox.reply_pending.decided, timeout=20000) as decided:
            qtbot.mouseClick(_button(inbox.reply_pending, "Confirm"), Qt.MouseButton.LeftButton)
        assert decided.args[0] == "Reply posted in the Slack thread."
        assert [(p["thread_ts"], p["text"]) for p in slack.posted] == [(root, "Approved, go ahead.")]


def _board_dinner_invitation(services) -> None:  # noqa: ANN001
    """The user (Dana) is invited to a dinner tomorrow and has not answered."""
    services.store.settings.set("assistant.me", {"emails": [ME], "name": "Dana Reyes"})
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
    services.store.events.upsert([Event(
        "demo", "inv", "Board dinner", start, start + timedelta(hours=2), organizer="chair@board.example",
        attendees=[Attendee("chair@board.example", "Chair", "accepted", True), Attendee(ME, "Dana Reyes")])])


def test_an_invitation_mail_has_rsvp_buttons(qtbot, main_window, services):  # noqa: ANN001
    _board_dinner_invitation(services)
    [mid] = services.store.messages.upsert([Message(
        "demo", "inv-mail", "t-inv", "Invitation: Board dinner @ Fri", Contact("chair@board.example", "Chair"),
        [Contact(ME)], sent_at=datetime.now(timezone.utc) - timedelta(hours=1), body_text="You are invited.")])
    inbox = main_window.show_page("inbox")
    with qtbot.waitSignal(inbox.thread_loaded, timeout=10000):
        inbox.select_target("email", mid, {})
    qtbot.waitUntil(lambda: inbox.rsvp is not None, timeout=10000)
    with qtbot.waitSignal(inbox.rsvp.pending.shown, timeout=10000):
        qtbot.mouseClick(inbox.rsvp.buttons["accepted"], Qt.MouseButton.LeftButton)
    [(action_id, kind, payload)] = services.store.pending_actions.pending()
    assert kind == "rsvp" and payload["response"] == "accepted"
    # no calendar account is connected: Confirm says so and the answer stays pending
    with qtbot.waitSignal(inbox.rsvp.pending.failed, timeout=10000) as failed:
        qtbot.mouseClick(_button(inbox.rsvp.pending, "Confirm"), Qt.MouseButton.LeftButton)
    assert "No connected Google or Microsoft account" in failed.args[0]
    assert _button(inbox.rsvp.pending, "Confirm").isEnabled()  # the card stays for another try
    assert [a for a, _, _ in services.store.pending_actions.pending()] == [action_id]
    with qtbot.waitSignal(inbox.thread_loaded, timeout=10000):  # an ordinary mail has none
        inbox.select_target("email", services.store.messages.id_for("demo", "m3"), {})
    assert inbox.rsvp is None


def test_today_shows_invitations_and_proposes_a_meeting_about_a_commitment(qtbot, main_window, services):  # noqa: ANN001
    _board_dinner_invitation(services)
    services.store.commitments.upsert("c1", Commitment(owner=ME, counterparty="li@acme.example",
                                                       what="Send the Acme proposal", due=date.today(),
                                                       direction="owed_by_me"))
    today = main_window.page("today")
    with qtbot.waitSignal(today.invitations.loaded, timeout=30000) as loaded:
        today.refresh()
    assert loaded.args == [1] and "Board dinner" in today.invitations.bars[0].label.text()
    qtbot.waitUntil(lambda: bool(today._commitment_ids), timeout=30000)  # noqa: SLF001
    row = next(r for r in range(today.commitments.count()) if "Acme proposal" in today.commitments.item(r).text())
    today.propose_meeting(row)  # the commitment's context menu entry
    with qtbot.waitSignal(today.scheduling.target_loaded, timeout=10000):
        pass
    assert today.scheduling.attendees() == ["li@acme.example"]
    assert "Acme proposal" in today.scheduling.title_edit.text()


def test_an_event_opened_from_a_notice_links_each_attendee_to_their_dossier(qtbot, main_window, workspace):  # noqa: ANN001
    """'A meeting starts in 10 minutes — open the dossier': the event shows who comes, each name a dossier."""
    main_window.open_target(f"reflex://event/{workspace['event']}")
    qtbot.waitUntil(lambda: getattr(main_window, "source_dialog", None) is not None, timeout=10000)
    view = next(w for w in main_window.source_dialog.findChildren(SafeTextBrowser))
    assert 'href="reflex://person/li@acme.example"' in view.toHtml()
    people = main_window.page("people")
    with qtbot.waitSignal(people.dossier_shown, timeout=10000) as shown:
        view.anchorClicked.emit(QUrl("reflex://person/li@acme.example"))
    assert shown.args == ["li@acme.example"]
