"""A deterministic synthetic ten-year workspace of an executive: an .mbox, an .ics and a folder of documents.

Why synthetic: no real executive's mailbox may be shipped, and the scale benchmarks need the real importer,
chunker and embedder to see mail that looks like work — threads about deals, hiring, suppliers, board meetings,
incidents and investors, with people, companies, amounts and dates — not lorem ipsum. The same seed gives the
same bytes on every machine.

What it writes (sizes scale with `mails`):
- `mail.mbox`: `mails` messages in threads of 1-9 (replies quote their parent, like real mail), ~12% newsletters
  (HTML with List-Unsubscribe), ~30% multipart/alternative with an HTML part, ~15% with attachments (~3% of
  mail a PDF/DOCX/XLSX, the rest pictures; small base64 parts with real names, types and a declared size),
  Gmail-style thread ids and labels.
- `calendar.ics`: `events` events over ten years, ~6% recurring (weekly one-on-ones, monthly reviews, with
  COUNT/UNTIL and EXDATEs), with attendees.
- `docs/`: `documents` Markdown memos, plans and contract summaries.

Run: `python bench/workspace_gen.py OUT_DIR [--mails 200000 --events 20000 --documents 1000]`
(200k mails take about a minute of one core).
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

START = datetime(2016, 1, 4, 8, 0, tzinfo=timezone.utc)
YEARS = 10
ME = ("Alex Morgan", "alex.morgan@northwind-robotics.example")

FIRST = ("Dana Raj Priya Tom Elena Marcus Aisha Kenji Sofia Liam Noor Mateo Grace Oliver Fatima Lukas Chloe "
         "Diego Hannah Ibrahim Mei Jonas Zara Pavel Leila Samuel Ana Victor Ines Owen Yuki Carlos Nadia Felix Amara "
         "Henrik Rosa Daniel Tariq Julia").split()
LAST = ("Whitfield Patel Sharma Becker Rossi Chen Okafor Tanaka Garcia Novak Haddad Silva Jensen Dubois Kowalski "
        "Nakamura Alvarez Schmidt Moreau Ivanova Costa Mensah Larsen Fischer Romero Ahmed Kim Nguyen Walsh Bauer "
        "Lindqvist Mwangi Herrera Weber Suzuki").split()
COMPANIES = ("Contoso Globex Initech Umbrella Tyrell Wayne Stark Cyberdyne Soylent Hooli Vandelay Acme Wonka "
             "Massive Dynamic Oscorp Gringotts Aperture Blackmesa Northwind Fabrikam Litware Proseware Adatum "
             "Tailspin Wingtip Fourth Coffee Lamna Margie Trey").split()
PRODUCTS = ("R7 picker arm", "fleet controller", "vision module", "AMR-200 platform", "safety scanner",
            "warehouse OS", "charging dock", "gripper kit", "telemetry service", "route planner")
CITIES = ("Berlin", "Austin", "Lyon", "Osaka", "Toronto", "Milan", "Rotterdam", "Singapore", "Denver", "Krakow")
NEWSLETTERS = (("Robotics Weekly", "news@roboticsweekly.example"), ("Supply Chain Brief", "brief@scbrief.example"),
               ("The Board Room", "editor@boardroom.example"), ("SaaS Metrics", "hello@saasmetrics.example"),
               ("Factory Floor", "digest@factoryfloor.example"))
ATTACHMENTS = (("application/pdf", "pdf", ("Quote", "Contract", "MSA", "Board deck", "Forecast", "Invoice")),
               ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
                ("Pipeline", "Budget", "Headcount plan", "Pricing model")),
               ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
                ("Offer letter", "Statement of work", "Memo")),
               ("image/png", "png", ("Site photo", "Diagram", "Screenshot")))

# Topic -> (subject templates, sentence templates). Slots: {co} company, {p} person, {prod} product, {amt}
# amount, {n} number, {q} quarter, {day} weekday, {city} city, {pct} percent.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "deal": (("{co} renewal and pricing", "{co} expansion to {n} units", "Quote for {co}: {prod}",
              "{co} contract redlines"),
             ("{co} wants to expand the {prod} rollout to {n} units across {city}.",
              "They asked for a {pct}% discount on the multi-year renewal; I suggested {amt} for three years.",
              "Legal sent the redlined MSA back; the liability cap is still the open point.",
              "Procurement at {co} needs the final quote by {day} to make the {q} budget.",
              "Their CFO is comfortable with {amt} if we include on-site training.",
              "The pilot in {city} hit its uptime target, which helps the business case.",
              "Can we hold the price for another quarter if they sign before the end of {q}?",
              "I would rather give them extended support than another discount point.")),
    "hiring": (("Offer for {p}", "Hiring plan {q}", "Candidate debrief: {p}", "Head of sales search"),
               ("{p} did very well in the systems design round; the panel recommends an offer.",
                "The {q} hiring plan adds {n} engineers and two account executives.",
                "Compensation band for the role is {amt} base plus equity.",
                "{p} has a competing offer and wants an answer by {day}.",
                "Reference checks came back strong, especially on leading distributed teams.",
                "We should open the {city} office role before the summer.")),
    "board": (("Board meeting {q} agenda", "Board deck draft", "Investor update {q}", "Audit committee follow-up"),
              ("Draft agenda for the {q} board meeting: results, pipeline, hiring, and the {city} expansion.",
               "Revenue closed at {amt} for the quarter, {pct}% above plan.",
               "The board asked for a clearer view of cash runway under the slower scenario.",
               "Please send your section of the deck by {day} so we can circulate it a week ahead.",
               "Burn came in at {amt} per month, slightly below budget.",
               "{p} from the audit committee wants the revenue recognition memo before the meeting.")),
    "supplier": (("{co} shipment delay", "Supplier review: {co}", "Component shortage on {prod}",
                  "Price increase from {co}"),
                 ("{co} says the next shipment of actuators slips by {n} days.",
                  "We have {n} weeks of inventory for the {prod}, so production is safe until {day}.",
                  "They are raising prices by {pct}% from next quarter citing freight costs.",
                  "Let's qualify a second source in {city} before we sign the annual volume commitment.",
                  "Quality escapes dropped after their factory audit, which is encouraging.")),
    "incident": (("Outage on the {prod}", "Incident review: {prod} downtime", "Security advisory for {prod}"),
                 ("The {prod} was down for {n} minutes at the {co} site this morning.",
                  "Root cause was a certificate that expired on the telemetry gateway.",
                  "{p} is writing the post-incident review; customers get a summary by {day}.",
                  "We will add monitoring for certificate expiry and a runbook for failover.",
                  "No customer data was exposed; the scanner only reported a misconfigured port.")),
    "product": (("{prod} launch plan", "Roadmap {q}", "Pricing for the {prod}", "Beta feedback from {co}"),
                ("The {prod} launch moves to {day} so marketing can finish the case study with {co}.",
                 "Beta customers ask mostly for better reporting and an API for fleet events.",
                 "List price proposal: {amt} per unit per year including updates.",
                 "{p} will demo the new {prod} at the {city} trade show.",
                 "The {q} roadmap focuses on reliability and the integration with warehouse systems.")),
    "finance": (("{q} forecast", "Budget review", "Invoice {n} from {co}", "Cash position"),
                ("The {q} forecast is {amt} with {pct}% of it already committed.",
                 "Invoice {n} from {co} is {n} days overdue; finance sent a reminder.",
                 "We are {pct}% under budget on travel and over on cloud costs.",
                 "Please approve the revised budget for the {city} office by {day}.")),
    "offsite": (("Leadership offsite in {city}", "Team offsite agenda", "Travel to {city}"),
                ("The leadership offsite is in {city}; we have the venue for two days.",
                 "Agenda: strategy for next year, org design, and the {prod} roadmap.",
                 "{p} will facilitate the planning session on {day}.",
                 "Flights are booked; hotel confirmation is attached.")),
}
TOPIC_WEIGHTS = {"deal": 30, "hiring": 10, "board": 8, "supplier": 12, "incident": 6, "product": 14,
                 "finance": 12, "offsite": 4}
CLOSINGS = ("Thanks,", "Best,", "Cheers,", "Regards,", "Talk soon,")


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str

    @property
    def header(self) -> str:
        return f"{self.name} <{self.email}>"


class Writer:
    """Fills templates from one seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people = [Person(f"{f} {ln}", f"{f.lower()}.{ln.lower()}@{c.lower()}.example")
                       for f, ln, c in ((self.rng.choice(FIRST), self.rng.choice(LAST), self.rng.choice(COMPANIES))
                                        for _ in range(3000))]
        self.me = Person(*ME)

    def slots(self) -> dict[str, str]:
        r = self.rng
        return {"co": r.choice(COMPANIES), "p": r.choice(self.people).name, "prod": r.choice(PRODUCTS),
                "amt": f"${r.choice((12, 48, 85, 120, 250, 480, 900, 1_200, 2_400)) * 1000:,}",
                "n": str(r.randint(2, 400)), "q": f"Q{r.randint(1, 4)}",
                "day": r.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")),
                "city": r.choice(CITIES), "pct": str(r.randint(2, 35))}

    def paragraph(self, sentences: tuple[str, ...], count: int, fills: dict[str, str]) -> str:
        chosen = self.rng.sample(sentences, min(count, len(sentences)))
        return " ".join(s.format(**fills) for s in chosen)


