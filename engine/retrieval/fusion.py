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


def _shingles(text: str, n: int = 3) -> frozenset[int]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < n:
        return frozenset([hash(tuple(words))])
    return frozenset(hash(tuple(words[i:i + n])) for i in range(len(words) - n + 1))


def dedupe(items: Sequence[K], text_of: Callable[[K], str], *, threshold: float = 0.85,
           limit: int | None = None) -> list[K]:
    """Drop items whose word-trigram Jaccard similarity to an earlier (better) item is >= `threshold`;
    stop once `limit` items are kept.

    Catches the same announcement sent to several lists, forwarded copies and a document added twice.
    """
    kept: list[K] = []
    seen: list[frozenset[int]] = []
    for item in items:
        if limit is not None and len(kept) >= limit:
            break
        sh = _shingles(text_of(item))
        duplicate = False
        for other in seen:
            # Jaccard <= min/max of the sizes: most pairs are ruled out without a set intersection.
            if min(len(sh), len(other)) < threshold * max(len(sh), len(other)):
                continue
            if len(sh & other) / len(sh | other) >= threshold:
                duplicate = True
                break
        if not duplicate:
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


def snippet(text: str, terms: Sequence[str], *, width: int = 32) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `width` words with the most query-term hits, and the (start, end) spans of the hits
    within the returned snippet. Ellipses mark cut ends. A word is a hit when it starts with a term's stem."""
    stems = sorted({_stem(t) for t in terms if t}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, stems)) + r")\w*", re.IGNORECASE) if stems else None
    words = list(_WORD.finditer(text))
    if not words:
        return text[:200], []
    hit_starts = {m.start() for m in pattern.finditer(text)} if pattern else set()
    hit = [1 if m.start() in hit_starts else 0 for m in words]
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
    out = prefix + " ".join(text[begin:end].split()) + suffix
    spans = [(m.start(), m.end()) for m in pattern.finditer(out)] if pattern else []
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
