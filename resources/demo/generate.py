"""Render the Northwind Robotics demo workspace into resources/demo/ (run: python resources/demo/generate.py).

The app never runs this: it imports the committed output (mail/*.eml, calendar/*.ics, transcripts,
docs, strategic_context.json) through the same importers as real data. labels.json holds the
ground truth that evaluation scores extractors against; it is written from the same source data so
it can never drift from the files.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))  # the repository root, for connectors.ical

from connectors.ical import parse_calendar  # noqa: E402

from gen import calendar_data, docs, mail_company, mail_customers, mail_other, transcripts, truth  # noqa: E402
from gen.people import PEOPLE, STAFF  # noqa: E402
from gen.render_mail import render  # noqa: E402

REFERENCE_DATE = "2026-11-25"
THREADS = mail_customers.THREADS + mail_company.THREADS + mail_other.THREADS


def mail_files() -> dict[tuple[str, int], str]:
    """(thread key, message index) -> relative file name, in thread order."""
    names = {}
    for t_index, thread in enumerate(THREADS, start=1):
        for m_index in range(len(thread.msgs)):
            names[(thread.key, m_index)] = f"mail/{t_index:02d}-{thread.key}-{m_index + 1:02d}.eml"
    return names


def write_mail(out: Path, names: dict[tuple[str, int], str]) -> list[dict]:
    labels = []
    for thread in THREADS:
        for index, msg in enumerate(thread.msgs):
            rel = names[(thread.key, index)]
            (out / rel).write_bytes(render(thread, index))
            sent = msg.frm == "dana"
            answered = any(m.frm == "dana" for m in thread.msgs[index + 1:])
            labels.append({
                "file": rel, "thread": thread.key, "direction": "sent" if sent else "received",
                "priority": msg.prio or thread.prio, "category": thread.category,
                "needs_reply": bool(msg.reply) and not sent, "answered": bool(msg.reply) and answered,
            })
    return labels


def main() -> None:
    for sub in ("mail", "calendar", "transcripts", "docs"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
        (HERE / sub).mkdir()
    names = mail_files()
    email_labels = write_mail(HERE, names)
    definitions = calendar_data.write(HERE / "calendar")
    instances = [e for f in sorted((HERE / "calendar").glob("*.ics"))
                 for e in parse_calendar(f.read_bytes(), start=calendar_data.WINDOW[0], end=calendar_data.WINDOW[1],
                                          default_tz=calendar_data.TZ).events]
    transcript_files = transcripts.write(HERE / "transcripts")
    doc_files = docs.write(HERE / "docs")
    context = truth.strategic_context(STAFF)
    (HERE / "strategic_context.json").write_text(json.dumps(context, indent=2, ensure_ascii=False) + "\n")
    labels = {
        "reference_date": REFERENCE_DATE,
        "definitions": truth.DEFINITIONS,
        "emails": email_labels,
        "commitments": truth.commitments(names),
        "opportunities": truth.opportunities(names),
    }
    (HERE / "labels.json").write_text(json.dumps(labels, indent=2, ensure_ascii=False) + "\n")
    manifest = {
        "name": "Northwind Robotics demo workspace",
        "description": (
            "A fictional warehouse-robotics company. The user is Dana Whitfield, CEO "
            "(dana@northwind-robotics.example). Mail, calendar, meeting transcripts and documents cover "
            "the three weeks around the reference date; the app imports them like real data."),
        "user": {"name": PEOPLE["dana"].name, "email": PEOPLE["dana"].email, "role": PEOPLE["dana"].role},
        "reference_date": REFERENCE_DATE,
        "timezone": "America/Los_Angeles",
        "calendar_window": {"start": "2026-11-16", "end": "2026-12-07"},
        "counts": {
            "emails": len(email_labels),
            "threads": len(THREADS),
            "calendar_files": len(list((HERE / "calendar").glob("*.ics"))),
            "calendar_event_definitions": definitions,
            "calendar_events": len(instances),
            "calendar_events_on_reference_date": sum(
                1 for e in instances if e.start.astimezone(calendar_data.TZ).date().isoformat() == REFERENCE_DATE),
            "transcripts": len(transcript_files),
            "documents": len(doc_files),
        },
        "paths": {"mail": "mail", "calendar": "calendar", "transcripts": "transcripts", "docs": "docs",
                  "strategic_context": "strategic_context.json", "labels": "labels.json"},
    }
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest["counts"]))


if __name__ == "__main__":
    main()
