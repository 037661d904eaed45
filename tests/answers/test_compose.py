"""The evidence-built first line for person questions, on hand-made evidence (no model, no store): the name
comes from the sentence that says who does the thing, never from an event's place."""

from __future__ import annotations

from engine.answers import analyse, find_values
from engine.answers.compose import first_line
from engine.answers.evidence import answer_values, answers, subject_answers
from tests.answers.handmade import sentence


def test_who_is_read_from_the_sentence_whose_verb_the_question_uses() -> None:
    focus = analyse("Who is supplying the concrete for the Brunswick slab pour?")
    boral = sentence("Boral are supplying the concrete and we've ordered 186 cubic metres.", 1, 0.56,
                      type_match=1.0)
    pour = sentence("Level 4 slab pour at the Brunswick apartments is locked in for 25 November.", 1, 0.60)
    assert subject_answers(focus, boral).text == "Boral"
    assert subject_answers(focus, pour) is None and not answers(focus, pour)  # and its sender does not speak
    line, used = first_line(focus, [boral, pour])  # select_evidence puts answering sentences first
    assert line.startswith("Boral [1]") and used is boral


def test_an_events_place_does_not_answer_who() -> None:
    focus = analyse("Who installs the hotfix at Tacoma?")
    where = sentence("Hotfix install at Tacoma — Where: Pinecrest Medical Supply, Tacoma DC", 1, 0.8,
                      source_type="event")
    assert answer_values(focus, where) == []
    said = sentence("Rollout plan: Kenji cuts the build on November 30, Luis installs at Tacoma on December 1.", 2, 0.7)
    assert "Luis" in {v.text for v in answer_values(focus, said)}


def test_a_count_keeps_its_noun_but_not_the_word_after_it() -> None:
    focus = analyse("How many staff will take the phishing training?")
    line, _ = first_line(focus, [sentence("We will run phishing training for all 240 staff before December 15.", 1,
                                          0.7, type_match=1.0)])
    assert line.startswith("240 staff [1]")
