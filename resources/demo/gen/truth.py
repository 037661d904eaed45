"""Ground truth for evaluation (labels.json) and the strategic context seed, from the same source data."""

from __future__ import annotations

from .people import PEOPLE

DEFINITIONS = {
    "priority": "urgent = needs Dana today (customer escalation, decision blocking others today); important = "
                "revenue, board/investor, key decisions this week; normal = FYI, scheduling, routine work; "
                "low = newsletters, notifications, acknowledgements.",
    "category": ["customer", "team", "investor", "board", "vendor", "recruiting", "newsletter", "personal"],
    "needs_reply": "the message asks Dana (to or cc) a question or request that she is expected to answer; "
                   "intrinsic to the message, whether or not she answered later. Always false for mail Dana sent.",
    "answered": "needs_reply and Dana wrote later in the same thread.",
    "direction": "sent = written by Dana; received = everything else.",
    "commitments": "owner owes `what` to counterparty by `due` (ISO date, null when none). direction is "
                   "owed_by_me (Dana owes), owed_to_me (owed to Dana) or other (between other people). "
                   "sources: mail files, or transcripts as 'transcripts/<file>.json#<segment index, 0-based>'. "
                   "status done/open as of the reference date, with `done_in` pointing at the fulfilling message.",
    "opportunities": "amount is the annual value stated by the customer or in the account's thread, in "
                     "`currency`; sources name where the amount is stated.",
}


def _ref(names, thread: str, index: int) -> str:
    return names[(thread, index)]


def _t(meeting: str, segment: int) -> str:
    return f"transcripts/{meeting}.json#{segment}"


T1, T2, T3 = ("2026-11-23-leadership-weekly", "2026-11-19-harborview-expansion", "2026-11-17-pinecrest-service-review")

