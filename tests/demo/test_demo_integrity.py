"""The demo workspace meets its minimums, parses with the product importers, and its labels are consistent."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from connectors.files import ImportFailure, ImportItem, iter_import
from connectors.mime import parse_message
from models import Event, Message

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
TZ = ZoneInfo("America/Los_Angeles")
REFERENCE = date(2026, 11, 25)
CATEGORIES = {"customer", "team", "investor", "board", "vendor", "recruiting", "newsletter", "personal"}
PRIORITIES = {"urgent", "important", "normal", "low"}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((DEMO / "manifest.json").read_text())


@pytest.fixture(scope="module")
def labels() -> dict:
    return json.loads((DEMO / "labels.json").read_text())


@pytest.fixture(scope="module")
def messages() -> dict[str, Message]:
    out = {}
    for result in iter_import([DEMO / "mail"]):
        assert isinstance(result, ImportItem), getattr(result, "reason", result)
        out[Path(result.source).relative_to(DEMO).as_posix()] = result.item
    return out


@pytest.fixture(scope="module")
def events() -> list[Event]:
    window = (datetime(2026, 11, 16, tzinfo=TZ), datetime(2026, 12, 7, tzinfo=TZ))
    results = list(iter_import([DEMO / "calendar"], window=window, default_tz=TZ))
    assert not [r for r in results if isinstance(r, ImportFailure)]
    return [r.item for r in results]


def test_manifest_and_size(manifest, messages, events):
    assert manifest["reference_date"] == REFERENCE.isoformat()
    assert manifest["counts"]["emails"] == len(messages)
    assert manifest["counts"]["calendar_events"] == len(events)
    total = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    assert total < 3 * 1024 * 1024


def test_mail_minimums_and_variety(messages):
    assert len(messages) >= 200
    threads = Counter(m.thread_key for m in messages.values())
    assert len(threads) >= 25 and sum(1 for n in threads.values() if n >= 4) >= 20
    dates = [m.sent_at for m in messages.values()]
    assert all(d is not None and d.tzinfo is not None for d in dates)
    assert min(dates).date() >= date(2026, 11, 4) and max(dates).astimezone(TZ).date() == REFERENCE
    assert sum(1 for m in messages.values() if m.headers.get("List-Unsubscribe")) >= 9
    assert sum(1 for m in messages.values() if m.attachments) >= 2
    raw = {p: (DEMO / p).read_bytes() for p in messages}
    assert any(b"text/html" in r and b"multipart/alternative" in r for r in raw.values())
    legacy = [p for p, r in raw.items() if b"charset=\"windows-1252\"" in r or b"charset=\"iso-8859-1\"" in r]
    assert legacy and all("\ufffd" not in messages[p].body_text for p in legacy)
    assert any("Müller" in messages[p].body_text or "café" in messages[p].body_text for p in legacy)
    assert any(m.body_text.count("\n>") >= 2 for m in messages.values())  # quoted replies
    assert any("-----" in m.body_text or "____" in m.body_text for m in messages.values())  # Outlook quotes
    assert sum(1 for m in messages.values() if m.sender.email == "dana@northwind-robotics.example") >= 30


def test_every_eml_parses_directly():
    for path in sorted((DEMO / "mail").glob("*.eml")):
        msg = parse_message(path.read_bytes())
        assert msg.subject and msg.sender.email and msg.body_text, path.name


def test_calendar_minimums(events):
    assert len(events) >= 40
    today = [e for e in events if e.start.astimezone(TZ).date() == REFERENCE and e.status != "cancelled"]
    assert len(today) >= 3
    assert any(e.recurring_id for e in events) and any(e.all_day for e in events)
    assert any(e.status == "cancelled" for e in events)
    titles = " ".join(e.title for e in events)
    for needle in ("1:1", "Board meeting", "Harborview", "Pinecrest", "standup", "offsite"):
        assert needle in titles


def test_calendar_attendees_match_mail_addresses(events, messages):
    mail_addresses = {c.email for m in messages.values() for c in m.participants}
    attendees = {a.email for e in events for a in e.attendees}
    assert len(attendees & mail_addresses) >= 20
    assert {"mark.delaney@harborview-logistics.example", "robert.haines@pinecrest-medical.example",
            "victoria@granitepeak.example"} <= attendees


def test_transcripts_load_and_link_to_events(events):
    files = sorted((DEMO / "transcripts").glob("*.json"))
    assert len(files) == 3
    event_ids = {e.provider_id for e in events}
    for path in files:
        doc = json.loads(path.read_text())
        assert {"title", "started_at", "event_uid", "attendees", "segments"} <= set(doc)
        assert datetime.fromisoformat(doc["started_at"]).tzinfo is not None
        assert doc["event_uid"] in event_ids, path.name
        segs = doc["segments"]
        assert len(segs) >= 10 and all(s["speaker"] and s["text"] and s["end"] > s["start"] for s in segs)
        assert all(a["end"] <= b["start"] for a, b in zip(segs, segs[1:]))


def test_documents_and_strategic_context():
    docs = sorted(p.name for p in (DEMO / "docs").iterdir())
    assert len(docs) == 5 and any(n.endswith(".html") for n in docs)
    context = json.loads((DEMO / "strategic_context.json").read_text())
    assert context["values"] and context["goals"] and context["priorities"] and context["key_accounts"]
    roster = context["team"]
    emails = {m["email"] for m in roster}
    assert all(m["reports_to"] in emails or m["reports_to"] == "" for m in roster)
    teams = Counter(m["team"] for m in roster)
    assert sum(1 for n in teams.values() if n >= 3) >= 3


def test_labels_cover_every_email_and_refer_to_existing_sources(labels, messages):
    by_file = {e["file"]: e for e in labels["emails"]}
    assert set(by_file) == set(messages)
    for entry in labels["emails"]:
        assert entry["priority"] in PRIORITIES and entry["category"] in CATEGORIES
        sent = messages[entry["file"]].sender.email == "dana@northwind-robotics.example"
        assert (entry["direction"] == "sent") == sent
        assert not (sent and entry["needs_reply"])
    assert sum(e["needs_reply"] for e in labels["emails"]) >= 15
    assert {e["category"] for e in labels["emails"]} == CATEGORIES

    def exists(ref: str) -> bool:
        path, _, segment = ref.partition("#")
        if not (DEMO / path).is_file():
            return False
        if segment:
            return int(segment) < len(json.loads((DEMO / path).read_text())["segments"])
        return True

    for item in labels["commitments"] + labels["opportunities"]:
        assert item["sources"] and all(exists(s) for s in item["sources"]), item["id"]
    for c in labels["commitments"]:
        assert c["direction"] in {"owed_by_me", "owed_to_me", "other"} and c["status"] in {"open", "done"}
        assert c["due"] is None or date.fromisoformat(c["due"])
        assert (c["done_in"] is not None) == (c["status"] == "done") and (c["done_in"] is None or exists(c["done_in"]))


def test_opportunity_amounts_appear_in_their_sources(labels, messages):
    for opp in labels["opportunities"]:
        amount = f"{opp['amount']:,}"
        texts = []
        for ref in opp["sources"]:
            path, _, segment = ref.partition("#")
            if segment:
                texts.append(json.loads((DEMO / path).read_text())["segments"][int(segment)]["text"])
            else:
                texts.append(messages[path].body_text)
        assert any(f"${amount}" in t for t in texts), opp
    assert {o["kind"] for o in labels["opportunities"]} == {"new", "expansion", "renewal", "upsell"}
