"""Labelled corpora for PII in the user's own country and for the people the store knows (issue #16 item 13).

Written before the detector was tuned. Two sets each, generated from fixed seeds (nothing real):
- national phone numbers: numbers as people write them at home, WITHOUT a country code, in sixteen countries'
  formats (NATIONAL format with its usual separators, and compact digits), read by a detector configured
  with that country as the user's region;
- known people: mail text naming people the store knows by full name, by first name in a greeting, a sign-off,
  mid-sentence or as a possessive; the people include first names that are also English words (Will, Mark,
  May, Grace) and non-English names (Jürgen, Siobhán, José); distractor text uses those words in lower case
  and in ordinary sentences.
TUNING: seed 1 with `TUNING_PEOPLE` (the detector's rules may be adjusted on its misses).
HELD OUT: seed 2 with `HELD_OUT_PEOPLE` (other names, other sentences' order; never looked at while tuning,
only its figures are read).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

import phonenumbers

REGIONS = ["US", "GB", "DE", "FR", "IN", "JP", "AU", "BR", "CA", "ES", "IT", "NL", "CH", "SE", "SG", "MX"]

TUNING_PEOPLE = ["Dana Whitfield", "Jürgen Müller", "Priya Raman", "Will Turner", "Siobhán O'Neill", "Mei Chen",
                 "Mark Evans", "Olu Adeyemi"]
HELD_OUT_PEOPLE = ["José García", "Grace Liu", "Aiko Tanaka", "May Collins", "Lars Eriksen", "Fatima Haddad",
                   "Bill Okafor", "Chiara Rossi"]

_PHONE_TEMPLATES = ["Call me on {v} after 3pm.", "Mobile: {v}\n", "Reach the desk at {v}, ext. 12.", "({v})",
                    "Ruf mich an: {v}.", "Tel. {v}", "my number is {v} — text first"]
_NAME_TEMPLATES = {
    "full": ["I met {full} at the offsite.", "{full} approved the budget.", "Looping in {full} for the contract.",
             "cc: {full}"],
    "greeting": ["Hi {first},\n", "Dear {first},\n", "Hello {first} —", "Thanks {first}!", "Hey {first}, quick one."],
    "signoff": ["Best,\n{first}", "Cheers,\n{first}\n", "Thanks,\n{first}", "Regards,\n{first}"],
    "mid": ["I spoke with {first} yesterday about pricing.", "Can {first} join the call?",
            "{first} said the deal slips to Q3.", "Please ask {first} for the numbers.", "{first} will send the deck."],
    "possessive": ["{first}'s draft looks good.", "See {first}’s notes below."],
}
_DISTRACTORS = ["We will review the mark-up in May.", "Grace period ends on the 3rd.", "I may be late; will call.",
                "Bill the client for March.", "The mark is at 42%.", "Deal closed, will confirm by Friday.",
                "Order #48213 ships on 2026-03-12.", "Q3 revenue was 12.4% up.", "Zoom meeting ID 842 1234 5678.",
                "Invoice 2026-0412 is due in 30 days.", "Room 402, floor 12, at 10:30.", "Flight LH 441 departs 07:45."]


@dataclass
class Doc:
    text: str
    labels: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, start, end)
    region: str = ""
    form: str = ""


def _valid_national(rng: random.Random, region: str) -> phonenumbers.PhoneNumber:
    kind = rng.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
    base = phonenumbers.example_number_for_type(region, kind)
    national = str(base.national_number)
    for _ in range(500):
        candidate = national[:3] + "".join(rng.choice(string.digits) for _ in range(len(national) - 3))
        number = phonenumbers.parse(candidate, region)
        if phonenumbers.is_valid_number(number):
            return number
    return base


def national_phones(seed: int, per_region: int = 40) -> list[Doc]:
    """Phone numbers in their country's national format (no +CC), each in a sentence with distractors."""
    rng = random.Random(seed)
    docs = []
    for region in REGIONS:
        for _ in range(per_region):
            number = _valid_national(rng, region)
            text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            form = "national"
            if rng.random() < 0.25:
                text, form = "".join(ch for ch in text if ch.isdigit()), "compact"  # "07700900123"
            docs.append(_embed(rng, "PHONE", text, rng.choice(_PHONE_TEMPLATES), region, form))
    return docs


def _embed(rng: random.Random, kind: str, value: str, template: str, region: str, form: str) -> Doc:
    before = " ".join(rng.sample(_DISTRACTORS, rng.randint(0, 2)))
    after = " ".join(rng.sample(_DISTRACTORS, rng.randint(1, 2)))
    head = f"{before}\n" if before else ""
    pre, post = template.split("{v}")
    start = len(head) + len(pre)
    return Doc(f"{head}{pre}{value}{post} {after}", [(kind, start, start + len(value))], region, form)


def known_people(seed: int, people: list[str], per_form: int = 30) -> list[Doc]:
    """Mail text naming `people` by full name or by first name in context; every mention is labelled NAME."""
    rng = random.Random(seed)
    docs = []
    for form, templates in _NAME_TEMPLATES.items():
        for _ in range(per_form):
            full = rng.choice(people)
            first = full.split()[0]
            template = rng.choice(templates)
            value = full if "{full}" in template else first
            docs.append(_embed(rng, "NAME", value, template.replace("{full}", "{v}").replace("{first}", "{v}"),
                               "", form))
    return docs


def name_negatives(seed: int, count: int = 200) -> list[str]:
    """Text with no person's name: every NAME found in it is a false positive."""
    rng = random.Random(seed)
    return [" ".join(rng.sample(_DISTRACTORS, 3)) for _ in range(count)]
