"""Due dates in free text, resolved relative to when the text was written.

"by Friday" in a mail sent on Wednesday 4 March means Friday 6 March, not the Friday after the user reads it.
Common relative phrases are resolved by hand (deterministic, fast); explicit calendar dates ("March 14",
"14/3", "2026-03-14") are read by hand too (dateparser, with the message time as its relative base, only for
shapes these rules do not know: it costs milliseconds a call). Pure and thread-safe.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
          r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "ten": 10, "fourteen": 14, "couple of": 2, "few": 3}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("eod", re.compile(r"\b(?:end of (?:the )?day|eod|cob|close of business|tonight|today|this (?:morning|afternoon|"
                       r"evening)|within the hour|in (?:\d+|a few|ten|fifteen|twenty|thirty) minutes|by noon|right away)\b",
                       re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    ("eow", re.compile(r"\b(?:end of (?:the |this )?week|eow|this week)\b", re.I)),
    ("next_week", re.compile(r"\b(?:next week|early next week)\b", re.I)),
    ("eom", re.compile(r"\b(?:end of (?:the |this )?month|eom|this month)\b", re.I)),
    ("month_end", re.compile(rf"\b(?:end of|late|by the end of)\s+({_MONTH})(?!\s*\d)", re.I)),
    ("day_of_month", re.compile(r"\bthe (\d{1,2})(?:st|nd|rd|th)\b(?! of (?!this month|next month))", re.I)),
    ("dotted", re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(20\d\d)\b")),
    ("next_month", re.compile(r"\bnext month\b", re.I)),
    ("quarter", re.compile(r"\b(?:by|before|in|during|until|end of|close of)\s+(?:the\s+)?(?:end of\s+)?"
                           r"(q[1-4]|this quarter|next quarter|quarter)\b(?:\s+(20\d\d))?", re.I)),
    ("in_n", re.compile(r"\b(?:with)?in (a|an|one|two|three|four|five|six|seven|ten|fourteen|couple of|few|\d+) "
                        r"(day|business day|week)s?\b", re.I)),
    ("weekday", re.compile(rf"\b(next |this |on |by |before |until )?({_WD})\b", re.I)),
    ("clock", re.compile(r"\b(?:by|before|until|at) \d{1,2}(?::\d{2})?\s?(?:am|pm)\b", re.I)),
    ("explicit", re.compile(
        rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+20\d\d)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:\s+20\d\d)?"
        r"|20\d\d-\d\d-\d\d|\d{1,2}/\d{1,2}(?:/20\d\d)?)\b", re.I)),
]


_WEEKDAY_CUES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTH_CUES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Substrings (lower-cased) each pattern needs to match at all.
_CUES: dict[str, tuple[str, ...]] = {
    "eod": ("day", "eod", "cob", "close of", "tonight", "morning", "afternoon", "evening", "hour", "minutes",
            "noon", "right away"),
    "tomorrow": ("tomorrow",), "eow": ("week", "eow"), "next_week": ("next week",), "eom": ("month", "eom"),
    "month_end": _MONTH_CUES, "day_of_month": ("st", "nd", "rd", "th"), "dotted": (".20",),
    "next_month": ("next month",), "quarter": ("q1", "q2", "q3", "q4", "quarter"), "in_n": ("in ",),
    "weekday": _WEEKDAY_CUES, "clock": ("am", "pm"), "explicit": (*_MONTH_CUES, "/", "-"),
}

# Every pattern above needs one of these (a digit, a day, month or period word): the gate `find_due` tries first.
_ANY_DATE_WORD = re.compile(r"\d|tonight|today|tomorrow|day|week|month|quarter|eod|eow|eom|cob|close of|morning|afternoon|"
                            r"evening|hour|minutes|noon|right away|\b(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|"
                            r"may|jun|jul|aug|sep|oct|nov|dec)", re.I)


@dataclass(frozen=True, slots=True)
class DuePhrase:
    """A resolved due date and the words it came from."""

    due: date
    phrase: str
    start: int


def find_due(text: str, written_at: datetime | date) -> DuePhrase | None:
    """The earliest due-date phrase in `text`, resolved against `written_at` (None when there is none)."""
    kept = _day_phrases(text, written_at)
    return min(kept, key=lambda f: f[0].start)[0] if kept else None


def find_dates(text: str, written_at: datetime | date) -> list[DuePhrase]:
    """Every day named in `text` resolved forward from `written_at` (due dates look ahead), in text order; of
    overlapping phrases the longer one stays. Times of day alone ("by 3pm") are not days and are left out."""
    out: list[DuePhrase] = []
    for phrase, _, kind in sorted(_day_phrases(text, written_at), key=lambda f: (f[0].start, -len(f[0].phrase))):
        if kind != "clock" and (not out or phrase.start >= out[-1].start + len(out[-1].phrase)):
            out.append(phrase)
    return out


def _day_phrases(text: str, written_at: datetime | date) -> list[tuple[DuePhrase, int, str]]:
    """(phrase, end, kind) of every date phrase that names the day of its run of adjacent phrases."""
    if not text or not _ANY_DATE_WORD.search(text):
        return []  # most sentences name no day: one cheap scan instead of fifteen
    base = written_at.date() if isinstance(written_at, datetime) else written_at
    found: list[tuple[DuePhrase, int, str]] = []
    low = text.lower()
    for kind, pattern in _PATTERNS:
        if not any(c in low for c in _CUES[kind]):
            continue  # a substring test is far cheaper than the scan, and most patterns never apply
        for match in pattern.finditer(text):
            due = _resolve(kind, match, base)
            if due is not None:
                found.append((DuePhrase(due, match.group(0).strip(), match.start()), match.end(), kind))
    # "Wednesday 11 March", "Monday the 15th", "20 March 2026 at 17:00": the most specific phrase of a run of
    # adjacent phrases names the day; a time of day alone ("by 3pm") means the day it was written only when
    # no day is named at all.
    days = [f for f in found if f[2] != "clock"] or found
    return [f for f in days if not any(g is not f and _adjacent(f, g) and _rank(g[2]) > _rank(f[2]) for g in days)]


def _adjacent(a: tuple[DuePhrase, int, str], b: tuple[DuePhrase, int, str]) -> bool:
    return a[0].start <= b[1] + 2 and b[0].start <= a[1] + 2


def _rank(kind: str) -> int:
    return {"explicit": 3, "dotted": 3, "month_end": 2, "day_of_month": 2}.get(kind, 1)


def _resolve(kind: str, m: re.Match[str], base: date) -> date | None:
    if kind == "eod":
        return base
    if kind == "tomorrow":
        return base + timedelta(days=1)
    if kind == "eow":
        return _friday_of(base)
    if kind == "next_week":
        return _friday_of(base) + timedelta(days=7)
    if kind == "eom":
        return base.replace(day=calendar.monthrange(base.year, base.month)[1])
    if kind == "next_month":
        first = (base.replace(day=1) + timedelta(days=32)).replace(day=1)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    if kind == "quarter":
        return _quarter_end(m, base)
    if kind == "clock":
        return base
    if kind == "month_end":
        month = _month_number(m.group(1))
        year = base.year + (1 if month < base.month else 0)
        return date(year, month, calendar.monthrange(year, month)[1])
    if kind == "day_of_month":
        return _next_day_of_month(int(m.group(1)), base)
    if kind == "dotted":
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    if kind == "in_n":
        raw = m.group(1).lower()
        n = int(raw) if raw.isdigit() else _NUMBERS[raw]
        return base + timedelta(days=n * (7 if m.group(2).lower() == "week" else 1))
    if kind == "weekday":
        return _weekday(m, base)
    return _explicit(m.group(0), base)


def _friday_of(day: date) -> date:
    return day + timedelta(days=(4 - day.weekday()) % 7)


def _weekday(m: re.Match[str], base: date) -> date | None:
    word = m.group(2).lower()
    target = next((i for i, name in enumerate(WEEKDAYS) if name.startswith(word[:3])), None)
    if target is None or (len(word) <= 4 and m.group(1) is None):
        return None  # a bare abbreviation ("sun", "wed") is too ambiguous without a preposition
    ahead = (target - base.weekday()) % 7 or 7
    due = base + timedelta(days=ahead)
    if (m.group(1) or "").strip().lower() == "next" and ahead < 7 - base.weekday():
        due += timedelta(days=7)  # "next Friday" said on a Monday means the Friday after this one
    return due


def _quarter_end(m: re.Match[str], base: date) -> date:
    token = m.group(1).lower()
    current = (base.month - 1) // 3 + 1
    quarter = int(token[1]) if re.fullmatch(r"q[1-4]", token) else current + (1 if token.startswith("next") else 0)
    if quarter > 4:
        return date(base.year + 1, 3, 31)
    year = int(m.group(2)) if m.group(2) else base.year
    if not m.group(2) and quarter < current:
        year += 1
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


_MONTH_DAY = re.compile(rf"^({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(20\d\d))?$", re.I)
_DAY_MONTH = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})(?:\s+(20\d\d))?$", re.I)
_ISO = re.compile(r"^(20\d\d)-(\d\d)-(\d\d)$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(20\d\d))?$")


def _explicit(phrase: str, base: date) -> date | None:
    """A calendar date; without a year, the next such date from `base` on (as a deadline is)."""
    text = phrase.strip()
    for pattern, order in ((_MONTH_DAY, "md"), (_DAY_MONTH, "dm"), (_ISO, "ymd"), (_SLASHED, "md")):
        m = pattern.match(text)
        if m is None:
            continue
        parts = m.groups()
        if order == "ymd":
            year, month, day = (int(x) for x in parts)
        else:
            first, second, year_text = parts
            month_text, day_text = (first, second) if order == "md" else (second, first)
            month = int(month_text) if month_text.isdigit() else _month_number(month_text.rstrip("."))
            day, year = int(day_text), int(year_text) if year_text else None
        try:
            found = date(year or base.year, month, day)
            if year is None and found < base:
                found = date(base.year + 1, month, day)
            return found
        except ValueError:
            return None
    return _parsed(text, base)


def _parsed(phrase: str, base: date) -> date | None:
    parsed = dateparser.parse(
        phrase, languages=["en"],
        settings={"RELATIVE_BASE": datetime.combine(base, datetime.min.time()), "PREFER_DATES_FROM": "future",
                  "DATE_ORDER": "MDY", "REQUIRE_PARTS": ["day", "month"]},
    )
    return parsed.date() if parsed else None


def _month_number(word: str) -> int:
    return next(i for i, name in enumerate(calendar.month_name) if i and name.lower().startswith(word.lower()[:3]))


def _next_day_of_month(day: int, base: date) -> date | None:
    """"by the 25th": that day of this month, or of next month when it has passed."""
    year, month = base.year, base.month
    for _ in range(2):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) >= base:
            return date(year, month, day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None
