"""Word lists the deterministic extractors share: categories, urgency, requests, automated senders.

Kept as data (regular expressions over lower-cased text) so they are easy to review and extend; the triage
engine adds what the user's own corrections teach on top of them.
"""

from __future__ import annotations

import re


def _rx(*words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)


CATEGORY_TERMS: dict[str, re.Pattern[str]] = {
    "customer": _rx(
        r"purchase order", r"po", r"pilot", r"deployment", r"roll-?out", r"go-live", r"sla", r"outage", r"downtime",
        r"support ticket", r"escalat\w*", r"our (?:site|sites|warehouse|warehouses|facility|facilities|team|operations)",
        r"your (?:robots?|platform|product|system|units|fleet|solution|team)", r"quote", r"proposal", r"pricing",
        r"contract", r"renewal", r"expansion", r"additional (?:sites?|units|licen[cs]es|seats)", r"msa", r"rfp",
    ),
    "vendor": _rx(
        r"invoice", r"invoices", r"billing", r"amount due", r"past due", r"overdue balance", r"remittance",
        r"statement", r"payment (?:due|reminder|terms)", r"accounts receivable", r"subscription", r"lead time",
        r"price increase", r"your account", r"order confirmation", r"shipment", r"delivery date", r"net ?30",
        r"retainer", r"services rendered", r"supplier", r"vendor",
    ),
    "investor": _rx(
        r"investors?", r"lps?", r"limited partners", r"fund(?:raise|raising)?", r"term sheet", r"valuation",
        r"(?:funding|seed|next|new) round", r"round of funding", r"series [a-d]", r"bridge", r"cap table", r"runway", r"burn(?: rate)?", r"portfolio",
        r"investor update", r"pro rata", r"dilution", r"follow-on",
    ),
    "board": _rx(
        r"board", r"board meeting", r"board deck", r"board pack", r"directors?", r"governance", r"committee",
        r"minutes", r"resolution", r"written consent", r"audit committee", r"compensation committee",
    ),
    "recruiting": _rx(
        r"candidates?", r"interviews?", r"resume", r"cv", r"offer letter", r"executive search", r"recruit\w*",
        r"hiring", r"references?", r"shortlist", r"job description", r"compensation package", r"search for",
        r"onsite", r"the role", r"this role", r"headhunt\w*",
    ),
    "personal": _rx(
        r"mom", r"dad", r"kids?", r"dinner", r"birthday", r"dentist", r"doctor", r"appointment", r"school",
        r"vacation", r"love", r"honey", r"weekend", r"family", r"anniversary", r"grandma", r"soccer", r"recital",
    ),
    "newsletter": _rx(
        r"unsubscribe", r"newsletter", r"digest", r"this week in", r"webinar", r"view (?:it )?in (?:your )?browser",
        r"do not reply", r"notification", r"manage (?:your )?preferences", r"read more", r"top stories",
    ),
}

URGENT = _rx(
    r"urgent(?:ly)?", r"asap", r"immediately", r"critical", r"outage", r"(?:is|are|went|been|still) down", r"blocker", r"blocking",
    r"escalat\w*", r"emergency", r"right away", r"time[- ]sensitive", r"within the hour", r"as soon as possible",
    r"stopped working", r"halted", r"p1", r"sev ?1",
)

REQUEST = re.compile(
    r"\b(?:can|could|would|will) you\b|\bplease (?:let|confirm|advise|send|review|approve|sign|share|reply|respond|"
    r"get back|weigh in|take a look|look|provide|call|join|decide|forward|check)\b|\blet me know\b|"
    r"\byour (?:thoughts|input|feedback|approval|sign-?off|decision|call|ok|okay|go-ahead|view)\b|"
    r"\bare you (?:available|free|ok|okay|able|around)\b|\bneed (?:your|you to)\b|\bwhat do you think\b|"
    r"\bany thoughts\b|\bdo you (?:have|want|think|agree|know)\b|\bwould it be possible\b|\bwhen can we\b",
    re.I,
)

