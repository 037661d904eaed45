"""Revenue intelligence: opportunities from customer mail and meetings, the pipeline, stale alerts, follow-ups.

An opportunity is one account's deal: conversations with an outside customer (a key account from the strategic
context, or an outside company talking about buying) that carry deal cues (an amount, renewal, expansion,
pilot, upgrade...). Everything is deterministic: kind and stage from cue words (latest stage cue wins, risk
overrides), the amount parsed exactly (engine.assistant.money) preferring recurring/contract amounts, close-date
hints resolved against the message date, buying and risk signals as quoted sentences, evidence per source.
Re-running updates records by a fingerprint of the account (never duplicates). Use from one worker at a time.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from engine.assistant import lexicon
from engine.assistant.context import Relationships
from engine.assistant.dates import find_due
from engine.assistant.drafts import Draft, propose_email
from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.model_reading import QuotedOpportunity, Verified
from engine.assistant.organisations import domain_of, organisation_name
from engine.assistant.signals import automated_reason
from engine.assistant.text import first_name, new_text, quote, sentences, signature
from engine.assistant.money import find_amounts
from engine.store import Store
from models import Evidence, Message, Opportunity

log = logging.getLogger(__name__)

_KIND_CUES = {
    "renewal": re.compile(r"\brenew\w*|\b(?:contract|agreement|licen[cs]e|subscription)\b[^.?!]{0,40}\b(?:ends|"
                          r"expires|runs out|is up|comes up)\b|\bmulti-?year\b|\b\d-year (?:term|deal|renewal)", re.I),
    "expansion": re.compile(r"\bexpan\w+|\bextend(?:ing)?\b|\badd(?:ing)?\b[^.?!]{0,40}\b(?:more|additional|new|second|"
                            r"another|two|three|four|five|six|seven|eight|nine|ten|\d+)\b|\b\d+ (?:more|additional)\b|"
                            r"\b(?:second|another) (?:product|plant|line|programme|program|location|branch|office|"
                            r"market|region|country)\b|\broll ?out to\b", re.I),
    "upsell": re.compile(r"\bupgrad\w*|\badd-?on\b|\bmodule\b|\bpremium\b|\btier\b|\banalytics\b", re.I),
    "new": re.compile(r"\bpilot\b|\binbound\b|\bevaluat\w+|\brf[pq]\b|\bfirst deployment\b|\binterested in\b|"
                      r"\bnew customer\b|\bintro(?:duction)?\b|\blooking for\b|\bshortlisted\b", re.I),
}
_STAGES = (  # checked in this order on each message; the latest message with a cue sets the stage
    ("closed_lost", re.compile(r"\b(?:going with (?:another|a different)|decided not to|chose (?:another|a competitor))", re.I)),
    ("closed_won", re.compile(r"\b(?:signed|countersigned|po (?:is )?(?:issued|attached)|purchase order attached)\b", re.I)),
    ("negotiation", re.compile(r"\b(?:negotiat\w+|discount|redlines?|terms|\d-year pricing|multi-?year pricing|price)\b", re.I)),
    ("proposal", re.compile(r"\b(?:proposal|quote|sow|statement of work)\b", re.I)),
    ("trial", re.compile(r"\b(?:trial|beta)\b", re.I)),
    ("discovery", re.compile(r"\b(?:questionnaire|requirements|discovery|pilot|validation|security review)\b", re.I)),
    ("lead", re.compile(r"\b(?:inbound|interested|intro|learn more|reference)\b", re.I)),
)
_RISK = re.compile(r"\b(?:outages?|alternatives?|competitor\w*|frustrat\w+|churn|cancel\w*|not renew|delay\w*|"
                   r"concern\w*|unhappy|disappoint\w+|escalat\w+|budget freeze|on hold|pushback|too expensive)\b", re.I)
_DEAL = re.compile(r"\b(?:arr|annual|per year|/yr|a year|contract value|deal|budget|worth|renewal|expansion|"
                   r"subscription|licen[cs]e|total)\b", re.I)
_NOT_DEAL_AMOUNT = re.compile(r"^\s*(?:/|per |a |an )(?:unit|item|piece|month|mo|hour|day|night|room|seat|user|"
                              r"head|person|licen[cs]e)\b", re.I)
_NEXT = re.compile(r"\b(?:next step|will send|i'll send|we'll send|can you|could you|please|by \w+day|schedule|"
                   r"set up|return|reference)\b", re.I)


@dataclass(slots=True)
class _Account:
    name: str
    known: bool = True  # a key account from the strategic context (else an organisation seen in mail)
    named_by_signature: bool = False
    messages: list[Message] = field(default_factory=list)
    contact: tuple[str, str] = ("", "")  # name, email
    internal: list[Message] = field(default_factory=list)  # the team's own threads naming the account


@dataclass(frozen=True, slots=True)
class StaleAlert:
    opportunity: Opportunity
    days_quiet: int
    reason: str


NOT_PIPELINE = "learning.not_pipeline"  # settings key: domains whose opportunity the user dismissed


#: The model's opportunity kinds as the pipeline's (a pilot is new business).
_MODEL_KINDS = {"new": "new", "pilot": "new", "renewal": "renewal", "expansion": "expansion"}


def fingerprint(account: str) -> str:
    return hashlib.sha256(f"opportunity:{account.lower()}".encode()).hexdigest()[:24]


class RevenueIntel:
    def __init__(self, store: Store, *, principal: Principal | None = None,
                 relationships: Relationships | None = None,
                 model_reader: Callable[[Message], Verified] | None = None) -> None:
        """`model_reader`: a capable model's verified reading of a mail (`engine.assistant.model_reading`), given
        only when `model_may_read_mail` allows: a buyer's mail the rules do not read as buying counts when the
        model quotes it, and its kind and amount fill what the rules left open (the rules' values win)."""
        self.store = store
        self.model_reader = model_reader
        self.principal = principal or resolve_principal(store)
        self.rel = relationships or Relationships(store.contexts.latest(), self.principal)
        # organisations whose opportunity the user dismissed (engine.insights.corrections)
        self._not_pipeline = frozenset(store.settings.get(NOT_PIPELINE) or [])

    # -- detection -----------------------------------------------------------------------------------------------
    def _account_of(self, message: Message) -> tuple[str, str, str, str]:
        """(key, account name, contact name, contact email) of the outside organisation in `message`: a key
        account from the strategic context first, else any other organisation taking part (keyed by its
        domain, named from its signature); ("", "", "", "") for internal and personal mail."""
        people = [p for p in [message.sender, *message.to, *message.cc]
                  if p.email and not self.rel.is_internal(p.email) and not self.principal.is_me(p.email)]
        for person in people:
            email = person.email.lower()
            org = signature(message) if email == message.sender.email.lower() else ""
            account = self.rel.key_account(email, org)
            if account:
                return account, account, person.name, email
        for person in people:
            domain = domain_of(person.email)
            if domain and domain not in self.rel.company_domains and not self.rel.vendor(person.email) \
                    and domain not in self._not_pipeline:
                sig = signature(message) if person.email.lower() == message.sender.email.lower() else ""
                return f"@{domain}", organisation_name(person.email, sig, person.name), person.name, person.email.lower()
        return "", "", "", ""

    def detect(self, *, limit: int = 5000) -> list[Opportunity]:
        """Opportunities from stored mail and meetings (not saved; see `scan`)."""
        accounts: dict[str, _Account] = {}
        internal: list[list[Message]] = []
        threads: dict[str, list[Message]] = defaultdict(list)
        for summary in self.store.messages.recent(limit=limit):
            message = self.store.messages.get(summary.id)
            if message is None or automated_reason(message):
                continue
            threads[f"{message.account}\x00{message.thread_key}"].append(message)
        for messages in threads.values():
            messages.sort(key=lambda m: m.sent_at or datetime.min.replace(tzinfo=timezone.utc))
            found = next((a for m in messages if (a := self._account_of(m))[0]), None)
            if found is None:
                internal.append(messages)
                continue
            key, name, contact, email = found
            acc = accounts.setdefault(key, _Account(name, known=not key.startswith("@")))
            if not acc.named_by_signature and any(m.sender.email.lower() == email for m in messages):
                acc.name = name  # the contact's own signature names the organisation better than a domain
                acc.named_by_signature = True
            acc.messages += messages
            if not acc.contact[1]:
                acc.contact = (contact, email)
        for messages in internal:  # "the Pinecrest renewal ($144K)" in the team's own mail
            text = " ".join(f"{m.subject} {new_text(m)}" for m in messages).lower()
            for acc in accounts.values():
                if acc.known and acc.name.split()[0].lower() in text:
                    acc.internal += messages
        out = []
        for acc in accounts.values():
            acc.messages.sort(key=lambda m: m.sent_at or datetime.min.replace(tzinfo=timezone.utc))
            opp = self._opportunity(acc)
            if opp is not None:
                out.append(opp)
        self._add_meetings(out)
        return out

    def _opportunity(self, acc: _Account) -> Opportunity | None:
        theirs = [m for m in acc.messages if not self.rel.is_internal(m.sender.email)
                  and not self.principal.is_me(m.sender.email)]
        model = self._model_opportunity(theirs)
        if not acc.known and model is None and (
                not any(lexicon.BUYING.search(new_text(m)) for m in theirs)
                or any(lexicon.SELLING.search(f"{m.subject}\n{new_text(m)}") for m in theirs)):
            return None  # an organisation that is not buying (support, partners) or that sells to the user
        evidence: list[Evidence] = []
        stage, close_hint, signals, risks, next_step = "lead", None, [], [], ""
        amount = None
        for m in sorted(acc.messages, key=lambda m: m not in theirs):  # the buyer's own words name the amount
            amount = _deal_amount(new_text(m))
            if amount is not None:
                evidence.append(Evidence("email", m.id or 0, quote(amount[2])))
                break
        for m in acc.messages:
            body = new_text(m)
            text = f"{m.subject}\n{body}"
            for name, pattern in _STAGES:
                if pattern.search(text):
                    stage = name
                    break
            for s in sentences(body):
                if _RISK.search(s) and len(risks) < 5 and not self.principal.is_me(m.sender.email):
                    risks.append(quote(s, 140))
                elif lexicon.BUYING.search(s) and len(signals) < 5 and not self.principal.is_me(m.sender.email):
                    signals.append(quote(s, 140))
                if _NEXT.search(s) and m.sent_at is not None:
                    due = find_due(s, m.sent_at)
                    if due is not None:
                        next_step, close_hint = quote(s, 160), due.due if close_hint is None else close_hint
            if not evidence or evidence[-1].source_id != m.id:
                evidence.append(Evidence("email", m.id or 0, quote(m.subject, 120)))
        for m in acc.internal if amount is None else []:
            amount = _deal_amount(new_text(m), near=acc.name.split()[0])
            if amount is not None:
                evidence.append(Evidence("email", m.id or 0, quote(amount[2])))
                break
        if model is not None:
            said, m = model
            evidence.insert(0, Evidence("email", m.id or 0, quote(said.quote)))
            signals = [quote(said.quote, 140), *signals][:5]
            amount = amount or (_deal_amount(said.amount) if said.amount else None)
        kind = _kind(acc.messages) or (_MODEL_KINDS[model[0].kind] if model is not None else None)
        if kind is None and amount is None:
            return None  # customer mail without any deal cue: service, not pipeline
        if risks and kind == "renewal" and stage not in ("closed_won", "closed_lost"):
            stage = "at_risk"
        last = max((m.sent_at for m in acc.messages if m.sent_at), default=None)
        return Opportunity(
            account=acc.name, contact=acc.contact[0], contact_email=acc.contact[1], kind=kind or "new",
            amount=float(amount[0]) if amount else None, currency=amount[1] if amount else "", stage=stage,
            next_step=next_step, close_hint=close_hint, signals=signals, risks=risks, evidence=evidence[:12],
            updated_at=last,
        )

    def _model_opportunity(self, theirs: list[Message]) -> tuple[QuotedOpportunity, Message] | None:
        """The latest opportunity the model quotes from the buyer's own mail, or None (no model, or none)."""
        if self.model_reader is None:
            return None
        return next(((o, m) for m in reversed(theirs) for o in self.model_reader(m).opportunities), None)

    def _add_meetings(self, opportunities: list[Opportunity]) -> None:
        """Link meetings that name an account (title or transcript) as evidence and activity."""
        by_account = {o.account.lower(): o for o in opportunities}
        for meeting in self.store.meetings.all():
            title = meeting.title.lower()
            for name, opp in by_account.items():
                if name.split()[0] in title:
                    full = self.store.meetings.get(meeting.id)
                    seg = next((s for s in (full.segments if full else []) if find_amounts(s.text)), None)
                    opp.evidence.append(Evidence("segment", seg.id or 0, quote(seg.text)) if seg
                                        else Evidence("meeting", meeting.id or 0, meeting.title))
                    if opp.updated_at is None or meeting.started_at > opp.updated_at:
                        opp.updated_at = meeting.started_at

    # -- the pipeline ----------------------------------------------------------------------------------------------
    def scan(self) -> list[Opportunity]:
        """Detect and store (idempotent by account)."""
        found = self.detect()
        with self.store.transaction():
            for opp in found:
                self.store.opportunities.upsert(fingerprint(opp.account), opp)
        log.info("revenue: %d opportunities", len(found))
        return found

    def pipeline(self) -> list[Opportunity]:
        return self.store.opportunities.list()

    def stale(self, day: date, *, quiet_days: int = 10) -> list[StaleAlert]:
        """Open opportunities with no activity for `quiet_days`, and those at risk."""
        out = []
        for opp in self.pipeline():
            if opp.stage in ("closed_won", "closed_lost"):
                continue
            quiet = (day - opp.updated_at.date()).days if opp.updated_at else quiet_days
            if opp.stage == "at_risk":
                out.append(StaleAlert(opp, quiet, f"at risk: {opp.risks[0] if opp.risks else 'risk signals'}"))
            elif quiet >= quiet_days:
                out.append(StaleAlert(opp, quiet, f"no activity for {quiet} days"))
        return out

    def draft_follow_ups(self, day: date, *, quiet_days: int = 10) -> list[int]:
        """Pending `draft_email` actions to the contact of each stale opportunity (never sent)."""
        ids = []
        for alert in self.stale(day, quiet_days=quiet_days):
            opp = alert.opportunity
            if not opp.contact_email or opp.stage == "at_risk":
                continue
            body = (f"Hi {first_name(opp.contact or opp.contact_email)},\n\nI wanted to check in on our {opp.kind} "
                    f"discussion. Is there anything you need from us to move forward"
                    f"{f' ({opp.next_step})' if opp.next_step else ''}?\n\nBest,\n{first_name(self.principal.name)}")
            draft = Draft([opp.contact_email], f"Checking in: {opp.account}", body)
            action = propose_email(self.store, draft, origin="revenue", ref=fingerprint(opp.account))
            if action is not None:
                ids.append(action)
        return ids


def _kind(messages: list[Message]) -> str | None:
    """The deal's kind from the first message that names one (its earliest cue: "we intend to renew ... and may
    add 4 more" is a renewal); the subject only when no message body does."""
    for texts in ([new_text(m) for m in messages], [m.subject for m in messages]):
        for text in texts:
            hits = [(found.start(), k) for k, pattern in _KIND_CUES.items() if (found := pattern.search(text))]
            # "the pilot went well; we want to add six more": what an existing customer buys now decides
            hits = [h for h in hits if h[1] != "new"] or hits
            if hits:
                return min(hits)[1]
    return None


def _deal_amount(text: str, near: str = ""):  # noqa: ANN202 - (Decimal, currency, sentence) | None
    """The deal-sized amount in `text`: one next to recurring/contract words, else the largest plausible one;
    with `near`, only in sentences that name it."""
    best = None
    for s in sentences(text):
        if near and near.lower() not in s.lower():
            continue
        for money in find_amounts(s):
            after = s[s.find(money.text) + len(money.text):]
            if _NOT_DEAL_AMOUNT.match(after) or money.amount < 1000:
                continue
            score = (1 if _DEAL.search(s) else 0, money.amount)
            if best is None or score > best[0]:
                best = (score, money, s)
    return (best[1].amount, best[1].currency, best[2]) if best else None