def _mbox_line(text: str) -> str:
    """mboxrd escaping: a body line starting with 'From ' would otherwise start a new message."""
    return "\n".join(">" + line if line.startswith("From ") or line.startswith(">From ") else line
                     for line in text.split("\n"))


def _html(text: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return f"<html><body><div style=\"font-family:Arial\">{paras}</div></body></html>"


def _message(w: Writer, *, sender: Person, to: list[Person], subject: str, when: datetime, body: str,
             msg_id: str, thread_id: int, parent: str | None, labels: str, html: bool,
             attachment: tuple[str, str, str] | None, newsletter: bool) -> str:
    headers = [f"From: {sender.header}", f"To: {', '.join(p.header for p in to)}", f"Subject: {subject}",
               f"Date: {format_datetime(when)}", f"Message-ID: <{msg_id}>", f"X-GM-THRID: {thread_id}",
               f"X-Gmail-Labels: {labels}", "MIME-Version: 1.0"]
    if parent:
        headers += [f"In-Reply-To: <{parent}>", f"References: <{parent}>"]
    if newsletter:
        headers.append(f"List-Unsubscribe: <mailto:unsubscribe@{sender.email.split('@')[1]}>")
    boundary = f"b{msg_id.split('@')[0]}"
    if not html and attachment is None:
        return "\n".join(headers + ["Content-Type: text/plain; charset=utf-8", "", body, ""])
    alt = [f"--{boundary}a", "Content-Type: text/plain; charset=utf-8", "", body,
           f"--{boundary}a", "Content-Type: text/html; charset=utf-8", "", _html(body), f"--{boundary}a--"]
    if attachment is None:
        return "\n".join(headers + [f'Content-Type: multipart/alternative; boundary="{boundary}a"', ""] + alt + [""])
    ctype, filename, payload = attachment
    inner = alt if html else [f"--{boundary}a", "Content-Type: text/plain; charset=utf-8", "", body, f"--{boundary}a--"]
    return "\n".join(headers + [f'Content-Type: multipart/mixed; boundary="{boundary}"', "", f"--{boundary}",
                                f'Content-Type: multipart/alternative; boundary="{boundary}a"', ""] + inner + [
        f"--{boundary}", f'Content-Type: {ctype}; name="{filename}"',
        f'Content-Disposition: attachment; filename="{filename}"; size={len(payload) * 40}',
        "Content-Transfer-Encoding: base64", "", payload, f"--{boundary}--", ""])


def _attachment(w: Writer, fills: dict[str, str]) -> tuple[str, str, str]:
    """(type, file name, base64 payload). Documents carry their text as a plain-text body under their real type,
    so the importer's extraction sees a damaged file and keeps it as metadata (the common case it must survive)."""
    ctype, ext, names = w.rng.choice(ATTACHMENTS)
    raw = w.paragraph(TOPICS["deal"][1], 2, fills).encode()
    return ctype, f"{w.rng.choice(names)} {fills['co']}.{ext}", base64.b64encode(raw).decode()


def write_mbox(path: Path, w: Writer, mails: int) -> int:
    """Threads spread over ten years, oldest first (as Takeout writes them). Returns the message count."""
    r = w.rng
    span = YEARS * 365 * 24 * 3600
    topics, weights = list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())
    written = 0
    thread_no = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        while written < mails:
            thread_no += 1
            at = START + timedelta(seconds=span * written / mails + r.randint(0, 3600))
            if r.random() < 0.12:  # newsletter: one message, HTML only in spirit (plain + HTML parts)
                name, addr = r.choice(NEWSLETTERS)
                fills = w.slots()
                topic = TOPICS[r.choice(topics)][1]
                body = "\n\n".join(w.paragraph(topic, 3, w.slots()) for _ in range(r.randint(3, 8)))
                text = _message(w, sender=Person(name, addr), to=[w.me], subject=f"{name}: {fills['prod']} and "
                                f"{fills['co']} this week", when=at, body=body + "\n\nUnsubscribe any time.",
                                msg_id=f"n{thread_no}@{addr.split('@')[1]}", thread_id=thread_no,
                                parent=None, labels="Category Promotions,Inbox", html=True, attachment=None,
                                newsletter=True)
                out.write(f"From {addr} {at.strftime('%a %b %d %H:%M:%S %Y')}\n{_mbox_line(text)}\n")
                written += 1
                continue
            topic_name = r.choices(topics, weights)[0]
            subjects, sentences = TOPICS[topic_name]
            fills = w.slots()
            subject = r.choice(subjects).format(**fills)
            cast = r.sample(w.people, r.randint(1, 4))
            length = min(mails - written, r.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 9)))
            parent: str | None = None
            quoted = ""
            for i in range(length):
                sender = w.me if i % 2 == 1 or (i == 0 and r.random() < 0.3) else r.choice(cast)
                to = [p for p in cast if p != sender] or [w.me]
                if sender != w.me:
                    to = [w.me] + to[:2]
                greeting = f"Hi {to[0].name.split()[0]},"
                body = (f"{greeting}\n\n" + "\n\n".join(w.paragraph(sentences, r.randint(2, 4), fills)
                                                         for _ in range(r.randint(1, 3)))
                        + f"\n\n{r.choice(CLOSINGS)}\n{sender.name.split()[0]}")
                if quoted and r.random() < 0.7:
                    body += f"\n\nOn {format_datetime(at)}, someone wrote:\n" + "\n".join(
                        "> " + line for line in quoted.split("\n")[:40])
                msg_id = f"m{thread_no}.{i}@{sender.email.split('@')[1]}"
                attach = _attachment(w, fills) if r.random() < 0.15 else None
                if attach is not None and not attach[1].endswith(".png") and r.random() < 0.8:
                    attach = None  # documents are attached to ~3% of mail, pictures to the rest of the 15%
                text = _message(w, sender=sender, to=to, subject=("Re: " if i else "") + subject, when=at, body=body,
                                msg_id=msg_id, thread_id=thread_no, parent=parent,
                                labels="Sent" if sender == w.me else "Inbox,Important" if i == 0 else "Inbox",
                                html=r.random() < 0.3, attachment=attach, newsletter=False)
                out.write(f"From {sender.email} {at.strftime('%a %b %d %H:%M:%S %Y')}\n{_mbox_line(text)}\n")
                written += 1
                parent, quoted = msg_id, body
                at += timedelta(minutes=r.randint(5, 2 * 24 * 60))
    return written


