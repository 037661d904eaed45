"""Typed values and their normalised keys (the verifier compares facts through them)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.answers import analyse, find_values


def _keys(text: str, written: date | None = None) -> set[str]:
    return {v.key for v in find_values(text, written)}


def test_two_spellings_of_one_amount_share_a_key() -> None:
    assert _keys("about $3.4m") == _keys("about 3,400,000") == {"n:3400000"}



def test_a_relative_day_resolves_against_the_day_it_was_written() -> None:
    monday = date(2026, 11, 30)
    by_thursday = [v for v in find_values("Send it by Thursday.", monday) if v.kind == "date"]
    assert [v.shown for v in by_thursday] == ["Thursday 3 Dec"]
    assert by_thursday[0].key in _keys("on Thursday 3 Dec", monday)
    assert "2026" not in by_thursday[0].shown  # a year is never added


def test_a_past_weekday_resolves_backwards() -> None:
    tuesday = date(2026, 11, 24)
    inspected = [v for v in find_values("The board inspected our cold storage on Monday.", tuesday)
                 if v.kind == "date"]
    assert [v.shown for v in inspected] == ["Monday 23 Nov"]


def test_version_numbers_and_ids_are_not_counts() -> None:
    kinds = {(v.kind, v.text) for v in find_values("hotfix 4.2.1 for lot 22-4471 of IV sets")}
    assert ("count", "4.2") not in kinds and ("count", "22") not in kinds


def test_question_types() -> None:
    assert analyse("When does the container land?").kinds[0] == "date"
    assert analyse("How much did Lakeview spend with us?").kinds[0] == "amount"
    assert analyse("How much faster is path planning?").kinds[0] == "percent"
    assert analyse("How many driver positions are open?").kinds[0] == "count"
    assert analyse("How long will receiving be frozen?").kinds[0] == "duration"
    assert analyse("Who wants to tour Harrisburg?").kinds == ("name",)
    assert analyse("What was the root cause of the stalls?").kinds == ()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789$%.,'’- :/ABCxyz MondayDecember")), max_size=60),
       st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))))
def test_values_never_raise_never_overlap_and_point_into_the_text(text: str, written: date | None) -> None:
    values = find_values(text, written)
    for value in values:
        assert text[value.start:value.end] == value.text
    for a, b in zip(values, values[1:]):
        assert a.end <= b.start
