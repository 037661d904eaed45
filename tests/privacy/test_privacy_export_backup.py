"""Export (JSON + .eml + .ics + WAV, optionally redacted), encrypted backup while open, and restore."""

from __future__ import annotations

import json
import wave
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

import icalendar
import numpy as np
import pytest

from connectors.ical import parse_calendar
from connectors.mime import parse_message
from engine.errors import PrivacyError, StoreLocked
from engine.privacy import AuditLog, export_store
from engine.store import Store, StoreKey
from engine.store.backup import backup, backup_meta, restore
from models import Account, Attendee, Contact, Event, Meeting, Message, StrategicContext, TeamMember, TranscriptSegment

AT = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)


def _fill(store: Store) -> None:
    store.contacts.upsert([Contact("dana@acme.example", "Dana Whitfield", "Acme Logistics")])
    store.contexts.save(StrategicContext(key_accounts=["Acme Logistics"], team=[TeamMember("Priya Raman", "CFO")]))
    store.messages.upsert([Message(
        "demo", "m1", "t1", "Renewal for Acme Logistics", Contact("dana@acme.example", "Dana Whitfield"),
        to=[Contact("ceo@northwind.example", "CEO")], sent_at=AT,
        body_text="Hi,\nwire the deposit to DE89 3704 0044 0532 0130 00 and call +44 20 7946 0958.\nDana Whitfield",
        message_id_header="m1@acme.example", labels=["INBOX"])])
    store.events.upsert([Event("demo", "e1", "Acme Logistics QBR", AT, AT + timedelta(hours=1),
                               description="Agenda: renewal", location="1600 Pennsylvania Avenue NW",
                               attendees=[Attendee("dana@acme.example", "Dana Whitfield", "accepted")],
                               organizer="ceo@northwind.example")])
    meeting = store.meetings.create(Meeting("Pipeline review", AT, segments=[
        TranscriptSegment(0.0, 2.0, "Priya Raman: the card 4111 1111 1111 1111 was declined", "S1")]))
    tone = (np.sin(np.arange(16000) / 16000 * 2 * np.pi * 440) * 8000).astype("<i2").tobytes()
    store.meetings.append_audio(meeting, 0, tone)
    store.meetings.append_audio(meeting, 1, tone)


def test_plain_export_round_trips_through_our_own_parsers(store, tmp_path) -> None:
    _fill(store)
    report = export_store(store, tmp_path, include_audio=True)
    folder = report.folder
    assert report.complete and (report.messages, report.events, report.meetings, report.audio_files) == (1, 1, 1, 1)
    msg = parse_message((folder / "mail" / "1.eml").read_bytes(), account="x")
    assert msg.subject == "Renewal for Acme Logistics" and "DE89 3704" in msg.body_text
    assert msg.sender.email == "dana@acme.example" and msg.message_id_header == "m1@acme.example"
    events = parse_calendar((folder / "calendar" / "events.ics").read_bytes(), account="x").events
    assert [e.title for e in events] == ["Acme Logistics QBR"] and events[0].start == AT
    with wave.open(str(folder / "meetings" / "1.wav")) as wav:
        assert (wav.getframerate(), wav.getnframes(), wav.getsampwidth()) == (16000, 32000, 2)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"]["messages"] == 1 and not manifest["redacted"]
    assert json.loads((folder / "meetings" / "1.json").read_text())["segments"][0]["speaker"] == "S1"
    entry = AuditLog(store).entries(actions=["export"])[-1]
    assert entry.detail["messages"] == 1 and entry.detail["audio_files"] == 1


def test_redacted_export_contains_no_pii_anywhere(store, tmp_path) -> None:
    _fill(store)
    report = export_store(store, tmp_path, redacted=True)
    assert report.redacted and report.redactions > 0 and report.counts_by_kind["IBAN"] >= 1
    secrets = ["Dana Whitfield", "dana@acme.example", "DE89 3704", "7946 0958", "Acme Logistics", "Priya Raman",
               "4111 1111", "Pennsylvania"]
    files = [p for p in report.folder.rglob("*") if p.is_file()]
    assert len(files) >= 9
    for path in files:
        data = path.read_bytes().decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in data, (path.name, secret)
    eml = BytesParser(policy=policy.default).parsebytes((report.folder / "mail" / "1.eml").read_bytes())
    assert eml["From"].addresses[0].addr_spec == "email-1@redacted.invalid"
    ics = icalendar.Calendar.from_ical((report.folder / "calendar" / "events.ics").read_bytes())
    assert str(next(iter(ics.walk("VEVENT")))["SUMMARY"]) == "[ORG_1] QBR"
    assert not list(report.folder.rglob("*.wav"))
    with pytest.raises(PrivacyError):
        export_store(store, tmp_path, redacted=True, include_audio=True)


