"""Money amounts in text, parsed exactly (Decimal, never float arithmetic on the digits).

Understands "$480K", "$480,000", "$1.2M", "$1.5 million", "USD 216,000", "216,000 USD", "€45k", "£3.2m",
"EUR 12.500,00" (European separators when the shape is unambiguous). Pure and thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
CODES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "INR", "SGD")
_SCALE = {"k": Decimal(1_000), "thousand": Decimal(1_000), "m": Decimal(1_000_000), "mm": Decimal(1_000_000),
          "million": Decimal(1_000_000), "b": Decimal(1_000_000_000), "bn": Decimal(1_000_000_000),
          "billion": Decimal(1_000_000_000)}
_NUM = r"\d{1,3}(?:[,.\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_SUFFIX = r"(?:\s?(?:k|m|mm|bn|b)\b|\s(?:thousand|million|billion)\b)?"
_PATTERN = re.compile(
    rf"(?P<sym>[$€£¥])\s?(?P<n1>{_NUM})(?P<s1>{_SUFFIX})"
    rf"|\b(?P<code1>{'|'.join(CODES)})\s?(?P<n2>{_NUM})(?P<s2>{_SUFFIX})"
    rf"|\b(?P<n3>{_NUM})(?P<s3>{_SUFFIX})\s?(?P<code2>{'|'.join(CODES)})\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str
    text: str
    start: int


def _number(raw: str) -> Decimal | None:
    raw = raw.replace("\u00a0", " ").strip()
    groups = re.fullmatch(r"(\d{1,3})((?:[,. ]\d{3})+)([.,]\d{1,2})?", raw)
    if groups:
        seps = set(re.findall(r"[,. ]", groups.group(2)))
        if len(seps) == 1:
            dec = groups.group(3) or ""
            if dec and dec[0] in seps:
                return None  # "1,234,56": not a well-formed amount
            digits = groups.group(1) + re.sub(r"[,. ]", "", groups.group(2))
            return Decimal(digits + ("." + dec[1:] if dec else ""))
        return None
    if re.fullmatch(r"\d+[,]\d{3}", raw):
        return Decimal(raw.replace(",", ""))
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[Money]:
    """Every amount with a currency, in order of appearance."""
    out = []
    for m in _PATTERN.finditer(text or ""):
        raw = m.group("n1") or m.group("n2") or m.group("n3")
        suffix = (m.group("s1") or m.group("s2") or m.group("s3") or "").strip().lower()
        currency = SYMBOLS.get(m.group("sym") or "", "") or (m.group("code1") or m.group("code2") or "").upper()
        value = _number(raw)
        if value is None:
            continue
        if suffix:
            value *= _SCALE[suffix]
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        out.append(Money(value, currency,
                         m.group(0).strip(), m.start()))
    return out
