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
        r"support ticket", r"escalat\w*", r"quote", r"quotation", r"proposal", r"pricing", r"contract", r"renewal",
        r"expansion", r"msa", r"rfp", r"rfq", r"order form", r"change order", r"statement of work", r"sow",
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
    r"\b(?:can|could|would|will) you\b|\b(?:please|kindly)\s+(?!(?:find|note|see|ignore|disregard|try|feel|remember|keep|be|enjoy|don't|do not)\b)[a-z]+|"
    r"\blet me know\b|\blet us know\b|"
    r"\byour (?:thoughts|input|feedback|approval|sign-?off|decision|call|ok|okay|go-ahead|view|comments)\b|"
    r"\bare you (?:available|free|ok|okay|able|around)\b|\bneed (?:your|you to)\b|\bwhat do you think\b|"
    r"\bany thoughts\b|\bdo you (?:have|want|think|agree|know)\b|\bwould it be possible\b|\bwhen can we\b|"
    r"\bi need (?:a|an|the|your|some)\b[^.?!]{0,60}\bfrom you\b|\bplease advise\b",
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
              r"(?:is|are) not acceptable", r"missed (?:our |\w+ )?(?:shipments?|deliveries|deadlines?)")
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

# -- business cues that hold in any company (see triage.thread_priority and insights.revenue) -------------------
# An outside organisation buying from the user's company: money approved for it, an offer asked for, or an
# intent to buy, renew, extend or upgrade.
BUYING = re.compile(
    r"\b(?:budget|funding|money)\b[^.?!]{0,40}\b(?:approved|allocated|sanctioned|earmarked|set aside|signed off)\b|"
    r"\b(?:approved|allocated|sanctioned|earmarked|set aside|signed off|approval for)\b[^.?!]{0,30}\d|"
    r"\b(?:have|has|got|with) (?:a |an |the )?(?:budget|approval)\b|\bour budget\b|\bbudget(?:'s| is| of)\b|"
    r"\d[^.?!]{0,40}\b(?:set aside|earmarked|allocated|budgeted|approved)\b|\bget started\b|"
    r"\b(?:our|the) (?:[\w$€£¥.,]+ ){0,2}renewal\b|"
    r"\b(?:send|share|provide|prepare|submit|give|get)(?: us| me)?(?: with)? (?:a |an |your |the |our )?"
    r"(?:formal |commercial |best |indicative |revised |renewal |upgrade |draft |firm )?"
    r"(?:proposal|quote|quotation|offer|pricing|prices|estimate|order form|change order|contract|"
    r"renewal (?:offer|quote|agreement|paperwork|terms|invoice))\b|"
    r"\brequest(?:s|ing)? (?:a |an |for (?:a |an )?)?(?:quotation|quote|proposal|offer)\b|\brf[pqi]\b|"
    r"\brequest for (?:proposal|quotation|information)\b|\binvites? [^.?!]{0,40}\bto (?:quote|bid|respond|submit)\b|"
    r"\b(?:we|i)(?:'d| would) like to (?:buy|purchase|renew|extend|expand|add|upgrade|order|move forward|start|"
    r"introduce|integrate|run|roll out|continue)\b|"
    r"\b(?:we |i )?(?:intend|plan|want|wish|are ready|ready|decided|have decided|are keen|keen) to (?:renew|buy|"
    r"purchase|go ahead|move forward|extend|expand|add|sign|upgrade|introduce|continue|equip|put|integrate)\b|"
    r"\b(?:we'll|we will) (?:renew|extend|continue|equip)\b|\binterested in\b|\bshortlisted\b|"
    r"\bletter of intent\b|\bloi\b|\bready to buy\b|\bwhat would [^.?!]{0,60}\bcost\b|"
    r"\b(?:an idea of|indicative|your) pricing\b|\blooking for an? [^.?!]{0,60}\b(?:system|partner|platform|"
    r"provider|supplier|solution|vendor|cdmo|manufacturer)\b",
    re.I,
)
# The outside organisation sells to the user's company (its renewal, price list, rates, invoice): not pipeline.
SELLING = re.compile(
    r"\byour (?:\w+ )?(?:contract|subscription|licen[cs]e|plan|account|order) (?:renews|will renew|expires|is due)\b|"
    r"\b(?:please find|attached (?:is|are)) (?:our|the) (?:\w+ )?(?:rates|price list|prices|tariffs|invoice|renewal quote)\b|"
    r"\bprices? (?:for [^.?!]{0,40})?will increase\b|\bprice increase\b|\binvoice (?:no\.?|number|#)|"
    r"\bthe renewal quote for\b|\bthank you for (?:the|your) (?:po|purchase order|order)\b",
    re.I,
)
# Someone may leave, is unwell or unsafe: people risk needs the user today.
PEOPLE_RISK = re.compile(
    r"\b(?:resign\w*|handed (?:me |in )?(?:his|her|their) (?:notice|resignation)|thinking of leaving|"
    r"considering (?:leaving|resigning)|offer from (?:a )?competitor|been approached by|burn(?:ed|t) out|"
    r"harass\w*|injur\w*|safety incident|grievance)\b",
    re.I,
)
# A deal or account in danger, said by the customer.
ESCALATION = _rx(r"on the line", r"escalat\w*", r"not acceptable", r"unacceptable", r"at risk", r"losing",
                 r"stopped (?:production|the line|press line \d)", r"evaluate alternatives", r"urgent(?:ly)?",
                 r"critical", r"immediately", r"emergency", r"asap")
# A signature or an approval asked for: a decision waits on the user.
APPROVAL = _rx(r"approve", r"approval", r"sign", r"signature", r"countersign", r"sign-?off", r"your decision",
               r"decide", r"which option")
