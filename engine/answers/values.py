"""Typed values in text (dates, money, percentages, counts, durations, times, names), normalised so that two
spellings of one fact compare equal: "$3.4m" and "3,400,000" share the key `n:3400000`; "by Thursday" written
on Monday 30 Nov and "Thursday 3 Dec" share `d:12-03`.

The answer engine picks answer spans from these values and the verifier compares a model's sentence with its
evidence through their keys. Money comes from `engine.assistant.money`, dates from `engine.assistant.dates`
(resolved against the date the text was written; a year is never invented: a date written without one is shown
without one). Pure and thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from engine.assistant.dates import WEEKDAYS, find_dates
from engine.assistant.money import find_amounts

#: Kinds of value. `name` covers people, organisations and places (capitalised word runs).
KINDS = ("date", "amount", "percent", "count", "duration", "time", "name")

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
_NUM = r"\d{1,3}(?:[,'’]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(_WORD_NUMBERS)
_PERCENT = re.compile(rf"(?<![\w.])({_NUM})\s?(?:%|percent\b|per cent\b)", re.I)
_UNITS = (r"(?:h|hrs?|hours?|min|mins|minutes?|days?|business days|weeks?|engineer-weeks|months?|years?"
          r"|-hour|-day|-week|-month|-year)")
_DURATION = re.compile(rf"(?<![\w.])(?:({_NUM})|({_WORDNUM}))(?:\s?|-)({_UNITS})\b"
                       rf"(?:\s(\d+)\s?(?:min|minutes)\b)?", re.I)
_UNIT_KEY = {"h": "h", "hr": "h", "hour": "h", "min": "min", "minute": "min", "day": "d", "business day": "bd",
             "week": "w", "month": "mo", "year": "y"}
_TIME = re.compile(r"\b(\d{1,2})(?::(\d\d))?\s?(am|pm)\b|\b(\d{1,2}):(\d\d)\b", re.I)
_NUMBER = re.compile(rf"(?<![\w.,'’/-])(?:({_NUM})|({_WORDNUM}))(?![\w%]|[.-]\d)", re.I)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_ABBR = tuple(m[:3].title() for m in _MONTHS)
#: Capitalised words that are not names on their own.
_NOT_NAMES = {w.title() for w in WEEKDAYS + _MONTHS} | {
    "I", "I'm", "I'd", "I'll", "I've", "The", "A", "An", "We", "Our", "Your", "You", "It", "This", "That", "These",
    "Those", "If", "In", "On", "At", "By", "For", "From", "To", "And", "But", "Or", "So", "Also", "As", "After",
    "Before", "With", "Can", "Could", "Would", "Should", "Will", "Please", "Thanks", "Thank", "Hi", "Hello", "Dear",
    "Best", "Regards", "Kind", "Cheers", "Yes", "No", "OK", "Ok", "Good", "Great", "FYI", "Re", "Fwd", "Mr", "Ms",
    "Mrs", "Dr", "Update", "Fix", "Root", "Open", "Our", "Let's", "Its", "Q1", "Q2", "Q3", "Q4", "Highlights",
    "Risks", "Agenda", "Decision", "Note", "Today", "Tomorrow", "Yesterday", "Monday's", "Saturday's", "Friday's",
    "There", "They", "He", "She", "His", "Her", "My", "What", "When", "Who", "Which", "Where", "Why", "How",
    "Sent", "Subject", "Attached", "Following", "Pausing", "Estimated", "Alternatively", "Honestly", "Mom",
    "UTC", "GMT", "EST", "EDT", "PST", "PDT", "CET", "CEST", "When", "Where", "Attendees",
}
_CAP = r"(?:St|Dr|Mr|Ms|Mrs|Mt)\.|[A-Z][\w'’&-]*\w|[A-Z]"
_NAME = re.compile(rf"(?<![\w'’])(?:{_CAP})(?:\s+(?:of\s+|&\s+|de\s+|von\s+)?(?:{_CAP}))*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n•*-]\s*|\(\d\)\s*)$")


@dataclass(frozen=True, slots=True)
class Value:
    """A typed value found in text. `key` is the normalised form two spellings share ('n:3400000',
    'd:12-03', 'name:peter walsh'); `shown` is how an answer states it (a resolved date: 'Thursday 3 Dec')."""

    kind: str
    text: str
    start: int
    key: str
    shown: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def number_key(raw: str) -> str | None:
    """'1,200' / "1'200" / '1200.0' / 'twelve' -> 'n:1200' (None when it is not a number)."""
    word = _WORD_NUMBERS.get(raw.lower())
    if word is not None:
        return f"n:{word}"
    try:
        value = Decimal(re.sub(r"[,'’]", "", raw))
    except InvalidOperation:
        return None
    return "n:" + _plain(value)


def _plain(value: Decimal) -> str:
    """'3400000', '0.33': the shortest plain decimal (no exponent, no trailing zeros), for any size."""
    return format(value.normalize(), "f")


def date_key(day: date, *, with_year: bool = False) -> str:
    return f"d:{day.year}-{day.month:02d}-{day.day:02d}" if with_year else f"d:{day.month:02d}-{day.day:02d}"


def show_date(day: date, *, with_weekday: bool) -> str:
    """'Thursday 3 Dec' for a resolved relative date, '3 Dec' otherwise; never a year (none is guessed)."""
    text = f"{day.day} {_MONTH_ABBR[day.month - 1]}"
    return f"{WEEKDAYS[day.weekday()].title()} {text}" if with_weekday else text


def find_values(text: str, written_at: datetime | date | None = None) -> list[Value]:
    """Every value in `text`, in text order, without overlaps (a longer, more specific value wins: an amount
    over the number inside it). Relative dates are resolved against `written_at`; without it they are skipped.
    Results are remembered (explicit dates go through dateparser, a few ms each)."""
    return list(_find_values(text, written_at))


@lru_cache(maxsize=8192)
def _find_values(text: str, written_at: datetime | date | None) -> tuple[Value, ...]:
    found = _dates(text, written_at) + _amounts(text) + _percents(text) + _durations(text) + _times(text)
    found += _numbers(text) + _names(text)
    kept: list[Value] = []
    taken: list[tuple[int, int]] = []
    for value in sorted(found, key=lambda v: (_PRIORITY[v.kind], -len(v.text))):
        if any(value.start < end and start < value.end for start, end in taken):
            continue
        kept.append(value)
        taken.append((value.start, value.end))
    return tuple(sorted(kept, key=lambda v: v.start))


_PRIORITY = {"date": 0, "amount": 1, "percent": 2, "duration": 3, "time": 4, "count": 5, "name": 6}
_SPAN_OF_TIME = re.compile(r"\b(?:with)?in (?:a|an|\w+|\d+) (?:business )?(?:days?|weeks?)\b")
_PAST = re.compile(r"\b(?:was|were|had|did|last|ago|yesterday)\b|\b\w+ed\b", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|going to|can|could|would|need|needs|want|wants)\b|'ll\b", re.I)
_FORWARD = re.compile(r"\b(?:by|until|before|next|this|from|due|starting|effective)\s*$", re.I)


def _dates(text: str, written_at: datetime | date | None) -> list[Value]:
    out: list[Value] = []
    base = written_at.date() if isinstance(written_at, datetime) else written_at
    out += _spoken_dates(text, base)
    for phrase in find_dates(text, base or date(2000, 1, 1)):
        if any(v.start <= phrase.start < v.end for v in out):
            continue
        words = phrase.phrase.lower()
        if _SPAN_OF_TIME.search(words):
            continue  # "within 30 days" states a duration; the duration extractor reads it
        explicit = bool(re.search(r"\d", words)) and not re.search(r"\bin \d|\b(?:days?|weeks?)\b", words)
        if not explicit and base is None:
            continue
        day = phrase.due
        weekday_only = words.split()[-1][:3] in {w[:3] for w in WEEKDAYS}
        if weekday_only and base is not None and _said_in_past(text, phrase.start):
            day = _previous(day, base)
        out.append(Value("date", phrase.phrase, phrase.start, date_key(day),
                         phrase.phrase if explicit else show_date(day, with_weekday=weekday_only)))
    return _join_weekday_dates(text, out)


_ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), 1)}
_ORDINALS |= {f"twenty-{w}": 20 + i for w, i in list(_ORDINALS.items())[:9]} | {"thirtieth": 30, "thirty-first": 31}
_SPOKEN_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(?:the\s+)?(" + "|".join(sorted(_ORDINALS, key=len,
                                                                                            reverse=True)) + r")\b",
                          re.I)


def _spoken_dates(text: str, base: date | None) -> list[Value]:
    """'November thirtieth' (transcripts write ordinals as words); the year is the one ahead of `base`."""
    out = []
    for m in _SPOKEN_DATE.finditer(text):
        month, day = _MONTHS.index(m.group(1).lower()) + 1, _ORDINALS[m.group(2).lower()]
        try:
            key = date_key(date(2000, month, day))
        except ValueError:
            continue
        out.append(Value("date", m.group(0), m.start(), key, show_date(date(2000, month, day), with_weekday=False)))
    return out


def _said_in_past(text: str, start: int) -> bool:
    """'inspected ... on Monday' (past) vs 'by Monday' (ahead): a past verb in the sentence and no future
    marker or forward preposition ('by', 'until', 'next') decides."""
    begin = max(text.rfind(c, 0, start) for c in ".;!?\n") + 1
    ends = [i for i in (text.find(c, start) for c in ".;!?\n") if i >= 0]
    sentence, before = text[begin:min(ends, default=len(text))], text[begin:start]
    return (bool(_PAST.search(sentence)) and not _FUTURE.search(sentence)
            and not _FORWARD.search(before))


def _previous(day: date, base: date) -> date:
    while day >= base:
        day -= timedelta(days=7)
    return day


def _join_weekday_dates(text: str, values: list[Value]) -> list[Value]:
    """'Friday, December 4' is one date: the weekday takes the explicit date's value."""
    out: list[Value] = []
    for value in sorted(values, key=lambda v: v.start):
        prev = out[-1] if out else None
        if prev is not None and not re.search(r"\d", prev.text) and re.fullmatch(r",?\s*(?:the\s+)?",
                                                                                  text[prev.end:value.start]):
            joined = text[prev.start:value.end]
            weekday = prev.text.split()[-1].title()
            shown = joined if value.shown == value.text else f"{weekday} {value.shown}"
            out[-1] = Value("date", joined, prev.start, value.key, shown)
            continue
        out.append(value)
    return out