def write_ics(path: Path, w: Writer, events: int) -> int:
    """One VCALENDAR of `events` VEVENTs over ten years; ~6% recurring with COUNT or UNTIL and some EXDATEs."""
    r = w.rng
    span_days = YEARS * 365
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Reflex bench//workspace_gen//EN"]
    fmt = "%Y%m%dT%H%M%SZ"
    for i in range(events):
        fills = w.slots()
        start = (START + timedelta(days=span_days * i / events)).replace(hour=r.randint(7, 17),
                                                                          minute=r.choice((0, 30)))
        end = start + timedelta(minutes=r.choice((30, 45, 60, 90)))
        attendees = r.sample(w.people, r.randint(1, 5))
        summary = r.choice(("{co} pricing call", "1:1 with {p}", "{prod} roadmap review", "Board prep {q}",
                            "Supplier review: {co}", "Interview: {p}", "{city} site visit",
                            "Forecast review {q}")).format(**fills)
        lines += ["BEGIN:VEVENT", f"UID:ev{i}@bench.example", f"DTSTAMP:{start.strftime(fmt)}",
                  f"DTSTART:{start.strftime(fmt)}", f"DTEND:{end.strftime(fmt)}", f"SUMMARY:{summary}",
                  f"DESCRIPTION:{w.paragraph(TOPICS[r.choice(list(TOPICS))][1], 2, fills)}",
                  f"LOCATION:{fills['city']}", f"ORGANIZER;CN={ME[0]}:mailto:{ME[1]}"]
        lines += [f"ATTENDEE;CN={p.name};PARTSTAT=ACCEPTED:mailto:{p.email}" for p in attendees]
        if r.random() < 0.06:
            if r.random() < 0.5:
                lines.append(f"RRULE:FREQ=WEEKLY;COUNT={r.randint(4, 52)}")
            else:
                until = start + timedelta(days=r.randint(60, 720))
                lines.append(f"RRULE:FREQ=MONTHLY;UNTIL={until.strftime(fmt)}")
            if r.random() < 0.4:
                lines.append(f"EXDATE:{(start + timedelta(days=14)).strftime(fmt)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return events


def write_documents(folder: Path, w: Writer, documents: int) -> int:
    """Markdown memos, plans and contract summaries of a few paragraphs under headings."""
    folder.mkdir(parents=True, exist_ok=True)
    r = w.rng
    for i in range(documents):
        topic = r.choice(list(TOPICS))
        fills = w.slots()
        title = r.choice(TOPICS[topic][0]).format(**fills)
        sections = [f"# {title}", ""]
        for heading in r.sample(("Summary", "Background", "Options", "Decision", "Risks", "Next steps"), 3):
            sections += [f"## {heading}", "", w.paragraph(TOPICS[topic][1], r.randint(2, 5), fills), ""]
        (folder / f"{i:05d} {title.replace('/', '-').replace(':', '')}.md").write_text("\n".join(sections),
                                                                                     encoding="utf-8")
    return documents


def generate(out: Path, *, mails: int = 200_000, events: int = 20_000, documents: int = 1_000,
             seed: int = 2016) -> dict[str, int]:
    """Write the workspace under `out`; the same arguments always give the same files."""
    out.mkdir(parents=True, exist_ok=True)
    w = Writer(seed)
    return {"mails": write_mbox(out / "mail.mbox", w, mails), "events": write_ics(out / "calendar.ics", w, events),
            "documents": write_documents(out / "docs", w, documents)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mails", type=int, default=200_000)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--documents", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=2016)
    args = ap.parse_args(argv)
    counts = generate(args.out, mails=args.mails, events=args.events, documents=args.documents, seed=args.seed)
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
