"""Complete PII detection and reversible redaction (extends the LLM engine's minimal `Redactor`).

`PiiDetector.find(text)` returns non-overlapping, typed spans for:
- structured, checksum-validated types: EMAIL, PHONE (`phonenumbers`, international and the default
  region's national formats), CARD (issuer prefix + length + Luhn), IBAN (ISO 13616 country formats +
  mod-97, via `python-stdnum`), SSN (US; SSA-invalid ranges excluded; 9 bare digits only after the word
  "SSN"), NINO (UK National Insurance number, format rules), TAXID (German Steuer-IdNr, ISO 7064 check),
  NIR (French social security number, key check), DNI (Spanish DNI/NIE, check letter), CF (Italian codice
  fiscale, check character);
- postal addresses, best effort (ADDR): US/UK street lines with optional unit, city, state + ZIP or UK
  postcode, German "...straße 12, 10115 Berlin" lines, and stand-alone UK postcodes;
- names the user told us about (NAME for people, ORG for companies): contacts and the strategic context;
  people's first names too, in context (a greeting, a sign-off, "ask Priya", "Mark's deck").

WHY checksums: an executive's mail is full of order numbers, amounts and dates; validating the check digits
keeps precision high without giving up recall on real identifiers.

`PiiRedactor` is Reflex's one redactor (cloud prompts, redacted exports): `redact`, `restore`, `restorer()`
for streamed answers, `redactions`. Each distinct value gets a stable placeholder such as `[IBAN_1]` for the
life of the redactor; the mapping lives only in memory. Phone numbers written without a country code are
read as the user's region (the `region` setting; this computer's locale when unset), never a fixed "US".

Threads: a `PiiDetector` is immutable and safe to share; a `PiiRedactor` is not (one per request/conversation).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn as std_luhn
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.it import codicefiscale
from stdnum.us import ssn as std_ssn

__all__ = ["KINDS", "STRUCTURED_KINDS", "PiiDetector", "PiiRedactor", "PiiSpan", "StreamRestorer", "default_region",
           "known_names"]

STRUCTURED_KINDS = ("EMAIL", "PHONE", "CARD", "IBAN", "SSN", "NINO", "TAXID", "NIR", "DNI", "CF")
KINDS = (*STRUCTURED_KINDS, "ADDR", "NAME", "ORG")
PLACEHOLDER_RE = re.compile(r"\[(?:" + "|".join(KINDS) + r")_\d+\]")
EMAIL_RE = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")

# Lower rank wins an overlap: checksummed ids beat phone numbers, which beat fuzzy matches.
_RANK = {"EMAIL": 0, "IBAN": 1, "CARD": 2, "SSN": 3, "NINO": 3, "TAXID": 3, "NIR": 3, "DNI": 3, "CF": 3,
         "ADDR": 4, "PHONE": 5, "NAME": 6, "ORG": 6}


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """`text[start:end] == value`, of type `kind` (one of `KINDS`)."""

    kind: str
    start: int
    end: int
    value: str


# -- structured patterns ------------------------------------------------------------------------------
_CARD_RE = re.compile(r"(?<![\d-])(?:\d[ -]?){11,18}\d(?![\d-])")
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,32}")
_SSN_RE = re.compile(r"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])")
_SSN_BARE_RE = re.compile(r"(?i:\bssn|social security(?: number| no\.?)?)\W{0,3}(\d{9})\b")
_NINO_RE = re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
_TAXID_RE = re.compile(r"(?<![\d-])[1-9]\d ?\d{3} ?\d{3} ?\d{3}(?![\d-])")
_NIR_RE = re.compile(r"(?<![\d-])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\d-])")
_DNI_RE = re.compile(r"\b(?:\d{8}|[XYZ]\d{7})-?[A-Z]\b")
_CF_RE = re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b")

# Issuer identification ranges (first digits) of the card networks in use, with their lengths.
_CARD_PREFIXES = (
    (("4",), (13, 16, 19)), (("34", "37"), (15,)), (tuple(str(n) for n in range(51, 56)), (16,)),
    (tuple(str(n) for n in range(2221, 2721)), (16,)), (("6011", "65") + tuple(str(n) for n in range(644, 650)), (16, 19)),
    (tuple(str(n) for n in range(3528, 3590)), (16, 19)), (("36", "38", "39") + tuple(str(n) for n in range(300, 306)), (14, 16, 19)),
    (("62",), (16, 17, 18, 19)), (("50", "56", "57", "58", "63", "67"), (12, 13, 16, 19)),
)

# -- addresses -----------------------------------------------------------------------------------------
_SUFFIX = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|"
           r"Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Close|Crescent|Gardens|Row|Mews|Hill)")
_UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})"
_CITY = r"[A-Z][a-zA-Z.'-]+(?: [A-Z][a-zA-Z.'-]+){0,2}"
_STREET_RE = re.compile(
    r"\b\d{1,6}[A-Za-z]?,? (?:[NSEW]\.? )?(?:[A-Z][a-zA-Z'-]+\.? ){1,3}" + _SUFFIX + r"\b\.?(?: [NS][EW]?\b| [EW]\b)?"
    r"(?:,? (?:Suite|Ste|Apt|Unit|Floor|Fl|#)\.? ?[A-Za-z0-9-]+)?"
    r"(?:,\s*" + _CITY + r"(?:,\s*[A-Z]{2})?\s+(?:\d{5}(?:-\d{4})?|" + _UK_POSTCODE + r"))?"
    r"(?:,\s*" + _CITY + r",?\s+" + _UK_POSTCODE + r")?"
)
_DE_STREET_RE = re.compile(
    r"\b[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ]?[a-zäöüß]+)*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer)"
    r" \d{1,4}[a-z]?(?:,\s*(?:D-)?\d{5} [A-ZÄÖÜ][a-zäöüß]+(?: am [A-ZÄÖÜ][a-zäöüß]+)?)?"
)
_UK_POSTCODE_RE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2})\b")


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _card_ok(value: str) -> bool:
    digits = _digits(value)
    seps = set(re.sub(r"\d", "", value))
    if len(seps) > 1:
        return False  # "1234-5678 9012" mixes separators: not how cards are written
    if not any(digits.startswith(prefixes) and len(digits) in lengths for prefixes, lengths in _CARD_PREFIXES):
        return False
    return std_luhn.is_valid(digits)


def _iban_span(match: re.Match[str]) -> tuple[int, int] | None:
    """The longest prefix of the candidate that is a valid IBAN (candidates may run into following words)."""
    raw = match.group(0)
    positions = [i for i, ch in enumerate(raw) if ch != " "]
    compact = raw.replace(" ", "")
    for length in range(min(len(compact), 34), 14, -1):
        if std_iban.is_valid(compact[:length]):
            return match.start(), match.start() + positions[length - 1] + 1
    return None


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: str
    regex: re.Pattern[str]
    valid: object = None  # Callable[[str], bool] | None
    group: int = 0


_PATTERNS: tuple[_Pattern, ...] = (
    _Pattern("EMAIL", EMAIL_RE),
    _Pattern("CARD", _CARD_RE, _card_ok),
    _Pattern("SSN", _SSN_RE, lambda v: std_ssn.is_valid(_digits(v))),
    _Pattern("SSN", _SSN_BARE_RE, lambda v: std_ssn.is_valid(v), group=1),
    _Pattern("NINO", _NINO_RE),
    _Pattern("TAXID", _TAXID_RE, lambda v: idnr.is_valid(_digits(v))),
    _Pattern("NIR", _NIR_RE, lambda v: nir.is_valid(v.replace(" ", ""))),
    _Pattern("DNI", _DNI_RE, lambda v: (nie if v[0] in "XYZ" else dni).is_valid(v.replace("-", ""))),
    _Pattern("CF", _CF_RE, codicefiscale.is_valid),
    _Pattern("ADDR", _STREET_RE),
    _Pattern("ADDR", _DE_STREET_RE),
    _Pattern("ADDR", _UK_POSTCODE_RE),
)


# First names that are also ordinary words or months: redacted only where the context says "person".
_WORDLIKE_FIRST_NAMES = frozenset("""
    will mark may grace bill hope joy faith rose june april august summer dawn frank art pat sue rich don guy ray
    jack chase hunter page penny ruby amber crystal victor major sterling gene earl king bishop miles lane
    """.split())
_GREETING = r"(?:Hi|Hello|Hey|Dear|Thanks|Thank you|Cheers|Morning|Afternoon|Evening|Bye)"
_SIGN_OFF = r"(?:Best|Regards|Cheers|Thanks|Thank you|Best regards|Kind regards|Warm regards|Warmly|Sincerely|Yours)"
_PERSON_VERB = r"(?:said|says|wrote|writes|asked|asks|thinks|mentioned|agreed|agrees|will|would|is|was|has|had|and)"
_PERSON_PREP = r"(?:with|ask|asked|tell|told|call|called|email|emailed|ping|pinged|cc|thank|meet|met|see|saw|let|" \
               r"can|could|did|does|has|have|should|would|and|loop in|introduce|introduced|Can|Could|Did|Does|Should)"


def _first_name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Patterns (the name is group "n") for the first names of known people, case-sensitive (a capital
    letter marks a name): an ordinary first name wherever it appears as a word; one that is also a word
    ("Will", "May", "Grace") only after a greeting, alone on a line or on the line after a sign-off word, as
    a possessive, after a verb that takes a person, or before a verb of speech."""
    firsts = {n.split()[0] for n in names if len(n.split()) > 1 and len(n.split()[0]) >= 3}
    plain = sorted((f for f in firsts if f.casefold() not in _WORDLIKE_FIRST_NAMES), key=len, reverse=True)
    wordlike = sorted((f for f in firsts if f.casefold() in _WORDLIKE_FIRST_NAMES), key=len, reverse=True)
    patterns = []
    if plain:
        patterns.append(re.compile(r"(?<![\w@.])(?P<n>" + "|".join(map(re.escape, plain)) + r")(?![\w@])"))
    if wordlike:
        alt = "(?P<n>" + "|".join(map(re.escape, wordlike)) + ")"
        patterns += [
            re.compile(r"\b(?:" + _GREETING + r",? |" + _PERSON_PREP + r" )" + alt + r"(?![\w@])"),
            re.compile(r"^[ \t]*" + alt + r"[ \t]*$", re.MULTILINE),
            re.compile(r"\b" + _SIGN_OFF + r"[,!.]?[ \t]*\r?\n[ \t]*" + alt + r"(?![\w@])"),
            re.compile(r"(?<![\w@.])" + alt + r"(?=['’]s\b|,? " + _PERSON_VERB + r"\b)"),
        ]
    return patterns