def _amounts(text: str) -> list[Value]:
    out = []
    for money in find_amounts(text):
        raw = money.text.rstrip(" ,.")
        out.append(Value("amount", raw, money.start, "n:" + _plain(money.amount), raw))
    return out


def _percents(text: str) -> list[Value]:
    out = []
    for m in _PERCENT.finditer(text):
        key = number_key(m.group(1))
        if key:
            out.append(Value("percent", m.group(0), m.start(), key, m.group(0)))
    return out


def _durations(text: str) -> list[Value]:
    out = []
    for m in _DURATION.finditer(text):
        key = number_key(m.group(1) or m.group(2))
        if key:
            unit = _UNIT_KEY.get(m.group(3).lower().lstrip("-").removeprefix("engineer-").rstrip("s"), "")
            minutes = f"+{m.group(4)}min" if m.group(4) else ""
            out.append(Value("duration", m.group(0), m.start(), f"{key}{unit}{minutes}", m.group(0)))
    return out


def _times(text: str) -> list[Value]:
    out = []
    for m in _TIME.finditer(text):
        if m.group(1):
            hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "pm" else 0)
            minute = int(m.group(2) or 0)
        else:
            hour, minute = int(m.group(4)), int(m.group(5))
        if hour < 24 and minute < 60:
            out.append(Value("time", m.group(0), m.start(), f"t:{hour:02d}:{minute:02d}", m.group(0)))
    return out


