"""Dana's calendars for Nov 16 - Dec 8, 2026: recurring 1:1s and standups, customer calls, the board."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from .people import PEOPLE

TZ = ZoneInfo("America/Los_Angeles")
UID = "{}@northwind-robotics.example"
EXEC = ["priya", "marcus", "elena", "tom", "hannah"]
EXTRA_PEOPLE = {  # attendees who never write mail in the demo
    "anita": ("Anita Shah", "anita.shah@harborview-logistics.example"),
    "carla": ("Carla Benton", "carla.benton@atlashome.example"),
    "priscilla": ("Priscilla Ng", "priscilla.ng@mailbox.example"),
}


def _dt(day: str, hm: str) -> datetime:
    m, d = (int(x) for x in day.split("-"))
    h, mi = (int(x) for x in hm.split(":"))
    return datetime(2026, m, d, h, mi, tzinfo=TZ)


def _who(key: str) -> tuple[str, str]:
    if key in EXTRA_PEOPLE:
        return EXTRA_PEOPLE[key]
    return PEOPLE[key].name, PEOPLE[key].email


def _event(uid: str, title: str, start, end, *, organizer: str = "dana", attendees=(), responses=None,
           location: str = "", description: str = "", google_meet: str = "", rrule: dict | None = None,
           exdates=(), status: str = "") -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("UID", UID.format(uid))
    ev.add("DTSTAMP", datetime(2026, 11, 10, 12, 0, tzinfo=ZoneInfo("UTC")))
    ev.add("SUMMARY", title)
    ev.add("DTSTART", start)
    ev.add("DTEND", end)
    if rrule:
        ev.add("RRULE", rrule)
    for ex in exdates:
        ev.add("EXDATE", ex)
    if location:
        ev.add("LOCATION", location)
    if description:
        ev.add("DESCRIPTION", description)
    if google_meet:
        ev.add("X-GOOGLE-CONFERENCE", google_meet)
    if status:
        ev.add("STATUS", status)
    name, email = _who(organizer)
    ev.add("ORGANIZER", f"mailto:{email}", parameters={"CN": name})
    responses = responses or {}
    for key in dict.fromkeys([organizer, *attendees]):
        name, email = _who(key)
        partstat = responses.get(key, "ACCEPTED")
        ev.add("ATTENDEE", f"mailto:{email}", parameters={"CN": name, "PARTSTAT": partstat, "ROLE": "REQ-PARTICIPANT"})
    return ev


def _weekly(uid, title, day, start, end, attendees, **kw):
    return _event(uid, title, _dt(day, start), _dt(day, end), attendees=attendees,
                  rrule={"FREQ": "WEEKLY", "UNTIL": datetime(2026, 12, 31, 23, 59, tzinfo=ZoneInfo("UTC"))}, **kw)


def work_events() -> list[icalendar.Event]:
    holiday = [_dt("11-26", "08:45"), _dt("11-27", "08:45")]
    return [
        _event("exec-standup", "Exec team standup", _dt("11-02", "08:45"), _dt("11-02", "09:00"),
               attendees=EXEC, google_meet="https://meet.google.com/nwr-exec-daily",
               rrule={"FREQ": "DAILY", "BYDAY": ["MO", "TU", "WE", "TH", "FR"],
                      "UNTIL": datetime(2026, 12, 18, 23, 59, tzinfo=ZoneInfo("UTC"))}, exdates=holiday),
        _weekly("leadership-weekly", "Weekly leadership meeting", "11-02", "09:00", "10:00", EXEC,
                location="Georgetown HQ, Puget room", google_meet="https://meet.google.com/nwr-lead-weekly"),
        _weekly("1on1-marcus", "1:1 Dana / Marcus", "11-04", "13:00", "13:30", ["marcus"]),
        _weekly("1on1-priya", "1:1 Dana / Priya", "11-03", "11:00", "11:30", ["priya"]),
        _weekly("1on1-elena", "1:1 Dana / Elena", "11-05", "10:00", "10:30", ["elena"],
                exdates=[_dt("11-26", "10:00")]),
        _weekly("1on1-tom", "1:1 Dana / Tom", "11-02", "14:00", "14:30", ["tom"]),
        _event("1on1-hannah", "1:1 Dana / Hannah", _dt("11-09", "10:30"), _dt("11-09", "11:00"), attendees=["hannah"],
               rrule={"FREQ": "WEEKLY", "INTERVAL": 2, "COUNT": 6}),
        _weekly("focus-friday", "Focus time (no meetings)", "11-06", "13:00", "16:00", [],
                exdates=[_dt("11-27", "13:00")]),
        # week of Nov 16
        _event("pinecrest-review-1117", "Pinecrest Medical: service review", _dt("11-17", "09:30"), _dt("11-17", "10:15"),
               organizer="tom", attendees=["robert", "dana", "luis"],
               location="https://northwind.zoom.us/j/8812004417"),
        _event("engagement-readout", "Engagement survey readout", _dt("11-18", "16:00"), _dt("11-18", "16:45"),
               organizer="hannah", attendees=["dana"]),
        _event("lunch-david", "Lunch with David Osei", _dt("11-19", "12:00"), _dt("11-19", "13:15"),
               attendees=["david"], location="Café Campagne, Pike Place, Seattle"),
        _event("harborview-call-1119", "Harborview Logistics: expansion discussion", _dt("11-19", "10:00"),
               _dt("11-19", "10:45"), attendees=["mark", "anita", "priya", "ben"],
               description="Expansion from 12 to 52 units; Manhattan WMS integration.\n"
                           "Join Microsoft Teams: https://teams.microsoft.com/l/meetup-join/19%3ahv-expansion"),
        _event("meridian-discovery", "Meridian Pharma: discovery call", _dt("11-20", "11:00"), _dt("11-20", "11:45"),
               organizer="jordan", attendees=["sarah", "dana"], responses={"dana": "DECLINED"},
               location="https://northwind.zoom.us/j/8812009931"),
        # week of Nov 23
        _event("pricing-review", "Pricing review: multi-year cap", _dt("11-24", "15:00"), _dt("11-24", "15:45"),
               organizer="priya", attendees=["dana", "elena"]),
        _event("omar-offer", "Omar Haddad: offer discussion", _dt("11-24", "13:00"), _dt("11-24", "13:30"),
               organizer="hannah", attendees=["dana"]),
        _event("kestrel-checkin", "Kestrel supply check-in", _dt("11-24", "09:30"), _dt("11-24", "10:00"),
               organizer="marcus", attendees=["paula", "dana"], responses={"dana": "TENTATIVE"}),
        # today, Wednesday Nov 25
        _event("harborview-wms-1125", "Harborview: WMS integration deep dive", _dt("11-25", "10:00"),
               _dt("11-25", "10:45"), attendees=["mark", "anita", "priya", "ben"],
               description="Follow-up to the Nov 19 call: integration specs, delivery of the first 20 units.\n"
                           "Join Microsoft Teams: https://teams.microsoft.com/l/meetup-join/19%3ahv-wms"),
        _event("pipeline-review-1125", "Q4 pipeline review", _dt("11-25", "11:30"), _dt("11-25", "12:00"),
               organizer="priya", attendees=["dana", "jordan", "aisha"], status="CANCELLED"),
        _event("pinecrest-uptime-1125", "Pinecrest Medical: uptime review", _dt("11-25", "15:00"), _dt("11-25", "15:45"),
               attendees=["robert", "tom", "luis"], location="https://northwind.zoom.us/j/8812011250",
               description="Root-cause report, 4.2.1 hotfix plan, service credit."),
        _event("board-deck-review", "Board deck review with Elena", _dt("11-25", "16:30"), _dt("11-25", "17:00"),
               attendees=["elena"], location="Dana's office"),
        # week of Nov 30
        _event("cab-planning", "Customer Advisory Board planning", _dt("11-30", "15:00"), _dt("11-30", "15:45"),
               attendees=["priya", "tom"]),
        _event("interview-priscilla", "Interview: Priscilla Ng (Senior SRE)", _dt("12-01", "10:00"), _dt("12-01", "10:30"),
               organizer="claire", attendees=["dana", "priscilla", "marcus"]),
        _event("cascade-pricing-call", "Cascade Foods: multi-year renewal", _dt("12-01", "14:00"), _dt("12-01", "14:45"),
               attendees=["julia", "grace"], location="https://northwind.zoom.us/j/8812012014"),
        _event("pinecrest-install", "Pinecrest 4.2.1 install at Tacoma", _dt("12-01", "22:00"), _dt("12-02", "02:00"),
               organizer="luis", attendees=["dana", "raj", "tom"], responses={"dana": "NEEDS-ACTION"},
               location="Pinecrest Medical Supply, Tacoma DC"),
        _event("offsite", "Leadership offsite (Salish Lodge)", date(2026, 12, 2), date(2026, 12, 3),
               organizer="claire", attendees=["dana", *EXEC], location="Salish Lodge, Snoqualmie"),
        _event("board-q4", "Board meeting (Q4)", _dt("12-03", "09:00"), _dt("12-03", "15:00"),
               attendees=["victoria", "david", "kevin", "elena", "priya", "marcus", "tom"],
               responses={"kevin": "TENTATIVE"}, location="Georgetown HQ, Board room",
               google_meet="https://meet.google.com/nwr-board-q4"),
        _event("atlas-exec-call", "Atlas Home Goods: exec call with Carla Benton", _dt("12-04", "10:00"),
               _dt("12-04", "10:30"), organizer="claire", attendees=["dana", "wei", "carla", "aisha"],
               location="https://northwind.zoom.us/j/8812012044"),
        _event("site-sodo", "Office site visit: SoDo", _dt("12-04", "13:00"), _dt("12-04", "14:00"),
               organizer="claire", attendees=["dana", "elena"], location="2400 4th Ave S, Seattle"),
        _event("site-georgetown", "Georgetown lease walkthrough", _dt("12-04", "14:30"), _dt("12-04", "15:15"),
               organizer="claire", attendees=["dana", "elena"], location="Georgetown HQ"),
        _event("rebecca-intro", "Rebecca Stone (Lakeshore Capital) / Dana", _dt("12-08", "09:00"), _dt("12-08", "09:30"),
               organizer="claire", attendees=["dana", "rebecca"], location="https://northwind.zoom.us/j/8812012089"),
    ]


def personal_events() -> list[icalendar.Event]:
    return [
        _event("dinner-nguyens", "Dinner with the Nguyens", _dt("11-21", "19:00"), _dt("11-21", "22:00"),
               organizer="alex", attendees=["dana"], location="Canlis"),
        _event("parents-arrive", "Pick up Alex's parents (SEA 4:30pm)", _dt("11-25", "18:00"), _dt("11-25", "19:00"),
               organizer="alex", attendees=["dana"], responses={"dana": "TENTATIVE"}),
        _event("thanksgiving", "Thanksgiving", date(2026, 11, 26), date(2026, 11, 27), organizer="alex", attendees=["dana"]),
        _event("dentist", "Dentist: cleaning", _dt("12-01", "08:00"), _dt("12-01", "09:00"),
               location="Lakeview Dental, 1200 Eastlake Ave E"),
        _event("sam-play", "Sam's school play", _dt("12-03", "18:00"), _dt("12-03", "19:30"), organizer="alex",
               attendees=["dana"], location="Lakeside Middle School auditorium"),
        _event("memphis-trip", "Trip: Memphis (Meridian exec review)", date(2026, 12, 9), date(2026, 12, 11)),
    ]


def _calendar(name: str, events: list[icalendar.Event]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("PRODID", "-//Northwind Robotics//Reflex demo//EN")
    cal.add("VERSION", "2.0")
    cal.add("X-WR-CALNAME", name)
    for ev in events:
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def write(out: Path) -> int:
    """Write the .ics files; return the number of VEVENT definitions (series count once)."""
    work, personal = work_events(), personal_events()
    (out / "dana-work.ics").write_bytes(_calendar("Dana Whitfield (work)", work))
    (out / "dana-personal.ics").write_bytes(_calendar("Family", personal))
    return len(work) + len(personal)


WINDOW = (datetime(2026, 11, 16, tzinfo=TZ), datetime(2026, 12, 7, tzinfo=TZ))
