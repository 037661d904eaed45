"""A small vocabulary for writing labelled evaluation mailboxes by hand, and their rendering to JSON.

A corpus module defines `PEOPLE` (key -> `P`; the key "me" is the mailbox owner), `YEAR`, `TZ` and `THREADS`
(a list of `T`). Each `M` carries its own labels (priority, needs-reply), commitments stated in it (`C`), and
`also` (keys of commitments it restates, e.g. the reply that accepts a request). A thread may carry one
opportunity (`O`), sourced by its messages. The renderer adds sign-offs, signatures, quoted history (Gmail or
Outlook style) and list headers, the way real clients do, then writes messages + labels as JSON.

Labelling rules (the same for every corpus, written before any rule was tuned):
- priority: urgent = needs the user today (a deadline today, a customer outage or escalation, people risk);
  important = money at stake (deals, renewals, expansions), investors/board, signatures or approvals with a
  deadline, key decisions; normal = routine work, scheduling, vendors, personal mail; low = newsletters,
  automated notifications, FYI. A sent message takes its thread's level unless given one.
- needs_reply: the message asks the user for an answer or action.
- opportunity: one per outside account that is buying from the user's company (not vendors selling to it),
  with kind new | expansion | renewal | upsell and the deal amount as stated (None when none is stated).
- commitment: who owes what by when; a promise by the writer, or a request with a deadline addressed to one
  person (a request with a deadline made to the user is owed by the user). Due = the date the sentence that
  states the deadline means, resolved against the mail's own date (None when no deadline is given).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class P:
    name: str
    email: str
    title: str = ""
    org: str = ""
    style: str = "formal"  # formal | casual | mobile | bare


@dataclass
class C:
    key: str
    owner: str  # a PEOPLE key
    what: str
    due: str | None  # ISO date


@dataclass
class O:
    account: str
    kind: str
    amount: float | None
    currency: str


@dataclass
class M:
    frm: str
    to: list[str]
    at: str  # "MM-DD HH:MM" local time
    body: str
    cc: list[str] = field(default_factory=list)
    prio: str = ""
    reply: bool = False
    c: list[C] = field(default_factory=list)
    also: list[str] = field(default_factory=list)
    quote: bool = True


@dataclass
class T:
    key: str
    subject: str
    category: str
    prio: str
    msgs: list[M]
    kind: str = "conversation"  # conversation | newsletter | notification
    opp: O | None = None
    client: str = "gmail"  # quoting style: gmail | outlook


def _when(year: int, tz: ZoneInfo, at: str) -> datetime:
    day, hm = at.split(" ")
    month, dom = day.split("-")
    hour, minute = hm.split(":")
    return datetime(year, int(month), int(dom), int(hour), int(minute), tzinfo=tz)


def _own_text(person: P, key: str, body: str, seed: int, kind: str) -> str:
    text = body.rstrip()
    if kind != "conversation" or person.style == "bare":
        return text
    first = person.name.split()[0]
    if person.style == "mobile":
        return f"{text}\n\nSent from my iPhone"
    if person.style == "casual":
        return f"{text}\n\n{['Thanks,', 'Cheers,', 'Best,', 'Thx,'][seed % 4]}\n{first}"
    sig = f"{person.title}, {person.org}" if person.title else person.org
    closing = ["Kind regards,", "Best regards,", "Best,", "Many thanks,", "Regards,"][seed % 5]
    return f"{text}\n\n{closing}\n{person.name}\n{sig}\n" if key != "me" else f"{text}\n\n{closing}\n{first}\n\n-- \n{person.name}\n{sig}"


def render(module) -> dict:  # noqa: ANN001 - a corpus module
    """Messages and labels of one corpus as a JSON-ready dict."""
    people, tz = module.PEOPLE, ZoneInfo(module.TZ)
    messages, emails, commitments, opportunities = [], [], {}, []
    for t in module.THREADS:
        previous: tuple[str, dict] | None = None
        ids = []
        for i, m in enumerate(t.msgs):
            mid = f"{t.key}-{i + 1:02d}"
            ids.append(mid)
            sender = people[m.frm]
            seed = int(hashlib.sha256(mid.encode()).hexdigest(), 16)
            sent = _when(module.YEAR, tz, m.at)
            text = _own_text(sender, m.frm, m.body, seed, t.kind)
            if previous is not None and m.quote:
                text += "\n\n" + _quoted(previous[1], t.client)
            subject = t.subject if i == 0 else f"{'RE' if t.client == 'outlook' else 'Re'}: {t.subject}"
            headers = {}
            if t.kind == "newsletter":
                domain = sender.email.split("@")[1]
                headers = {"List-Unsubscribe": f"<https://{domain}/u?id=88123>", "Precedence": "bulk"}
            elif t.kind == "notification":
                headers = {"Auto-Submitted": "auto-generated"}
            msg = {
                "id": mid, "thread": t.key, "subject": subject,
                "from": {"name": sender.name, "email": sender.email},
                "to": [{"name": people[k].name, "email": people[k].email} for k in m.to],
                "cc": [{"name": people[k].name, "email": people[k].email} for k in m.cc],
                "date": sent.isoformat(), "body": text, "headers": headers,
                "in_reply_to": f"<{previous[0]}@corpus>" if previous else "",
            }
            messages.append(msg)
            previous = (mid, msg)
            emails.append({"id": mid, "priority": m.prio or t.prio, "category": t.category, "needs_reply": m.reply})
            for c in m.c:
                commitments[c.key] = {"id": c.key, "owner": people[c.owner].email, "owner_name": people[c.owner].name,
                                      "what": c.what, "due": c.due, "sources": [mid]}
            for key in m.also:
                commitments[key]["sources"].append(mid)
        if t.opp is not None:
            opportunities.append({"account": t.opp.account, "kind": t.opp.kind, "amount": t.opp.amount,
                                  "currency": t.opp.currency, "sources": ids})
    me = people["me"]
    return {"industry": module.INDUSTRY, "tuning": module.TUNING, "user": {"name": me.name, "email": me.email},
            "timezone": module.TZ, "messages": messages,
            "labels": {"emails": emails, "commitments": list(commitments.values()), "opportunities": opportunities}}


def _quoted(msg: dict, client: str) -> str:
    when = datetime.fromisoformat(msg["date"])
    sender = msg["from"]
    lines = msg["body"].split("\n")
    if client == "outlook":
        head = (f"From: {sender['name']} <{sender['email']}>\nSent: {when:%A, %B %d, %Y %I:%M %p}\n"
                f"To: {'; '.join(p['name'] for p in msg['to'])}\nSubject: {msg['subject']}\n")
        return "-----Original Message-----\n" + head + "\n" + "\n".join(lines)
    return f"On {format_datetime(when)}, {sender['name']} <{sender['email']}> wrote:\n" + "\n".join(
        f"> {line}" if line else ">" for line in lines)


def write(module, folder: Path) -> Path:  # noqa: ANN001
    path = folder / f"{module.NAME}.json"
    path.write_text(json.dumps(render(module), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