def default_region() -> str:
    """The country of this computer's locale (e.g. "GB" for en_GB), else "US"."""
    import locale

    for value in (locale.getlocale()[0], os.environ.get("LC_ALL"), os.environ.get("LANG")):
        match = re.match(r"[a-z]{2,3}[_-]([A-Z]{2})\b", value or "")
        if match and match.group(1) in phonenumbers.SUPPORTED_REGIONS:
            return match.group(1)
    return "US"


class PiiDetector:
    """Finds PII spans. `names`: people's full names (their first names are found in context too);
    `organizations`: company names; `region`: the ISO country whose national phone formats are accepted
    without a country code (the user's own country; `default_region()` when empty)."""

    def __init__(self, *, names: Iterable[str] = (), organizations: Iterable[str] = (), region: str = "") -> None:
        names = list(names)
        self.region = region or default_region()
        self._names = _alternation(names)
        self._first_names = _first_name_patterns(names)
        self._orgs = _alternation(organizations)

    def find(self, text: str) -> list[PiiSpan]:
        """Non-overlapping spans sorted by position (the stronger kind wins an overlap, then the longer)."""
        candidates: list[PiiSpan] = []
        for pattern in _PATTERNS:
            for m in pattern.regex.finditer(text):
                value = m.group(pattern.group)
                if pattern.valid is None or pattern.valid(value):  # type: ignore[operator]
                    candidates.append(PiiSpan(pattern.kind, m.start(pattern.group), m.end(pattern.group), value))
        for m in _IBAN_RE.finditer(text):
            span = _iban_span(m)
            if span:
                candidates.append(PiiSpan("IBAN", span[0], span[1], text[span[0]:span[1]]))
        for m in phonenumbers.PhoneNumberMatcher(text, self.region, leniency=phonenumbers.Leniency.VALID):
            candidates.append(PiiSpan("PHONE", m.start, m.end, m.raw_string))
        for kind, regex in (("NAME", self._names), ("ORG", self._orgs)):
            if regex is not None:
                candidates += [PiiSpan(kind, m.start(), m.end(), m.group(0)) for m in regex.finditer(text)]
        for regex in self._first_names:
            candidates += [PiiSpan("NAME", m.start("n"), m.end("n"), m.group("n")) for m in regex.finditer(text)]
        return _resolve(candidates)


