"""Money amounts in text, parsed exactly (Decimal, never float arithmetic on the digits).

Business mail writes money many ways; all of these parse: "$480K", "$480,000", "$1.2M", "$3.4m", "£750k",
"€1.5 million", "USD 216,000", "216,000 USD", "EUR 12.500,00", "380.000 EUR", "CHF 1'250'000", "CHF 1.2 million",
"JPY 45,000,000", "¥8.5 million", "22 million yen", "4.8 million euros", "S$240,000", "A$1.2m", "HK$5.6 million",
"NT$12,000,000", "NZ$420k", "RM 2.5 million", "₹3.2 crore", "INR 1.8 crore", "2,5 Mio. EUR". A bare "$" is US
dollars. European separators are read when the shape is unambiguous ("380.000" with a currency is 380000).
Pure and thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₺": "TRY", "₪": "ILS",
           "฿": "THB", "₱": "PHP", "₫": "VND", "US$": "USD", "U.S.$": "USD", "S$": "SGD", "SG$": "SGD", "A$": "AUD",
           "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "HK$": "HKD", "NT$": "TWD", "R$": "BRL",
           "MX$": "MXN", "RM": "MYR", "RS": "INR", "RS.": "INR", "FR.": "CHF", "SFR.": "CHF"}
CODES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "JPY", "CNY", "RMB", "HKD", "SGD", "TWD", "KRW", "INR",
         "IDR", "MYR", "THB", "PHP", "VND", "AED", "SAR", "QAR", "KWD", "ILS", "TRY", "ZAR", "NGN", "KES", "EGP",
         "BRL", "MXN", "ARS", "CLP", "COP", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "ISK")
_ALIASES = {"RMB": "CNY"}
# Currency names written after the number ("4.8 million euros", "22 million yen").
WORDS = {"euro": "EUR", "euros": "EUR", "dollars": "USD", "us dollars": "USD", "pounds": "GBP", "sterling": "GBP",
         "yen": "JPY", "swiss francs": "CHF", "francs": "CHF", "rupees": "INR", "yuan": "CNY", "renminbi": "CNY",
         "won": "KRW", "ringgit": "MYR", "baht": "THB", "dirhams": "AED", "riyals": "SAR", "rand": "ZAR",
         "kronor": "SEK", "kroner": "NOK", "zloty": "PLN", "pesos": "MXN", "reais": "BRL"}
_SCALE = {"k": 10**3, "thousand": 10**3, "m": 10**6, "mm": 10**6, "mn": 10**6, "mio": 10**6, "million": 10**6,
          "millions": 10**6, "b": 10**9, "bn": 10**9, "billion": 10**9, "lakh": 10**5, "lakhs": 10**5,
          "lac": 10**5, "crore": 10**7, "crores": 10**7, "cr": 10**7}

_NUM = r"\d{1,3}(?:(?:[,.\u00a0 ]|'|’)\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_SCALE_RX = (r"(?:\s?(?:k|m|mm|mn|bn|b|cr)\b|\s?mio\b\.?|\s(?:thousand|millions?|billion|lakhs?|lac|crores?)\b)?")
_SYM_RX = "|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True) if not s[0].isalpha())
_ALPHA_SYM_RX = r"(?<![A-Za-z])(?:US\$|U\.S\.\$|SG?\$|AU?\$|CA?\$|NZ\$|HK\$|NT\$|R\$|MX\$)|\b(?:RM|Rs\.?|S?Fr\.)(?=\s?\d)"
_CODE_RX = "|".join(CODES)
_WORD_RX = "|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True))
_PATTERN = re.compile(
    rf"(?P<sym>{_ALPHA_SYM_RX}|{_SYM_RX})\s?(?P<n1>{_NUM})(?P<s1>{_SCALE_RX})"
    rf"|\b(?P<code1>{_CODE_RX})\s?(?P<n2>{_NUM})(?P<s2>{_SCALE_RX})"
    rf"|(?<![\w.,'])(?P<n3>{_NUM})(?P<s3>{_SCALE_RX})\s?(?:(?P<code2>{_CODE_RX})\b|(?P<word>{_WORD_RX})\b)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str
    text: str
    start: int


def _number(raw: str) -> Decimal | None:
    raw = raw.replace("\u00a0", " ").replace("’", "'").strip()
    groups = re.fullmatch(r"(\d{1,3})((?:[,. ']\d{3})+)([.,]\d{1,2})?", raw)
    if groups:
        seps = set(re.findall(r"[,. ']", groups.group(2)))
        if len(seps) == 1:
            dec = groups.group(3) or ""
            if dec and dec[0] in seps:
                return None  # "1,234,56": not a well-formed amount
            digits = groups.group(1) + re.sub(r"[,. ']", "", groups.group(2))
            return Decimal(digits + ("." + dec[1:] if dec else ""))
        return None
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None


def _currency(m: re.Match[str]) -> str:
    if m.group("sym"):
        return SYMBOLS.get(m.group("sym").upper(), SYMBOLS.get(m.group("sym"), ""))
    code = (m.group("code1") or m.group("code2") or "").upper()
    if code:
        return _ALIASES.get(code, code)
    return WORDS.get((m.group("word") or "").lower(), "")


def find_amounts(text: str) -> list[Money]:
    """Every amount with a currency, in order of appearance."""
    out = []
    for m in _PATTERN.finditer(text or ""):
        raw = m.group("n1") or m.group("n2") or m.group("n3")
        suffix = (m.group("s1") or m.group("s2") or m.group("s3") or "").strip().lower().rstrip(".")
        currency = _currency(m)
        value = _number(raw)
        if value is None or not currency:
            continue
        if suffix:
            value *= _SCALE[suffix]
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        out.append(Money(value, currency, m.group(0).strip(), m.start()))
    return out
