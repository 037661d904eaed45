"""PII redaction before any cloud call, with local restoration of the answer.

Detects emails, phone numbers (`phonenumbers`, international and national formats), payment cards
(13-19 digits passing Luhn), IBANs (ISO 13616 mod-97), US SSNs (with the SSA's invalid ranges
excluded) and names from the user's contact list. Each distinct value gets a stable placeholder
such as `[EMAIL_1]` for the life of a `Redactor`, so a conversation stays coherent for the cloud
model and `restore()` puts the real values back locally. The mapping lives only in memory.

Not thread-safe: use one `Redactor` per request/conversation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers

EMAIL_RE = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
CARD_RE = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
SSN_RE = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
PLACEHOLDER_RE = re.compile(r"\[(?:EMAIL|PHONE|CARD|IBAN|SSN|NAME)_\d+\]")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(candidate: str) -> bool:
    iban = candidate.replace(" ", "")
    if not 15 <= len(iban) <= 34:
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


@dataclass(slots=True)
class Redactor:
    """Replaces PII with placeholders and restores it. `contacts` are full names to hide;
    `region` is the default phone region for numbers written without a country code."""

    contacts: Iterable[str] = ()
    region: str = "US"
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict)
    _by_token: dict[str, str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)
    _names_re: re.Pattern[str] | None = None
    redactions: int = 0

    def __post_init__(self) -> None:
        names = sorted({n.strip() for n in self.contacts if len(n.strip()) >= 3}, key=len, reverse=True)
        if names:
            self._names_re = re.compile(
                r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)

    def _token(self, kind: str, value: str) -> str:
        key = (kind, value.casefold() if kind in ("EMAIL", "NAME") else re.sub(r"\D", "", value) or value)
        token = self._by_value.get(key)
        if token is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            token = f"[{kind}_{self._counts[kind]}]"
            self._by_value[key] = token
            self._by_token[token] = value
        self.redactions += 1
        return token

    def _sub(self, pattern: re.Pattern[str], kind: str, text: str, check=None) -> str:  # type: ignore[no-untyped-def]
        def repl(m: re.Match[str]) -> str:
            value = m.group(0)
            return self._token(kind, value) if check is None or check(value) else value
        return pattern.sub(repl, text)

    def redact(self, text: str) -> str:
        """Return `text` with every detected value replaced by its placeholder."""
        text = self._sub(EMAIL_RE, "EMAIL", text)
        text = self._sub(IBAN_RE, "IBAN", text, iban_ok)
        text = self._sub(CARD_RE, "CARD", text, lambda v: luhn_ok(re.sub(r"\D", "", v)))
        text = self._sub(SSN_RE, "SSN", text)
        text = self._redact_phones(text)
        if self._names_re is not None:
            text = self._sub(self._names_re, "NAME", text)
        return text

    def _redact_phones(self, text: str) -> str:
        matches = phonenumbers.PhoneNumberMatcher(text, self.region, leniency=phonenumbers.Leniency.VALID)
        spans = [(m.start, m.end, self._token("PHONE", m.raw_string)) for m in matches]  # numbered in order
        for start, end, token in reversed(spans):  # right to left keeps earlier offsets valid
            text = text[:start] + token + text[end:]
        return text

    def restore(self, text: str) -> str:
        """Put the original values back wherever the model echoed a placeholder."""
        return PLACEHOLDER_RE.sub(lambda m: self._by_token.get(m.group(0), m.group(0)), text)

    def restorer(self) -> StreamRestorer:
        return StreamRestorer(self)


class StreamRestorer:
    """Restores placeholders in streamed text whose chunks may split a placeholder.

    `feed(chunk)` returns what is safe to show; a trailing "[..." that may still become a
    placeholder is held until it completes; `finish()` flushes the rest.
    """

    _MAX = len("[EMAIL_99999]")

    def __init__(self, redactor: Redactor) -> None:
        self._r = redactor
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        cut = text.rfind("[")
        if cut >= 0 and "]" not in text[cut:] and len(text) - cut <= self._MAX:
            text, self._pending = text[:cut], text[cut:]
        else:
            self._pending = ""
        return self._r.restore(text)

    def finish(self) -> str:
        out, self._pending = self._r.restore(self._pending), ""
        return out
