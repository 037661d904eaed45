"""The user's region, not a hard-wired "US", decides how national phone numbers are read when redacting
(issue #16 item 13): settings -> cloud prompts and redacted exports."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.settings import Settings
from engine.privacy import PiiRedactor, default_region, export_store
from models import Contact, Message

UK_NATIONAL = "Call me on 020 7946 0958 or 07911 123456 tomorrow."


def test_the_region_setting_is_a_known_country_code():
    assert Settings(region="gb").region == "GB" and Settings().region == ""
    with pytest.raises(ValidationError):
        Settings(region="XX")


def test_national_numbers_are_redacted_in_the_users_region_only():
    assert "0958" not in PiiRedactor(region="GB").redact(UK_NATIONAL)
    assert "0958" in PiiRedactor(region="US").redact(UK_NATIONAL)  # the old hard-wired region missed them


def test_the_default_region_comes_from_the_locale(monkeypatch):
    import locale

    monkeypatch.setattr(locale, "getlocale", lambda *a: ("de_DE", "UTF-8"))
    assert default_region() == "DE"
    monkeypatch.setattr(locale, "getlocale", lambda *a: (None, None))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    assert default_region() == "US"


def test_first_names_of_known_people_are_redacted_in_context():
    redactor = PiiRedactor(["Priya Raman", "Will Turner"], region="GB")
    out = redactor.redact("Hi Priya,\nWill said we will ship in May.\nThanks,\nWill")
    assert "Priya" not in out and out.count("Will") == 0 and "we will ship in May" in out
    assert redactor.restore(out) == "Hi Priya,\nWill said we will ship in May.\nThanks,\nWill"


def test_a_redacted_export_uses_the_region(store, tmp_path):
    store.contacts.upsert([Contact("ana@acme.example", "Ana Silva")])
    store.messages.upsert([Message(account="import", provider_id="m1", thread_key="t", subject="call",
                                   sender=Contact("ana@acme.example", "Ana Silva"), body_text=UK_NATIONAL)])
    report = export_store(store, tmp_path, redacted=True, region="GB")
    exported = b"".join(p.read_bytes() for p in report.folder.rglob("*") if p.is_file())
    assert b"7946" not in exported and b"123456" not in exported
