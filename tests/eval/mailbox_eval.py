"""Scoring triage, commitments and the pipeline against a labelled mailbox (tests/eval/corpora/*.json).

`load(store, name)` imports a corpus as a first day would (no strategic context, nothing configured);
`score(store, corpus)` runs the deterministic extractors and returns the figures. Matching rules:
- an opportunity is found when its evidence cites one of the label's messages (or it names the same account),
  and matches (counts for F1) when its kind is the label's too; amounts exact = found opportunities whose value
  and currency both equal the label's (None when the mail states none), over the found ones (as due dates);
- a commitment matches a label when its evidence cites one of the label's messages and its owner is the
  label's owner (address, or first name); due dates are exact when equal to the label's (both None counts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from engine.assistant.commitments import CommitmentLedger
from engine.assistant.text import normalize_name
from engine.assistant.triage import TriageEngine
from engine.insights.revenue import RevenueIntel
from engine.store import Store
from models import Contact, Message

FOLDER = Path(__file__).parent / "corpora"
ACCOUNT = "import:eval"


def corpus(name: str) -> dict:
    return json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))


def _contact(p: dict) -> Contact:
    return Contact(p["email"], p["name"])


def load(store: Store, data: dict) -> dict[str, int]:
    """Import the corpus's messages; returns corpus message id -> store id."""
    messages = [Message(
        account=ACCOUNT, provider_id=m["id"], thread_key=m["thread"], subject=m["subject"],
        sender=_contact(m["from"]), to=[_contact(p) for p in m["to"]], cc=[_contact(p) for p in m["cc"]],
        sent_at=datetime.fromisoformat(m["date"]), body_text=m["body"], headers=dict(m["headers"]),
        message_id_header=f"<{m['id']}@corpus>", in_reply_to=m["in_reply_to"],
    ) for m in data["messages"]]
    ids = store.messages.upsert(messages)
    return {m["id"]: i for m, i in zip(data["messages"], ids)}


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@dataclass
class Figures:
    values: dict[str, float] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)  # for the tuning corpus only


def score(store: Store, data: dict, ids: dict[str, int]) -> Figures:
    out = Figures()
    _triage(store, data, ids, out)
    _opportunities(store, data, ids, out)
    _commitments(store, data, ids, out)
    return out


def _triage(store: Store, data: dict, ids: dict[str, int], out: Figures) -> None:
    results = {r.message_id: r for r in TriageEngine(store).run()}
    labels = data["labels"]["emails"]
    tp = fp = fn = prio = cat = 0
    out.misses["priority"], out.misses["needs_reply"], out.misses["category"] = [], [], []
    for e in labels:
        r = results[ids[e["id"]]]
        prio += r.priority == e["priority"]
        cat += r.category == e["category"]
        if r.priority != e["priority"]:
            out.misses["priority"].append(f"{e['id']}: {r.priority} (want {e['priority']}) {r.reason}")
        if r.category != e["category"]:
            out.misses["category"].append(f"{e['id']}: {r.category} (want {e['category']})")
        if r.needs_reply != e["needs_reply"]:
            out.misses["needs_reply"].append(f"{e['id']}: {r.needs_reply} (want {e['needs_reply']})")
        tp += r.needs_reply and e["needs_reply"]
        fp += r.needs_reply and not e["needs_reply"]
        fn += e["needs_reply"] and not r.needs_reply
    out.values["priority_accuracy"] = prio / len(labels)
    out.values["category_accuracy"] = cat / len(labels)
    out.values["needs_reply_f1"] = f1(tp, fp, fn)


def _opportunities(store: Store, data: dict, ids: dict[str, int], out: Figures) -> None:
    predicted = RevenueIntel(store).detect()
    labels = data["labels"]["opportunities"]
    used: set[int] = set()
    tp = exact = found = 0
    out.misses["opportunities"] = []
    for lab in labels:
        sources = {ids[s] for s in lab["sources"]}
        match = next((i for i, o in enumerate(predicted) if i not in used and (
            {e.source_id for e in o.evidence if e.source_type == "email"} & sources
            or normalize_name(o.account) == normalize_name(lab["account"]))), None)
        if match is None:
            out.misses["opportunities"].append(f"missed {lab['account']} {lab['kind']}")
            continue
        used.add(match)
        o = predicted[match]
        found += 1
        if o.kind != lab["kind"]:
            out.misses["opportunities"].append(f"{lab['account']}: kind {o.kind} (want {lab['kind']})")
        else:
            tp += 1
        amount = None if o.amount is None else float(o.amount)
        if amount == lab["amount"] and (o.currency or "") == lab["currency"]:
            exact += 1
        else:
            out.misses["opportunities"].append(f"{lab['account']}: {o.amount} {o.currency} (want {lab['amount']} "
                                               f"{lab['currency']})")
    for i, o in enumerate(predicted):
        if i not in used:
            out.misses["opportunities"].append(f"extra {o.account} {o.kind} {o.amount} {o.currency}")
    out.values["opportunity_f1"] = f1(tp, len(predicted) - tp, len(labels) - tp)
    out.values["opportunity_amount_exact"] = exact / found if found else 0.0


def _same_owner(store: Store, predicted: str, label: dict) -> bool:
    if predicted.lower() == label["owner"].lower():
        return True
    contact = store.contacts.get(predicted) if "@" in predicted else None
    name = (contact.name if contact and contact.name else predicted).lower()
    return bool(name) and name.split()[0] == label["owner_name"].lower().split()[0]


def _commitments(store: Store, data: dict, ids: dict[str, int], out: Figures) -> None:
    CommitmentLedger(store).scan(meetings=False)
    predicted = store.commitments.list()
    labels = data["labels"]["commitments"]
    by_id = {v: k for k, v in ids.items()}
    matched: set[str] = set()
    tp = fp = due_ok = 0
    out.misses["commitments"] = []
    for c in predicted:
        sources = {by_id.get(e.source_id) for e in c.evidence if e.source_type == "email"}
        lab = next((x for x in labels if x["id"] not in matched and sources & set(x["sources"])
                    and _same_owner(store, c.owner, x)), None)
        if lab is None:
            fp += 1
            out.misses["commitments"].append(f"extra {sorted(filter(None, sources))} {c.owner}: {c.what} ({c.due})")
            continue
        matched.add(lab["id"])
        tp += 1
        due = c.due.isoformat() if c.due else None
        if due == lab["due"]:
            due_ok += 1
        else:
            out.misses["commitments"].append(f"{lab['id']} due {due} (want {lab['due']}): {c.what}")
    for lab in labels:
        if lab["id"] not in matched:
            out.misses["commitments"].append(f"missed {lab['id']} {lab['owner_name']}: {lab['what']}")
    out.values["commitment_f1"] = f1(tp, fp, len(labels) - len(matched))
    out.values["commitment_due_exact"] = due_ok / tp if tp else 0.0
