"""Sentences out of a token stream: the asking use-case shows an answer one complete sentence (or line) at a time.

Why: an answer is checked sentence by sentence against its sources before the user sees it, so the stream
the UI and the CLI receive is made of whole sentences, each with its own [n] citation markers, never half
words. `SentenceStream.feed` takes model text pieces in order; `emit` receives pieces whose concatenation is
exactly the text fed (spacing and line breaks included), so appending them rebuilds the answer.

A sentence ends at . ! or ? (plus closing quotes and any [n] markers right after it) followed by whitespace
and a next sentence that does not start in lower case ("e.g. the" and "3.5" do not end one), or at a line
break (list items, headings). A run-on longer than `max_chars` is cut at its last space so the reader is not
left waiting. `finish()` emits what is left (the last sentence, or the part that arrived before Stop).
Not thread-safe: one stream per answer, fed from one thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["SentenceStream", "split_sentences"]

#: The shortest prefix of the buffer that is one complete sentence or line, with the whitespace after it.
_SENTENCE = re.compile(
    r"""(?:
          [^\n]*?                                 # the sentence itself
          [.!?]+["'”’)]*                          # its end, and closing quotes or a bracket
          (?:[ \t]*\[\d+(?:\s*[,;]\s*\d+)*\])*    # [n] markers placed after the full stop
          (?:[ \t]+|[ \t]*\n[ \t\n]*)             # the whitespace that separates it from the next one
          (?=[^\s\[a-z]|\[[^\d])                  # ... whose start we have already seen
        |
          [^\n]*\n[ \t\n]*(?=\S)                  # a line (list item, heading) and the blank lines after it
        )""",
    re.X,
)
MAX_CHARS = 240


class SentenceStream:
    """Buffers text pieces and calls `emit` once per complete sentence or line (see the module docstring)."""

    def __init__(self, emit: Callable[[str], None], *, max_chars: int = MAX_CHARS) -> None:
        self._emit = emit
        self._max = max_chars
        self._buffer = ""

    def feed(self, text: str) -> None:
        """Add a piece of model output; emits every sentence it completes, in order."""
        self._buffer += text
        while self._buffer:
            match = _SENTENCE.match(self._buffer)
            if match is not None and match.end() > 0:
                cut = match.end()
            elif len(self._buffer) > self._max and (space := self._buffer.rfind(" ", 0, self._max)) > 0:
                cut = space + 1
            else:
                return
            piece, self._buffer = self._buffer[:cut], self._buffer[cut:]
            self._emit(piece)

    def finish(self) -> None:
        """The model stopped (done, length limit or Stop): emit whatever is left as the last piece."""
        if self._buffer:
            piece, self._buffer = self._buffer, ""
            self._emit(piece)


def split_sentences(text: str) -> list[str]:
    """`text` as the pieces a `SentenceStream` emits for it (they join back to `text`)."""
    pieces: list[str] = []
    stream = SentenceStream(pieces.append)
    stream.feed(text)
    stream.finish()
    return pieces