def _numbers(text: str) -> list[Value]:
    out = []
    for m in _NUMBER.finditer(text):
        raw = m.group(1) or m.group(2)
        key = number_key(raw)
        if key:
            out.append(Value("count", m.group(0), m.start(), key, m.group(0)))
    return out


def _names(text: str) -> list[Value]:
    out = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and words[0].rstrip("'’s") in _NOT_NAMES | {"Dr.", "Mr.", "Ms."}:
            words = words[1:]
        if not words or (len(words) == 1 and (len(words[0]) < 2 or words[0].isdigit())):
            continue
        if len(words) == 1 and words[0].isupper() and len(words[0]) <= 3:
            continue  # "IV", "PO", "CFO": abbreviations, not names
        if len(words) == 1 and m.group(0) == words[0] and _SENTENCE_START.search(text[:m.start()]):
            continue  # "Freight for the run...": a capital at a sentence start is not a name
        phrase = " ".join(words)
        start = m.start() + m.group(0).index(words[0])
        phrase = re.sub(r"['’]s$", "", phrase).rstrip(".")
        out.append(Value("name", phrase, start, "name:" + phrase.lower(), phrase))
    return out


_LEADING_NAME = re.compile(r"((?:[A-Z][\w'’&-]*\w|[A-Z])(?:\s+(?:[A-Z][\w'’&-]*\w|&))*)\s+(?:(?:is|are|was|were|will|has|"
                           r"have|had|would|can|could|did|does|do)\s+)?([a-z][\w-]*)")


def leading_name(text: str) -> tuple[Value, str] | None:
    """The capitalised words that open a sentence and the verb after them: ("Boral", "supplying") for "Boral
    are supplying the concrete". `_names` does not read a lone capitalised word at a sentence start as a name
    ("Freight for the run..."); a caller that knows the verb it wants can."""
    m = _LEADING_NAME.match(text)
    if m is None or m.group(1).split()[0] in _NOT_NAMES:
        return None
    phrase = m.group(1)
    return Value("name", phrase, 0, "name:" + phrase.lower(), phrase), m.group(2)

