"""Reading an instruction to act ("Draft a reply to Mark proposing a call on Tuesday at 10:00"): which action it
asks for, whom it names, what it is about, and what the message should say — from the user's words alone.

The parts are plain text spans; `engine.assistant.act_grounding` resolves them against the user's data. Patterns
are deliberately narrow: "Write an essay about robots" is a question for Chat, not an email. Pure; thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from engine.assistant.when import date_phrases, read_time, render_day, render_time

__all__ = ["THANKS", "ActionKind", "Parsed", "message_lines", "parse_instruction", "task_title", "topic_of",
           "with_dates"]

THANKS = "Thank you for your message."

ActionKind = str
"""draft_email | reply | create_event | reschedule | rsvp | create_task"""

_PLEASE = r"^\s*(?:please\s+|can you\s+|could you\s+)?"
_KINDS: tuple[tuple[re.Pattern[str], ActionKind], ...] = (
    (re.compile(_PLEASE + r"(?:(?:add|create|make)\s+(?:an?\s+)?(?:task|to-?do)|remind me)\b", re.I), "create_task"),
    (re.compile(_PLEASE + r"(?:(?:draft|write|compose|send)\s+(?:an?\s+|the\s+)?reply|reply|respond)\b", re.I),
     "reply"),
    (re.compile(_PLEASE + r"(?:(?:draft|write|compose|send)\s+(?:an?\s+|the\s+)?(?:e-?mail|message|note|mail|"
                r"follow-?up)|e-?mail)\b", re.I), "draft_email"),
    # "move/push/shift" only with a target ("Push notifications: how do they work?" is a question)
    (re.compile(_PLEASE + r"(?:reschedule|postpone|(?:move|push|shift|bring forward)\b.*\b(?:to|until|till))\b", re.I),
     "reschedule"),
    (re.compile(_PLEASE + r"(?:(?:tentatively\s+)?accept|decline|rsvp|say (?:yes|no) to)\b", re.I), "rsvp"),
    (re.compile(_PLEASE + r"(?:schedule|book|set up|arrange|organi[sz]e|put)\b.*\b(?:meeting|call|calendar|event|"
                r"invite|sync|1:1|lunch|dinner|breakfast|coffee|review|standup|stand-up|workshop|check-in|session|"
                r"catch-?up|walkthrough|interview|demo)\b", re.I), "create_event"),
)
# Whom an instruction names: the words after "to", "with", "email" (a list of names or addresses).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME = r"(?:[A-Z][\w'’-]*(?:\s+(?:van|de|da|von|del|di|le|la)?\s*[A-Z][\w'’-]*)*)"
_WHO = re.compile(rf"\b(?i:to|with|e-?mail|cc)\s+((?:{_NAME}|{_EMAIL.pattern})(?:\s*(?:,|and|&)\s*(?:{_NAME}|"
                  rf"{_EMAIL.pattern}))*)")
_NOT_NAMES = re.compile(r"^(?:I|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
                        r"May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|"
                        r"Sept|Oct|Nov|Dec|Q[1-4]|Re|The|A|An|My|Our)$")
_TOPIC = re.compile(r"\b(?:about|regarding|re:|on the subject of|asking (?:for|about)|ask(?:ing)? for|"
                    r"on(?= the\s(?!calendar|diary|agenda)))\s+(.+)", re.I)
_TOPIC_END = re.compile(r"\s+(?:proposing|propose|asking|ask|saying|say|and|to (?:say|ask|thank|propose)|so|by|"
                        r"before|on|at|for|tomorrow|today|next|this|every|starting|from|with)\b.*$|[.:;,!?].*$", re.I)
_PURPOSES = (
    (re.compile(r"\b(?:proposing|propose|suggesting|suggest|offering|offer)\s+(.+)", re.I), "I'd like to propose {}."),
    (re.compile(r"\b(?:asking|ask)\s+(?:him|her|them)?\s*(?:for|about)\s+(.+)", re.I), "Could you send me {}?"),
    (re.compile(r"\b(?:saying|say|tell (?:him|her|them))\s+(?:that\s+)?(.+)", re.I), "{}."),
)
_THANK = re.compile(r"\b(?:thank|thanks)\s+(?:him|her|them|you)\b", re.I)
_TASK_LEAD = re.compile(r"^\s*(?:please\s+|can you\s+|could you\s+)?(?:remind me to|(?:add|create|make)\s+(?:an?\s+)?"
                        r"(?:task|to-?do)\s*(?::|to\b)?)\s*", re.I)


@dataclass(frozen=True, slots=True)
class Parsed:
    kind: ActionKind
    names: tuple[str, ...]  # names or addresses as written, in order
    topic: str  # "the site survey dates" ("" when none)


def parse_instruction(text: str) -> Parsed | None:
    """The action `text` asks for and what it names, or None for a question."""
    kind = next((k for pattern, k in _KINDS if pattern.search(text)), None)
    if kind is None:
        return None
    names: list[str] = []
    if kind in ("draft_email", "reply", "create_event"):
        for m in _WHO.finditer(text):
            for part in re.split(r"\s*(?:,|\band\b|&)\s*", m.group(1)):
                if part and not _NOT_NAMES.match(part) and part not in names:
                    names.append(part)
            if kind != "create_event":
                break  # the recipients come first: "Reply to Tom about the deck with Sofia's numbers"
    return Parsed(kind, tuple(names), topic_of(text))


def topic_of(text: str) -> str:
    """What the instruction is about ("about the site survey dates" -> "the site survey dates")."""
    m = _TOPIC.search(re.sub(_EMAIL, "", text))
    if m is None:
        return ""
    topic = _TOPIC_END.sub("", m.group(1)).strip()
    return topic if not re.fullmatch(r"(?:the|a|an)?\s*", topic, re.I) else ""


def with_dates(text: str, now: datetime) -> str:
    """`text` with each date phrase given its date and each clock time in 24-hour form ("on Tuesday at 10" ->
    "on Tuesday 1 Dec at 10:00"): what the reader needs, resolved against when the instruction was given."""
    out = text
    for phrase in reversed(date_phrases(text, now)):
        words = text[phrase.start:phrase.end]
        lead = re.match(r"(?:by|on|before|until)\s+", words, re.I)
        rendered = (lead.group(0) if lead else "") + render_day(phrase.day)
        out = out[:phrase.start] + rendered + out[phrase.end:]
    while (clock := read_time(out)) is not None and not re.fullmatch(r"(?:at\s+)?\d{2}:\d{2}",
                                                                      out[clock[1]:clock[2]].strip()):
        at, start, end = clock
        lead = "at " if re.match(r"at\s", out[start:end], re.I) else ""
        out = out[:start] + lead + render_time(at) + out[end:]
    return out


def message_lines(text: str, now: datetime) -> list[str]:
    """The sentences the user asked the message to carry, built from the instruction itself ("proposing a call
    on Tuesday at 10:00" -> "I'd like to propose a call on Tuesday 1 Dec at 10:00.")."""
    lines = []
    if _THANK.search(text):
        lines.append(THANKS)
    for pattern, template in _PURPOSES:
        if m := pattern.search(text):
            clause = re.split(r"\s+and\s+(?=(?:ask|say|propose|thank)\b)|[.;!]", m.group(1))[0].strip(" ,")
            clause = with_dates(_second_person(clause), now)
            lines.append(template.format(clause[:1].upper() + clause[1:] if template == "{}." else clause))
    return lines


def _second_person(clause: str) -> str:
    """Instruction wording as the user's own: "we accept" stays; "his/her/their" become "your"."""
    return re.sub(r"\b(?:his|her|their)\b", "your", clause, flags=re.I)


def task_title(text: str) -> str:
    """The task itself: the instruction without its lead ("Add a task to", "Remind me to") and its date phrase."""
    body = _TASK_LEAD.sub("", text)
    for phrase in reversed(date_phrases(body, datetime(2000, 1, 1))):
        body = body[:phrase.start] + body[phrase.end:]
    body = re.sub(r"\s+(?:by|on|before|until|due)\s*$", "", body.strip(" .,;:"), flags=re.I).strip(" .,;:")
    body = re.sub(r"\s{2,}", " ", body)
    return body[:1].upper() + body[1:]
