"""A strategic context proposed from the mailbox, for the user to confirm after the first import or sync.

On a first day nothing is configured; the mail already says who the user works with. One pass over recent mail
(new text only) proposes:
- own organisation: the user's own domain(s);
- team: colleagues on the own domain the user exchanges mail with; direct reports: colleagues the user hands
  work to (asks with a deadline, or they promise the user deliverables) at least twice;
- key accounts: outside organisations buying from the company (budget approved, offer asked for, intent to
  renew/extend/upgrade), ranked by buying mail, then all mail;
- investors and board: people whose signature or mail says so (a fund, "Chair of the Board", term sheets);
- vendors: outside organisations selling to the company (their renewal, rates, invoices).
Each proposal says why (counts and sample subjects). The proposal keeps what the current context already holds
(values, goals, priorities) and adds to its lists without dropping anything the user wrote. Deterministic.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from engine.assistant import lexicon
from engine.assistant.context import ContextService
from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.organisations import domain_of, organisation_name
from engine.assistant.promises import find_promises
from engine.assistant.signals import automated_reason
from engine.assistant.text import new_text, sentences, signature
from engine.store import Store
from models import Message, StrategicContext, TeamMember

_INVESTOR_TALK = re.compile(r"\b(?:term sheet|investment committee|follow-on|our lps?|lp report|portfolio compan\w+|"
                            r"pre-money|series [a-d] (?:round|term)|cap table)\b", re.I)
_CHAIR = re.compile(r"\b(?:chair(?:man|woman|person)?(?: of the board)?|board (?:member|director)|"
                    r"non-executive director|independent director)\b", re.I)


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed entry: `kind` own_org | team | direct_report | key_account | investor | board | vendor."""

    kind: str
    name: str
    email: str = ""
    why: str = ""
    samples: tuple[str, ...] = ()


@dataclass(slots=True)
class ContextProposal:
    context: StrategicContext
    proposals: list[Proposal] = field(default_factory=list)

    def of(self, kind: str) -> list[Proposal]:
        return [p for p in self.proposals if p.kind == kind]


@dataclass(slots=True)
class _Org:
    name: str = ""
    messages: int = 0
    buying: int = 0
    selling: int = 0
    subjects: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Person:
    name: str = ""
    to_me: int = 0
    from_me: int = 0
    delegated: int = 0  # asks with a deadline from the user, or promises to the user
    investor: int = 0
    chair: int = 0
    subjects: list[str] = field(default_factory=list)


def propose_context(store: Store, *, principal: Principal | None = None, limit: int = 5000,
                    max_accounts: int = 30) -> ContextProposal:
    """The strategic context the mailbox suggests (not saved: the user confirms it, e.g. with `save`)."""
    me = principal or resolve_principal(store)
    own = {e.rsplit("@", 1)[1] for e in me.emails if "@" in e}
    orgs: dict[str, _Org] = defaultdict(_Org)
    people: dict[str, _Person] = defaultdict(_Person)
    for summary in store.messages.recent(limit=limit):
        message = store.messages.get(summary.id)
        if message is None or automated_reason(message):
            continue
        _count(message, me, own, orgs, people)
    current = store.contexts.latest() or StrategicContext()
    proposals = [Proposal("own_org", d, why="your own address") for d in sorted(own)]
    proposals += _team(people, own, me)
    proposals += _accounts(orgs, max_accounts)
    proposals += _investors(people, own)
    proposals += [Proposal("vendor", o.name, why=f"{o.selling} mails selling to you", samples=tuple(o.subjects[:3]))
                  for d, o in sorted(orgs.items(), key=lambda x: -x[1].selling) if o.selling and not o.buying]
    team = {m.email.lower(): m for m in current.team if m.email}
    for p in proposals:
        if p.kind in ("team", "direct_report") and p.email not in team:
            team[p.email] = TeamMember(p.name, "", p.email, me.name if p.kind == "direct_report" else "")
    if me.email and me.email not in team:
        team[me.email] = TeamMember(me.name or me.email, "", me.email)
    ctx = StrategicContext(
        values=list(current.values), goals=list(current.goals), priorities=list(current.priorities),
        key_accounts=_merged(current.key_accounts, [p.name for p in proposals if p.kind == "key_account"]),
        team=list(team.values()),
        board=_merged(current.board, [p.email for p in proposals if p.kind in ("investor", "board")]),
        vendors=_merged(current.vendors, [p.name for p in proposals if p.kind == "vendor"]),
    )
    return ContextProposal(ctx, proposals)


def _merged(kept: list[str], added: list[str]) -> list[str]:
    seen = {k.lower() for k in kept}
    return [*kept, *[a for a in added if a.lower() not in seen and not seen.add(a.lower())]]


