"""RFC 5322 / MIME bytes -> `models.Message`, plus the new-text / quote / signature splitter.

Shared by every mail source (Gmail raw messages, .eml and .mbox imports, the demo workspace) so that
all of them read mail the same way. Pure functions, thread-safe, no I/O and never any network access:
HTML is converted to text with `inscriptis`, which does not fetch images or other remote content.

Speed: Gmail's initial sync parses thousands of messages, so the MIME tree is built with the stdlib's
legacy `compat32` policy (about 10x the modern policy, whose structured header objects made parsing
85% of sync time) and only what Reflex keeps is decoded: the headers in `KEPT_HEADERS`, subject,
addresses, date, the body leaves and attachment metadata. `bench/mime_bench.py` measures it.

Contract: `parse_message` accepts any bytes. Input that is not a mail message at all (empty, or no
recognisable header), a hostile message over the limits below, or anything else the parser chokes on
raises `MalformedMessage` (never another exception type); everything else (broken charsets, bad base64,
odd dates, unparsable addresses) degrades to a best-effort `Message`.

Limits (hostile mail must cost a per-message error, never a stalled sync): at most `MAX_MESSAGE_BYTES`,
at most `MAX_MIME_CONTAINERS` multipart/attached-message containers (counted in the raw bytes BEFORE
parsing: the stdlib parser recurses once per level and raises `RecursionError` near 1,000 levels) and
at most `MAX_MIME_DEPTH` levels of nesting.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.header import decode_header
from email.message import Message as MimePart
from email.parser import BytesParser
from email.policy import Compat32
from email.utils import getaddresses, parsedate_to_datetime

from connectors.errors import ConnectorError
from models import Attachment, Contact, Message

__all__ = [
    "BodyParts", "MalformedMessage", "KEPT_HEADERS", "MAX_MESSAGE_BYTES", "MAX_MIME_CONTAINERS", "MAX_MIME_DEPTH", "decode_text", "html_to_text",
    "normalize_subject", "parse_message", "split_body", "thread_key",
]

log = logging.getLogger(__name__)

#: Headers copied into `Message.headers` (triage and threading need them; Received etc. are dropped).
KEPT_HEADERS = (
    "Message-ID", "In-Reply-To", "References", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id",
    "Precedence", "Auto-Submitted", "Reply-To", "Sender", "Importance", "X-Priority",
    "X-Auto-Response-Suppress", "Return-Path", "X-GM-THRID", "X-Gmail-Labels",
)
# At least one of these must be present for bytes to count as a mail message.
_IDENTIFYING_HEADERS = frozenset(("from", "to", "subject", "date", "message-id", "sender", "cc", "in-reply-to"))
_SNIPPET_CHARS = 200

#: Larger than any provider delivers (Gmail and Graph cap a message at 25-150 MB with attachments).
MAX_MESSAGE_BYTES = 160 * 1024 * 1024
#: Multipart and message/* containers per message. Real mail has a handful; a digest of 50 mails ~100.
MAX_MIME_CONTAINERS = 250
#: Nesting levels of containers (a forward of a forward of a forward with attachments is ~10).
MAX_MIME_DEPTH = 40
# Every multipart needs a boundary parameter and every nested message a message/* type: their count
# bounds the containers the parser will build, and so its recursion depth.
_CONTAINER_MARK = re.compile(rb"boundary\s*=|content-type\s*:\s*message/", re.IGNORECASE)


class MalformedMessage(ConnectorError):
    """The input is not an email message at all (empty, or no header we recognise)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, next_step="Skip this file; check that it is an .eml or mbox message.")


# ---------------------------------------------------------------------------------------------
# Text decoding
# ---------------------------------------------------------------------------------------------

# Mislabelled Latin-1 is almost always Windows-1252 (curly quotes, euro sign); browsers do the same.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "iso_8859-1": "cp1252", "8859-1": "cp1252"}


