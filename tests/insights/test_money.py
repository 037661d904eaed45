"""Money amounts as business mail writes them, in any common currency format."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from engine.assistant.money import find_amounts

CASES = [
    ("$480K", 480_000, "USD"), ("$480,000", 480_000, "USD"), ("$3.4m", 3_400_000, "USD"), ("£750k", 750_000, "GBP"),
    ("€1.5 million", 1_500_000, "EUR"), ("216,000 USD", 216_000, "USD"), ("EUR 12.500,00", 12_500, "EUR"),
    ("380.000 EUR", 380_000, "EUR"), ("CHF 1'250'000", 1_250_000, "CHF"), ("CHF 1.2 million", 1_200_000, "CHF"),
    ("JPY 45,000,000", 45_000_000, "JPY"), ("¥8.5 million", 8_500_000, "JPY"), ("22 million yen", 22_000_000, "JPY"),
    ("4.8 million euros", 4_800_000, "EUR"), ("S$240,000", 240_000, "SGD"), ("A$1.2m", 1_200_000, "AUD"),
    ("HK$5.6 million", 5_600_000, "HKD"), ("NT$12,000,000", 12_000_000, "TWD"), ("NZ$420k", 420_000, "NZD"),
    ("RM 2.5 million", 2_500_000, "MYR"), ("₹3.2 crore", 32_000_000, "INR"), ("INR 1.8 crore", 18_000_000, "INR"),
    ("2,5 Mio. EUR", 2_500_000, "EUR"), ("US$ 410,000", 410_000, "USD"), ("AED 1.8 million", 1_800_000, "AED"),
    ("RMB 6.8 million", 6_800_000, "CNY"),
]


@pytest.mark.parametrize("text,amount,currency", CASES)
def test_common_formats(text: str, amount: int, currency: str) -> None:
    found = find_amounts(f"Our budget is {text} for next year.")
    assert [(m.amount, m.currency) for m in found] == [(Decimal(amount), currency)]


@pytest.mark.parametrize("text", ["we need 40 units", "we won 3 deals", "call me at 10", "version 4.2.1", "Q3 2026"])
def test_numbers_without_a_currency_are_not_money(text: str) -> None:
    assert find_amounts(text) == []


@given(st.integers(min_value=1, max_value=999_999_999), st.sampled_from(["USD", "EUR", "CHF", "JPY", "SGD"]))
def test_grouped_thousands_round_trip(value: int, code: str) -> None:
    for text in (f"{code} {value:,}", f"{value:,} {code}", f"{code} {value:,}".replace(",", "'")):
        assert [(m.amount, m.currency) for m in find_amounts(text)] == [(Decimal(value), code)]


@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    find_amounts(text)
