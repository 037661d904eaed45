"""Executive-intelligence domain types; each carries links to its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class Evidence:
    """Where a derived fact came from: (`email`, message id), (`meeting`, segment id) ..."""

    source_type: str
    source_id: int
    quote: str = ""


@dataclass(slots=True)
class Commitment:
    owner: str
    counterparty: str
    what: str
    due: date | None = None
    status: str = "open"  # open | done | dropped
    direction: str = "owed_by_me"  # owed_by_me | owed_to_me
    evidence: list[Evidence] = field(default_factory=list)
    id: int | None = None


@dataclass(slots=True)
class Opportunity:
    account: str
    contact: str = ""
    kind: str = "new"  # new | expansion | renewal | upsell
    amount: float | None = None
    currency: str = ""
    stage: str = "lead"
    next_step: str = ""
    close_hint: date | None = None
    signals: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    updated_at: datetime | None = None  # last activity seen in its evidence
    id: int | None = None
    contact_email: str = ""
    risks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Decision:
    question: str
    options: list[str] = field(default_factory=list)
    criteria: dict[str, float] = field(default_factory=dict)
    recommendation: str = ""
    confidence: float = 0.0
    rationale: str = ""
    review_on: date | None = None
    outcome: str = ""
    context_version: int | None = None
    evidence: list[Evidence] = field(default_factory=list)
    created_at: datetime | None = None
    id: int | None = None
    # the decision record's analysis (engine.assistant.decisions); appended last so positional use still works
    pros: dict[str, list[str]] = field(default_factory=dict)  # option -> pros
    cons: dict[str, list[str]] = field(default_factory=dict)  # option -> cons
    risks: list[str] = field(default_factory=list)
    stakeholders: list[str] = field(default_factory=list)
    cultural_impact: list[str] = field(default_factory=list)
    alignment: dict[str, dict[str, float]] = field(default_factory=dict)  # option -> goal -> 0..1


@dataclass(slots=True)
class Insight:
    kind: str  # sentiment | engagement | anomaly | usage ...
    subject: str
    period: str
    value: float
    explanation: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    id: int | None = None