def decode_text(payload: bytes, charset: str | None) -> str:
    """Decode body bytes with the declared charset, falling back to UTF-8 then Windows-1252.

    Unknown or broken charset names ("unknown-8bit", "x-user-defined", garbage) never raise: the
    bytes are tried as UTF-8 and then as Windows-1252 with replacement characters.
    """
    name = (charset or "").strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    if name:
        try:
            return payload.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            pass
        except Exception:  # noqa: BLE001 - some codecs raise odd types (e.g. TypeError) on odd names
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", errors="replace")


def _fix_surrogates(text: str) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes; turn them into real characters."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return decode_text(text.encode("utf-8", "surrogateescape"), "utf-8")


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str) -> str:
    """Readable text from HTML via inscriptis (layout-aware; never fetches remote content)."""
    html = _XML_DECL.sub("", html).replace("\x00", "")
    if not html.strip():
        return ""
    from inscriptis import get_text  # imported lazily: lxml is a heavy import for CLI start-up

    try:
        text = get_text(html)
    except Exception:  # noqa: BLE001 - lxml rejects some garbage; a crude strip is better than nothing
        text = _TAG.sub(" ", html)
    return _tidy(text)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", out)


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------


class _RawHeaderPolicy(Compat32):
    """compat32 parsing (the fast legacy parser, ~10x the modern policy) that hands header values back
    as the raw `str` the parser stored, surrogate escapes for 8-bit bytes included, instead of
    wrapping them in `email.header.Header` (whose `str()` would turn those bytes into U+FFFD).
    Only the few headers Reflex keeps are decoded, by the functions below."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_POLICY = _RawHeaderPolicy()
_FOLD = re.compile(r"\s*\r?\n\s*")


def _unfold(value: str) -> str:
    """One logical line: folding line breaks (and stray CR/LF) become one space."""
    return _FOLD.sub(" ", value).strip()


def _decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words ("=?utf-8?b?...?=") in an unfolded header value.

    Each word is decoded with `decode_text`, so a bogus or unknown charset falls back to UTF-8 and
    then Windows-1252 like a body does, instead of failing the whole header. Spaces between adjacent
    encoded words are dropped and a space is kept at encoded/plain boundaries, as
    `str(email.header.make_header(...))` does. Undecodable input is returned unchanged.
    """
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except Exception:  # noqa: BLE001 - bad base64 in an encoded word: keep the raw text
        return value
    out: list[str] = []
    last_encoded = False
    for data, charset in chunks:
        encoded = charset is not None
        if isinstance(data, str):
            piece = data
        elif encoded:
            piece = decode_text(data, charset)
        else:  # decode_header turned plain text into bytes with raw-unicode-escape; undo exactly that
            try:
                piece = data.decode("raw-unicode-escape")
            except UnicodeDecodeError:  # a literal backslash-u in the plain text
                return value
        if out and piece and encoded != last_encoded:
            boundary = out[-1][-1:] if encoded else piece[:1]
            if not boundary.isspace():
                out.append(" ")
        out.append(piece)
        last_encoded = encoded
    return "".join(out)


def _header_text(raw: str | None) -> str:
    """A raw header value as clean text: unfolded, 8-bit bytes decoded, encoded words decoded."""
    if not raw:
        return ""
    return _unfold(_decode_words(_fix_surrogates(_unfold(raw))))


def _contacts(raw: str | None) -> list[Contact]:
    """Addresses of one raw header. Split BEFORE decoding encoded words, so an encoded display name
    containing a comma ("=?utf-8?q?Lee=2C_Ana?=") stays one address."""
    if not raw:
        return []
    simple = _simple_addresses(raw)
    if simple is not None:
        return simple
    try:
        pairs = getaddresses([_fix_surrogates(_unfold(raw))])
    except Exception:  # noqa: BLE001 - the legacy address parser is lenient, but never trust hostile input
        return []
    out: list[Contact] = []
    for display, addr in pairs:
        addr = _unfold(addr or "").strip("<>").lower()
        display = _unfold(_decode_words(display or "")).strip('"').strip()
        if addr or display:
            out.append(Contact(email=addr, name=display))
    return out