def _alternation(values: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({v.strip() for v in values if len(v.strip()) >= 3}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in cleaned) + r")(?!\w)", re.IGNORECASE)


def _resolve(candidates: list[PiiSpan]) -> list[PiiSpan]:
    taken: list[PiiSpan] = []
    for span in sorted(candidates, key=lambda s: (_RANK[s.kind], s.start - s.end, s.start)):
        if all(span.end <= t.start or span.start >= t.end for t in taken):
            taken.append(span)
    return sorted(taken, key=lambda s: s.start)


class PiiRedactor:
    """Replaces detected PII with placeholders such as `[CARD_1]` and restores them locally.

    `contacts` are people's full names, `organizations` company names, `region` the user's country ("" =
    `default_region()`). Not thread-safe: one per request/conversation.
    """

    def __init__(self, contacts: Iterable[str] = (), *, organizations: Iterable[str] = (), region: str = "",
                 detector: PiiDetector | None = None) -> None:
        self.detector = detector or PiiDetector(names=contacts, organizations=organizations, region=region)
        self._by_value: dict[tuple[str, str], str] = {}
        self._by_token: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self.redactions = 0
        self.by_kind: dict[str, int] = {}

    def _token(self, span: PiiSpan) -> str:
        key = (span.kind, _normalise(span))
        token = self._by_value.get(key)
        if token is None:
            self._counts[span.kind] = self._counts.get(span.kind, 0) + 1
            token = f"[{span.kind}_{self._counts[span.kind]}]"
            self._by_value[key] = token
            self._by_token[token] = span.value
        self.redactions += 1
        self.by_kind[span.kind] = self.by_kind.get(span.kind, 0) + 1
        return token

    def redact(self, text: str) -> str:
        """`text` with every detected value replaced by its placeholder (numbered left to right)."""
        out, pos = [], 0
        for span in self.detector.find(text):
            out += [text[pos:span.start], self._token(span)]
            pos = span.end
        out.append(text[pos:])
        return "".join(out)

    def restore(self, text: str) -> str:
        """Put the original values back wherever a placeholder this redactor issued appears."""
        return PLACEHOLDER_RE.sub(lambda m: self._by_token.get(m.group(0), m.group(0)), text)

    def restorer(self) -> StreamRestorer:
        """A streaming restorer (holds back a possibly split placeholder until it completes)."""
        return StreamRestorer(self)


