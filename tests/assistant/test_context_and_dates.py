"""Strategic context versions and prefix stability; due-date resolution relative to the message date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from hypothesis import given, strategies as st

from engine.assistant import ContextService, Relationships, find_due, resolve_principal

from tests.assistant.conftest import CONTEXT


def test_prefix_is_byte_identical_per_version_and_names_it(company):
    svc = ContextService(company)
    first = svc.prefix()
    assert first.version is not None and "Grow ARR to $10M" in first.text and "Globex Corporation" in first.text
    assert ContextService(company).prefix().text.encode() == first.text.encode()  # fresh service, same bytes
    parts = svc.parts("What matters today?")
    assert parts.system == first.text and parts.context_version == first.version


def test_saving_changed_context_makes_a_new_version_and_same_content_does_not(company):
    svc = ContextService(company)
    v1 = svc.prefix().version
    assert svc.save(replace(CONTEXT, version=None)) == v1  # unchanged: no churn
    v2 = svc.save(replace(CONTEXT, goals=[*CONTEXT.goals, "Launch in Japan"], version=None))
    assert v2 != v1
    assert "Launch in Japan" in svc.prefix().text and "Launch in Japan" not in svc.prefix(v1).text
    assert svc.parts("q", version=v1).context_version == v1


def test_relationships(company):
    rel = Relationships(company.contexts.latest(), resolve_principal(company))
    assert rel.kind("pat@acme.example") == "direct_report"
    assert rel.kind("jo@acme.example") == "team"
    assert rel.kind("vc@bigfund.example") == "board"
    assert rel.kind("amy@globex-corp.example") == "key_account"
    assert rel.key_account("bob@initech.example") == "Initech"
    assert rel.kind("ceo@acme.example") == "me"
    assert rel.kind("someone@else.example") == "unknown"


WED = datetime(2026, 3, 4, 9, 0)  # a Wednesday


def test_relative_phrases_resolve_against_the_message_date():
    cases = {
        "I'll send it by Friday": date(2026, 3, 6),
        "can you get me the deck tomorrow": date(2026, 3, 5),
        "by end of day": date(2026, 3, 4),
        "before end of week": date(2026, 3, 6),
        "next week works": date(2026, 3, 13),
        "by next Tuesday": date(2026, 3, 10),
        "by Monday": date(2026, 3, 9),
        "by March 20": date(2026, 3, 20),
        "due 2026-04-01": date(2026, 4, 1),
        "in two weeks": date(2026, 3, 18),
        "by end of Q2": date(2026, 6, 30),
        "by end of month": date(2026, 3, 31),
    }
    for text, expected in cases.items():
        found = find_due(text, WED)
        assert found is not None and found.due == expected, (text, found)
    assert find_due("thanks for the update", WED) is None


@given(st.text(max_size=200), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)))
def test_find_due_never_raises_and_never_goes_back_in_time(text, day):
    found = find_due(text, day)
    if found is not None:
        assert found.due >= day and found.phrase
