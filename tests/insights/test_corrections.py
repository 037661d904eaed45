"""Corrections to commitments and the pipeline: stored, audited, kept across re-scans, learned."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from engine.assistant.commitments import CommitmentLedger
from engine.insights.corrections import CorrectionError, Corrections, OpportunityEdit
from engine.insights.revenue import RevenueIntel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
import mailbox_eval  # noqa: E402


@pytest.fixture
def mailbox(store):  # noqa: ANN001, ANN201
    mailbox_eval.load(store, mailbox_eval.corpus("fernhill"))  # the tuning mailbox, cold
    CommitmentLedger(store).scan(meetings=False)
    RevenueIntel(store).scan()
    return store


def _by_what(store, words: str):  # noqa: ANN001, ANN202
    return next(c for c in store.commitments.list() if words in c.what)


def test_commitment_corrections_survive_a_rescan_and_are_audited(mailbox) -> None:  # noqa: ANN001
    fix = Corrections(mailbox)
    quote, nda, kids = _by_what(mailbox, "formal quote"), _by_what(mailbox, "sign"), _by_what(mailbox, "pick up")
    fix.commitment_redate(quote.id, date(2026, 3, 10))
    fix.commitment_owner(quote.id, "tom.reyes@fernhill.io")
    fix.commitment_text(quote.id, "send Kestrel the formal quote for 40 properties")
    fix.commitment_done(nda.id)
    fix.commitment_dismiss(kids.id)
    CommitmentLedger(mailbox).scan(meetings=False)  # a re-scan of the same mail
    after = {c.id: c for c in mailbox.commitments.list()}
    assert (after[quote.id].due, after[quote.id].owner) == (date(2026, 3, 10), "tom.reyes@fernhill.io")
    assert after[quote.id].what == "send Kestrel the formal quote for 40 properties"
    assert after[nda.id].status == "done" and after[kids.id].status == "dropped"  # never resurrected
    assert not [c for c in after.values() if "pick up" in c.what and c.status == "open"]
    entries = mailbox.audit.since(action="correction")
    assert len(entries) == 5 and all(e.target.startswith("commitment:") for e in entries)
    assert all("send" not in str(e.detail) for e in entries)  # which field, never the content


def test_opportunity_corrections_merge_and_dismiss(mailbox) -> None:  # noqa: ANN001
    fix = Corrections(mailbox)
    pipeline = {o.contact_email.split("@")[1].split(".")[0]: o for o in mailbox.opportunities.list()}
    coastal, lumiere, crown = pipeline["coastalstays"], pipeline["maisonlumiere-hotels"], pipeline["thecrowncollection"]
    fix.opportunity_edit(coastal.id, OpportunityEdit(kind="expansion", stage="negotiation", amount="52,000",
                                                     currency="gbp", close=date(2026, 4, 30)))
    fix.opportunity_edit(lumiere.id, OpportunityEdit(account="Maison Lumière"))
    fix.opportunity_merge(crown.id, lumiere.id)
    fix.opportunity_dismiss(pipeline["fjordhotel"].id)
    RevenueIntel(mailbox).scan()  # re-scan
    after = {o.id: o for o in mailbox.opportunities.list()}
    assert (after[coastal.id].kind, after[coastal.id].stage, after[coastal.id].amount, after[coastal.id].currency,
            after[coastal.id].close_hint) == ("expansion", "negotiation", 52000, "GBP", date(2026, 4, 30))
    assert after[lumiere.id].account == "Maison Lumière"
    assert crown.id not in after and pipeline["fjordhotel"].id not in after
    assert {e.source_id for e in crown.evidence} <= {e.source_id for e in after[lumiere.id].evidence}
    assert not [o for o in RevenueIntel(mailbox).detect() if "Fjord" in o.account]  # learned: not a buyer
    with pytest.raises(CorrectionError, match="kind must be one of"):
        fix.opportunity_edit(coastal.id, OpportunityEdit(kind="bigdeal"))
    with pytest.raises(CorrectionError, match="No opportunity"):
        fix.opportunity_dismiss(99999)


def test_corrections_from_the_cli(tmp_path, capsys) -> None:  # noqa: ANN001
    import json

    from app.cli import main
    from app.context import AppContext

    home = tmp_path / "home"
    ctx = AppContext(home=home, log=False)
    mailbox_eval.load(ctx.create_store(), mailbox_eval.corpus("fernhill"))
    ctx.close()
    assert main(["--home", str(home), "--json", "commitments"]) == 0
    first = json.loads(capsys.readouterr().out)[0]
    assert main(["--home", str(home), "commitment", "redate", str(first["id"]), "2026-04-01"]) == 0
    assert "kept across re-scans" in capsys.readouterr().out
    assert main(["--home", str(home), "--json", "opportunities"]) == 0
    opp = json.loads(capsys.readouterr().out)[0]
    assert main(["--home", str(home), "opportunity", "edit", str(opp["id"]), "--stage", "proposal"]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "--json", "commitments"]) == 0
    assert next(c for c in json.loads(capsys.readouterr().out) if c["id"] == first["id"])["due"] == "2026-04-01"
    assert main(["--home", str(home), "--json", "opportunities"]) == 0
    assert next(o for o in json.loads(capsys.readouterr().out) if o["id"] == opp["id"])["stage"] == "proposal"
    assert main(["--home", str(home), "opportunity", "edit", str(opp["id"]), "--kind", "huge"]) == 1
    assert "kind must be one of" in capsys.readouterr().err
