"""Pure helpers of hybrid search: reciprocal-rank fusion, near-duplicate removal, highlighted snippets.

RRF (Cormack et al. 2009) adds 1/(k + rank) over the rankings a document appears in; it needs no score
calibration between BM25 and cosine, which is why it is the fusion here. k = 60 as in the paper.
"""

from __future__ import annotations

import re
from typing import Callable, Hashable, Iterable, Sequence, TypeVar

RRF_K = 60
K = TypeVar("K", bound=Hashable)

_WORD = re.compile(r"\w+", re.UNICODE)


def rrf(rankings: Iterable[Sequence[K]], *, k: int = RRF_K) -> list[tuple[K, float]]:
    """Fused (item, score) best first; ties keep the order of first appearance."""
    scores: dict[K, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def _shingles(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < n:
        return frozenset([tuple(words)])
    return frozenset(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def dedupe(items: Sequence[K], text_of: Callable[[K], str], *, threshold: float = 0.85) -> list[K]:
    """Drop items whose word-trigram Jaccard similarity to an earlier (better) item is >= `threshold`.

    Catches the same announcement sent to several lists, forwarded copies and a document added twice.
    """
    kept: list[K] = []
    seen: list[frozenset[tuple[str, ...]]] = []
    for item in items:
        sh = _shingles(text_of(item))
        if any(len(sh & other) / max(1, len(sh | other)) >= threshold for other in seen):
            continue
        kept.append(item)
        seen.append(sh)
    return kept


def _stem(word: str) -> str:
    """A crude prefix stem so 'pricing' highlights 'price' and 'prices' (FTS5 uses the Porter stemmer)."""
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _is_hit(word: str, stems: set[str]) -> bool:
    w = _stem(word)
    return any(w.startswith(s) or (len(w) >= 4 and s.startswith(w)) for s in stems)


def snippet(text: str, terms: Sequence[str], *, width: int = 32) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `width` words with the most query-term hits, and the (start, end) spans of the hits
    within the returned snippet. Ellipses mark cut ends."""
    stems = {_stem(t) for t in terms if t}
    words = list(_WORD.finditer(text))
    if not words:
        return text[:200], []
    hit = [_is_hit(m.group(), stems) for m in words]
    best_start, best = 0, -1
    running = sum(hit[:width])
    for start in range(0, max(1, len(words) - width + 1)):
        if start:
            running += (hit[start + width - 1] if start + width - 1 < len(hit) else 0) - hit[start - 1]
        if running > best:
            best_start, best = start, running
    first = words[best_start]
    last = words[min(len(words), best_start + width) - 1]
    begin, end = first.start(), last.end()
    prefix = "…" if begin > 0 else ""
    suffix = "…" if any(ch.isalnum() for ch in text[end:]) else text[end:].strip()
    body = " ".join(text[begin:end].split())
    out = prefix + body + suffix
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(out):
        if _is_hit(m.group(), stems):
            spans.append((m.start(), m.end()))
    return out, spans


def mark(text: str, spans: Sequence[tuple[int, int]], open_: str = "**", close: str = "**") -> str:
    """`text` with each span wrapped in the markers (for terminals, Markdown or HTML)."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        out += [text[pos:start], open_, text[start:end], close]
        pos = end
    out.append(text[pos:])
    return "".join(out)