NO_REPLY_NEEDED = _rx(r"fyi", r"no (?:need|action) (?:to reply|needed|required)", r"no reply needed",
                      r"nothing needed", r"just (?:a heads[- ]up|so you know|letting you know)", r"for your records")

AUTOMATED_LOCALPARTS = re.compile(
    r"^(?:no-?reply|do-?not-?reply|notifications?|newsletter|digest|news|updates?|mailer|bounces?|ci|alerts?|"
    r"itinerary|reminders?|marketing|info|hello|team|brief|auto\w*)$",
    re.I,
)

BILLING_LOCALPARTS = re.compile(r"^(?:billing|invoices?|accounts|ar|payments?|receivables)$", re.I)

# Consumer mail providers, matched on the domain's first label so country variants (yahoo.co.uk) count too.
FREE_MAIL_PROVIDERS = frozenset({
    "gmail", "googlemail", "yahoo", "hotmail", "outlook", "live", "icloud", "me", "aol", "proton", "protonmail",
    "fastmail", "gmx", "web", "mailbox", "zoho", "yandex", "hey",
})


def is_free_mail(email: str) -> bool:
    domain = (email or "").rsplit("@", 1)[-1].lower()
    return "@" in (email or "") and domain.split(".", 1)[0] in FREE_MAIL_PROVIDERS



INVESTOR_ORG = re.compile(r"\b(?:ventures|capital|partners|fund|vc|investments?|holdings)\b", re.I)
BOARD_ROLE = re.compile(r"\b(?:independent director|board member|board director|chair(?:man|woman|person)?|"
                        r"non-executive director|observer)\b", re.I)
RECRUITER_ORG = re.compile(r"\b(?:search|talent|recruit\w*|staffing|headhunt\w*)\b", re.I)
VENDOR_ORG = re.compile(r"\b(?:legal|llp|law|billing|accounting|supplies|suppliers?)\b", re.I)

# -- priority cues (what the conversation is worth; see engine.assistant.triage.thread_priority) --------------
# A currency amount: money on the table marks revenue (deals, POs, renewals) when a key account is in the thread.
MONEY = re.compile(r"[$€£]\s?\d|\b(?:USD|EUR|GBP|CHF)\s?\d|\d\s?(?:USD|EUR|GBP|CHF)\b")
# A decision made or asked for: "Decision: ...", "your call", "can you approve", "your support on".
DECISION = re.compile(
    r"(?:^|\n)\s*decision:|\byour (?:call|decision|approval|sign-?off|support|go-ahead)\b|"
    r"\b(?:can|could|would) you (?:please )?(?:approve|sign off|decide)\b|\bplease (?:approve|decide|sign off)\b|"
    r"\bneeds? (?:your|a) decision\b",
    re.I,
)
# A customer relationship in danger (said about an account inside the company).
AT_RISK = _rx(r"at (?:real |serious |high )?risk", r"threatening to (?:leave|churn|cancel)", r"churn risk",
              r"(?:is|are) not acceptable", r"missed (?:our )?(?:same-day )?shipments?")
# Status reports: FYI by nature, important only when they ask the user to decide.
REPORT_SUBJECT = _rx(r"weekly", r"daily", r"monthly", r"digest", r"recap", r"status", r"newsletter",
                     r"highlights", r"update")
# The writer commits to something ("I'll ...", "will do"): not a mere acknowledgement.
PROMISE = re.compile(r"\b(?:i|we)(?:'ll| will| shall)\b|\bwill do\b|\byou'll have\b", re.I)
# A reply that settles logistics (accepts a time or an invitation): scheduling, which is routine work, not a
# mere acknowledgement ("10am works", "Tuesday at 10 please", "Count me in").
SCHEDULING_ANSWER = _rx(r"works(?: for (?:me|us))?", r"count (?:me|us) in", r"i'?m in",
                        r"\d{1,2}(?::\d{2})?\s?(?:am|pm)", r"at \d{1,2}(?::\d{2})?")
# Deal terms: with a key account in the thread they mark revenue even before an amount is named.
DEAL = _rx(r"renewals?", r"renew", r"contract", r"pricing", r"proposal", r"quote", r"purchase order", r"expansion",
           r"upsell", r"term sheet", r"order form")
