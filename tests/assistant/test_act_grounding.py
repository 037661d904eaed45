"""Reading instructions (engine/assistant/when.py, instructions.py): times, repeats and wording come from the user's
words, never from defaults. The figures over 77 labelled instructions are in tests/eval/test_act_eval.py."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.assistant.act_grounding import placeholder_fields
from engine.assistant.instructions import message_lines, parse_instruction, task_title
from engine.assistant.when import UnsupportedRecurrence, describe_rrule, read_time, read_when

NOW = datetime(2026, 11, 25, 17, 9, tzinfo=ZoneInfo("America/Los_Angeles"))  # a Wednesday


@pytest.mark.parametrize(("text", "day", "at", "rule"), [
    ("a call next Tuesday at 10:00", "2026-12-01", time(10), None),
    ("lunch on Thursday 3 December at 2pm", "2026-12-03", time(14), None),
    ("a weekly sync every Tuesday at 9", "2026-12-01", time(9), "RRULE:FREQ=WEEKLY;BYDAY=TU"),
    ("a standup at 8:30 on weekdays", "2026-11-26", time(8, 30), "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
    ("every other Monday at 11:00", "2026-11-30", time(11), "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ("a monthly review, first one on December 10 at noon", "2026-12-10", time(12), "RRULE:FREQ=MONTHLY;BYMONTHDAY=10"),
    ("a call with Mark on Friday", "2026-11-27", None, None),
])
def test_days_times_and_repeats_are_read_from_the_words(text: str, day: str, at: time | None, rule: str | None) -> None:
    when = read_when(text, NOW)
    assert (when.day.isoformat(), when.time, when.rrule) == (day, at, rule)


def test_repeats_a_calendar_cannot_hold_are_refused_clearly() -> None:
    for text in ("a check every hour", "a review on the first Monday of every month at 9"):
        with pytest.raises(UnsupportedRecurrence) as err:
            read_when(text, NOW)
        assert err.value.next_step


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_any_text_reads_without_crashing_and_never_invents_midnight(text: str) -> None:
    try:
        when = read_when(text, NOW)
    except UnsupportedRecurrence:
        return
    if when.time == time(0):
        assert "midnight" in text.lower() or "0:00" in text or "00" in text or "12" in text


@settings(max_examples=200, derandomize=True, deadline=None)
@given(hour=st.integers(0, 23), minute=st.integers(0, 59), lead=st.sampled_from(["Call ", "Sync on Monday ", ""]))
def test_a_stated_clock_time_is_read_exactly(hour: int, minute: int, lead: str) -> None:
    found = read_time(f"{lead}at {hour:02d}:{minute:02d} please")
    assert found is not None and found[0] == time(hour, minute)


def test_the_message_says_what_the_user_asked_with_dates_resolved() -> None:
    assert message_lines("Reply to Mark proposing a call on Tuesday at 10", NOW) == [
        "I'd like to propose a call on Tuesday 1 Dec at 10:00."]
    assert message_lines("Reply to Julia and say we accept the renewal", NOW) == ["We accept the renewal."]
    assert task_title("Remind me to send the signed order form to Mark on Monday") == \
        "Send the signed order form to Mark"
    assert parse_instruction("What did Mark ask for?") is None
    assert parse_instruction("Reply to Tom Becker and Ines about the drawings").names == ("Tom Becker", "Ines")


def test_placeholders_and_unsaid_midnights_are_caught() -> None:
    text = "Schedule a call with Li"
    assert placeholder_fields({"to": ["items"], "subject": "Subject", "body": "Body"}, text) == ["body", "subject", "to"]
    assert placeholder_fields({"title": text, "start": "2026-12-01T00:00:00-08:00"}, text) == ["start", "title"]
    assert placeholder_fields({"title": "Call with Li Wei", "start": "2026-12-01T10:00:00-08:00"}, text) == []


def test_repeats_are_described_in_words() -> None:
    assert describe_rrule("RRULE:FREQ=WEEKLY;BYDAY=TU") == "every Tuesday"
    assert describe_rrule("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO") == "every other Monday"
    assert describe_rrule("RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR") == "every weekday"
    assert describe_rrule("RRULE:FREQ=MONTHLY;BYMONTHDAY=1") == "every month on the 1st"
    assert describe_rrule("RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=12") == "every 3 months on the 12th"
    assert describe_rrule("RRULE:FREQ=DAILY") == "every day"