# "Name <addr>" or "addr", with no quoting, comments, groups, encoded words or 8-bit bytes: nearly every address
# of real mail. These are split here ~10x faster than `getaddresses` (a quarter of a Takeout import's parse time),
# with the same result (tests.connectors compare both on generated headers); anything else goes to the stdlib.
_SPECIALS = re.compile(r'["()\[\]\\:;]|=\?|[^\x00-\x7f]')
_ADDR = r"[^\s<>@,]+@[^\s<>@,]+"
_SIMPLE = re.compile(rf"\s*(?:([^<>@,]*?)\s*<({_ADDR})>|({_ADDR}))\s*")


def _simple_addresses(raw: str) -> list[Contact] | None:
    """The addresses of a simple header (see `_SIMPLE`), or None when the header needs the full parser."""
    if _SPECIALS.search(raw):
        return None
    out: list[Contact] = []
    for part in _unfold(raw).split(","):
        if not part.strip():
            continue
        m = _SIMPLE.fullmatch(part)
        if m is None:
            return None
        name, addr = (" ".join(m[1].split()), m[2]) if m[2] else ("", m[3])
        out.append(Contact(email=addr.lower(), name=name))
    return out


_MSGID = re.compile(r"<([^<>\s]+)>")


def _message_ids(value: str) -> list[str]:
    """Message-IDs from a References/In-Reply-To value, without angle brackets, in order."""
    ids = _MSGID.findall(value)
    if not ids and value.strip():
        ids = [tok for tok in value.split() if "@" in tok]
    return ids


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|tr|rif|r)(?:\[\d+\])?\s*:\s*|\[[^\]]{1,40}\]\s*)", re.IGNORECASE
)


def _gmail_thread_id(thrid: str) -> str:
    """Takeout's X-GM-THRID is the decimal form of the Gmail API's hex threadId; use the API form so
    imported and synced copies of a conversation agree."""
    return format(int(thrid), "x") if thrid.isascii() and thrid.isdigit() and len(thrid) < 25 else ""


def normalize_subject(subject: str) -> str:
    """Subject without reply/forward prefixes or list tags, whitespace collapsed, lower-cased."""
    text = subject or ""
    while True:
        stripped = _SUBJECT_PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return " ".join(text.split()).lower()


def thread_key(*, provider_thread_id: str = "", references: Iterable[str] = (), in_reply_to: str = "",
               message_id: str = "", subject: str = "") -> str:
    """The conversation key: provider thread id, else the References root, else In-Reply-To, else the
    message's own Message-ID (so a root and its replies agree), else the normalised subject."""
    if provider_thread_id:
        return provider_thread_id
    refs = list(references)
    if refs:
        return f"mid:{refs[0]}"
    if in_reply_to:
        return f"mid:{in_reply_to}"
    if message_id:
        return f"mid:{message_id}"
    return f"subj:{normalize_subject(subject)}"


# ---------------------------------------------------------------------------------------------
# Body and attachments
# ---------------------------------------------------------------------------------------------


def _safe(call, default):
    try:
        return call()
    except Exception:  # noqa: BLE001 - parameter parsing on hostile MIME headers
        return default


def _leaves(root: MimePart) -> Iterable[MimePart]:
    """Leaf parts in document order; an attached message (message/rfc822) is one leaf, so its body
    never leaks into ours. Iterative: no recursion on hostile nesting."""
    stack: list[MimePart] = [root]
    while stack:
        part = stack.pop()
        if part.get_content_maintype() != "multipart":
            yield part
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend(sub for sub in reversed(payload) if isinstance(sub, MimePart))