def _count(message: Message, me: Principal, own: set[str], orgs: dict[str, _Org],
           people: dict[str, _Person]) -> None:
    sender = message.sender.email.lower()
    body = new_text(message)
    text = f"{message.subject}\n{body}"
    if me.is_me(sender):
        for c in message.to:
            p = people[c.email.lower()]
            p.from_me += 1
            p.name = p.name or c.name
        if len(message.to) == 1 and message.sent_at is not None and any(
                f.kind == "request" and f.due for s in sentences(body) for f in find_promises(s, message.sent_at)):
            people[message.to[0].email.lower()].delegated += 1
    else:
        p = people[sender]
        p.name = p.name or message.sender.name
        p.to_me += any(me.is_me(c.email) for c in [*message.to, *message.cc])
        if message.sent_at is not None and any(
                f.kind == "promise" and f.due for s in sentences(body) for f in find_promises(s, message.sent_at)):
            p.delegated += 1
        sig = f"{message.sender.name} {signature(message)}"
        p.investor += bool(lexicon.INVESTOR_ORG.search(sig) or _INVESTOR_TALK.search(text))
        p.chair += bool(_CHAIR.search(sig))
        if len(p.subjects) < 3 and message.subject not in p.subjects:
            p.subjects.append(message.subject)
    for c in [message.sender, *message.to, *message.cc]:
        domain = domain_of(c.email)
        if not domain or domain in own:
            continue
        org = orgs[domain]
        is_sender = c.email.lower() == sender
        if is_sender or not org.name:
            named = organisation_name(c.email, signature(message) if is_sender else "", c.name)
            org.name = named if is_sender or not org.name else org.name
        org.messages += 1
        buys = is_sender and bool(lexicon.BUYING.search(body)) and not lexicon.SELLING.search(text)
        if is_sender:
            org.buying += buys
            org.selling += bool(lexicon.SELLING.search(text))
        if message.subject not in org.subjects:
            # the buying mail's subject says best why it is an account
            org.subjects.insert(0, message.subject) if buys else org.subjects.append(message.subject)
            del org.subjects[3:]
        break  # one organisation per message: the first outside party


def _team(people: dict[str, _Person], own: set[str], me: Principal) -> list[Proposal]:
    out = []
    for email, p in sorted(people.items(), key=lambda x: -(x[1].to_me + x[1].from_me)):
        if me.is_me(email) or "@" not in email or email.rsplit("@", 1)[1] not in own or not (p.to_me + p.from_me):
            continue
        kind = "direct_report" if p.delegated >= 2 else "team"
        why = f"{p.to_me} mails to you, {p.from_me} from you" + (
            f"; you hand them work ({p.delegated} asks or promises with a date)" if kind == "direct_report" else "")
        out.append(Proposal(kind, p.name or email, email, why, tuple(p.subjects)))
    return out


def _accounts(orgs: dict[str, _Org], limit: int) -> list[Proposal]:
    buying = [o for o in orgs.values() if o.buying and not o.selling]
    ranked = sorted(buying, key=lambda o: (-o.buying, -o.messages, o.name))[:limit]  # amounts differ in currency
    return [Proposal("key_account", o.name, why=f"{o.buying} buying mails, {o.messages} mails in all",
                     samples=tuple(o.subjects[:3])) for o in ranked]


def _investors(people: dict[str, _Person], own: set[str]) -> list[Proposal]:
    out = []
    for email, p in people.items():
        if "@" not in email or email.rsplit("@", 1)[1] in own:
            continue
        if p.chair:
            out.append(Proposal("board", p.name or email, email, "signs as a board member or chair", tuple(p.subjects)))
        elif p.investor:
            out.append(Proposal("investor", p.name or email, email, f"{p.investor} mails about investment",
                                tuple(p.subjects)))
    return sorted(out, key=lambda p: p.name)


def confirm(store: Store, proposal: ContextProposal, *, drop: tuple[str, ...] = ()) -> int:
    """Save the proposed context as the user's (a new version), without the entries named in `drop` (names or
    addresses, case-insensitive); returns the version. Nothing the user wrote before is removed."""
    gone = {d.strip().lower() for d in drop if d.strip()}
    current = store.contexts.latest() or StrategicContext()
    kept_before = {x.lower() for x in [*current.key_accounts, *current.board, *current.vendors]}
    keep = (lambda x: x.lower() not in gone or x.lower() in kept_before)  # noqa: E731
    ctx = proposal.context
    confirmed = StrategicContext(
        values=ctx.values, goals=ctx.goals, priorities=ctx.priorities,
        key_accounts=[a for a in ctx.key_accounts if keep(a)], board=[b for b in ctx.board if keep(b)],
        vendors=[v for v in ctx.vendors if keep(v)],
        team=[m for m in ctx.team if m in current.team or not gone & {m.name.lower(), m.email.lower()}],
    )
    return ContextService(store, instructions="").save(confirmed)  # versioned; no new version when unchanged