# (id, owner, counterparty, direction, what, due, status, [mail (thread, index) | transcript ref], done_in)
_COMMITMENTS = [
    ("C01", "dana", "mark", "owed_by_me", "send the formal Harborview expansion proposal", "2026-11-30", "open",
     [("harborview-expansion", 3), _t(T2, 12)], None),
    ("C02", "priya", "dana", "owed_to_me", "send the revised sales section of the board deck", "2026-11-20", "done",
     [("board-deck", 1)], ("board-deck", 3)),
    ("C03", "elena", "dana", "owed_to_me", "send the Q3 numbers with gross margin by product line", "2026-11-24", "done",
     [("q3-numbers", 0), ("q3-numbers", 1)], ("q3-numbers", 2)),
    ("C04", "marcus", "dana", "owed_to_me", "confirm production capacity for 20 Harborview units by Feb 15",
     "2026-11-25", "done", [("harborview-capacity", 0), ("harborview-capacity", 1), _t(T1, 9)], ("harborview-capacity", 3)),
    ("C05", "dana", "julia", "owed_by_me", "send Cascade the multi-year renewal pricing", "2026-12-01", "open",
     [("cascade-renewal", 4)], None),
    ("C06", "tom", "dana", "owed_to_me", "deliver the Pinecrest root-cause report", "2026-11-25", "done",
     [("pinecrest-rca", 0), _t(T1, 5)], ("pinecrest-rca", 5)),
    ("C07", "tom", "robert", "other", "send Pinecrest the written root-cause analysis", "2026-11-25", "open",
     [_t(T3, 6), ("pinecrest-escalation", 4)], None),
    ("C08", "marcus", "dana", "owed_to_me", "install firmware hotfix 4.2.1 at Pinecrest", "2026-12-01", "open",
     [("pinecrest-rca", 1), _t(T1, 4)], None),
    ("C09", "luis", "robert", "other", "replace the lidar modules on all Tacoma units", "2026-11-20", "done",
     [("pinecrest-escalation", 2), _t(T3, 4)], ("cs-weekly-1120", 0)),
    ("C10", "dana", "victoria", "owed_by_me", "send the board pre-read", "2026-11-30", "open",
     [("board-preread", 0), ("board-preread", 1)], None),
    ("C11", "dana", "kevin", "owed_by_me", "send the updated cap table", "2026-11-27", "open",
     [("investor-update", 1)], None),
    ("C12", "elena", "dana", "owed_to_me", "circulate the 2027 budget draft", "2026-12-04", "open",
     [("budget-2027", 0), _t(T1, 19)], None),
    ("C13", "hannah", "dana", "owed_to_me", "send the offer details for Omar Haddad", "2026-11-30", "open",
     [("recruit-vp-marketing", 3), ("recruit-vp-marketing", 4)], None),
    ("C14", "priya", "dana", "owed_to_me", "send the final Harborview proposal", "2026-11-27", "open",
     [("harborview-proposal", 1), ("harborview-proposal", 2), _t(T1, 11), _t(T1, 12)], None),
    ("C15", "marcus", "dana", "owed_to_me", "send the roadmap section of the board deck", "2026-11-27", "open",
     [("board-deck", 5), _t(T1, 20)], None),
    ("C16", "wei", "aisha", "other", "confirm budget for the Fleet Analytics add-on after the ops review",
     "2026-12-02", "open", [("atlas-analytics", 1)], None),
    ("C17", "jordan", "derek", "other", "send two customer reference contacts", "2026-11-20", "done",
     [("summit-inbound", 1)], ("summit-inbound", 5)),
    ("C18", "ben", "jordan", "other", "complete the technical sections of Meridian's security questionnaire",
     "2026-12-03", "open", [("meridian-security", 1)], None),
    ("C19", "jordan", "sarah", "other", "return Meridian's vendor security questionnaire", "2026-12-08", "open",
     [("meridian-pilot", 5), ("meridian-pilot", 6)], None),
    ("C20", "anita", "ben", "other", "send Harborview's WMS integration specs", "2026-11-20", "done",
     [_t(T2, 7)], ("harborview-expansion", 4)),
    ("C21", "ben", "mark", "other", "run the Tacoma site survey", "2026-12-02", "open",
     [_t(T2, 8), ("harborview-expansion", 3)], None),
    ("C22", "raj", "tom", "other", "write the level-one on-call runbooks for Customer Success", "2026-12-04", "open",
     [_t(T1, 16)], None),
    ("C23", "david", "dana", "owed_to_me", "send two VP Marketing candidate names", "2026-12-04", "open",
     [("investor-update", 3)], None),
    ("C24", "marcus", "muller", "other", "decide on the early Q1 motor order", "2026-12-11", "open",
     [("mueller-motors", 1)], None),
    ("C25", "marcus", "paula", "other", "confirm the lidar purchase order", "2026-12-01", "open",
     [("kestrel-po", 2)], None),
    ("C26", "priya", "dana", "owed_to_me", "draft Cascade's 3-year renewal numbers", "2026-11-23", "done",
     [("cascade-pricing", 0)], ("cascade-pricing", 1)),
    ("C27", "luis", "robert", "other", "set up a daily uptime report email for Pinecrest", "2026-11-17", "open",
     [_t(T3, 8), _t(T3, 9)], None),
    ("C28", "claire", "wei", "other", "send options for the Atlas exec call on December 4", None, "done",
     [("atlas-analytics", 4)], ("atlas-exec-call", 0)),
    ("C29", "dana", "nina", "owed_by_me", "share feedback on Omar Haddad", "2026-11-18", "done",
     [("recruit-vp-marketing", 0)], ("recruit-vp-marketing", 1)),
    ("C30", "noah", "kestrel", "other", "pay Kestrel invoice INV-4471", "2026-12-08", "open",
     [("kestrel-invoice", 1)], None),
]

_EXTRA_NAMES = {"anita": "Anita Shah"}


def _name(key: str) -> str:
    return PEOPLE[key].name if key in PEOPLE else _EXTRA_NAMES[key]


def _source(names, src) -> str:
    return src if isinstance(src, str) else _ref(names, *src)


