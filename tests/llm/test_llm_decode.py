"""Incremental detokenisation: multi-byte characters split across tokens, stop strings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engine.llm.decode import TextStream


@given(text=st.text(max_size=80), cuts=st.lists(st.integers(1, 5), max_size=80))
def test_any_byte_split_decodes_to_the_same_text(text, cuts):
    data, pieces, i = text.encode("utf-8"), [], 0
    for n in cuts:
        pieces.append(data[i:i + n])
        i += n
    pieces.append(data[i:])
    stream = TextStream()
    shown = "".join(stream.feed(p) for p in pieces) + stream.finish()
    assert shown == text == stream.text


@given(before=st.text(alphabet="abc €", max_size=30), after=st.text(max_size=10),
       cuts=st.lists(st.integers(1, 4), max_size=30))
def test_stop_string_is_never_emitted(before, after, cuts):
    data = (before + "<|im_end|>" + after).encode()
    stream, shown, i = TextStream(("<|im_end|>",)), [], 0
    for n in cuts + [len(data)]:
        shown.append(stream.feed(data[i:i + n]))
        i += n
        if stream.stopped:
            break
    shown.append(stream.finish())
    assert "".join(shown) == before and stream.stopped


def test_partial_stop_prefix_is_released_when_it_does_not_complete():
    stream = TextStream(("STOP",))
    assert stream.feed(b"go ST") == "go "
    assert stream.feed(b"AY") == "STAY"
    assert stream.finish() == ""
