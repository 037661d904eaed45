"""How many similar corrections it takes to change a mistaken priority pattern (issue 15 target: <= 3).

The pattern: invitations to tender from public buyers (each from a different portal, none in any list the rules
know) that the rules rank normal and this user wants important. After each correction, the tenders not yet
corrected, all from senders never corrected, are triaged again; the figure is the number of corrections after
which every one of them is important. Unrelated mail must keep its rule verdict.
"""

from __future__ import annotations

from datetime import datetime, timezone

from engine.assistant.triage import TriageEngine
from eval_figures import report
from models import Contact, Message

ME = Contact("ines@tidewater.example", "Ines Carvalho")
TENDERS = [
    ("procurement@ports-authority.example", "Invitation to tender: harbour crane maintenance framework",
     "The Ports Authority invites suppliers to tender for a four-year crane maintenance framework. Tender documents "
     "are on the portal; clarification questions close on 12 May and submissions on 30 May."),
    ("tenders@cityofnorthport.example", "Tender notice: fleet telematics for municipal vehicles",
     "The City of Northport invites tenders for fleet telematics across 420 municipal vehicles. The framework runs "
     "three years. Submissions close on 2 June; questions through the tender portal."),
    ("bids@regionalwater.example", "Invitation to tender - pump monitoring framework",
     "Regional Water invites tenders for remote pump monitoring under a new framework agreement. Tender documents "
     "and the evaluation criteria are on the portal. Submissions close 9 June."),
    ("sourcing@healthtrust.example", "Tender: asset tracking framework for hospitals",
     "The Health Trust is tendering an asset tracking framework for six hospitals. Please see the tender portal "
     "for documents; submissions close on 16 June."),
    ("contracts@transitauthority.example", "Invitation to tender: depot monitoring",
     "Transit Authority invites tenders for depot equipment monitoring. Framework of two years; submissions close on "
     "20 June via the tender portal."),
    ("purchasing@stateuniversity.example", "Tender notice - campus sensor network framework",
     "State University invites tenders for a campus sensor network framework. Tender documents on the portal; "
     "submissions close 27 June."),
]
OTHER = [
    ("omar@tidewater.example", "Lunch Thursday?", "Shall we grab lunch on Thursday to catch up on the hiring plan?"),
    ("news@industryweekly.example", "Industry Weekly: sensors in 2026", "This week: sensors in 2026. Unsubscribe."),
]


def _store_mail(store, rows) -> list[Message]:  # noqa: ANN001
    out = []
    for i, (sender, subject, body) in enumerate(rows):
        msg = Message(account="test", provider_id=f"{sender}-{i}", thread_key=f"{sender}-{i}", subject=subject,
                      sender=Contact(sender, ""), to=[ME], body_text=body,
                      headers={"List-Unsubscribe": "<x>"} if "news@" in sender else {},
                      sent_at=datetime(2026, 5, 4 + i, 9, tzinfo=timezone.utc))
        store.messages.upsert([msg])
        out.append(msg)
    return out


def test_corrections_needed_to_change_a_priority_pattern(store) -> None:  # noqa: ANN001
    store.settings.set("assistant.me", {"emails": [ME.email], "name": ME.name})
    tenders, others = _store_mail(store, TENDERS), _store_mail(store, OTHER)
    engine = TriageEngine(store)
    before = {m.id: engine.triage(m.id).priority for m in [*tenders, *others]}
    assert all(before[m.id] != "important" for m in tenders)  # the rules' mistake this user corrects
    needed = None
    for k, corrected in enumerate(tenders[:4], start=1):
        engine.correct(corrected.id, "priority", "important")
        rest = [engine.triage(m.id) for m in tenders[k:]]
        if all(r.priority == "important" for r in rest):
            needed = k
            assert all(r.source == "learned" and "re-prioritised" in r.reason for r in rest)  # it says why
            break
    report(f"EVAL learning.corrections_to_change_priority_pattern {needed} target <= 3")
    assert needed is not None and needed <= 3
    assert [engine.triage(m.id).priority for m in others] == [before[m.id] for m in others]
    assert TriageEngine(store).triage(tenders[-1].id).priority == "important"  # kept in the store, reloaded
