"""Email triage: priority, category, needs-reply / awaiting-from and a one-line reason, with evidence.

Deterministic first: signals (sender relationship from the strategic context, automated-mail headers, asks
addressed to the user, deadlines resolved against the message date, thread state) are scored by transparent
rules; then the user's corrections (`CorrectionModel`) override the rules for similar mail. No LLM is needed,
so it runs offline on any machine and identically in CI.

Threads: a `TriageEngine` is used from one worker at a time (the store serialises access itself).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

import numpy as np

from engine.assistant import lexicon, priority_model
from engine.assistant.context import Relationships
from engine.assistant.identity import Principal, resolve_principal
from engine.assistant.learning import CorrectionModel
from engine.assistant.model_reading import Verified
from engine.assistant.relevance import StrategicMatcher, common_stems, stems_of
from engine.assistant.signals import MessageSignals, extract_signals
from engine.assistant.text import quote
from engine.store import Store
from engine.store.repos.triage import TriageRow
from models import Evidence, Message

log = logging.getLogger(__name__)

PRIORITIES = ("urgent", "important", "normal", "low")
CATEGORIES = ("customer", "team", "investor", "board", "vendor", "recruiting", "newsletter", "personal")

_SENDER_LABEL = {
    "board": "Board/investor", "key_account": "Key account", "manager": "Your manager",
    "direct_report": "Direct report", "team": "Team member", "me": "You", "unknown": "",
}


@dataclass(slots=True)
class TriageResult:
    """One message's verdict. `source`: rules | learned | corrected (the user's own correction)."""

    message_id: int
    priority: str
    category: str
    needs_reply: bool  # the message asks the user for an answer
    answered: bool = False  # the user wrote later in the thread
    awaiting_from: str = ""  # who the thread waits on now: the user, or the people the user asked
    reason: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    source: str = "rules"
    subject: str = ""
    sender: str = ""
    sent_at: datetime | None = None

    def row(self) -> TriageRow:
        return TriageRow(self.message_id, self.priority, self.category, self.needs_reply, self.awaiting_from,
                         self.reason, self.source)


# -- rules ---------------------------------------------------------------------------------------------------
# Category and the base priority are properties of the conversation (a reply about the board deck is board mail
# even when it is two words long), so they are scored over the whole thread; needs-reply, urgency and
# acknowledgements are properties of the single message.

_TOPIC_ONLY_WITH_OUTSIDERS = {"customer"}  # deal words inside the company are team mail


def category_scores(thread: list[MessageSignals]) -> dict[str, float]:
    """Topic-word hits over the thread plus who takes part; the highest score is the category."""
    scores = {c: 0.0 for c in CATEGORIES}
    kinds = {k for s in thread for k in s.participants.values()}
    outsiders = {a for s in thread for a, k in s.participants.items() if k in ("key_account", "unknown", "board")}
    for s in thread:
        for cat, hits in s.category_hits.items():
            if cat in _TOPIC_ONLY_WITH_OUTSIDERS and not outsiders:
                continue
            scores[cat] += min(len(hits), 3)
        sig = f"{s.sender_name} {s.signature}"
        if s.sender_kind == "unknown" and not s.automated and not s.free_mail:
            for cat, pattern in (("investor", lexicon.INVESTOR_ORG), ("recruiting", lexicon.RECRUITER_ORG),
                                 ("vendor", lexicon.VENDOR_ORG)):
                if pattern.search(sig):
                    scores[cat] += 4.0
        if s.billing_sender:
            scores["vendor"] += 5.0
        if s.selling and s.sender_kind != "me":
            scores["vendor"] += 8.0
        if s.free_mail and s.sender_kind == "unknown":
            scores["personal"] += 3.0 + (3.0 if s.family else 0.0)
    if thread and all(s.automated for s in thread):
        scores["newsletter"] += 8.0
    if "key_account" in kinds:
        scores["customer"] += 5.0
    if "board" in kinds:
        scores["board"] += 4.0
    if kinds and kinds <= {"team", "direct_report", "manager"}:
        scores["team"] += 2.5
    return scores


def thread_category(thread: list[MessageSignals]) -> str:
    scores = category_scores(thread)
    return max(CATEGORIES, key=lambda c: (scores[c], -CATEGORIES.index(c)))


@dataclass(frozen=True, slots=True)
class _RuleVerdict:
    """What the rules alone say about one message (before corrections and learning)."""

    thread: list[Message]
    sigs: list[MessageSignals]
    signals: MessageSignals
    category: str
    view: ThreadView
    priority: str
    why: str


_WRITE_BATCH = 500  # verdicts per store transaction in `TriageEngine.run`
SHORT_NOTE_WORDS = 7  # "Booked.", "On it.", "Perfect, thank you!": a closing note ranks a level below its thread


@dataclass(frozen=True, slots=True)
class ThreadView:
    """What priority is judged on: the conversation as a whole (the labels' definition: "important = revenue,
    board/investor, key decisions this week"; "urgent = needs the user today")."""

    category: str
    signals: list[MessageSignals]
    subject: str
    aims: list[str]  # strategic priorities the conversation is about
    accounts: list[str]  # key accounts it names


def thread_priority(t: ThreadView) -> tuple[str, str]:
    """(priority, why) of the conversation, from signals that hold in any company:

    - newsletters and automated mail: low;
    - urgent: people risk (someone may leave, is unwell or unsafe), a customer escalation (an outsider writes
      with urgent wording or says the relationship is in danger), or a key account at risk;
    - status reports and investor mail: normal unless they ask for a decision (investor asks are raised per
      message in `message_priority`);
    - important: board business, a strategic priority the thread is about, a decision or a signature/approval
      asked for by a date, or revenue (an outside organisation buying: budget approved, an offer asked for, an
      intent to renew/extend/upgrade; or an amount in a thread that names a key account); vendors selling to
      the company and invoices from billing senders are routine;
    - else normal.
    """
    sigs = t.signals
    if t.category == "newsletter" or (sigs and all(s.automated for s in sigs)):
        return "low", "automated"
    risk = next((s for s in sigs if s.people_risk and s.sender_kind != "me"), None)
    if risk is not None:
        return "urgent", f"people risk (\"{risk.people_risk[0]}\")"
    outsiders = [s for s in sigs if s.sender_kind in ("key_account", "unknown") and not s.automated]
    buyers = [s for s in outsiders if s.buying and not s.selling and (s.outside_org or s.account_name)]
    if (t.category == "customer" or buyers) and any(s.urgent or s.at_risk or (buyers and s.escalation)
                                                   for s in outsiders):
        return "urgent", "customer escalation"
    report = bool(lexicon.REPORT_SUBJECT.search(t.subject))
    decision = any(s.decision or (s.approval_ask and s.sender_kind != "me") for s in sigs)
    if sigs and sigs[0].at_risk and t.accounts and not report:
        return "urgent", f"{t.accounts[0]} at risk"
    if t.category == "board":
        return "important", "board business"
    if t.category == "investor" or (report and not decision):
        return "normal", ""
    if t.aims:
        return "important", f"priority \"{t.aims[0]}\""
    if decision and t.category != "personal":
        return "important", "a decision or signature asked for"
    if buyers:
        return "important", f"revenue ({buyers[0].buying[0]})"
    billing = any(s.billing_sender for s in sigs)
    # revenue: an amount on the table, or a key account's own contact writing about deal terms
    if t.accounts and not billing and any(
            s.money or (s.sender_kind == "key_account" and lexicon.DEAL.search(s.text)) for s in sigs):
        return "important", f"revenue ({t.accounts[0]})"
    return "normal", ""


def message_priority(s: MessageSignals, base: str, category: str) -> str:
    """The thread's level for one message: automated mail is low; an ask to the user due the day it was
    written is urgent; a short closing note without a date ranks one level below its thread; an investor's ask
    to the user is important; FYI is low."""
    if s.automated and not s.billing_sender:
        return "low"
    if s.due_today_ask and s.sender_kind != "me" and (s.to_me or s.decision) and category != "personal":
        return "urgent"  # family logistics due today are still family logistics
    if s.words <= SHORT_NOTE_WORDS and not s.asks and not s.promise and not (base == "normal" and s.scheduling_answer):
        return {"urgent": "normal", "important": "normal"}.get(base, "low")
    if category == "investor" and base == "normal" and s.asks and s.to_me and s.sender_kind != "me":
        return "important"
    if s.no_reply_needed and base == "normal":
        return "low"
    return base


def rule_needs_reply(s: MessageSignals) -> bool:
    """Whether this message asks the user for an answer (whether or not they already gave one)."""
    if s.sender_kind == "me" or s.automated or s.no_reply_needed:
        return False
    if s.cc_only and not s.greets_me:
        return False
    return bool(s.asks)


# -- the engine ----------------------------------------------------------------------------------------------

class TriageEngine:
    """Triage messages from a store, learn from corrections, persist verdicts in `store.triage`."""

    def __init__(self, store: Store, *, principal: Principal | None = None,
                 relationships: Relationships | None = None,
                 model_reader: Callable[[Message], Verified] | None = None) -> None:
        """`model_reader`: a capable model's verified reading (`engine.assistant.model_reading`): its quoted
        reason joins a rules verdict, and may raise it (never lower it: a missed urgent mail costs more)."""
        self.store = store
        self.model_reader = model_reader
        self.principal = principal or resolve_principal(store)
        self.rel = relationships or Relationships(store.contexts.latest(), self.principal)
        self._model = CorrectionModel()
        self._linear = priority_model.PriorityModel()
        self._embedding_model = store.embeddings.main_model()  # the search index's vectors, when computed
        self._corrected: dict[int, dict[str, str]] = {}
        self._lock = threading.Lock()
        self._threads: dict[int, list[Message]] = {}
        self._thread_of: dict[int, int] = {}
        self._sig_cache: dict[int, MessageSignals] = {}
        self._verdict_cache: dict[tuple[int, ...], tuple[str, ThreadView, str, str]] = {}  # per thread, one run
        # the background word counts only matter when there is a strategic context to match against
        has_aims = bool(self.rel.ctx.priorities or self.rel.ctx.goals)
        self.matcher = StrategicMatcher(self.rel.ctx, common=common_stems(self._thread_texts()) if has_aims
                                        else frozenset())
        # a key account is named by its first distinctive word ("Harborview" for Harborview Logistics)
        self._account_names = {a: re.compile(rf"\b{re.escape(a.split()[0].lower())}\b")
                               for a in self.rel.ctx.key_accounts if a.split() and len(a.split()[0]) >= 4}
        self.refit()

    # -- learning --------------------------------------------------------------------------------------------
    def refit(self) -> None:
        """Rebuild the correction model from the store (cheap; called after each correction)."""
        corrected: dict[int, dict[str, str]] = {}
        for c in self.store.triage.corrections():
            corrected.setdefault(c.message_id, {})[c.field] = c.value
        examples = [(m, fields) for mid, fields in corrected.items() if (m := self.store.messages.get(mid))]
        with self._lock:
            self._corrected = corrected
            self._model.fit(examples)
        self._fit_linear(examples)

    def _fit_linear(self, examples: list[tuple[Message, dict[str, str]]]) -> None:
        """The linear layer learns the priority corrections against what the rules said (kept in the store;
        refitted only when the corrections changed since it was stored)."""
        fixes = [(m, f["priority"]) for m, f in examples if "priority" in f]
        key = hashlib.sha256(repr(sorted((m.id, v) for m, v in fixes)).encode()).hexdigest()[:16]
        if self._linear.load(self.store.settings.get(priority_model.SETTING) or {}) and self._linear.fitted_on == key:
            return
        self._linear.fit([(priority_model.features(r.signals, r.priority, self._embedding(m)), value)
                          for m, value in fixes for r in [self._rules(m)]], key=key)
        self.store.settings.set(priority_model.SETTING, self._linear.dump())

    def _embedding(self, message: Message) -> np.ndarray | None:
        blob = self.store.embeddings.of_source(self._embedding_model, "email", message.id or 0) \
            if self._embedding_model else None
        return np.frombuffer(blob, dtype=np.float32) if blob else None

    def correct(self, message_id: int, field_name: str, value: str | bool) -> TriageResult:
        """Store the user's correction, learn from it, and return the message's new verdict."""
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        allowed = {"priority": PRIORITIES, "category": CATEGORIES, "needs_reply": ("true", "false")}[field_name]
        if text not in allowed:
            raise ValueError(f"{field_name} must be one of {', '.join(allowed)}")
        self.store.triage.add_correction(message_id, field_name, text)
        self.refit()
        result = self.triage(message_id)
        self.store.triage.put(result.row())
        return result

    # -- triage ----------------------------------------------------------------------------------------------
    def triage(self, message_id: int) -> TriageResult:
        cached = self._threads.get(self._thread_of.get(message_id, -1), [])
        message = next((m for m in cached if m.id == message_id), None) or self.store.messages.get(message_id)
        if message is None:
            raise KeyError(message_id)
        return self.triage_message(message)

    def _rules(self, message: Message) -> _RuleVerdict:
        thread = self._thread(message)
        if all(m.id != message.id for m in thread):
            thread = [*thread, message]
        sigs = [self._signals(m, thread) for m in thread]
        s = next(x for x in sigs if x.message_id == (message.id or 0))
        key = tuple(m.id or 0 for m in thread)
        if key not in self._verdict_cache:  # the conversation's verdict is the same for each of its messages
            category = thread_category(sigs)
            view = self._view(thread, sigs, category)
            self._verdict_cache[key] = (category, view, *thread_priority(view))
        category, view, base, why = self._verdict_cache[key]
        return _RuleVerdict(thread, sigs, s, category, view, message_priority(s, base, category), why)

    def triage_message(self, message: Message) -> TriageResult:
        rules = self._rules(message)
        thread, sigs, s, category, view, priority, why = (rules.thread, rules.sigs, rules.signals, rules.category,
                                                          rules.view, rules.priority, rules.why)
        aims = view.aims
        needs_reply = rule_needs_reply(s)
        source = "rules"
        fixed = self._corrected.get(message.id or -1, {})
        learned_from: list[int] = []
        for name in ("category", "priority", "needs_reply"):
            value = fixed.get(name)
            how = "corrected"
            if value is None:
                hit = self._model.predict(message, name) if len(self._model) else None
                value, how = (hit.value, "learned") if hit else (None, "")
                if hit:
                    learned_from.append(hit.example_id)
            if value is None and name == "priority" and self._linear.corrections:
                guess = self._linear.predict(priority_model.features(s, priority, self._embedding(message)))
                if guess.priority != priority and guess.probability >= priority_model.MIN_PROB:
                    value, how, why = guess.priority, "learned", "like mail you re-prioritised" + (
                        f" ({', '.join(guess.words)})" if guess.words else "")
            if value is None:
                continue
            source = "corrected" if how == "corrected" or source == "corrected" else "learned"
            if name == "category":
                category = value
                # a re-filed category re-scores the priority (unless the priority itself was corrected)
                view = self._view(thread, sigs, category)
                priority = message_priority(s, thread_priority(view)[0], category)
            elif name == "priority":
                priority = value
            else:
                needs_reply = value == "true"
        awaiting = self.principal.email if needs_reply and not s.replied_by_me else ""
        if s.my_open_ask:
            awaiting = ", ".join(c.email for c in message.to) or awaiting
        said = self.model_reader(message).priority if self.model_reader is not None and source == "rules" else None
        if said is not None and PRIORITIES.index(said.level) < PRIORITIES.index(priority):
            priority = said.level
        reason = reason_for(s, priority, category, needs_reply, source, aims, why)
        evidence = _evidence(message, s, learned_from)
        if said is not None and said.level == priority:
            reason += f"; the model read \"{quote(said.quote, 100)}\""
            evidence.append(Evidence("email", message.id or 0, quote(said.quote)))
        return TriageResult(
            message_id=message.id or 0, priority=priority, category=category, needs_reply=needs_reply,
            answered=s.replied_by_me, awaiting_from=awaiting, reason=reason, evidence=evidence, source=source,
            subject=message.subject, sender=message.sender.name or message.sender.email, sent_at=message.sent_at,
        )

    def _view(self, thread: list[Message], sigs: list[MessageSignals], category: str) -> ThreadView:
        subject = thread[0].subject if thread else ""
        named = [a for a, rx in self._account_names.items() if any(rx.search(x.text) for x in sigs)]
        writing = [x.account_name for x in sigs if x.account_name]  # a key account's own people take part
        return ThreadView(category, sigs, subject, self._aims(subject, sigs), list(dict.fromkeys(writing + named)))

    def _aims(self, subject: str, sigs: list[MessageSignals]) -> list[str]:
        """Strategic priorities the conversation is ABOUT, not merely mentions: its subject names one (a name,
        or two of its words), or its opening message carries three of its identifying terms. WHY: a weekly
        report that mentions a key account in passing is not about saving that account."""
        if not any(aim.kind == "priority" for aim in self.matcher.aims):
            return []
        opening = stems_of(sigs[0].text) if sigs else set()
        head = stems_of(subject)
        out = []
        for aim in self.matcher.aims:
            if aim.kind != "priority":
                continue
            terms = aim.names | aim.words
            if aim.names & head or len(aim.words & head) >= 2 or len(terms & opening) >= 3:
                out.append(aim.text)
        return out

    def _thread_texts(self, limit: int = 3000) -> list[str]:
        """Subject + snippets per thread of recent mail: the background the matcher judges words against."""
        texts: dict[int, list[str]] = {}
        for m in self.store.messages.recent(limit=limit):
            texts.setdefault(m.thread_id, []).append(f"{m.subject} {m.snippet}")
        return [" ".join(parts) for parts in texts.values()]

    def _signals(self, message: Message, thread: list[Message]) -> MessageSignals:
        key = message.id or 0
        if key not in self._sig_cache:
            later = [m for m in thread if m.sent_at and message.sent_at and m.sent_at > message.sent_at]
            self._sig_cache[key] = extract_signals(message, later, self.rel)
        return self._sig_cache[key]

    def run(self, message_ids: Iterable[int] | None = None, *, since: str | None = None, limit: int = 2000,
            on_progress: Callable[[float], None] | None = None, cancel: threading.Event | None = None
            ) -> list[TriageResult]:
        """Triage and persist `message_ids` (default: the newest `limit` messages, `since` an ISO time)."""
        ids = list(message_ids) if message_ids is not None else [
            m.id for m in self.store.messages.recent(limit=limit, since=since)]
        self._threads.clear()
        self._thread_of.clear()
        self._sig_cache.clear()
        self._verdict_cache.clear()
        results: list[TriageResult] = []
        for i, mid in enumerate(ids):
            if cancel is not None and cancel.is_set():
                break
            results.append(self.triage(mid))
            if len(results) % _WRITE_BATCH == 0:  # finished batches are kept if the run is cancelled
                self.store.triage.put_many([r.row() for r in results[-_WRITE_BATCH:]])
            if on_progress is not None:
                on_progress((i + 1) / len(ids))
        if len(results) % _WRITE_BATCH:
            self.store.triage.put_many([r.row() for r in results[-(len(results) % _WRITE_BATCH):]])
        log.info("triage: %d messages", len(results))
        return results

    def _thread(self, message: Message) -> list[Message]:
        """The message's whole thread, oldest first (cached for one `run`)."""
        if not self._thread_of or message.id not in self._thread_of:
            self._thread_of = {m.id: m.thread_id for m in self.store.messages.recent(limit=10_000_000)}
        thread_id = self._thread_of.get(message.id or -1)
        if thread_id is None:
            return [message]
        if thread_id not in self._threads:
            ids = self.store.messages.thread_ids(thread_id)
            self._threads[thread_id] = [m for mid in ids if (m := self.store.messages.get(mid)) is not None]
        return self._threads[thread_id]


def reason_for(s: MessageSignals, priority: str, category: str, needs_reply: bool, source: str,
               aims: list[str] = (), why: str = "") -> str:
    """One line a person can check at a glance: the strongest signals, most important first."""
    if source == "corrected":
        return "As you filed it."
    parts: list[str] = [why] if why and (priority in ("urgent", "important") or source == "learned") and not aims else []
    who = _SENDER_LABEL.get(s.sender_kind, "")
    if s.account_name:
        who = f"Key account {s.account_name}"
    if s.automated:
        parts.append(f"Automated ({s.automated})")
    elif who:
        parts.append(who)
    if s.urgent:
        parts.append(f"urgent wording ({', '.join(s.urgent[:2])})")
    if aims:
        parts.append(f"touches priority \"{_short(aims[0])}\"")
    if needs_reply:
        parts.append("asks you something" + (" (you replied)" if s.replied_by_me else ""))
    elif s.my_open_ask:
        parts.append("you are waiting for an answer")
    if s.acknowledgement:
        parts.append("acknowledgement")
    if s.deadline is not None:
        parts.append(f"deadline {s.deadline.due:%a %d %b} (\"{s.deadline.phrase}\")")
    if s.no_reply_needed:
        parts.append("FYI only")
    if source == "learned" and not why.startswith("like mail"):
        parts.append("like mail you re-filed before")
    if not parts:
        parts.append(f"{category.capitalize()} mail")
    line = "; ".join(parts)
    return line[0].upper() + line[1:] + "."


def _short(text: str, words: int = 6) -> str:
    split = text.split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


def _evidence(message: Message, s: MessageSignals, learned_from: list[int]) -> list[Evidence]:
    out = [Evidence("email", message.id or 0, quote(a, 160)) for a in s.asks[:2]]
    if s.deadline is not None and not out:
        out.append(Evidence("email", message.id or 0, s.deadline.phrase))
    if s.automated:
        out.append(Evidence("email", message.id or 0, s.automated))
    out += [Evidence("triage_correction", mid, "similar message you corrected") for mid in learned_from[:1]]
    return out or [Evidence("email", message.id or 0, quote(message.subject, 120))]
