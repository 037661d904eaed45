"""A capable model's wording for a grounded mail proposal, kept only where the evidence supports it.

`engine.assistant.act_grounding` builds every draft from the instruction and the thread (right with any model).
When the chat model is measured at the rephrase tier, `reword_draft` lets it rewrite the middle of that body in
the user's voice; each of its sentences must pass the answer engine's `Verifier` against the evidence (the
instruction, the message answered and the evidence-built sentences), and the rewrite must still carry every date,
time and number the evidence-built body states. Otherwise the evidence-built body stands. Lives in use-cases
because engine.answers already draws on engine.assistant. Blocks on the model; call it from a worker.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from engine.answers import EvidenceSentence, Verifier, split_sentences
from engine.assistant.act_grounding import Proposal, placeholder_fields
from engine.errors import EngineError
from engine.llm import GenerationParams, PromptParts
from engine.retrieval.rag import Citation
from engine.usecases.verified_notes import shown

__all__ = ["reword_draft"]

log = logging.getLogger(__name__)
_FACT = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|\b\d{1,2}:\d{2}\b|(?<!\w)\d+(?:[.,]\d+)*")
_PROMPT = ("Rewrite the middle of this email in a warm, concise, professional voice. Keep every date, time and "
           "number exactly. Reply with the rewritten sentences only.\n\n{middle}")


def reword_draft(proposal: Proposal, *, llm: Any, embedder: Any, instruction: str, answered: str = "",
                 now: datetime | None = None) -> Proposal:
    """`proposal` with its body's middle reworded by `llm` where every sentence is verified; else unchanged."""
    body = str(proposal.payload.get("body", ""))
    paragraphs = body.split("\n\n")
    if proposal.kind != "draft_email" or len(paragraphs) < 3:
        return proposal
    greeting, middle, closing = paragraphs[0], "\n\n".join(paragraphs[1:-1]), paragraphs[-1]
    try:
        reply = llm.ask(PromptParts(question=_PROMPT.format(middle=middle)), feature="drafts",
                        params=GenerationParams(max_tokens=220, temperature=0.2))
    except EngineError as exc:
        log.info("act: draft rewording unavailable (%s); the evidence-built draft stands", type(exc).__name__)
        return proposal
    sources = [text for text in (instruction, answered, middle) if text.strip()]
    evidence = [EvidenceSentence(sentence, Citation(i + 1, 0, "note", 0, "instruction", "", "", now, source, 1.0))
                for i, (sentence, source) in enumerate((s, src) for src in sources for s in split_sentences(src))]
    verifier = Verifier(embedder, evidence)
    kept = [shown(v.sentence) for v in map(verifier.check, split_sentences(reply.text)) if v.ok]
    reworded = " ".join(kept)
    if not kept or not set(_FACT.findall(middle)) <= set(_FACT.findall(reworded)):
        return proposal  # a fact of the evidence-built draft would be lost
    payload = {**proposal.payload, "body": "\n\n".join([greeting, reworded, closing])}
    if placeholder_fields(payload, instruction):
        return proposal
    return replace(proposal, payload=payload)