def commitments(names) -> list[dict]:
    return [{
        "id": cid, "owner": _name(owner), "counterparty": _name(counterparty), "direction": direction,
        "what": what, "due": due, "status": status,
        "sources": [_source(names, s) for s in sources],
        "done_in": _source(names, done_in) if done_in else None,
    } for cid, owner, counterparty, direction, what, due, status, sources, done_in in _COMMITMENTS]


_OPPORTUNITIES = [
    ("O1", "Harborview Logistics", "mark", "expansion", 480000, "proposal",
     "send the expansion proposal by 2026-11-30", [("harborview-expansion", 0), _t(T2, 2)],
     ["40 more units", "budget placeholder", "delivery of 20 units by Feb 15 requested"]),
    ("O2", "Cascade Foods", "julia", "renewal", 216000, "negotiation",
     "send 3-year pricing by 2026-12-01", [("cascade-renewal", 0)],
     ["intends to renew", "asks for a 3-year term", "may add 4 units in Boise"]),
    ("O3", "Pinecrest Medical Supply", "robert", "renewal", 144000, "at_risk",
     "install hotfix 4.2.1 by 2026-12-01; uptime above 98% through December", [("pinecrest-rca", 0)],
     ["three outages", "evaluating alternatives", "renewal review in January"]),
    ("O4", "Atlas Home Goods", "wei", "upsell", 36000, "trial",
     "exec call with Carla Benton on 2026-12-04", [("atlas-analytics", 0)],
     ["trial users love the heatmaps", "budget decision after the 2026-12-02 ops review"]),
    ("O5", "Meridian Pharma Distribution", "sarah", "new", 120000, "discovery",
     "return the security questionnaire by 2026-12-08", [("meridian-pilot", 0)],
     ["10-unit pilot", "cold-chain validation needed", "exec review on 2026-12-10"]),
    ("O6", "Summit Outdoor Supply", "derek", "new", 300000, "lead",
     "reference calls", [("summit-inbound", 0)], ["25 units", "budget approved", "new Reno DC in Q2"]),
]


def opportunities(names) -> list[dict]:
    return [{
        "id": oid, "account": account, "contact": _name(contact), "kind": kind, "amount": amount,
        "currency": "USD", "stage": stage, "next_step": next_step,
        "sources": [_source(names, s) for s in sources], "signals": signals,
    } for oid, account, contact, kind, amount, stage, next_step, sources, signals in _OPPORTUNITIES]


def strategic_context(staff) -> dict:
    by_key = {p.key: p for p in staff}
    return {
        "values": [
            "Customers' floors first: a robot that stops a customer's shipment is our emergency.",
            "Say the hard thing early, to customers and to each other.",
            "Sustainable pace: heroics are a signal that the system needs fixing.",
            "Own the outcome until it has a clear owner.",
            "Frugal with cash, generous with credit.",
        ],
        "goals": [
            "Grow recurring revenue efficiently: $1.5M net new ARR in Q4, NRR >= 115%, discounts capped at 12%.",
            "Be the most reliable fleet on the floor: uptime >= 98.5% at every site; Fleet OS 5.0 GA by Feb 1.",
            "A team that wants to stay: engagement >= 78, no team below 70, no engineer on call more than one weekend in four.",
        ],
        "priorities": [
            "Save the Pinecrest Medical renewal: hotfix 4.2.1 by Dec 1 and 98% uptime through December.",
            "Close the Harborview expansion (40 units, ~$480K ARR) with a credible delivery date.",
            "Board meeting on Dec 3: honest churn and engineering-capacity story.",
            "Reduce engineering on-call load and burnout.",
            "Hire a VP Marketing (Omar Haddad offer) and two SREs.",
        ],
        "key_accounts": [o[1] for o in _OPPORTUNITIES],
        "team": [{
            "name": p.name, "role": p.role, "email": p.email,
            "reports_to": by_key[p.reports_to].email if p.reports_to else "",
            "team": p.team,
        } for p in staff],
    }
