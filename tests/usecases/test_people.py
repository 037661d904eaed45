"""The stakeholder dossier page: threads, meetings (calendar and recorded), commitments both ways, deals and
notes for one person; the people list to pick from."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from engine.usecases.people import people, stakeholder_dossier
from models import Attendee, Commitment, Contact, Event, Evidence, Meeting, Opportunity
from tests.assistant.conftest import ME

NOW = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
LI = Contact("li@globex.example", "Li Wei", "Globex")


def test_dossier_gathers_everything_about_one_person(company, mail) -> None:  # noqa: ANN001
    mail(LI, "Globex renewal", "Can we talk pricing?", when="2026-03-04T09:00")
    mail(Contact("other@else.example"), "Unrelated", "Nothing", when="2026-03-05T09:00")
    company.commitments.upsert("a", Commitment(owner=ME.email, counterparty=LI.email, what="Send the quote",
                                               direction="owed_by_me"))
    company.commitments.upsert("b", Commitment(owner=LI.email, counterparty=ME.email, what="Sign the order form",
                                               direction="owed_to_me"))
    company.commitments.upsert("b2", Commitment(owner=LI.email, counterparty=ME.email, what="Sign the order form",
                                                direction="owed_to_me"))  # extracted twice: shown once
    company.opportunities.upsert("globex", Opportunity("Globex", "Li Wei", "renewal", 120000, "USD", "proposal",
                                                       contact_email=LI.email,
                                                       evidence=[Evidence("email", 1, "pricing")]))
    past, ahead = (company.events.upsert([Event("test", pid, title, start, start + timedelta(hours=1),
                                                attendees=[Attendee(ME.email), Attendee(LI.email, LI.name)])])[0]
                   for pid, title, start in (("p", "Kick-off", NOW - timedelta(days=20)),
                                             ("f", "QBR", NOW + timedelta(days=3))))
    company.events.upsert([Event("test", f"qbr{n}", "QBR", NOW + timedelta(days=10 + n),
                                 NOW + timedelta(days=10 + n, hours=1), attendees=[Attendee(LI.email)])
                           for n in range(3)])  # later instances of a series: one line, the next one
    recorded = company.meetings.create(Meeting("Pricing call", NOW - timedelta(days=5), attendees=["Li", "Casey"]))
    company.memories.add("Li prefers calls before 10am.")
    company.memories.add("Lisbon office opens in May.")  # "Li" inside another word is not about Li

    d = stakeholder_dossier(company, "li@globex.example", now=lambda: NOW)
    assert d.found and d.card.name == "Li Wei"
    assert [t.title for t in d.threads] == ["Globex renewal"]
    assert [c.title.split(": ", 1)[1] for c in d.i_owe] == ["Send the quote"]
    assert [c.title.split(": ", 1)[1] for c in d.they_owe] == ["Sign the order form"]
    assert d.deals and d.deals[0].title.startswith("Globex")
    assert [m.link for m in d.meetings] == [f"reflex://event/{ahead}", f"reflex://meeting/{recorded}",
                                            f"reflex://event/{past}"]  # upcoming first, then newest past
    assert d.meetings[0].upcoming and not d.meetings[1].upcoming
    assert d.notes == ["Li prefers calls before 10am."]
    # a name finds the same person
    assert stakeholder_dossier(company, "Li Wei", now=lambda: NOW).card.email == LI.email


def test_an_unknown_name_says_so(company) -> None:  # noqa: ANN001
    d = stakeholder_dossier(company, "Nobody Known", now=lambda: NOW)
    assert not d.found and not d.meetings and not d.notes


def test_people_list_filters_and_leaves_the_user_out(company, mail) -> None:  # noqa: ANN001
    mail(LI, "Hello", "Hi")
    everyone = people(company)
    emails = [p.email for p in everyone]
    assert ME.email not in emails and "li@globex.example" in emails and "pat@acme.example" in emails
    assert [p.email for p in people(company, "globex")] == ["li@globex.example"]
    assert [p.name for p in people(company, "pat")] == ["Pat Lee"]
