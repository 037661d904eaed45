"""Judgement on other companies' mailboxes: triage, commitments and the pipeline, cold and with context.

Corpora (tests/eval/corpora, hand-written and labelled before any rule was tuned; labelling rules in dsl.py):
- fernhill  (hospitality software, UK): the TUNING corpus; rules were tuned on its misses.
- alpenrose (biologics manufacturing, Switzerland): HELD OUT, never tuned on; only its figures are read.
- kaito     (industrial IoT hardware, Singapore): HELD OUT, never tuned on; only its figures are read.
Each runs cold (a first day: nothing configured, no strategic context) and again with the strategic context
that Reflex proposes from the mailbox confirmed as proposed. No LLM is involved, so the figures hold on any
machine. Targets (issue 15): priority >= 0.85, needs-reply F1 >= 0.90, opportunity F1 >= 0.85 with amounts
exact >= 0.90, commitment F1 >= 0.85 with due dates exact >= 0.85.
"""

from __future__ import annotations

import pytest

import mailbox_eval
from engine.assistant.bootstrap import propose_context
from eval_figures import report

TARGETS = {"priority_accuracy": 0.85, "needs_reply_f1": 0.90, "opportunity_f1": 0.85,
           "opportunity_amount_exact": 0.90, "commitment_f1": 0.85, "commitment_due_exact": 0.85}
CORPORA = {"fernhill": "tuning", "alpenrose": "held-out", "kaito": "held-out"}


@pytest.mark.parametrize("mode", ["cold", "context"])
@pytest.mark.parametrize("name", list(CORPORA))
def test_mailbox(store, name: str, mode: str) -> None:  # noqa: ANN001
    data = mailbox_eval.corpus(name)
    ids = mailbox_eval.load(store, data)
    if mode == "context":
        store.contexts.save(propose_context(store).context)
    figures = mailbox_eval.score(store, data, ids).values
    for metric, value in figures.items():
        target = TARGETS.get(metric)
        report(f"EVAL mailbox.{name}.{mode}.{metric} {value:.3f} ({CORPORA[name]})"
               + (f" target >= {target}" if target else ""))
    short = {m: round(v, 3) for m, v in figures.items() if m in TARGETS and v < TARGETS[m]}
    assert not short, f"{name} ({CORPORA[name]}, {mode}) below target: {short}"
