"""Today, Inbox, Insights, Decisions and Chat action cards built from the real engines over the demo workspace
(real encrypted store, `load_demo`, the demo's America/Los_Angeles zone)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

LA = ZoneInfo("America/Los_Angeles")


def test_today_shows_the_engine_briefing_in_the_user_zone(qtbot, demo_window, services):  # noqa: ANN001
    today = demo_window.page("today")
    notes: list[tuple[str, str]] = []
    demo_window.briefing_ready.connect(lambda t, m: notes.append((t, m)))
    with qtbot.waitSignal(today.loaded, timeout=30000):
        today.refresh()
    b = today.briefing
    assert b is not None and b.day == datetime.now(LA).date()
    html = today.agenda.toHtml()
    text = today.agenda.toPlainText()
    for m in b.meetings:  # every meeting of the day, at its local (LA) time, with prep notes
        assert f"{m.start.astimezone(LA):%H:%M}–{m.end.astimezone(LA):%H:%M} {m.title}" in text
    assert "reflex://event/" in html and "Prep notes" in text
    assert today.needs_reply.count() == max(1, len(b.needs_reply))
    first = today.needs_reply.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == f"reflex://email/{b.needs_reply[0].message_id}"
    assert b.needs_reply[0].reason in first.text()
    assert today.commitments_title.text() == f"Commitments due ({len(b.commitments_due)})"
    assert today.opportunities_title.text() == f"Opportunities needing attention ({len(b.opportunities_at_risk)})"
    assert notes and notes[0][0] == "Your briefing is ready" and f"{len(b.meetings)} meetings" in notes[0][1]
    # an agenda item opens its source on the right page
    inbox = demo_window.page("inbox")
    with qtbot.waitSignal(inbox.thread_loaded, timeout=10000) as opened:
        today.needs_reply.itemActivated.emit(first)
    assert demo_window.stack.currentWidget() is inbox
    assert inbox.current_message_id == opened.args[0] == b.needs_reply[0].message_id


def test_inbox_shows_triage_filters_and_learns_a_correction(qtbot, demo_window, services):  # noqa: ANN001
    with qtbot.waitSignal(demo_window.triage_finished, timeout=30000) as new:
        demo_window.triage_new_mail()  # what the app does after start-up and after each import/sync
    # the Today page's briefing already triaged the last two weeks; the rest was new
    assert new.args[0] > 0
    assert len(services.store.triage.all()) == len(services.store.messages.recent(limit=5000))
    with qtbot.waitSignal(demo_window.triage_finished, timeout=10000) as again:
        demo_window.triage_new_mail()
    assert again.args == [0]  # only what is new
    inbox = demo_window.show_page("inbox")
    with qtbot.waitSignal(inbox.loaded, timeout=10000):
        inbox.refresh()
    total = inbox.list.count()
    assert total > 100 and "not triaged yet" not in inbox.list.item(0).text()
    inbox.priority_filter.setCurrentIndex(inbox.priority_filter.findData("urgent"))
    urgent = inbox.list.count()
    assert 0 < urgent < total and all("URGENT" in inbox.list.item(i).text() for i in range(urgent))
    inbox.priority_filter.setCurrentIndex(0)
    inbox.needs_reply_only.setChecked(True)
    assert 0 < inbox.list.count() < total
    assert all("needs reply" in inbox.list.item(i).text() for i in range(inbox.list.count()))
    inbox.needs_reply_only.setChecked(False)
    inbox.opportunity_only.setChecked(True)
    assert 0 < inbox.list.count() < total
    assert "opportunity: Harborview" in "\n".join(inbox.list.item(i).text() for i in range(inbox.list.count()))
    inbox.opportunity_only.setChecked(False)
    inbox.category_filter.setCurrentIndex(inbox.category_filter.findData("newsletter"))
    newsletter = inbox.list.item(0).data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(inbox.thread_loaded, timeout=10000):
        inbox.list.setCurrentRow(0)
    assert inbox.priority_edit.isEnabled() and inbox.reason.text().startswith("Why:")
    # correct the priority through the control: stored by the engine, the row and the reason update
    inbox.priority_edit.setCurrentIndex(inbox.priority_edit.findData("urgent"))
    with qtbot.waitSignal(inbox.corrected, timeout=10000):
        inbox.priority_edit.activated.emit(inbox.priority_edit.currentIndex())
    assert services.store.triage.get(newsletter).priority == "urgent"
    assert [(c.field, c.value) for c in services.store.triage.corrections()] == [("priority", "urgent")]
    assert inbox.list.item(0).text().split("\n")[2].startswith("URGENT")
    assert "your correction" in inbox.reason.text()


def test_insights_show_pipeline_pulse_and_usage_with_explanations(qtbot, demo_window, services):  # noqa: ANN001
    insights = demo_window.page("insights")
    with qtbot.waitSignal(insights.loaded, timeout=30000):
        insights.refresh()
    data = insights.data
    accounts = {o.account for o in data.pipeline}
    assert "Harborview Logistics" in accounts
    table = insights.pipeline_table
    assert table.rowCount() == len(data.pipeline)
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Harborview Logistics")
    assert table.item(row, 3).text() == "USD 480,000"
    table.selectRow(row)
    assert "stage" in insights.explanation.text() and "480,000" in insights.explanation.text()
    bars = insights.pipeline_chart.chart().series()[0].barSets()[0]
    assert sum(bars.at(i) for i in range(bars.count())) == sum(o.amount or 0 for o in data.pipeline)
    assert insights.stale.count() == max(1, len(data.stale))
    # team pulse: one line per team, flags with evidence links, small groups withheld
    teams = {w.group for w in data.pulse.weeks}
    assert {s.name() for s in insights.trend_chart.chart().series()} == teams
    assert insights.trend_table.rowCount() == len(data.pulse.weeks)
    flags = [insights.flags.item(i) for i in range(insights.flags.count())]
    assert any("Engineering" in f.text() and f.data(Qt.ItemDataRole.UserRole).startswith("reflex://email/") for f in flags)
    assert any(f.text().startswith("Withheld:") for f in flags)
    insights.trend_table.selectRow(0)
    assert "VADER" in insights.explanation.text() and "no per-person figures" in insights.explanation.text()
    # usage analytics, local only, with its assumptions
    services.store.usage.add(services.today(), "questions_asked", 4)
    with qtbot.waitSignal(insights.loaded, timeout=30000):
        insights.refresh()
    usage = insights.usage_table
    assert usage.item(0, 0).text() == "Questions asked" and usage.item(0, 1).text() == "4"
    usage.selectRow(usage.rowCount() - 1)
    assert "estimate" in insights.explanation.text().lower() and usage.item(usage.rowCount() - 1, 1).text() == "12 min"


def test_decision_form_records_an_analysed_decision_and_reviews(qtbot, demo_window, services):  # noqa: ANN001
    decisions = demo_window.page("decisions")
    with qtbot.waitSignal(decisions.loaded, timeout=10000):
        decisions.refresh()
    decisions.question.setText("Should we open the two SRE reqs now?")
    decisions.options.setPlainText("Open the two SRE reqs now to protect uptime\nWait for the 2027 budget")
    decisions.review_days.setValue(14)
    with qtbot.waitSignal(decisions.loaded, timeout=20000):
        decisions.analyze_button.click()
    journal = services.store.decisions.list()
    assert len(journal) == 1 and journal[0].options == ["Open the two SRE reqs now to protect uptime",
                                                        "Wait for the 2027 budget"]
    d = journal[0]
    assert d.criteria and d.alignment and d.recommendation in d.options
    assert decisions.table.rowCount() == 1 and decisions.table.item(0, 1).text() == d.recommendation
    text = decisions.detail.toPlainText()
    assert "Alignment with your goals" in text and f"confidence {d.confidence:.0%}" in text
    assert next(iter(d.criteria)) in text
    assert "No decision is due" in decisions.reviews.text()
    decisions.outcome.setText("Opened both reqs; hired one.")
    with qtbot.waitSignal(decisions.loaded, timeout=10000):
        decisions.outcome_button.click()
    assert "Opened both reqs" in services.store.decisions.list()[0].outcome
    assert decisions.table.item(0, 4).text().endswith("Opened both reqs; hired one.")
    from datetime import timedelta

    from models import Decision

    services.store.decisions.save(Decision("Move the offsite to January?", ["yes", "no"],
                                           review_on=services.today() - timedelta(days=1)))
    with qtbot.waitSignal(decisions.loaded, timeout=10000):
        decisions.refresh()
    assert decisions.reviews.text() == "Due for review (1): Move the offsite to January?"


def test_meeting_summarize_shows_notes_linked_to_transcript_moments(qtbot, demo_window, services, facade):  # noqa: ANN001
    from PySide6.QtCore import QUrl

    meetings = demo_window.page("meetings")
    qtbot.waitUntil(lambda: meetings.list.count() > 0, timeout=10000)
    meeting = next(m for m in services.store.meetings.all() if m.title.startswith("Weekly leadership"))
    with qtbot.waitSignal(meetings.meeting_shown, timeout=10000):
        demo_window.open_target(f"reflex://meeting/{meeting.id}")
    assert meetings.summarize_button.isEnabled() and "Not summarized yet" in meetings.summary.toPlainText()
    with qtbot.waitSignal(meetings.summarized, timeout=30000):
        meetings.summarize_button.click()
    notes = meetings.notes
    assert notes.action_items and notes.decisions
    assert not services.engines.llm.built  # an unmeasured (evidence-only) model is not asked: evidence first
    assert "Key points" in meetings.summary.toPlainText()
    text = meetings.summary.toPlainText()
    assert {"model": "Written by the model", "extractive": "Key sentences"}[notes.summary_source] in text
    assert notes.summary[:40] in text and notes.action_items[0].what in text and "never sent" in text
    item = notes.action_items[-1]
    assert f'href="seek:{item.at:.2f}"' in meetings.summary.toHtml()
    meetings.summary.anchorClicked.emit(QUrl(f"seek:{item.at:.2f}"))
    assert meetings.tabs.currentIndex() == 0 and meetings.seek_position == item.at
    current = meetings.segments.currentItem()
    assert current is not None and float(current.data(Qt.ItemDataRole.UserRole)) == item.at
    # stored: reopening shows the saved notes without summarizing again
    assert facade.meeting_notes(meeting.id).action_items[0].what == notes.action_items[0].what


def test_confirmed_action_runs_only_on_click_and_explains_when_it_cannot(qtbot, demo_window, services):  # noqa: ANN001
    from engine.assistant.drafts import Draft, propose_email

    store = services.store
    first = propose_email(store, Draft(["mark.delaney@harborview-logistics.example"], "Checking in", "Hi Mark"),
                          origin="test", ref="1")
    second = propose_email(store, Draft(["anita.shah@harborview-logistics.example"], "Specs", "Hi Anita"),
                           origin="test", ref="2")
    chat = demo_window.page("chat")
    with qtbot.waitSignal(chat.loaded, timeout=10000):
        chat.refresh()
    assert chat.actions_box.count() == 2
    assert [a for a, _, _ in store.pending_actions.pending()] == [first, second]  # nothing ran by itself
    confirm = chat.actions_box.itemAt(0).widget().findChild(QPushButton, None)
    assert confirm.text() == "Confirm"
    with qtbot.waitSignal(demo_window.tasks.task_failed, timeout=10000):
        confirm.click()
    # the demo account is an import, not a mailbox: a clear message, and the action stays pending
    assert "No connected Google or Microsoft account" in chat.action_status.text()
    assert [a for a, _, _ in store.pending_actions.pending()] == [first, second]
    reject = [b for b in chat.actions_box.itemAt(1).widget().findChildren(QPushButton) if b.text() == "Reject"][0]
    with qtbot.waitSignal(demo_window.tasks.task_finished, timeout=10000):
        reject.click()
    assert [a for a, _, _ in store.pending_actions.pending()] == [first]
    qtbot.waitUntil(lambda: chat.actions_box.count() == 1, timeout=5000)
