"""What a message says about itself: the signals triage scores (sender, headers, asks, deadlines, thread state).

Pure given its inputs (the message, the later messages of its thread, who the user is); thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.assistant import lexicon
from engine.assistant.context import Relationships
from engine.assistant.dates import DuePhrase, find_due
from connectors.mime import split_body
from engine.assistant.text import sentences
from models import Message


@dataclass(slots=True)
class MessageSignals:
    message_id: int
    sender: str
    sender_name: str
    sender_kind: str  # me | direct_report | manager | team | board | key_account | unknown
    account_name: str = ""  # key account the sender belongs to
    signature: str = ""
    automated: str = ""  # why the message looks machine-sent, "" when it does not
    billing_sender: bool = False
    free_mail: bool = False
    family: bool = False  # sender shares the user's surname
    to_me: bool = False
    cc_only: bool = False
    greets_me: bool = False
    asks: list[str] = field(default_factory=list)  # questions / requests in the new text
    no_reply_needed: bool = False
    urgent: list[str] = field(default_factory=list)
    deadline: DuePhrase | None = None
    days_left: int | None = None  # deadline minus the day the message was written
    replied_by_me: bool = False  # the user wrote later in the thread
    answered_by_other: bool = False  # someone else answered after this message
    my_open_ask: bool = False  # the user asked something here and nobody answered yet
    participants: dict[str, str] = field(default_factory=dict)  # address -> kind, everyone but the user
    external_orgs: str = ""  # signature text of an outside sender (organisation cues)
    acknowledgement: bool = False  # a short thanks / sounds-good with nothing asked
    words: int = 0  # words in the new text
    money: bool = False  # a currency amount in the new text
    decision: bool = False  # a decision is stated or asked for
    at_risk: list[str] = field(default_factory=list)  # a customer relationship in danger
    promise: bool = False  # the writer commits to something
    scheduling_answer: bool = False  # settles a time or accepts an invitation
    due_today_ask: bool = False  # an ask due the day it was written ("can you approve it today?")
    buying: list[str] = field(default_factory=list)  # the writer's organisation buying (budget, offer asked for)
    selling: bool = False  # the writer sells to the user's company (its renewal, rates, invoice)
    people_risk: list[str] = field(default_factory=list)  # someone may leave, is unwell or unsafe
    escalation: list[str] = field(default_factory=list)  # a customer's escalation or a deal in danger
    approval_ask: bool = False  # a signature or approval is asked for, with a deadline
    outside_org: bool = False  # the sender writes from another organisation (not free mail, not automated)
    text: str = ""  # subject + new text, lower-cased (for lexicons)
    category_hits: dict[str, list[str]] = field(default_factory=dict)


_AUTO_SUBMITTED_OK = {"", "no"}
# one scan for all categories, over lower-cased text (case-insensitive matching costs more than lowering once)
_CATEGORY_ANY = re.compile("|".join(f"(?P<{cat}>{p.pattern})" for cat, p in lexicon.CATEGORY_TERMS.items()))
_ACK = re.compile(r"\b(?:thanks|thank you|great|sounds good|will do|perfect|got it|appreciate|congrat\w*|"
                  r"well done|nice work|kudos|noted|looks good|love it)\b", re.I)


# A closing line ("Thanks, Dana", "Best regards,\nDana") is not part of what was said.
_SIGN_OFF = re.compile(r"(?:\n|(?<=[.!?])\s)\s*(?:thanks!?|thank you!?|best|best regards|regards|kind regards|cheers|"
                       r"warm regards|all the best|many thanks)\s*[,!.]?\s*\n?\s*[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?\s*$",
                       re.I)


def automated_reason(message: Message) -> str:
    """Why `message` looks automated (bulk/list/auto-submitted/no-reply sender), "" otherwise."""
    headers = {k.lower(): v for k, v in (message.headers or {}).items()}
    if headers.get("list-unsubscribe") or headers.get("list-id"):
        return "mailing list (List-Unsubscribe)"
    if headers.get("precedence", "").strip().lower() in ("bulk", "list", "junk"):
        return f"Precedence: {headers['precedence'].strip().lower()}"
    if headers.get("auto-submitted", "").strip().lower() not in _AUTO_SUBMITTED_OK:
        return "Auto-Submitted header"
    local = message.sender.email.split("@", 1)[0]
    if lexicon.AUTOMATED_LOCALPARTS.match(local):
        return f"sent from {local}@"
    return ""


def extract_signals(message: Message, later: list[Message], rel: Relationships) -> MessageSignals:
    """Signals for `message`; `later` are the thread's messages sent after it (oldest first)."""
    me = rel.principal
    sender = message.sender.email.lower()
    parts = split_body(message.body_text or "")  # once: new text and signature come from the same split
    body = parts.new or (message.body_text or "").strip()
    sig = parts.signature
    text = f"{message.subject}\n{body}"
    kind = rel.kind(sender, message.sender.name)
    sig_org = sig.replace("\n", " ")
    sig_and_name = f"{message.sender.name} {sig_org}"
    if kind == "unknown" and rel.is_board(sender, message.sender.name) is False and lexicon.BOARD_ROLE.search(sig_and_name):
        kind = "board"
    s = MessageSignals(
        message_id=message.id or 0, sender=sender, sender_name=message.sender.name, sender_kind=kind,
        account_name=rel.key_account(sender, sig_org) if kind in ("key_account", "unknown") else "",
        signature=sig, automated=automated_reason(message),
        billing_sender=bool(lexicon.BILLING_LOCALPARTS.match(sender.split("@", 1)[0])),
        free_mail=lexicon.is_free_mail(sender), text=text.lower(),
    )
    if s.account_name and kind == "unknown":
        s.sender_kind = "key_account"
    surname = me.name.split()[-1].lower() if me.name else ""
    s.family = bool(surname) and s.free_mail and surname in message.sender.name.lower()
    to = {c.email.lower() for c in message.to}
    cc = {c.email.lower() for c in message.cc}
    s.to_me = bool(to & me.emails)
    s.cc_only = not s.to_me and bool(cc & me.emails)
    for c in [message.sender, *message.to, *message.cc]:
        if c.email and not me.is_me(c.email):
            s.participants[c.email.lower()] = kind if c.email.lower() == sender else rel.kind(c.email, c.name)
    hits: dict[str, set[str]] = {cat: set() for cat in lexicon.CATEGORY_TERMS}
    for m in _CATEGORY_ANY.finditer(s.text):
        hits[m.lastgroup or ""].add(m.group(0).lower())
    s.category_hits = {cat: sorted(words) for cat, words in hits.items()}
    s.words = len(_SIGN_OFF.sub("", body).split())
    if s.automated and not s.billing_sender:
        return s  # machine-sent: low, no reply, no asks, whatever it says (triage.message_priority)
    first = me.name.split()[0] if me.name else ""
    s.greets_me = bool(first) and re.search(rf"^\W*(?:hi|hey|hello|dear|morning)?\W*{re.escape(first)}\b", body, re.I) is not None
    for sentence in sentences(body):
        if sentence.endswith("?") or lexicon.REQUEST.search(sentence):
            s.asks.append(sentence)
            due = find_due(sentence, message.sent_at) if message.sent_at is not None else None
            s.due_today_ask = s.due_today_ask or (due is not None and due.due == message.sent_at.date())
    s.no_reply_needed = bool(lexicon.NO_REPLY_NEEDED.search(text))
    s.urgent = sorted({m.group(0).lower() for m in lexicon.URGENT.finditer(text)})
    if message.sent_at is not None:
        s.deadline = find_due(body, message.sent_at)
        if s.deadline is not None:
            s.days_left = (s.deadline.due - message.sent_at.date()).days
    s.replied_by_me = any(me.is_me(m.sender.email) for m in later)
    s.answered_by_other = any(not me.is_me(m.sender.email) for m in later)
    s.my_open_ask = kind == "me" and bool(s.asks) and not s.answered_by_other
    words = len(body.split())
    s.money = bool(lexicon.MONEY.search(body))
    s.decision = bool(lexicon.DECISION.search(body))
    s.at_risk = sorted({m.group(0).lower() for m in lexicon.AT_RISK.finditer(body)})
    s.promise = bool(lexicon.PROMISE.search(body))
    s.scheduling_answer = bool(lexicon.SCHEDULING_ANSWER.search(body))
    s.acknowledgement = not s.asks and words <= 40 and bool(_ACK.search(body))
    outside = kind in ("key_account", "unknown") and not s.automated
    # buying language only says something from outside the company (and is the costliest pattern to scan)
    s.buying = sorted({m.group(0).lower() for m in lexicon.BUYING.finditer(body)}) if outside else []
    s.selling = bool(lexicon.SELLING.search(text)) or bool(kind == "unknown" and rel.vendor(sender, sig_org))
    s.people_risk = sorted({m.group(0).lower() for m in lexicon.PEOPLE_RISK.finditer(body)})
    s.escalation = sorted({m.group(0).lower() for m in lexicon.ESCALATION.finditer(body)})
    s.approval_ask = s.deadline is not None and any(lexicon.APPROVAL.search(a) for a in s.asks)
    s.outside_org = (s.sender_kind in ("key_account", "unknown", "board") and not s.automated and not s.free_mail
                     and "@" in sender and not rel.is_internal(sender))
    return s
