"""When an instruction says something should happen: dates, clock times, durations and recurrence, read from the
user's own words and resolved against the moment they were said.

"Schedule a weekly sync with Raj every Tuesday at 9:00" said on Wednesday 25 Nov -> Tuesday 1 Dec 09:00, weekly on
Tuesdays. Dates come from `engine.assistant.dates.find_due` (one reading of "Friday", "next Tuesday", "Dec 3"
across the product); a weekday in front of an explicit date ("Thursday 3 December") names that date. Clock times
need a clear marker ("at 10", "10:00", "4pm", "noon"); a bare hour from 1 to 7 is afternoon (nobody books 3 am).
Nothing is ever defaulted: no time stated means `time` is None and the caller asks, never midnight.
Recurrence is an RFC 5545 RRULE for what calendars share (daily, weekdays, weekly on days, every other week,
monthly on a day, quarterly, yearly); what they cannot all express ("every hour", "the first Monday of every
month") raises `UnsupportedRecurrence` with words for the user. Pure functions; thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from engine.assistant.dates import WEEKDAYS, find_due
from engine.errors import EngineError

__all__ = ["DatePhrase", "UnsupportedRecurrence", "When", "date_phrases", "describe_rrule", "first_occurrence",
           "read_when", "render_day", "render_time"]

_RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MERIDIEM = r"(?:a\.?m\.?|p\.?m\.?)"
_TIMES = (
    re.compile(rf"\b(?:at|from|@)\s+(\d{{1,2}})(?:[:.](\d{{2}}))?\s*({_MERIDIEM})?(?![\w:/-])", re.I),
    re.compile(rf"\b(\d{{1,2}})(?:[:.](\d{{2}}))?\s*({_MERIDIEM})(?!\w)", re.I),
    re.compile(r"(?<![\w.:/-])(\d{1,2}):(\d{2})()(?![\w:])", re.I),
)
_CLOCK_ONLY = re.compile(rf"(?:(?:by|before|until|at)\s+\d{{1,2}}(?::\d{{2}})?\s?{_MERIDIEM}|by noon|within the hour|"
                         r"in \w+ minutes|right away)", re.I)
_NOON = re.compile(r"\b(?:at\s+)?(noon|midday|midnight)\b", re.I)
_DURATION = re.compile(r"\b(\d+|an?|one|two|three|four|half an?)[\s-]*(minutes?|mins?|hours?|hrs?)\b", re.I)
_HALF_HOUR = re.compile(r"\bhalf[\s-]hour\b", re.I)
_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_VAGUE = re.compile(r"\b(?:this|next|end of (?:the |this )?)(?:week|month|quarter)\b|\beow\b|\beom\b|\bq[1-4]\b",
                    re.I)

_UNSUPPORTED = (
    (re.compile(r"\b(?:every|each)\s+(?:\d+\s+)?(?:hours?|minutes?|seconds?)\b|\bhourly\b", re.I),
     "Calendar events cannot repeat more often than daily."),
    (re.compile(rf"\b(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+{_WD}s?\s+(?:of|in)\s+(?:every|each|the)",
                re.I), "Reflex cannot set up a repeat on a weekday of the month yet."),
)
_EVERY_DAYS = re.compile(rf"\b(?:every|each|on)\s+(other\s+)?((?:{_WD})s?(?:\s*(?:,|and|&)\s*(?:{_WD})s?)*)\b", re.I)
_WEEKDAYS_ONLY = re.compile(r"\b(?:on\s+)?(?:every\s+)?week\s?days\b|\bevery weekday\b|\bmonday to friday\b", re.I)
_FREQ = (
    (re.compile(r"\b(?:daily|every\s+day|each\s+day)\b", re.I), "DAILY", 1),
    (re.compile(r"\b(?:bi-?weekly|fortnightly|every\s+(?:other|two|2)\s+weeks?)\b", re.I), "WEEKLY", 2),
    (re.compile(r"\b(?:weekly|every\s+week|each\s+week)\b", re.I), "WEEKLY", 1),
    (re.compile(r"\b(?:quarterly|every\s+quarter|every\s+(?:three|3)\s+months)\b", re.I), "MONTHLY", 3),
    (re.compile(r"\b(?:monthly|every\s+month|each\s+month)\b", re.I), "MONTHLY", 1),
    (re.compile(r"\b(?:yearly|annually|every\s+year|each\s+year)\b", re.I), "YEARLY", 1),
)


class UnsupportedRecurrence(EngineError):
    """The instruction asks for a repeat that Reflex cannot put in a calendar (the message says which)."""


@dataclass(frozen=True, slots=True)
class DatePhrase:
    """A calendar date said in the text: the words (`start`..`end` in the text) and the day they mean."""

    day: date
    start: int
    end: int
    vague: bool  # "next week", "end of the month": a deadline, not a day to book


@dataclass(frozen=True, slots=True)
class When:
    """What an instruction says about timing. Any part may be missing (None): the caller decides what to ask."""

    day: date | None = None
    time: time | None = None
    minutes: int | None = None
    rrule: str | None = None  # "RRULE:FREQ=WEEKLY;BYDAY=TU"
    vague_day: bool = False

    def start(self, tz: object) -> datetime | None:
        """The first start, timezone-aware, when both day and time are known."""
        if self.day is None or self.time is None:
            return None
        return datetime.combine(self.day, self.time, tz)  # type: ignore[arg-type]


def date_phrases(text: str, now: datetime) -> list[DatePhrase]:
    """Every date phrase of `text`, in order. A weekday right before an explicit date joins it."""
    masked, found = text, []
    while (hit := find_due(masked, now)) is not None:
        end = hit.start + len(hit.phrase)
        if not _CLOCK_ONLY.fullmatch(hit.phrase.strip()):  # "at 4pm" is a time (read_time), not a day
            found.append(DatePhrase(hit.due, hit.start, end, bool(_VAGUE.fullmatch(hit.phrase.strip()))))
        masked = masked[:hit.start] + " " * (end - hit.start) + masked[end:]
    found.sort(key=lambda p: p.start)
    merged: list[DatePhrase] = []
    for phrase in found:
        if merged and re.fullmatch(r",?\s*(?:the\s+)?", text[merged[-1].end:phrase.start]) and \
                re.fullmatch(rf"(?:\w+\s+)?{_WD}", text[merged[-1].start:merged[-1].end].strip(), re.I) and \
                re.search(r"\d", text[phrase.start:phrase.end]):
            merged[-1] = DatePhrase(phrase.day, merged[-1].start, phrase.end, phrase.vague)
        else:
            merged.append(phrase)
    return merged


def read_time(text: str) -> tuple[time, int, int] | None:
    """(clock time, start, end) of the first time phrase in `text`, or None."""
    hits = []
    for pattern in _TIMES:
        for m in pattern.finditer(text):
            hour, minute, meridiem = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
            if hour > 23 or minute > 59 or (meridiem and not 1 <= hour <= 12):
                continue
            if meridiem.startswith("p") and hour < 12:
                hour += 12
            elif meridiem.startswith("a") and hour == 12:
                hour = 0
            elif not meridiem and not m.group(2) and 1 <= hour <= 7:
                hour += 12  # "at 3": business hours
            hits.append((m.start(), m.end(), time(hour, minute)))
    for m in _NOON.finditer(text):
        hits.append((m.start(), m.end(), time(0 if m.group(1).lower() == "midnight" else 12)))
    if not hits:
        return None
    start, end, at = min(hits)
    return at, start, end


def read_minutes(text: str) -> int | None:
    """The meeting length said in `text` ("45-minute", "an hour", "2-hour"), in minutes."""
    if _HALF_HOUR.search(text):
        return 30
    m = _DURATION.search(text)
    if m is None:
        return None
    amount = m.group(1).lower()
    value = 0.5 if amount.startswith("half") else int(amount) if amount.isdigit() else _WORDS[amount]
    return int(value * (60 if m.group(2).lower().startswith("h") else 1))


def _rrule(text: str, day: date | None) -> str | None:
    for pattern, reason in _UNSUPPORTED:
        if pattern.search(text):
            raise UnsupportedRecurrence(reason, next_step="Create a one-off event and repeat it in your calendar app.")
    if _WEEKDAYS_ONLY.search(text):
        return "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"
    every = _EVERY_DAYS.search(text)
    plural = every is not None and re.search(rf"{_WD}s\b", every.group(2), re.I)
    if every and (every.group(0).lower().startswith(("every", "each")) or plural):
        days = [_RRULE_DAYS[WEEKDAYS.index(w.lower())] for w in re.findall(_WD, every.group(2), re.I)]
        interval = ";INTERVAL=2" if every.group(1) else ""
        return f"RRULE:FREQ=WEEKLY{interval};BYDAY={','.join(dict.fromkeys(days))}"
    for pattern, freq, interval in _FREQ:
        if pattern.search(text):
            step = f";INTERVAL={interval}" if interval > 1 else ""
            if freq == "WEEKLY":
                return f"RRULE:FREQ=WEEKLY{step}" + (f";BYDAY={_RRULE_DAYS[day.weekday()]}" if day else "")
            if freq == "MONTHLY":
                return f"RRULE:FREQ=MONTHLY{step}" + (f";BYMONTHDAY={day.day}" if day else "")
            return f"RRULE:FREQ={freq}"
    return None


def first_occurrence(rrule: str, after: datetime, at: time) -> date:
    """The first day on or after `after` (at clock time `at`) that `rrule` allows."""
    days = re.search(r"BYDAY=([A-Z,]+)", rrule)
    allowed = {_RRULE_DAYS.index(d) for d in days.group(1).split(",")} if days else set(range(7))
    day = after.date()
    while datetime.combine(day, at, after.tzinfo) <= after or day.weekday() not in allowed:
        day += timedelta(days=1)
    return day


def read_when(text: str, now: datetime) -> When:
    """The timing of an instruction (see the module docstring). Raises `UnsupportedRecurrence`."""
    phrases = date_phrases(text, now)
    specific = [p for p in phrases if not p.vague]
    clock = read_time(text)
    day = specific[0].day if specific else None
    rrule = _rrule(text, day)
    if rrule and day is None and clock is not None:
        day = first_occurrence(rrule, now, clock[0])
        rrule = _rrule(text, day)
    if day is not None and clock is not None and not specific and datetime.combine(day, clock[0], now.tzinfo) <= now:
        day += timedelta(days=1)
    return When(day, clock[0] if clock else None, read_minutes(text), rrule, bool(phrases) and not specific)


def describe_rrule(rrule: str) -> str:
    """A repeat in words: "every Tuesday", "every other Monday", "every weekday", "every month on the 10th"."""
    parts = dict(p.split("=", 1) for p in rrule.removeprefix("RRULE:").split(";") if "=" in p)
    step = int(parts.get("INTERVAL", "1"))
    every = "every" if step == 1 else "every other" if step == 2 else f"every {step}"
    days = [WEEKDAYS[_RRULE_DAYS.index(d)].capitalize() for d in parts.get("BYDAY", "").split(",") if d]
    freq = parts.get("FREQ", "")
    if days and len(days) == 5 and "Saturday" not in days and "Sunday" not in days:
        return "every weekday"
    if freq in ("DAILY", "WEEKLY") and days:
        return f"{every} {', '.join(days[:-1]) + ' and ' + days[-1] if len(days) > 1 else days[0]}"
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}.get(freq, "time")
    unit = unit if step <= 2 else f"{unit}s"
    on = f" on the {parts['BYMONTHDAY']}{_ordinal(int(parts['BYMONTHDAY']))}" if "BYMONTHDAY" in parts else ""
    return f"{every} {unit}{on}"


def _ordinal(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def render_day(day: date) -> str:
    """"Tuesday 1 Dec": the weekday and the date, never a guessed year."""
    return f"{day:%A} {day.day} {day:%b}"


def render_time(at: time) -> str:
    return f"{at:%H:%M}"
