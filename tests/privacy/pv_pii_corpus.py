"""A labelled synthetic PII corpus, generated from a seed (nothing real, nothing downloaded).

Each document is realistic executive-mail text with PII values of known type at known offsets, mixed with
distractors that look like identifiers but are not PII (order numbers, amounts, dates, meeting ids,
version strings, tracking numbers), so both recall and precision can be measured.
Values are generated to be *valid* (check digits computed), as real identifiers are.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.de import idnr
from stdnum.es import dni
from stdnum.fr import nir
from stdnum.it import codicefiscale

FIRST = ["Dana", "Luis", "Priya", "Tom", "Mei", "Olu", "Sara", "Jonas", "Aiko", "Marco", "Fatima", "Ivan"]
LAST = ["Whitfield", "Okafor", "Brennan", "Larsen", "Nakamura", "Rossi", "Haddad", "Schmidt", "Moreau", "Patel"]
COMPANIES = ["Acme Logistics", "Globex Freight", "Initech Systems", "Umbrella Health", "Stark Components", "Vandelay Imports"]
STREETS = ["Main", "Oak", "Pennsylvania", "Market", "Baker", "Elm", "Harbor View", "Mission", "King", "Cedar Hill"]
US_SUFFIX = ["Street", "St", "Avenue", "Ave", "Road", "Boulevard", "Blvd", "Lane", "Drive", "Way", "Court"]
CITIES = [("San Francisco", "CA"), ("Austin", "TX"), ("Boston", "MA"), ("Denver", "CO"), ("Seattle", "WA")]
UK_CITIES = ["London", "Leeds", "Bristol", "Manchester"]
DE_STREETS = ["Haupt", "Bahnhof", "Garten", "Linden", "Schiller", "Goethe"]
DE_CITIES = ["Berlin", "Hamburg", "Köln", "München", "Leipzig"]
PHONE_REGIONS = ["US", "GB", "DE", "FR", "IN", "JP", "AU", "BR", "CA", "ES", "IT", "NL", "SG", "MX", "CH", "SE"]
# country: (leading letters, then digits) of the BBAN
IBAN_FORMATS = {"DE": (0, 18), "GB": (4, 14), "NL": (4, 10), "AT": (0, 16), "IE": (4, 14), "PL": (0, 24), "BE": (0, 12),
                "CH": (0, 17), "SE": (0, 20), "DK": (0, 14), "FI": (0, 14), "NO": (0, 11)}

TEMPLATES = {
    "EMAIL": ["Please reply to {v} before Friday.", "From: {n} <{v}>", "cc {v}; thanks", "Contact: {v}\n"],
    "PHONE": ["Call me on {v} after 3pm.", "Mobile: {v}\n", "Reach the desk at {v}, ext. 12.", "({v})"],
    "CARD": ["Charge it to card {v}, exp 09/28.", "Card number: {v}\n", "the corporate Amex {v} was declined"],
    "IBAN": ["Please wire the deposit to IBAN {v} (EUR).", "Bank: {v}\nRef: INV-2291", "account {v}, BIC DEUTDEFF"],
    "SSN": ["SSN: {v}\n", "Her social security number is {v}.", "For the background check: {v}."],
    "NINO": ["National Insurance number {v}.", "NI no: {v}\n", "his NINO is {v}, please update payroll"],
    "TAXID": ["Steuer-ID: {v}\n", "Meine Steueridentifikationsnummer lautet {v}.", "tax id {v} for the contract"],
    "NIR": ["Numéro de sécurité sociale : {v}.", "NIR {v}\n"],
    "DNI": ["DNI {v}, por favor.", "NIE: {v}\n"],
    "CF": ["Codice fiscale: {v}.", "CF {v}\n"],
    "ADDR": ["Ship the samples to {v} by Monday.", "Our new office: {v}\n", "Meet at {v}."],
}

DISTRACTORS = [
    "Order #{n6} ships on 2026-03-{d2}.", "The PO-2026-{n5} total is $1,{n3},{n3}.00.", "Q3 revenue was 12.4% up on {d2}/{d2}/2025.",
    "Zoom meeting ID 842 {n4} {n4}.", "Tracking 1Z999AA1{n8}.", "Please update to v2.{d2}.{d1} tonight.",
    "Invoice 2026-{n4} is due in 30 days.", "Room 4{n2}, floor 12, at 10:30.", "We closed Series B at $48,000,000.",
    "ISBN 978-0-306-40615-7 is the reference.", "Ticket JIRA-{n4} was resolved.", "Headcount: {n3} FTE, budget EUR {n3},000.",
    "Flight LH {n3} departs 07:45 from gate B{d2}.", "Build {n8} passed; commit 9f2c1e7.", "Account no. ending {n4}.",
]


@dataclass
class Doc:
    text: str
    labels: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, start, end)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def phone(rng: random.Random) -> str:
    region = rng.choice(PHONE_REGIONS)
    base = phonenumbers.example_number_for_type(region, rng.choice(
        [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]))
    national = str(base.national_number)
    for _ in range(200):
        candidate = national[:3] + _digits(rng, len(national) - 3)
        num = phonenumbers.parse(f"+{base.country_code}{candidate}")
        if phonenumbers.is_valid_number(num):
            break
    else:
        num = base
    fmt = rng.choice([phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164])
    if region == "US" and rng.random() < 0.5:
        fmt = phonenumbers.PhoneNumberFormat.NATIONAL
    text = phonenumbers.format_number(num, fmt)
    if fmt == phonenumbers.PhoneNumberFormat.INTERNATIONAL and rng.random() < 0.4:
        text = text.replace(" ", rng.choice(["-", "."]))  # "+44-20-7946-0958", "+1.650.253.0000"
    return text


def card(rng: random.Random) -> str:
    prefix, length, groups = rng.choice([
        ("4", 16, (4, 4, 4, 4)), ("5" + str(rng.randint(1, 5)), 16, (4, 4, 4, 4)), ("37", 15, (4, 6, 5)),
        ("6011", 16, (4, 4, 4, 4)), ("35" + str(rng.randint(28, 89)), 16, (4, 4, 4, 4)), ("2221", 16, (4, 4, 4, 4))])
    body = prefix + _digits(rng, length - len(prefix) - 1)
    digits = body + luhn.calc_check_digit(body)
    sep = rng.choice([" ", "-", ""])
    parts, pos = [], 0
    for g in groups:
        parts.append(digits[pos:pos + g])
        pos += g
    return sep.join(parts)


def iban(rng: random.Random) -> str:
    """Retries until the national check digits (BE, NO, ...) happen to hold as well."""
    while True:
        country, (letters, digits) = rng.choice(sorted(IBAN_FORMATS.items()))
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(letters)) + _digits(rng, digits)
        value = country + std_iban.calc_check_digits(country + "00" + bban) + bban
        if std_iban.is_valid(value):
            return " ".join(value[i:i + 4] for i in range(0, len(value), 4)) if rng.random() < 0.6 else value


def ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def nino(rng: random.Random) -> str:
    first = rng.choice("ABCEGHJKLMNOPRSTWXYZ")
    second = rng.choice([c for c in "ABCEGHJKLMNPRSTWXYZ" if first + c not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ")])
    d = _digits(rng, 6)
    return f"{first}{second} {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}" if rng.random() < 0.6 else f"{first}{second}{d}{rng.choice('ABCD')}"


def taxid(rng: random.Random) -> str:
    while True:
        digits = list(rng.sample(string.digits, 9))
        if digits[0] == "0":
            continue
        digits.insert(rng.randint(1, 9), rng.choice(digits))
        body = "".join(digits)
        value = body + idnr.mod_11_10.calc_check_digit(body)
        if idnr.is_valid(value):
            return f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}" if rng.random() < 0.5 else value


def nir_value(rng: random.Random) -> str:
    while True:
        body = f"{rng.randint(1, 2)}{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 95):02d}{_digits(rng, 6)}"
        value = body + nir.calc_check_digits(body)
        if nir.is_valid(value):
            return f"{value[0]} {value[1:3]} {value[3:5]} {value[5:7]} {value[7:10]} {value[10:13]} {value[13:]}"


def dni_value(rng: random.Random) -> str:
    body = _digits(rng, 8)
    return body + dni.calc_check_digit(body)


def cf_value(rng: random.Random) -> str:
    while True:
        letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(6))
        body = f"{letters}{_digits(rng, 2)}{rng.choice('ABCDEHLMPRST')}{rng.randint(1, 28):02d}{rng.choice('ABCDEFGHLMZ')}{_digits(rng, 3)}"
        value = body + codicefiscale.calc_check_digit(body)
        if codicefiscale.is_valid(value):
            return value


def email(rng: random.Random) -> str:
    user = f"{rng.choice(FIRST).lower()}{rng.choice(['.', '_', '', '+deals.'])}{rng.choice(LAST).lower()}"
    return f"{user}@{rng.choice(['acme', 'mail.globex', 'initech-sys', 'umbrella'])}.{rng.choice(['com', 'co.uk', 'de', 'io', 'example'])}"


def address(rng: random.Random) -> str:
    style = rng.choice(["us", "us_full", "uk", "de"])
    if style.startswith("us"):
        line = f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(US_SUFFIX)}"
        if rng.random() < 0.3:
            line += f", Suite {rng.randint(100, 900)}"
        if style == "us_full":
            city, state = rng.choice(CITIES)
            line += f", {city}, {state} {_digits(rng, 5)}"
        return line
    if style == "uk":
        postcode = f"{rng.choice(['SW', 'EC', 'N', 'LS', 'M'])}{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        return f"{rng.randint(1, 300)} {rng.choice(STREETS)} {rng.choice(['Road', 'Street', 'Lane'])}, {rng.choice(UK_CITIES)} {postcode}"
    return f"{rng.choice(DE_STREETS)}straße {rng.randint(1, 200)}, {_digits(rng, 5)} {rng.choice(DE_CITIES)}"


GENERATORS = {"EMAIL": email, "PHONE": phone, "CARD": card, "IBAN": iban, "SSN": ssn, "NINO": nino, "TAXID": taxid,
              "NIR": nir_value, "DNI": dni_value, "CF": cf_value, "ADDR": address}


def _distractor(rng: random.Random) -> str:
    text = rng.choice(DISTRACTORS)
    for key, n in (("{n8}", 8), ("{n6}", 6), ("{n5}", 5), ("{n4}", 4), ("{n3}", 3), ("{n2}", 2), ("{d2}", 2), ("{d1}", 1)):
        while key in text:
            value = _digits(rng, n) if key[1] == "n" else str(rng.randint(1, 28 if n == 2 else 9)).zfill(n)
            text = text.replace(key, value, 1)
    return text


def corpus(seed: int = 20261105, per_kind: int = 150) -> list[Doc]:
    """`per_kind` documents per kind, each with one labelled value, 1-3 distractor sentences, and names."""
    rng = random.Random(seed)
    docs = []
    for kind, gen in GENERATORS.items():
        for _ in range(per_kind):
            value = gen(rng)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            template = rng.choice(TEMPLATES[kind])
            before = " ".join(_distractor(rng) for _ in range(rng.randint(0, 2)))
            after = " ".join(_distractor(rng) for _ in range(rng.randint(1, 2)))
            head = f"Hi team,\n{before} " if before else "Hi team,\n"
            pre, post = template.split("{v}")
            pre = pre.replace("{n}", name)
            start = len(head) + len(pre)
            text = f"{head}{pre}{value}{post} {after}\nBest regards"
            docs.append(Doc(text, [(kind, start, start + len(value))]))
    return docs


def negatives(seed: int = 7, count: int = 300) -> list[str]:
    """Text with no PII at all: every detection in it is a false positive."""
    rng = random.Random(seed)
    return [" ".join(_distractor(rng) for _ in range(3)) for _ in range(count)]
