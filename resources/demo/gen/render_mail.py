"""Render demo threads to RFC 5322 bytes with the stdlib `email` package (the way real clients do)."""

from __future__ import annotations

import hashlib
import html
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from .dsl import M, T
from .people import PEOPLE, Person

TZ = ZoneInfo("America/Los_Angeles")
OUTLOOK_USERS = {"mark", "robert", "muller", "sarah"}
_SIGNOFFS = ["Best,", "Thanks,", "Cheers,", "Best regards,", "Thanks!", "Regards,"]
_DANA_SIG = "-- \nDana Whitfield\nCEO, Northwind Robotics\n+1 (206) 555-0100"
_NEWSLETTER_HEADERS = {
    "List-Unsubscribe": "<https://{domain}/unsubscribe?u=dw-4471>, <mailto:unsubscribe@{domain}>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "List-Id": "<weekly.{domain}>",
    "Precedence": "bulk",
}


def when(at: str) -> datetime:
    month, rest = at.split("-", 1)
    day, hm = rest.split(" ")
    hour, minute = hm.split(":")
    return datetime(2026, int(month), int(day), int(hour), int(minute), tzinfo=TZ)


def _address(person: Person) -> Address:
    local, domain = person.email.split("@")
    return Address(person.name, local, domain)


def _domain(person: Person) -> str:
    return person.email.split("@")[1]


def _signoff(thread: T, index: int, msg: M) -> str:
    if msg.signoff is not None:
        return msg.signoff
    seed = int(hashlib.sha256(f"{thread.key}{index}".encode()).hexdigest(), 16)
    person = PEOPLE[msg.frm]
    if person.org != "Northwind Robotics":
        return ["Best regards,", "Kind regards,", "Thanks,", "Best,"][seed % 4]
    return _SIGNOFFS[seed % len(_SIGNOFFS)]


def own_text(thread: T, index: int) -> str:
    """What the sender typed, with sign-off and signature, without any quoted history."""
    msg = thread.msgs[index]
    person = PEOPLE[msg.frm]
    text = msg.body.rstrip()
    if msg.mobile:
        return text + "\n\nSent from my iPhone"
    signoff = _signoff(thread, index, msg)
    if signoff == "" and thread.kind != "conversation":
        return text
    first = person.name.split()[0]
    if msg.frm == "dana":
        closing = f"{signoff}\n{first}\n\n{_DANA_SIG}" if signoff else _DANA_SIG
    elif signoff == "":
        return text
    elif person.signature and (person.org != "Northwind Robotics" or not msg.quote):
        closing = f"{signoff}\n{first}\n{person.signature}" if person.org == "Northwind Robotics" else \
            f"{signoff}\n{person.name}\n{person.signature}"
    else:
        closing = f"{signoff}\n{first}"
    return f"{text}\n\n{closing}"


def _quote(thread: T, index: int) -> str:
    prev = thread.msgs[index - 1]
    prev_person = PEOPLE[prev.frm]
    prev_text = own_text(thread, index - 1)
    sent = when(prev.at)
    if thread.msgs[index].frm in OUTLOOK_USERS:
        to = "; ".join(PEOPLE[k].name for k in prev.to)
        return ("\n\n________________________________\n"
                f"From: {prev_person.name} <{prev_person.email}>\n"
                f"Sent: {sent:%A, %B} {sent.day}, {sent:%Y} {sent:%I:%M %p}\n"
                f"To: {to}\nSubject: {subject(thread, index - 1)}\n\n{prev_text}")
    stamp = f"{sent:%a, %b} {sent.day}, {sent:%Y} at {sent.hour % 12 or 12}:{sent:%M %p}"
    quoted = "\n".join(("> " + line) if line else ">" for line in prev_text.split("\n"))
    return f"\n\nOn {stamp} {prev_person.name} <{prev_person.email}> wrote:\n{quoted}"


def subject(thread: T, index: int) -> str:
    msg = thread.msgs[index]
    if msg.subject:
        return msg.subject
    return thread.subject if index == 0 else f"Re: {thread.subject}"


