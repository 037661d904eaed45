"""What a question asks for, and the contrasts that make a close sentence no answer (pure, no model)."""

from __future__ import annotations

from engine.answers import analyse, find_values
from engine.answers.evidence import answer_values
from engine.answers.question import contradicts, contrast_sides, expected_kinds
from tests.answers.handmade import sentence


def test_a_sentence_about_another_side_of_a_contrast_does_not_answer() -> None:
    week = contrast_sides("How much is crane hire per week?")
    assert contradicts(week, contrast_sides("Crane hire for the day is $4,800."))
    assert not contradicts(week, contrast_sides("Crane hire is $9,000 a week, or $4,800 for the day."))
    assert not contradicts(week, contrast_sides("Crane hire is $9,000."))  # silent: no contrast
    assert contradicts(contrast_sides("When does the fit-out start?"), contrast_sides("Bids close on 27 May."))
    assert contradicts(contrast_sides("What is the second-year salary?"),
                       contrast_sides("The first-year salary will rise to £52,000."))


def test_what_something_costs_is_money() -> None:
    assert expected_kinds("How much did the scaffold incident cost?") == ("amount", "percent")
    assert "count" in expected_kinds("How much concrete was ordered?")


def test_a_number_after_a_label_is_a_name_not_a_quantity() -> None:
    focus = analyse("How much concrete is needed?")
    label = sentence("Level 4 slab pour needs 186 cubic metres.", 1, 0.5)
    assert [v.text for v in answer_values(focus, label)] == ["186"]
    assert find_values("Level 4")[0].kind == "count"  # still a value the verifier compares


def test_gross_and_net_are_two_sides() -> None:
    assert contradicts(contrast_sides("What was the net margin in October?"),
                       contrast_sides("October is closed: revenue $31.4M, gross margin 11.8%."))
