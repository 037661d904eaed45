"""PII detection and reversible redaction. Recall on the labelled corpus (pv_pii_corpus.py) is measured in
tests/eval/test_pii_eval.py, which prints it with the evaluation figures."""

from __future__ import annotations

from engine.privacy.pii import PiiDetector, PiiRedactor, known_names
from models import Contact, StrategicContext, TeamMember


def test_names_and_organisations_from_contacts_and_context(store) -> None:
    store.contacts.upsert([Contact("dana@acme.example", "Dana Whitfield", "Acme Logistics"), Contact("x@y.example", "Bo")])
    store.contexts.save(StrategicContext(key_accounts=["Globex Freight"], team=[TeamMember("Priya Raman", "CFO")]))
    people, orgs = known_names(store)
    assert people == ["Dana Whitfield", "Priya Raman"] and orgs == ["Acme Logistics", "Globex Freight"]
    redactor = PiiRedactor(people, organizations=orgs)
    text = "dana whitfield said Globex Freight and Acme Logistics will sign; Priya Raman agrees. Bo too."
    out = redactor.redact(text)
    assert out == "[NAME_1] said [ORG_1] and [ORG_2] will sign; [NAME_2] agrees. Bo too."
    assert redactor.restore(out) == text
    assert redactor.by_kind == {"NAME": 2, "ORG": 2}


def test_placeholders_are_stable_reversible_and_stream_safe() -> None:
    redactor = PiiRedactor()
    text = "Wire to DE89 3704 0044 0532 0130 00, then call +44 20 7946 0958. Again: DE89370400440532013000."
    out = redactor.redact(text)
    assert out == "Wire to [IBAN_1], then call [PHONE_1]. Again: [IBAN_1]."
    assert redactor.restore("Paid [IBAN_1]; unknown [IBAN_9] stays") == "Paid DE89 3704 0044 0532 0130 00; unknown [IBAN_9] stays"
    stream = redactor.restorer()
    pieces = [stream.feed(p) for p in ("Call [PHO", "NE_1] now", " about [IB", "AN_1]")] + [stream.finish()]
    assert "".join(pieces) == "Call +44 20 7946 0958 now about DE89 3704 0044 0532 0130 00"


def test_checksums_reject_lookalikes() -> None:
    detector = PiiDetector(region="US")
    lookalikes = [
        "Card 4111 1111 1111 1112 is a typo.",  # Luhn fails
        "IBAN DE89 3704 0044 0532 0130 01 bounced.",  # mod-97 fails
        "Order 000-12-3456 and 666-12-3456.",  # SSA-invalid areas
        "Steuer-ID 36 574 261 808?",  # check digit fails (36 574 261 809 is valid)
        "Meeting ID 842 1234 5678, PO-2026-00123, $1,250,000.00 on 2026-03-04 at 10:30.",
    ]
    for text in lookalikes:
        assert detector.find(text) == [], text
