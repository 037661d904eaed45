"""Each notification kind has a settings switch; quiet hours are checked when set."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from app.settings import Settings
from engine.notifications import KINDS


def test_defaults_turn_every_kind_on_with_a_ten_minute_lead():
    prefs = Settings().notification_prefs()
    assert prefs.enabled == frozenset(KINDS) and prefs.meeting_lead_minutes == 10 and prefs.quiet_hours is None


def test_switches_lead_time_and_quiet_hours_reach_the_policy():
    prefs = Settings(notify_urgent_mail=False, notify_jobs=False, meeting_notice_minutes=5,
                     quiet_hours=" 22:00-07:00 ").notification_prefs()
    assert prefs.enabled == frozenset(KINDS) - {"urgent_mail", "job_finished"}
    assert prefs.meeting_lead_minutes == 5
    assert prefs.quiet_hours is not None and prefs.quiet_hours.contains(time(23))


def test_bad_quiet_hours_are_refused_with_the_expected_form():
    with pytest.raises(ValidationError, match="HH:MM-HH:MM"):
        Settings(quiet_hours="after dinner")