def test_backup_while_open_and_still_writing_then_restore_moves_the_live_store_aside(store, store_key, tmp_path) -> None:
    _fill(store)
    info = backup(store, tmp_path)
    assert info.path.read_bytes()[:16] != b"SQLite format 3\x00" and b"Dana" not in info.path.read_bytes()
    assert backup_meta(info.path)["key_mode"] == "keyring" and info.schema_version == store.schema_version
    store.messages.upsert([Message("demo", "m2", "t2", "after the backup", Contact("x@y.example"), sent_at=AT)])
    with pytest.raises(Exception):
        backup(store, info.path)  # never overwrites
    live = store.path
    store.close()
    moved = restore(info.path, live, store_key)
    assert moved is not None and moved.exists()
    with Store.open(live, store_key) as restored:
        assert restored.counts()["messages"] == 1 and restored.integrity_problems() == []
    with Store.open(moved, store_key, upgrade=False) as previous:
        assert previous.counts()["messages"] == 2  # the replaced store is intact beside it


def test_restore_with_a_wrong_key_changes_nothing(store, tmp_path) -> None:
    info = backup(store, tmp_path / "b.db") if (tmp_path / "b.db").parent.exists() else None
    live = store.path
    store.close()
    before = live.read_bytes()
    with pytest.raises(StoreLocked):
        restore(info.path, live, StoreKey.generate())
    assert live.read_bytes() == before and not list(live.parent.glob("*.before-restore-*"))


def test_cli_backup_export_and_restore(store, cli, tmp_path, monkeypatch) -> None:
    _fill(store)
    home = store.path.parent
    store.close()
    code, out, _ = cli("backup", "--home", str(home), str(tmp_path), "--json")
    backup_path = Path(json.loads(out)["path"])
    assert code == 0 and backup_path.exists()
    code, out, _ = cli("export", "--home", str(home), str(tmp_path / "exp"), "--redacted")
    assert code == 0 and "Redacted export written" in out and "NOT encrypted" in out
    code, _, err = cli("restore", "--home", str(home), str(backup_path))
    assert code == 1 and "--yes" in err  # no terminal: needs explicit confirmation
    code, out, _ = cli("restore", "--home", str(home), str(backup_path), "--yes")
    assert code == 0 and "previous store was kept" in out
    code, out, _ = cli("audit", "--home", str(home), "--json")
    actions = [e["action"] for e in json.loads(out)]
    assert actions[-1] == "restore" and "export" not in actions  # the restored log is the backup's + the restore


def test_redacted_export_names_no_account_domain_or_message_id(store, tmp_path) -> None:
    """Issue #16 item 10: with a real-looking account, its address and domain leaked through account keys on every
    row, Message-IDs, event UIDs `{id}@{account}`, calendar ids and audit targets (the test above used "demo")."""
    account = "google:rachel.canary@canarycorp-7f3a.example"
    store.accounts.upsert(Account(account, "google", "rachel.canary@canarycorp-7f3a.example", state="connected"))
    store.messages.upsert([Message(
        account, "18c2f0a1b2", "thread-18c2", "Board pack", Contact("omar@partnerco-5b1e.example", "Omar Haddad"),
        to=[Contact("rachel.canary@canarycorp-7f3a.example", "Rachel Canary")], sent_at=AT, body_text="See attached.",
        message_id_header="CAF=board.pack@mail.canarycorp-7f3a.example",
        in_reply_to="prev.1@mail.partnerco-5b1e.example")])
    store.events.upsert([Event(account, "evt9", "Board prep", AT, AT + timedelta(hours=1),
                               calendar="rachel.canary@canarycorp-7f3a.example",
                               attendees=[Attendee("omar@partnerco-5b1e.example", "Omar Haddad")])])
    AuditLog(store).record("sync", account, messages=1)
    report = export_store(store, tmp_path, redacted=True)
    canaries = ["rachel.canary", "canarycorp-7f3a", "partnerco-5b1e", "Omar Haddad", "CAF=board.pack"]
    for path in (p for p in report.folder.rglob("*") if p.is_file()):
        data = path.read_bytes().decode("utf-8", "replace")
        for canary in canaries:
            assert canary not in data, (path.name, canary)
    eml = BytesParser(policy=policy.default).parsebytes((report.folder / "mail" / "1.eml").read_bytes())
    assert eml["Message-ID"] == "<message-1@redacted.invalid>" and eml["In-Reply-To"] == "<message-2@redacted.invalid>"
