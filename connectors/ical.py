"""iCalendar (.ics, RFC 5545) -> `models.Event` instances for a time window.

Used by the .ics importer and the demo workspace. Recurring series (RRULE/RDATE/EXDATE and
overridden instances) are expanded with `recurring-ical-events`; each instance becomes one Event
whose `provider_id` is unique per instance and whose `recurring_id` names the series, so
re-importing is idempotent. Pure functions, thread-safe, no I/O.

Hostile input (a 200-byte "recurrence bomb" with FREQ=SECONDLY once asked for millions of instances):
expansion is bounded three ways, each reported in `CalendarParse.skipped` rather than failing the file.
1. A series is expanded over at most the last `MAX_EXPANSION_SPAN` of the window (single events are
   kept whatever their date).
2. dateutil walks a rule from its DTSTART, one step per FREQ*INTERVAL times its BY* lists, whatever the
   window (what makes a SECONDLY rule from 1970 hang): a series is expanded only as far as
   `MAX_RULE_STEPS` steps reach, and not at all when they do not reach the window.
3. Series are expanded one at a time, lazily, and stop at `MAX_INSTANCES_PER_SERIES` instances (and
   the file at `MAX_INSTANCES_PER_FILE`).

Times: aware datetimes. Floating times (no TZID) and all-day dates are placed in `default_tz`
(UTC unless the caller passes the user's zone); all-day events have `all_day=True` and start at
midnight of their date in that zone.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo

import icalendar
import recurring_ical_events

from connectors.errors import ConnectorError
from models import Attendee, Event

__all__ = ["CalendarParse", "InvalidCalendar", "parse_calendar"]

log = logging.getLogger(__name__)

_PARTSTAT = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative",
             "NEEDS-ACTION": "needsAction", "DELEGATED": "needsAction"}
_STATUS = {"CANCELLED": "cancelled", "TENTATIVE": "tentative", "CONFIRMED": "confirmed"}
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
# Hosts whose links in a description are meeting links, not just any link (a doc, a website).
_CONFERENCE_HOSTS = re.compile(
    r"https?://([\w-]+\.)*(zoom\.us|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com|webex\.com|"
    r"whereby\.com|gotomeeting\.com|meet\.jit\.si|chime\.aws|bluejeans\.com|around\.co)\b",
    re.IGNORECASE,
)
_SINGLE_VALUED = ("UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SUMMARY", "STATUS", "ORGANIZER",
                  "LOCATION", "DESCRIPTION")
#: Default span when the caller gives no window: from the earliest start to this long after the last.
DEFAULT_HORIZON = timedelta(days=365)
#: Recurring series are expanded over at most this much of the window (its end side).
MAX_EXPANSION_SPAN = timedelta(days=3 * 366)
#: A daily series over `MAX_EXPANSION_SPAN` fits; an hourly or denser one is cut here.
MAX_INSTANCES_PER_SERIES = 1500
MAX_INSTANCES_PER_FILE = 50_000
#: Rule steps dateutil may walk for one series (~7 microseconds each; far more steps grew superlinearly).
MAX_RULE_STEPS = 50_000
_FREQ_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 7 * 86400,
                 "MONTHLY": 28 * 86400, "YEARLY": 365 * 86400}


class InvalidCalendar(ConnectorError):
    """The bytes are not an iCalendar file (or not one we can read at all)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, next_step="Check that the file is an .ics calendar export.")