def message_id(thread: T, index: int) -> str:
    return f"<{thread.key}.{index + 1}@{_domain(PEOPLE[thread.msgs[index].frm])}>"


def _html(text: str) -> str:
    blocks = []
    for para in text.split("\n\n"):
        lines = para.split("\n")
        if all(line.startswith(">") for line in lines):
            inner = "<br>".join(html.escape(line.lstrip("> ")) for line in lines)
            blocks.append(f'<blockquote style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">{inner}</blockquote>')
        elif all(line.startswith("- ") for line in lines):
            blocks.append("<ul>" + "".join(f"<li>{html.escape(line[2:])}</li>" for line in lines) + "</ul>")
        else:
            blocks.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return ('<html><head><meta charset="utf-8"></head><body style="font-family:Arial,sans-serif">'
            + "\n".join(blocks) + "</body></html>")


def _newsletter_html(sender: Person, title: str, text: str) -> str:
    return (f'<html><body><table width="600"><tr><td><img src="https://{_domain(sender)}/logo.png" alt="">'
            f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
            f'<p><a href="https://{_domain(sender)}/read">Read more</a></p>'
            f'<p style="font-size:11px">You are receiving this because you subscribed. '
            f'<a href="https://{_domain(sender)}/unsubscribe?u=dw-4471">Unsubscribe</a></p></td></tr></table>'
            "</body></html>")


def _fake_bytes(name: str, size: int) -> bytes:
    seed = hashlib.sha256(name.encode()).digest()
    body = (seed * (size // len(seed) + 1))[:size]
    return (b"%PDF-1.4\n" + body) if name.endswith(".pdf") else (b"PK\x03\x04" + body)


def render(thread: T, index: int) -> bytes:
    msg = thread.msgs[index]
    sender = PEOPLE[msg.frm]
    em = EmailMessage()
    em["From"] = _address(sender)
    em["To"] = [_address(PEOPLE[k]) for k in msg.to]
    if msg.cc:
        em["Cc"] = [_address(PEOPLE[k]) for k in msg.cc]
    em["Subject"] = subject(thread, index)
    em["Date"] = format_datetime(when(msg.at))
    em["Message-ID"] = message_id(thread, index)
    if index > 0:
        em["In-Reply-To"] = message_id(thread, index - 1)
        em["References"] = " ".join(message_id(thread, i) for i in range(index))
    if thread.kind == "newsletter":
        for name, value in _NEWSLETTER_HEADERS.items():
            em[name] = value.format(domain=_domain(sender))
    elif thread.kind == "notification":
        em["Auto-Submitted"] = "auto-generated"
        em["Precedence"] = "bulk" if msg.frm in ("connectly", "codeharbor") else "list"
        if msg.frm == "connectly":
            em["List-Unsubscribe"] = f"<https://{_domain(sender)}/settings/email>"
    em["MIME-Version"] = "1.0"

    text = own_text(thread, index) + (_quote(thread, index) if msg.quote and index > 0 else "")
    if thread.kind == "newsletter":
        em.set_content(text)
        em.add_alternative(_newsletter_html(sender, thread.subject, msg.body), subtype="html")
    elif msg.fmt == "html":
        em.set_content(text)
        em.add_alternative(_html(text), subtype="html")
    elif msg.fmt == "html-only":
        em.set_content(_html(text), subtype="html")
    elif msg.fmt:  # a legacy charset for the whole plain-text body
        em.set_content(text, charset=msg.fmt, cte="quoted-printable")
    else:
        em.set_content(text)
    for name, ctype, size in msg.attach:
        maintype, subtype = ctype.split("/", 1)
        em.add_attachment(_fake_bytes(name, size // 16), maintype=maintype, subtype=subtype, filename=name)
    for n, part in enumerate(p for p in em.walk() if p.is_multipart()):  # stable output across runs
        part.set_boundary(f"=_nwr_{thread.key}_{index + 1}_{n}")
    return em.as_bytes(policy=em.policy.clone(linesep="\r\n"))
