"""An answer checker independent of the product's verifier (engine/answers/verify.py): its own normalisation of
numbers, money scales and dates, applied to the gold facts, the source text and the answer's first line.

- `states(fact, line)`: the gold fact (or one of its 'a|b' forms) appears in the line once both are normalised
  ("$6.8 million" == "$6,800,000"; "November 18" == "Wednesday 18 Nov").
- `unsupported(line, sources, allowed)`: numbers, dates and capitalised names in the line that neither the cited
  sources nor the gold facts/question state. A weekday date ("Wednesday 18 Nov") also counts as supported when a
  cited source written up to 14 days before says that weekday (a relative date resolved against the mail).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
#: A month name or its abbreviation, never another word that starts like one ("margin 61%" is not March 61).
_MON = (r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:(?<=jan)uary|(?<=feb)ruary|(?<=mar)ch|(?<=apr)il|"
        r"(?<=jun)e|(?<=jul)y|(?<=aug)ust|(?<=sep)t(?:ember)?|(?<=oct)ober|(?<=nov)ember|(?<=dec)ember)?\b\.?")
_SCALES = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 10**9, "billion": 10**9}
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12}


def _month(token: str) -> int:
    return [m[:3] for m in _MONTHS].index(token[:3].lower()) + 1


def canon(text: str) -> str:
    """Lowercase text with dates as '<d:MM-DD>' and numbers as plain decimals ('$1.2m' -> '1200000')."""
    t = text.replace("’", "'").replace("–", "-").replace("—", " - ").replace("\u00a0", " ")
    t = re.sub(r"\[\d+\]", " ", t)
    t = re.sub(r"(?<=\d)[,'](?=\d{3}\b)", "", t)
    t = re.sub(r"(?<=\d)[,'](?=\d{3}\b)", "", t)
    t = re.sub(r"\b(\d{1,2})\.(\d{1,2})\.(?:20\d\d)?(?!\d)", lambda m: f" <d:{int(m.group(2)):02d}-{int(m.group(1)):02d}> ", t)
    t = re.sub(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+20\d\d)?",
               lambda m: f" <d:{_month(m.group(1)):02d}-{int(m.group(2)):02d}> ", t, flags=re.I)
    t = re.sub(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:\s+20\d\d)?",
               lambda m: f" <d:{_month(m.group(2)):02d}-{int(m.group(1)):02d}> ", t, flags=re.I)
    t = re.sub(r"\b(\d+(?:\.\d+)?)\s?(k|m|bn|thousand|million|billion)\b",
               lambda m: _plain(Decimal(m.group(1)) * _SCALES[m.group(2).lower()]), t, flags=re.I)
    t = t.lower()
    t = re.sub(r"\b(" + "|".join(_WORDS) + r")\b", lambda m: str(_WORDS[m.group(1)]), t)
    t = re.sub(r"[$€£]|\b(?:chf|usd|eur)\b", " ", t)
    t = re.sub(r"[^\w%<>:.\- ]", " ", t)
    t = re.sub(r"(?<=\d)\.0+\b", "", t)
    t = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", t)
    return " " + " ".join(t.split()) + " "


def _plain(value: Decimal) -> str:
    value = value.normalize()
    return format(value.quantize(Decimal(1)) if value == value.to_integral_value() else value, "f")


def states(fact: str, line: str) -> bool:
    text = canon(line)
    return any(canon(alt).strip() and (" " + canon(alt).strip() + " ") in text
               or _token_in(canon(alt).strip(), text) for alt in fact.split("|"))


def _token_in(needle: str, text: str) -> bool:
    """Whole-token containment that lets '%' and '-' touch ('31%' in '31% more')."""
    return re.search(rf"(?<![\w.]){re.escape(needle)}(?![\w]|\.\d)", text) is not None


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w.:-])\d+(?:\.\d+)?(?![\w])", re.sub(r"<d:[\d-]+>", " ", canon(text))))


def _dates(text: str) -> set[str]:
    return set(re.findall(r"<d:(\d\d-\d\d)>", canon(text)))


_NOT_NAMES = {w.title() for w in _MONTHS + _WEEKDAYS} | {m[:3].title() for m in _MONTHS} | {"Not", "Reflex", "The", "I", "Closest", "A", "We", "Our",
                                                          "Q1", "Q2", "Q3", "Q4"}


def _names(line: str) -> set[str]:
    body = re.sub(r"\[\d+\]", " ", line)
    names = set()
    for m in re.finditer(r"(?<![\w'])[A-Z][\w'&-]*", body):
        before = body[:m.start()].rstrip()
        if not before or before[-1] in ".!?:—-•(":
            continue  # a capital at a sentence start
        word = re.sub(r"'s$", "", m.group(0))
        if word not in _NOT_NAMES:
            names.add(word.lower())
    return names


def unsupported(line: str, sources: list[tuple[str, datetime | None]], allowed: str) -> list[str]:
    """What the line states that the cited sources (text, written) and `allowed` (gold + question) do not."""
    pool = " ".join(text for text, _ in sources) + " " + allowed
    numbers, dates = _numbers(pool), _dates(pool)
    lowered = pool.lower().replace("’", "'")
    bad = [n for n in _numbers(line) if n not in numbers]
    for d in _dates(line) - dates:
        if not _resolved_weekday(d, line, sources):
            bad.append(d)
    bad += [n for n in _names(line) if n not in lowered]
    return bad


def _resolved_weekday(mm_dd: str, line: str, sources: list[tuple[str, datetime | None]]) -> bool:
    month, day = (int(x) for x in mm_dd.split("-"))
    for text, written in sources:
        if written is None:
            continue
        for offset in range(-14, 15):
            d: date = (written + timedelta(days=offset)).date()
            if (d.month, d.day) == (month, day) and _WEEKDAYS[d.weekday()] in text.lower():
                return True
    return False
