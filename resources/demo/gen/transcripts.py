"""Three meeting transcripts (speaker turns with timestamps) tied to calendar events."""

from __future__ import annotations

import json
from pathlib import Path

from .people import PEOPLE

# Event instance ids as the .ics importer produces them: series uid + '#' + UTC start of the instance.
MEETINGS = {
    "2026-11-23-leadership-weekly": {
        "title": "Weekly leadership meeting",
        "started_at": "2026-11-23T09:00:00-08:00",
        "event_uid": "leadership-weekly@northwind-robotics.example#20261123T170000Z",
        "attendees": ["dana", "priya", "marcus", "elena", "tom", "hannah"],
        "turns": [
            ("dana", "Morning everyone. Three things today: Pinecrest, the Harborview capacity question, and the board deck. Tom, start with Pinecrest."),
            ("tom", "Tacoma has been stable since Thursday after Luis swapped the lidar modules, but Robert had another stall on Saturday night. He wants uptime above ninety-eight percent through December."),
            ("marcus", "The real fix is firmware. Kenji traced the stalls to localization drift in low light. Hotfix 4.2.1 is in soak testing now."),
            ("dana", "When can it be on their robots?"),
            ("marcus", "I'll have the 4.2.1 hotfix installed at Pinecrest by December 1."),
            ("tom", "And I'll send Robert the root-cause report by Wednesday, before our call with him."),
            ("elena", "On the service credit: one month is twelve thousand dollars. I'd cap it at one month."),
            ("dana", "Decision: we offer Pinecrest one month of service credit, tied to the hotfix date. Tom, you present it on Wednesday."),
            ("priya", "Harborview. Mark wants the first twenty of forty units by February fifteenth. That's four hundred eighty thousand a year at list."),
            ("marcus", "Kestrel's lidar lead time is ten weeks. I'm talking to them tomorrow and I'll confirm capacity by Wednesday."),
            ("elena", "If we pre-buy lidar it's about ninety-six thousand dollars of inventory. We can afford it, but I want the board to know."),
            ("dana", "Fine. Priya, can you get me the final Harborview proposal by Friday? I promised Mark we'd send it Monday the thirtieth."),
            ("priya", "Yes, final version to you by Friday."),
            ("hannah", "Board deck: the hiring section is in. Engineering engagement dropped twelve points, mostly on-call load."),
            ("dana", "Decision: we freeze 5.0 scope and stand up a second on-call rotation with Customer Success for level-one triage, starting next week."),
            ("tom", "My team is stretched too, but we can take level-one triage if engineering writes the runbooks."),
            ("marcus", "Raj will have the runbooks to Tom by December 4."),
            ("hannah", "One open question: do we delay the two SRE hires until the 2027 budget is approved, or open the reqs now?"),
            ("dana", "Let's not decide that today. Elena, bring a view to the offsite."),
            ("elena", "Will do. I'll circulate the 2027 budget draft by December 4 as planned."),
            ("dana", "Thanks everyone. Marcus, roadmap slides by Friday morning, please."),
        ],
    },
    "2026-11-19-harborview-expansion": {
        "title": "Harborview Logistics: expansion discussion",
        "started_at": "2026-11-19T10:00:00-08:00",
        "event_uid": "harborview-call-1119@northwind-robotics.example",
        "attendees": ["dana", "priya", "ben", "mark", "anita"],
        "turns": [
            ("dana", "Mark, Anita, thanks for making time. We're thrilled with how Kent has gone."),
            ("mark", "So are we. Pick rates are up thirty-one percent per shift. We want Tacoma and Fife live in the first quarter."),
            ("mark", "Concretely we're looking at forty more units. If pricing holds, that's around four hundred eighty thousand dollars a year, and our CFO has a placeholder in the budget."),
            ("priya", "At forty additional units you'd be at fifty-two in total. On a two-year term we can take five percent off list."),
            ("mark", "That helps. Volume pricing matters to us because we may add Spokane in 2028."),
            ("anita", "My question is integration. We run Manhattan WMS. Do you integrate directly or through middleware?"),
            ("ben", "Directly, through our Manhattan connector. Kent uses the same version you have, so the mapping carries over."),
            ("anita", "Good. I'll send our WMS integration specs by Friday."),
            ("ben", "I'll schedule the Tacoma site survey for December 2 and send you the checklist beforehand."),
            ("mark", "The big one for us is timing. Tacoma goes live in February. Can you deliver twenty units by February fifteenth?"),
            ("dana", "I don't want to promise a date I haven't checked with engineering. Let me confirm and come back to you."),
            ("mark", "Understood. That's the open question for us."),
            ("dana", "I'll send you the formal expansion proposal by Monday, November thirtieth, with pricing for the two-year term."),
            ("mark", "Perfect. Anita and I will take it to our CFO the same week."),
            ("priya", "We'll also include the Fleet Analytics option; Atlas has found congestion hot spots with it."),
            ("mark", "Please do. Thanks, everyone."),
        ],
    },
    "2026-11-17-pinecrest-service-review": {
        "title": "Pinecrest Medical: service review",
        "started_at": "2026-11-17T09:30:00-08:00",
        "event_uid": "pinecrest-review-1117@northwind-robotics.example",
        "attendees": ["tom", "dana", "luis", "robert"],
        "turns": [
            ("tom", "Robert, thank you for meeting. We know last week hurt your hospital customers."),
            ("robert", "It did. Three outages in a month. Tuesday we missed same-day shipments to two hospitals. My team is losing trust in the robots."),
            ("dana", "I'm sorry, Robert. I want to understand the impact first, then tell you what we're doing."),
            ("robert", "Four of twelve robots were down for six hours. We had to pull people from packing to pick manually."),
            ("luis", "On site yesterday I found degraded lidar modules on four units. I'll replace the lidar modules on all twelve Tacoma units by Friday."),
            ("robert", "And if that isn't the cause?"),
            ("tom", "Then we'll find the real cause. I'll send you a written root-cause analysis once we have it, no later than next Wednesday."),
            ("robert", "I need to be straight with you. Our renewal is in January. If uptime isn't above ninety-eight percent through December, we'll evaluate alternatives."),
            ("dana", "That's fair. We'll give you a daily uptime report starting tomorrow so you don't have to ask."),
            ("luis", "I'll set up the daily uptime email tonight."),
            ("robert", "What about compensation for the missed shipments?"),
            ("dana", "That's an open question I can't answer on this call. I'll come back to you on service credits after we know the root cause."),
            ("robert", "All right. Let's talk again next week."),
            ("tom", "I'll put thirty minutes on the calendar for next Wednesday."),
        ],
    },
}


def _segments(turns):
    segments, clock = [], 3.0
    for speaker, text in turns:
        duration = round(max(3.0, len(text.split()) * 0.42), 1)
        segments.append({"start": round(clock, 1), "end": round(clock + duration, 1),
                         "speaker": PEOPLE[speaker].name if speaker in PEOPLE else _EXTRA[speaker], "text": text})
        clock += duration + 1.2
    return segments


_EXTRA = {"anita": "Anita Shah"}


def _email(key: str) -> str:
    return PEOPLE[key].email if key in PEOPLE else "anita.shah@harborview-logistics.example"


def write(out: Path) -> list[str]:
    names = []
    for name, meeting in MEETINGS.items():
        doc = {
            "title": meeting["title"],
            "started_at": meeting["started_at"],
            "event_uid": meeting["event_uid"],
            "attendees": [_email(k) for k in meeting["attendees"]],
            "segments": _segments(meeting["turns"]),
        }
        (out / f"{name}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        names.append(f"transcripts/{name}.json")
    return names
