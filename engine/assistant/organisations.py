"""Which organisation an address writes for, and its name, from the mail alone (no context needed).

WHY: on a first day nothing is configured, yet "who is this company" is what the pipeline and the proposed
strategic context are built on. The organisation is keyed by the address's domain (consumer mail providers
are nobody's organisation); its display name comes from the sender's signature ("VP Operations, Kestrel Inns",
"Head of CMC | Hanbit Bio") when one names it, else from the domain ("maisonlumiere-hotels.fr" ->
"Maisonlumiere Hotels"). Pure functions; thread-safe.
"""

from __future__ import annotations

import re

from engine.assistant import lexicon

_ORG_SUFFIX = re.compile(r"\b(?:ltd|limited|llc|llp|inc|corp|corporation|co|gmbh|ag|sa|sas|srl|spa|bv|nv|oy|ab|as|"
                         r"plc|pte|pty|berhad|bhd|kk|group|gruppe|holdings|partners)\.?$", re.I)
_NOT_ORG = re.compile(r"[@\d/]|https?:|www\.|^(?:mobile|tel|phone|m|t|e)\b", re.I)
_TITLE_WORDS = re.compile(r"\b(?:head|director|manager|vp|svp|evp|ceo|cfo|coo|cto|chief|officer|president|lead|"
                          r"partner|founder|owner|principal|engineer|consultant|executive|superintendent|gm|"
                          r"directora?|leiter\w*|responsabile|diretor|projektleiterin|general|senior|assistant)\b",
                          re.I)
_TLD_LABELS = {"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"}


def domain_of(email: str) -> str:
    """The organisation key of an address: its domain, or "" for consumer mail and non-addresses."""
    email = (email or "").strip().lower()
    if "@" not in email or lexicon.is_free_mail(email):
        return ""
    return email.rsplit("@", 1)[1]


def name_from_domain(domain: str) -> str:
    """"maisonlumiere-hotels.fr" -> "Maisonlumiere Hotels"; "tanholdings.com.sg" -> "Tanholdings"."""
    labels = [x for x in domain.lower().split(".") if x]
    while len(labels) > 1 and (labels[-1] in _TLD_LABELS or len(labels[-1]) <= 3):
        labels.pop()
    core = labels[-1] if labels else domain
    return " ".join(w.capitalize() for w in re.split(r"[-_]", core) if w)


def name_from_signature(signature: str, sender_name: str = "") -> str:
    """The organisation a signature names, "" when it names none. Reads lines like "Title, Org",
    "Title | Org", "Org" (a line with a company suffix), skipping the sender's own name, phones and links."""
    best = ""
    names = {sender_name.strip().lower(), *sender_name.lower().split()[:1]} - {""}
    for raw in (signature or "").split("\n"):
        line = raw.strip(" -|")
        if not line or len(line) > 80 or _NOT_ORG.search(line) or line.lower() in names:
            continue
        parts = re.split(r"\s*[,|–]\s*|\s+-\s+", line)
        candidate = parts[-1].strip() if len(parts) > 1 else line
        if not candidate[:1].isupper() or candidate.lower() in names or candidate.endswith((",", ":")):
            continue
        if _ORG_SUFFIX.search(candidate) or (len(parts) > 1 and not _TITLE_WORDS.search(candidate)):
            best = candidate
    return best


def organisation_name(email: str, signature: str = "", sender_name: str = "") -> str:
    """Display name of the organisation `email` writes for ("" for consumer mail)."""
    domain = domain_of(email)
    if not domain:
        return ""
    from_sig = name_from_signature(signature, sender_name) if signature else ""
    return from_sig or name_from_domain(domain)