def _check_depth(root: MimePart) -> None:
    """`MalformedMessage` when multiparts and attached messages nest deeper than `MAX_MIME_DEPTH`
    (serialising an attached message recurses once per level of it)."""
    stack: list[tuple[MimePart, int]] = [(root, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_MIME_DEPTH:
            raise MalformedMessage(f"MIME parts are nested more than {MAX_MIME_DEPTH} levels deep")
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend((sub, depth + 1) for sub in payload if isinstance(sub, MimePart))


def _payload_bytes(part: MimePart, ctype: str) -> bytes:
    if ctype == "message/rfc822" or part.is_multipart():
        return _safe(part.as_bytes, b"")
    data = _safe(lambda: part.get_payload(decode=True), None)
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _filename(part: MimePart) -> str:
    """The part's file name (RFC 2231 and, as Outlook sends them, RFC 2047 encoded words decoded)."""
    params = f"{part.get('content-disposition', '')};{part.get('content-type', '')}".lower()
    if "name" not in params:  # most body parts: skip parsing both parameter lists
        return ""
    name = _safe(part.get_filename, None)
    return _header_text(name) if isinstance(name, str) else ""


def _classify(part: MimePart, ctype: str, filename: str) -> str:
    """'body', 'attachment' or 'inline' (embedded images etc., ignored)."""
    disp = _safe(part.get_content_disposition, None)
    if ctype == "message/rfc822":
        return "attachment"
    if disp == "attachment":
        return "attachment"
    if ctype in ("text/plain", "text/html") and not filename:
        return "body"
    maintype = ctype.partition("/")[0]
    if maintype == "image" and (disp == "inline" or part.get("Content-ID") is not None):
        return "inline"
    if filename or maintype not in ("text", "multipart"):
        return "attachment"
    return "inline"


def _extract(msg: MimePart) -> tuple[str, list[Attachment]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    for part in _leaves(msg):
        ctype = part.get_content_type()
        filename = _filename(part)
        kind = _classify(part, ctype, filename)
        if kind == "attachment":
            if not filename and ctype == "message/rfc822":
                filename = "attached-message.eml"
            attachments.append(Attachment(filename=filename, content_type=ctype, size=len(_payload_bytes(part, ctype))))
        elif kind == "body":
            text = decode_text(_payload_bytes(part, ctype), _safe(part.get_content_charset, None))
            (plain if ctype == "text/plain" else html).append(text)
    texts = [_tidy(t) for t in plain if t.strip()]
    if not texts:  # HTML only (or an empty plain alternative): convert
        texts = [t for t in (html_to_text(h) for h in html) if t]
    return "\n\n".join(texts), attachments


def attachment_files(raw: bytes) -> list[tuple[str, bytes]]:
    """(file name, bytes) of each named attachment of a message (not inline images, not the body). For a
    message `parse_message` accepted; raises `MalformedMessage` like it for anything else."""
    _check_limits(raw)
    try:
        msg = BytesParser(policy=_POLICY).parsebytes(bytes(raw))
        _check_depth(msg)
        out = []
        for part in _leaves(msg):
            ctype = part.get_content_type()
            name = _filename(part)
            if name and _classify(part, ctype, name) == "attachment":
                out.append((name, _payload_bytes(part, ctype)))
        return out
    except MalformedMessage:
        raise
    except Exception as exc:  # noqa: BLE001 - the stdlib parser's failures are many; all mean "malformed"
        raise MalformedMessage(f"unreadable attachments: {type(exc).__name__}") from None


# ---------------------------------------------------------------------------------------------
# The message
# ---------------------------------------------------------------------------------------------


def parse_message(raw: bytes, *, account: str = "import", provider_id: str = "", provider_thread_id: str = "",
                  labels: Iterable[str] = (), is_read: bool = True) -> Message:
    """Parse one RFC 5322 message into a `Message`. Pure and thread-safe.

    `provider_id` defaults to the Message-ID (or a SHA-256 of the bytes when there is none), so
    importing the same file twice is idempotent. `provider_thread_id` (Gmail threadId, Graph
    conversationId; for Google Takeout mbox the X-GM-THRID header) wins over header threading, and
    Takeout's X-Gmail-Labels fill `labels` when none are given. Raises `MalformedMessage` (only) for
    non-messages, messages over the limits and anything the parser fails on.
    """
    if not isinstance(raw, (bytes, bytearray)):
        raise MalformedMessage(f"expected bytes, got {type(raw).__name__}")
    _check_limits(raw)
    try:
        return _parse(bytes(raw), account=account, provider_id=provider_id, provider_thread_id=provider_thread_id,
                      labels=labels, is_read=is_read)
    except MalformedMessage:
        raise
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError...: one hostile mail must never stop a sync
        log.warning("unreadable message skipped: %s", type(exc).__name__)
        raise MalformedMessage(f"the message could not be read ({type(exc).__name__})") from exc


def _check_limits(raw: bytes | bytearray) -> None:
    """Refuse what the parser must not see: empty input, oversize, too many nested containers."""
    if not raw.strip():
        raise MalformedMessage("empty input")
    if len(raw) > MAX_MESSAGE_BYTES:
        raise MalformedMessage(f"the message is too large ({len(raw) // 2**20} MB > {MAX_MESSAGE_BYTES // 2**20} MB)")
    containers = 0
    for _ in _CONTAINER_MARK.finditer(raw):
        containers += 1
        if containers > MAX_MIME_CONTAINERS:
            raise MalformedMessage(f"the message has more than {MAX_MIME_CONTAINERS} multipart or attached-message parts")


def _parse(raw: bytes, *, account: str, provider_id: str, provider_thread_id: str, labels: Iterable[str],
           is_read: bool) -> Message:
    msg = BytesParser(policy=_POLICY).parsebytes(raw)
    top: dict[str, str] = {}  # lower-cased name -> first raw value; only what is used gets decoded
    for key, value in msg.raw_items():
        top.setdefault(key.lower(), value)
    if not top.keys() & _IDENTIFYING_HEADERS:
        raise MalformedMessage("no mail headers found (From, To, Subject, Date or Message-ID)")
    _check_depth(msg)

    message_id = next(iter(_message_ids(_header_text(top.get("message-id")))), "")
    in_reply_to = next(iter(_message_ids(_header_text(top.get("in-reply-to")))), "")
    references = _message_ids(_header_text(top.get("references")))
    subject = _header_text(top.get("subject"))
    senders = _contacts(top.get("from")) or _contacts(top.get("sender"))
    body, attachments = _extract(msg)
    headers = {name: value for name in KEPT_HEADERS if (value := _header_text(top.get(name.lower())))}
    provider_thread_id = provider_thread_id or _gmail_thread_id(headers.get("X-GM-THRID", ""))
    labels = list(labels)
    if not labels and headers.get("X-Gmail-Labels"):  # Google Takeout mbox
        labels = [x.strip() for x in headers["X-Gmail-Labels"].split(",") if x.strip()]
        is_read = is_read and "Unread" not in labels
    new_text = split_body(body).new or body
    return Message(
        account=account,
        provider_id=provider_id or message_id or "sha256:" + hashlib.sha256(raw).hexdigest(),
        thread_key=thread_key(provider_thread_id=provider_thread_id, references=references,
                              in_reply_to=in_reply_to, message_id=message_id, subject=subject),
        subject=subject,
        sender=senders[0] if senders else Contact(email=""),
        to=_contacts(top.get("to")),
        cc=_contacts(top.get("cc")),
        sent_at=_parse_date(_header_text(top.get("date"))),
        body_text=body,
        snippet=" ".join(new_text.split())[:_SNIPPET_CHARS],
        labels=labels,
        is_read=is_read,
        headers=headers,
        attachments=attachments,
        message_id_header=message_id,
        in_reply_to=in_reply_to,
    )


# ---------------------------------------------------------------------------------------------
# New text vs quoted reply vs signature
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class BodyParts:
    """A body split for chunking and triage: what the sender wrote now, what they quoted, their sign-off."""

    new: str
    quoted: str
    signature: str


_QUOTE_HEADERS = [
    re.compile(r"^-{2,}\s*(original message|forwarded message|ursprüngliche nachricht)\s*-{2,}", re.I),
    re.compile(r"^-{3,}\s*(begin forwarded message|forwarded by)", re.I),
    re.compile(r"^begin forwarded message:", re.I),
    re.compile(r"^_{10,}\s*$"),
]
_ON_WROTE = re.compile(r"^(on\b.{0,300}\bwrote|am\b.{0,300}\bschrieb|le\b.{0,300}\ba écrit)\s*:\s*$", re.I | re.S)
_QUOTE_FIRST_CHARS = frozenset("-_boalf*")
_OUTLOOK_FROM = re.compile(r"^\*?from:\*?\s", re.I)
_OUTLOOK_NEXT = re.compile(r"^\*?(sent|date|to|subject):\*?\s", re.I)
_SIGN_OFF = re.compile(
    r"^(best|best regards|best wishes|regards|kind regards|warm regards|warmly|many thanks|thanks|thank you|"
    r"thanks again|thanks so much|cheers|sincerely|yours|yours truly|all the best|talk soon|speak soon|thx|"
    r"br|rgds|with thanks|appreciate it|mit freundlichen grüßen|viele grüße|cordialement|saludos)\s*[,.!]*\s*$",
    re.I,
)
_MOBILE_SIG = re.compile(r"^(sent from my \w+|sent from (outlook|mail) for \w+|get outlook for \w+)", re.I)
_MAX_SIG_LINES = 8


def _quote_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        s = line.strip()
        if s[:1].lower() not in _QUOTE_FIRST_CHARS:  # cheap filter: most lines start nothing
            continue
        if any(p.match(s) for p in _QUOTE_HEADERS):
            return i
        if re.match(r"^(on|am|le)\b", s, re.I):
            for n in (1, 2, 3):  # Gmail wraps long attributions over 2-3 lines
                if _ON_WROTE.match(" ".join(x.strip() for x in lines[i:i + n])):
                    return i
        if _OUTLOOK_FROM.match(s) and any(_OUTLOOK_NEXT.match(x.strip()) for x in lines[i + 1:i + 5]):
            return i
    return None


def _signature_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if line[:1] not in ("-", "S", "G", "s", "g"):  # cheap filter before the patterns below
            continue
        if line.rstrip() in ("-- ", "--") or _MOBILE_SIG.match(line.strip()):
            return i
    content = [i for i, line in enumerate(lines) if line.strip()]
    if len(content) < 2:  # a one-line "Thanks!" is the message, not a signature
        return None
    for i in content[-_MAX_SIG_LINES:]:
        if i == content[0] or not _SIGN_OFF.match(lines[i].strip()):
            continue
        rest = [x for x in lines[i + 1:] if x.strip()]
        if len(rest) <= _MAX_SIG_LINES - 1 and all(len(x.strip()) <= 70 for x in rest):
            return i
    return None


def split_body(text: str) -> BodyParts:
    """Split plain text into new text, quoted history and signature.

    Quoted history starts at the first attribution ("On ... wrote:", Outlook's
    "-----Original Message-----" or "From: ... Sent: ..." block, forwarded-message banners); before
    it, lines starting with '>' are quoted and the rest is new (inline replies). The signature is
    found in the new text: a "-- " delimiter, "Sent from my ..." or a common sign-off ("Best,",
    "Thanks,") followed by a few short lines.
    """
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_start(lines)
    head, tail = (lines, []) if cut is None else (lines[:cut], lines[cut:])
    new_lines = [line for line in head if not line.lstrip().startswith(">")]
    quoted_lines = [line for line in head if line.lstrip().startswith(">")] + tail
    sig = _signature_start(new_lines)
    signature_lines = [] if sig is None else new_lines[sig:]
    if sig is not None:
        new_lines = new_lines[:sig]
    return BodyParts(new=_tidy("\n".join(new_lines)), quoted=_tidy("\n".join(quoted_lines)),
                     signature=_tidy("\n".join(signature_lines)))