class StreamRestorer:
    """Restores placeholders in streamed text whose chunks may split a placeholder.

    `feed(chunk)` returns what is safe to show; a trailing "[..." that may still become a
    placeholder is held until it completes; `finish()` flushes the rest.
    """

    _MAX = len("[EMAIL_99999]")

    def __init__(self, redactor: PiiRedactor) -> None:
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


def _normalise(span: PiiSpan) -> str:
    if span.kind in ("EMAIL", "NAME", "ORG", "ADDR"):
        return " ".join(span.value.casefold().split())
    compact = re.sub(r"[\s.-]", "", span.value).upper()
    if span.kind == "PHONE":
        return compact.lstrip("+")
    return compact


def known_names(store: object) -> tuple[list[str], list[str]]:
    """(people, organizations) the user told Reflex about: contact names and organizations, the strategic
    context's team members and key accounts. `store` is an `engine.store.Store`."""
    people: set[str] = set()
    orgs: set[str] = set()
    for contact in store.contacts.all():  # type: ignore[attr-defined]
        if " " in contact.name.strip():  # single first names ("Dana") would hide too much ordinary text
            people.add(contact.name.strip())
        if contact.organization:
            orgs.add(contact.organization.strip())
    context = store.contexts.latest()  # type: ignore[attr-defined]
    if context is not None:
        people.update(m.name.strip() for m in context.team if m.name.strip())
        orgs.update(a.strip() for a in context.key_accounts if a.strip())
    return sorted(people), sorted(orgs)