@dataclass(slots=True)
class CalendarParse:
    """Events found in a file, plus the components that had to be skipped (uid: reason)."""

    events: list[Event] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _aware(value: date | datetime, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return datetime.combine(value, time.min, tzinfo=tz)


def _text(component: icalendar.cal.Component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _address(value: object) -> str:
    text = str(value or "").strip()
    return re.sub(r"^mailto:", "", text, flags=re.IGNORECASE).strip().lower()


def _attendees(component: icalendar.cal.Component, organizer: str) -> list[Attendee]:
    raw = component.get("ATTENDEE")
    values = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    out: list[Attendee] = []
    for value in values:
        params = getattr(value, "params", {})
        email = _address(value)
        if not email:
            continue
        out.append(Attendee(
            email=email,
            name=str(params.get("CN", "")).strip(),
            response=_PARTSTAT.get(str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(), "needsAction"),
            organizer=bool(organizer) and email == organizer,
        ))
    return out


def _conference_url(component: icalendar.cal.Component) -> str:
    """X-GOOGLE-CONFERENCE, then RFC 7986 CONFERENCE, then a URL in LOCATION, then a known
    meeting-service link in the description."""
    for name in ("X-GOOGLE-CONFERENCE", "CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL"):
        match = _URL.search(_text(component, name))
        if match:
            return match.group(0)
    match = _URL.search(_text(component, "LOCATION"))
    if match:
        return match.group(0)
    for url in _URL.findall(_text(component, "DESCRIPTION")):
        if _CONFERENCE_HOSTS.match(url):
            return url
    return ""


def _end(component: icalendar.cal.Component, start: date | datetime) -> date | datetime:
    if component.get("DTEND") is not None:
        return component["DTEND"].dt
    if component.get("DURATION") is not None:
        return start + component["DURATION"].dt
    # RFC 5545 3.6.1: a date-only event lasts one day, a date-time event has no duration.
    return start + timedelta(days=1) if not isinstance(start, datetime) else start


def _to_event(component: icalendar.cal.Component, *, account: str, calendar: str, tz: tzinfo,
              series: set[str], cancelled_by_method: bool) -> Event:
    uid = _text(component, "UID")
    raw_start = component["DTSTART"].dt
    start = _aware(raw_start, tz)
    end = max(_aware(_end(component, raw_start), tz), start)
    all_day = not isinstance(raw_start, datetime)
    recurring = uid in series
    if recurring:
        rid = component.get("RECURRENCE-ID")
        instant = _aware(rid.dt, tz) if rid is not None else start
        provider_id = f"{uid}#{instant.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"
    else:
        provider_id = uid
    organizer = _address(component.get("ORGANIZER"))
    status = "cancelled" if cancelled_by_method else _STATUS.get(_text(component, "STATUS").upper(), "confirmed")
    return Event(
        account=account,
        provider_id=provider_id,
        title=_text(component, "SUMMARY"),
        start=start,
        end=end,
        calendar=calendar,
        description=_text(component, "DESCRIPTION"),
        location=_text(component, "LOCATION"),
        attendees=_attendees(component, organizer),
        organizer=organizer,
        conference_url=_conference_url(component),
        status=status,
        recurring_id=uid if recurring else "",
        all_day=all_day,
    )


def _load(data: bytes) -> list[icalendar.Calendar]:
    if not isinstance(data, (bytes, bytearray)) or not data.strip():
        raise InvalidCalendar("empty or non-bytes calendar input")
    try:
        calendars = icalendar.Calendar.from_ical(bytes(data), multiple=True)
    except (ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        # icalendar reports malformed content lines with several exception types.
        raise InvalidCalendar(f"not a valid iCalendar file: {exc}") from exc
    calendars = [c for c in calendars if getattr(c, "name", "") == "VCALENDAR"]
    if not calendars:
        raise InvalidCalendar("no VCALENDAR found")
    return calendars


def _window(calendars: Iterable[icalendar.Calendar], tz: tzinfo) -> tuple[datetime, datetime] | None:
    starts = []
    for cal in calendars:
        for component in cal.walk("VEVENT"):
            try:
                starts.append(_aware(component["DTSTART"].dt, tz))
            except (KeyError, AttributeError, TypeError, ValueError):
                continue
    if not starts:
        return None
    return min(starts), max(starts) + DEFAULT_HORIZON


def parse_calendar(data: bytes, *, start: datetime | None = None, end: datetime | None = None,
                   account: str = "import", calendar: str = "primary",
                   default_tz: tzinfo = timezone.utc) -> CalendarParse:
    """Events (recurring series expanded) overlapping [start, end).

    Without a window, every single event is returned and series are expanded from the earliest
    start to `DEFAULT_HORIZON` after the latest. Cancelled events and instances are returned with
    `status="cancelled"` (so a store can drop them); EXDATE'd instances are simply absent.
    Raises `InvalidCalendar` when the bytes are not iCalendar; a broken single component (no
    DTSTART, unreadable RRULE) is skipped and reported in `CalendarParse.skipped`.
    """
    calendars = _load(data)
    result = CalendarParse()
    if start is None or end is None:
        span = _window(calendars, default_tz)
        if span is None:
            return result
        start = start or span[0]
        end = end or span[1] + timedelta(seconds=1)
    budget = [MAX_INSTANCES_PER_FILE]  # shared by every VCALENDAR of the file
    for cal in calendars:
        cancelled_by_method = _text(cal, "METHOD").upper() == "CANCEL"
        limits = _Limits(start, end, result.skipped, budget)
        _prepare(cal, limits)
        limits.recurring = {_text(c, "UID") for c in cal.walk("VEVENT")
                            if any(c.get(k) is not None for k in ("RRULE", "RDATE", "RECURRENCE-ID"))}
        for component in _instances(cal, limits):
            try:
                result.events.append(_to_event(component, account=account, calendar=calendar,
                                               tz=default_tz, series=limits.recurring,
                                               cancelled_by_method=cancelled_by_method))
            except (KeyError, AttributeError, TypeError, ValueError, OverflowError) as exc:
                result.skipped.append(f"{_text(component, 'UID') or '?'}: {type(exc).__name__}")
    if result.skipped:
        log.warning("skipped %d calendar components", len(result.skipped))
    return result


_LIBRARY_ERRORS = (KeyError, AttributeError, TypeError, ValueError, OverflowError)


@dataclass(slots=True)
class _Limits:
    """One expansion's window, its recurring UIDs, where skips are reported and the file's instance budget
    (a one-item list the expansions of every VCALENDAR in a file draw from)."""

    start: datetime
    end: datetime
    skipped: list[str]
    budget: list[int]
    recurring: set[str] = field(default_factory=set)
    stops: dict[str, datetime] = field(default_factory=dict)  # UID -> expand no further (dense rules)


def _instances(cal: icalendar.Calendar, limits: _Limits) -> list:
    """Expanded instances in [start, end), series by series within the limits (module docstring).
    skip_bad_series drops series with an unreadable rule; if building the expander still fails on some
    component, expand event by event so one bad VEVENT costs only itself."""
    try:
        return _expand(recurring_ical_events.of(cal, skip_bad_series=True), limits)
    except _LIBRARY_ERRORS:
        pass
    found = []
    events = [c for c in cal.subcomponents if c.name == "VEVENT"]
    for event in events:
        single = icalendar.Calendar()
        for tz in cal.walk("VTIMEZONE"):
            single.add_component(tz)
        single.add_component(event)
        try:
            found += _expand(recurring_ical_events.of(single, skip_bad_series=True), limits)
        except _LIBRARY_ERRORS as exc:
            limits.skipped.append(f"{_text(event, 'UID') or '?'}: {type(exc).__name__}")
    return found


def _expand(query: recurring_ical_events.CalendarQuery, limits: _Limits) -> list:
    """Each series' instances, lazily, at most `MAX_INSTANCES_PER_SERIES` each; a recurring series only
    over the last `MAX_EXPANSION_SPAN` of the window."""
    found = []
    series_start = max(limits.start, limits.end - MAX_EXPANSION_SPAN)
    for series in query.series:
        if limits.budget[0] <= 0:
            limits.skipped.append(f"{series.uid}: the file has more than {MAX_INSTANCES_PER_FILE} events; "
                                  "the rest were not imported")
            break
        recurring = str(series.uid) in limits.recurring
        stop = limits.stops.get(str(series.uid), limits.end)
        instances = []
        try:
            for occurrence in series.between(series_start if recurring else limits.start, stop):
                if len(instances) == MAX_INSTANCES_PER_SERIES:
                    limits.skipped.append(f"{series.uid}: more than {MAX_INSTANCES_PER_SERIES} instances; "
                                          "only the first were imported")
                    break
                instances.append(occurrence.as_component(False))
        except _LIBRARY_ERRORS as exc:  # one unreadable series costs only itself
            limits.skipped.append(f"{series.uid}: {type(exc).__name__}")
            continue
        limits.budget[0] -= len(instances)
        found += instances
    return found


def _rule_steps(rule: icalendar.vRecur, dtstart: datetime, end: datetime) -> float:
    """An upper bound of the steps dateutil walks to expand `rule` up to `end` (it always starts at
    DTSTART): periods between DTSTART and the earlier of UNTIL and `end` (or COUNT), times the BY* lists
    that can multiply each period."""
    freq = str((rule.get("FREQ") or ["DAILY"])[0]).upper()
    interval = max(1, int((rule.get("INTERVAL") or [1])[0]))
    stop = end
    until = (rule.get("UNTIL") or [None])[0]
    if until is not None:
        stop = min(stop, _aware(until, dtstart.tzinfo or timezone.utc))
    periods = max(0.0, (stop - dtstart).total_seconds()) / (_FREQ_SECONDS.get(freq, 86400) * interval) + 1
    spread = 1
    for name in ("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"):
        spread *= max(1, len(rule.get(name) or []))
    count = (rule.get("COUNT") or [None])[0]
    steps = periods * spread
    return min(steps, int(count) * spread) if count is not None else steps


def _rule_stop(component: icalendar.cal.Component, start: datetime, end: datetime) -> datetime | str:
    """How far the series of `component` may be expanded within [start, end) (`end` when its rules are
    cheap), or why it cannot be expanded at all (its first `MAX_RULE_STEPS` steps end before `start`)."""
    rules = component.get("RRULE")
    if rules is None:
        return end
    dtstart = _aware(component["DTSTART"].dt, end.tzinfo or timezone.utc)
    stop = end
    for rule in rules if isinstance(rules, list) else [rules]:
        try:
            steps = _rule_steps(rule, dtstart, end)
        except _LIBRARY_ERRORS:
            continue  # an unreadable rule: the expander's skip_bad_series reports it
        if steps > MAX_RULE_STEPS:  # steps grow linearly with time from DTSTART
            stop = min(stop, dtstart + (end - dtstart) * (MAX_RULE_STEPS / steps))
    if stop <= start:
        return (f"the series repeats too often to expand (about {_rule_steps_total(rules, dtstart, end):,.0f} "
                f"rule steps from its start; the limit is {MAX_RULE_STEPS:,})")
    return stop


def _rule_steps_total(rules: object, dtstart: datetime, end: datetime) -> float:
    return max(_rule_steps(rule, dtstart, end) for rule in (rules if isinstance(rules, list) else [rules]))


def _prepare(cal: icalendar.Calendar, limits: _Limits) -> None:
    """Drop VEVENTs without a usable DTSTART or with a rule too dense to reach the window, note how far
    dense series may expand (`limits.stops`), and give UID-less ones a stable content-derived UID,
    before expansion, so one bad event cannot abort the whole file and re-imports stay idempotent."""
    skipped = limits.skipped
    keep = []
    for component in cal.subcomponents:
        if component.name == "VEVENT":
            for name in _SINGLE_VALUED:  # duplicated lines arrive as lists; RFC 5545 allows one
                if isinstance(component.get(name), list):
                    component[name] = component[name][0]
            try:
                ok = isinstance(component["DTSTART"].dt, (date, datetime))
            except (KeyError, AttributeError, TypeError, ValueError):
                ok = False
            if not ok:
                skipped.append(f"{_text(component, 'UID') or '?'}: missing or invalid DTSTART")
                continue
            stop = _rule_stop(component, max(limits.start, limits.end - MAX_EXPANSION_SPAN), limits.end)
            if isinstance(stop, str):
                skipped.append(f"{_text(component, 'UID') or '?'}: {stop}")
                continue
            if stop < limits.end:
                limits.stops[_text(component, "UID")] = stop
                skipped.append(f"{_text(component, 'UID') or '?'}: repeats too often; expanded only until "
                               f"{stop:%Y-%m-%d %H:%M}")
            if not _text(component, "UID"):
                component["UID"] = "sha256:" + hashlib.sha256(component.to_ical()).hexdigest()[:32]
        keep.append(component)
    cal.subcomponents[:] = keep
