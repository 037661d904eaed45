"""Finding promises and requests in text: who owes what to whom, and by when.

Rules over sentences (WHY: reliable with no model at all and explainable, and a 135M model cannot do better):
- a promise by the writer/speaker: "I'll send the deck by Friday", "we will share pricing", "let me loop in Pat";
- a request to the reader/addressee: "can you get me the Q1 numbers?", "Pat, could you send the SOW";
- a third-person action item in notes/transcripts: "Pat will send the revised proposal", "Action: Jo to fix X".
Only deliverable verbs count ("I'll be there" and "can you hear me" are not commitments). Conditionals ("if
you send X I'll review") are skipped. Pure functions; thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from engine.assistant.dates import find_due

VERBS = (
    r"send|share|forward|get|prepare|draft|write|put together|pull together|finali[sz]e|review|update|revise|"
    r"follow up|circle back|get back|come back|set up|schedule|book|loop in|introduce|intro|confirm|check|"
    r"look into|dig into|provide|deliver|ship|fix|deploy|sign|approve|run|walk .{1,20}? through|email|call|"
    r"reach out|send over|pass along|compile|prep|submit|reply|respond|sort out|arrange|organi[sz]e|book|decide|"
    r"complete|return|countersign|pick up|give|tell|talk to|speak (?:to|with)|meet|pay|order|release|install|"
    r"publish|present|explain|propose|plan|quote|make|take care of|handle|chase|finish|hand over|circulate|"
    r"ping|let \w+ know"
)
_VERB = rf"(?:{VERBS})\b"
_PROMISE = re.compile(
    rf"\b(?:i|we)(?:'ll| will| shall|'m going to| am going to|'re going to| are going to| can| promise to)"
    rf"\s+(?:also |definitely |certainly |personally |then |just |quickly |make sure to |try to |aim to )*({_VERB}.*)",
    re.I,
)
_AND_WILL = re.compile(rf"\b(?:i|we)\b[^.?!,]{{0,60}}?\band (?:will|shall|'ll) ({_VERB}.*)", re.I)
_PURPOSE = re.compile(r"\bso(?: that)?\s*$", re.I)
_HAVE_DONE = re.compile(r"\b(?:i|we)(?:'ll| will) have\s+((?:my |our |the |it |them |this |that )?[\w' -]{1,40}?\s+"
                        r"(?:done|ready|finished|completed|to you)\b.*)", re.I)
_LET_ME = re.compile(rf"\blet me\s+({_VERB}.*)", re.I)
_REQUEST = re.compile(
    rf"\b(?:can|could|would|will) you(?: please| also| kindly)?\s+({_VERB}.*)|\b(?:please|kindly)\s+({_VERB}.*)|"
    rf"\b(?:i|we) (?:would |will )?need you to\s+({_VERB}.*)|"
    r"\bi need ((?:a|an|the|your|some)\b[^.?!]{0,60}?) from you\b(.*)", re.I)
_THIRD = re.compile(
    rf"^(?:(?:[Aa]ction(?: [Ii]tems?)?|AI|TODO|To-?do):\s*)?([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:'s team)?"
    rf"(?:,[^,]{{3,60}},)?(?: will| to| is going to|'ll)\s+({_VERB}.*)")
# "..., and Tom will set up a session": a named person's action item inside a longer sentence
_THIRD_INSIDE = re.compile(rf"(?:,|\band|;)\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:'s team)? (?:will|'ll)\s+({_VERB}.*)")
_ADDRESSEE = re.compile(r"^(?!(?:Yes|No|Sure|Thanks|Great|Ok|Okay|Sorry|Also|Done|Perfect|Agreed|Absolutely|Right|"
                        r"Well|So|And|But|Now|Then|Again|Honestly|Good|Fine)\b)([A-Z][a-z]+)(?:,| -)\s+")
_GREETING = re.compile(r"^(?:hi|hey|hello|dear)?\s*[A-Z][a-z]+,\s*", re.I)
_CONDITIONAL = re.compile(r"^(?:if|once|when|whether|unless)\b|\bif (?:you|they|we) (?:can|could|want|need)\b", re.I)
_NOT_REQUEST = re.compile(r"\b(?:can|could) you (?:hear|see) me\b|\bplease find\b|\bplease note\b", re.I)
_CUT = re.compile(r"\s+(?:by|before|no later than|until|first thing|asap|as soon as|so that|so we|so i|and then|"
                  r"if|once|ahead of)\b.*$", re.I)


@dataclass(frozen=True, slots=True)
class Promise:
    """One detected commitment. `owner`/`counterparty` are names or addresses as the text gives them, or the
    roles "writer" / "reader" for the writer and the addressee(s) of a message."""

    owner: str
    counterparty: str
    what: str
    due: date | None
    due_phrase: str
    sentence: str
    kind: str  # promise | request | action_item


def clean_what(text: str, due_phrase: str = "") -> str:
    """The deliverable, without the due phrase or trailing clauses, at most 14 words."""
    what = re.split(r"[.?!;]", text, maxsplit=1)[0]
    if due_phrase and due_phrase in what:
        what = what[: what.index(due_phrase)]
    what = _CUT.sub("", what).strip(" ,-–")
    what = re.sub(r"\s+(?:on|this|next|by|for|at)$", "", what)
    words = what.split()
    return " ".join(words[:14])


def find_promises(sentence: str, written_at: datetime | date) -> list[Promise]:
    """Promises, requests and action items in one sentence (usually zero or one)."""
    text = sentence.strip()
    # "Hi Marcus, if the PO reaches us ..." is as conditional as "If the PO reaches us ..."
    if not text or _CONDITIONAL.search(_GREETING.sub("", text)) or _NOT_REQUEST.search(text):
        return []
    due = find_due(text, written_at)
    due_date, phrase = (due.due, due.phrase) if due else (None, "")
    addressee = _ADDRESSEE.match(text)
    to = addressee.group(1) if addressee else "reader"
    # the earliest clause decides: "Can you send me the final version so I can send it Monday?" is a request
    found = [(m.start(), kind, m) for pattern, kind in ((_PROMISE, "promise"), (_HAVE_DONE, "promise"),
                                                         (_LET_ME, "promise"), (_AND_WILL, "promise"),
                                                         (_REQUEST, "request")) if (m := pattern.search(text))
             and not (kind == "promise" and _PURPOSE.search(text[:m.start()]))]
    if found:
        _, kind, m = min(found, key=lambda f: f[0])
        what = clean_what(" ".join(g for g in m.groups() if g), phrase)
        first = Promise("writer", to, what, due_date, phrase, text, kind) if kind == "promise" else \
            Promise(to, "writer", what, due_date, phrase, text, "request")
        return [first, *_named_inside(text[m.start():], written_at)]
    out: list[Promise] = []
    m = _THIRD.match(text) or _THIRD_INSIDE.search(text)
    if m and m.group(1).lower() not in ("i", "we", "you", "they", "it", "this", "that", "there", "he", "she"):
        out.append(Promise(m.group(1), "meeting", clean_what(m.group(2), phrase), due_date, phrase, text, "action_item"))
    return out


def _named_inside(rest: str, written_at: datetime | date) -> list[Promise]:
    """"..., and Tom will set up a session": a second, named person's action item after the first clause."""
    m = _THIRD_INSIDE.search(rest)
    if m is None or m.group(1).lower() in ("i", "we", "you", "they", "it", "this", "that", "there", "he", "she"):
        return []
    due = find_due(m.group(0), written_at)
    phrase = due.phrase if due else ""
    return [Promise(m.group(1), "meeting", clean_what(m.group(2), phrase), due.due if due else None, phrase,
                    rest.strip(), "action_item")]

