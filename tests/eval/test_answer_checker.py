"""The independent answer checker's normalisation (the eval figures are only as good as it is)."""

from __future__ import annotations

from datetime import datetime

from answer_checker import states, unsupported


def test_one_fact_in_two_spellings_is_stated() -> None:
    assert states("$6.8 million", "$6,800,000 [1] — spend over twelve months")
    assert states("November 18", "Wednesday 18 Nov [2] — by Wednesday")
    assert states("nine days|9 days", "9 days [1]")
    assert not states("$6.8 million", "$6.9 million [1]")


def test_a_word_that_starts_like_a_month_is_not_a_date() -> None:
    """'margin 61%' once read as March 61, so a line stating 61% did not state it."""
    assert states("61%", "61% [6] — Q3 revenue $3.42M; gross margin 61% [6]")
    assert states("March 8", "8 Mar [1]") and not states("March 8", "marketing 8 [1]")


def test_values_the_sources_do_not_state_are_unsupported() -> None:
    source = [("Freight for the expedited run is $2,850.", datetime(2026, 11, 16))]
    assert unsupported("$2,850 [1] — Freight for the expedited run is $2,850 [1]", source, "") == []
    assert unsupported("$3,100 [1] — Freight is $3,100 [1]", source, "") == ["3100"]
