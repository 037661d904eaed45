"""The user's corrections to commitments and the pipeline: stored, audited, kept across re-scans, and learned.

Commitments: done, dismissed, re-dated, owner, text. Opportunities: account, kind, stage, amount (with
currency), close date; merge two; dismiss one. Each correction is written through the store (the row keeps
what the user said; a re-scan refreshes only what the extractor found, and a dismissed item is never
resurrected), recorded in the audit log (which item, which fields: never the content), and teaches the
extractors: a dismissed commitment's wording is not proposed again, and an organisation whose opportunity the
user dismissed is no longer read as a buyer (settings `learning.dismissed_commitments`, `learning.not_pipeline`).

Errors: `CorrectionError` (a ValueError) with a message for the user. Use from one worker at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from engine.assistant.commitments import DISMISSED as DISMISSED_COMMITMENTS, content_key
from engine.assistant.organisations import domain_of
from engine.errors import EngineError
from engine.privacy.audit import AuditLog
from engine.store import Store

from engine.insights.revenue import NOT_PIPELINE

KINDS = ("new", "expansion", "renewal", "upsell")
STAGES = ("lead", "discovery", "trial", "proposal", "negotiation", "at_risk", "closed_won", "closed_lost")


class CorrectionError(EngineError, ValueError):
    """A correction that cannot be applied (unknown item, bad value); the message says what to do."""


@dataclass(frozen=True, slots=True)
class OpportunityEdit:
    account: str | None = None
    kind: str | None = None
    stage: str | None = None
    amount: str | None = None  # "480000" (with `currency`)
    currency: str | None = None
    close: date | None = None


class Corrections:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.audit = AuditLog(store)

    # -- commitments ------------------------------------------------------------------------------------------
    def commitment_done(self, commitment_id: int) -> None:
        self._commitment(commitment_id, "status", status="done")

    def commitment_dismiss(self, commitment_id: int) -> None:
        item = self._find_commitment(commitment_id)
        self._commitment(commitment_id, "status", status="dropped")
        learned = list(self.store.settings.get(DISMISSED_COMMITMENTS) or [])
        key = content_key(item.what)
        if key and key not in learned:
            self.store.settings.set(DISMISSED_COMMITMENTS, [*learned, key])

    def commitment_redate(self, commitment_id: int, due: date | None) -> None:
        self._commitment(commitment_id, "due", due=due.isoformat() if due else None)

    def commitment_owner(self, commitment_id: int, owner: str) -> None:
        if not owner.strip():
            raise CorrectionError("Give the owner's address or name.")
        self._commitment(commitment_id, "owner", owner=owner.strip())

    def commitment_text(self, commitment_id: int, what: str) -> None:
        if not what.strip():
            raise CorrectionError("Give what is owed, e.g. \"send the signed contract\".")
        self._commitment(commitment_id, "what", what=" ".join(what.split()))

    def _find_commitment(self, commitment_id: int):  # noqa: ANN202 - models.Commitment
        item = next((c for c in self.store.commitments.list() if c.id == commitment_id), None)
        if item is None:
            raise CorrectionError(f"No commitment #{commitment_id}; `reflex-assistant commitments --all` lists them.")
        return item

    def _commitment(self, commitment_id: int, field: str, *, status: str | None = None, **fields: str | None) -> None:
        self._find_commitment(commitment_id)
        self.store.commitments.correct(commitment_id, status=status, **fields)
        self.audit.record("correction", f"commitment:{commitment_id}", field=field)

    # -- opportunities ----------------------------------------------------------------------------------------
    def opportunity_edit(self, opportunity_id: int, edit: OpportunityEdit) -> None:
        self._find_opportunity(opportunity_id)
        fields: dict[str, object] = {}
        if edit.account is not None:
            if not edit.account.strip():
                raise CorrectionError("Give the account's name.")
            fields["account"] = edit.account.strip()
        if edit.kind is not None:
            fields["kind"] = _one_of(edit.kind, KINDS, "kind")
        if edit.stage is not None:
            fields["stage"] = _one_of(edit.stage, STAGES, "stage")
        if edit.amount is not None:
            fields["amount"] = _amount(edit.amount)
            if edit.currency is None:
                raise CorrectionError("Give the amount's currency too, e.g. --currency EUR.")
        if edit.currency is not None:
            fields["currency"] = edit.currency.strip().upper()
        if edit.close is not None:
            fields["close_hint"] = edit.close.isoformat()
        if not fields:
            raise CorrectionError("Nothing to change: give --account, --kind, --stage, --amount or --close.")
        self.store.opportunities.correct(opportunity_id, **fields)
        self.audit.record("correction", f"opportunity:{opportunity_id}", fields=",".join(sorted(fields)))

    def opportunity_dismiss(self, opportunity_id: int) -> None:
        opp = self._find_opportunity(opportunity_id)
        self.store.opportunities.correct(opportunity_id, dismissed=True)
        domain = domain_of(opp.contact_email)
        learned = list(self.store.settings.get(NOT_PIPELINE) or [])
        if domain and domain not in learned:
            self.store.settings.set(NOT_PIPELINE, [*learned, domain])
        self.audit.record("correction", f"opportunity:{opportunity_id}", field="dismissed")

    def opportunity_merge(self, source_id: int, into_id: int) -> None:
        """One deal seen as two: `source_id` disappears into `into_id`, which takes its evidence."""
        if source_id == into_id:
            raise CorrectionError("Merge two different opportunities.")
        source, target = self._find_opportunity(source_id), self._find_opportunity(into_id)
        evidence = [*target.evidence, *(e for e in source.evidence if e not in target.evidence)]
        self.store.opportunities.correct(into_id, evidence=[_plain(e) for e in evidence])
        self.store.opportunities.correct(source_id, merged_into=into_id)
        self.audit.record("correction", f"opportunity:{into_id}", field="merged", merged=source_id)

    def _find_opportunity(self, opportunity_id: int):  # noqa: ANN202 - models.Opportunity
        opp = next((o for o in self.store.opportunities.list() if o.id == opportunity_id), None)
        if opp is None:
            raise CorrectionError(f"No opportunity #{opportunity_id}; `reflex-assistant opportunities` lists them.")
        return opp


def _one_of(value: str, allowed: tuple[str, ...], name: str) -> str:
    value = value.strip().lower().replace(" ", "_")
    if value not in allowed:
        raise CorrectionError(f"{name} must be one of {', '.join(allowed)}.")
    return value


def _amount(raw: str) -> float:
    try:
        value = Decimal(raw.replace(",", "").replace("'", "").strip())
    except InvalidOperation:
        raise CorrectionError(f"{raw!r} is not an amount; write digits, e.g. 480000.") from None
    if value < 0:
        raise CorrectionError("An amount cannot be negative.")
    return float(value)


def _plain(e) -> dict:  # noqa: ANN001 - models.Evidence
    return {"source_type": e.source_type, "source_id": e.source_id, "quote": e.quote}
