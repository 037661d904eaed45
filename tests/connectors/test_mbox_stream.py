"""The streamed mbox reader splits exactly as `mailbox.mbox` does and resumes at the offsets it returns (#20), and
the fast address path gives what `email.utils.getaddresses` gives wherever it applies."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors import mime
from connectors.files import iter_mbox, mbox_messages
from connectors.files import importer

TRICKY = [
    b"From a@b Thu Jan  1 00:00:00 2026\nSubject: one\n\nbody\n>From escaped\n\n"
    b"From b@c Thu Jan  1 00:00:00 2026\nSubject: two\n\n\n\nFrom c@d Thu\nSubject: three\n\nno newline at the end",
    b"preamble that is not mail\nFrom a@b x\nSubject: one\r\n\r\nCRLF body\r\n\r\nFrom b@c y\n",
    b"From a@b x\nFrom b@c y\nSubject: after an empty one\n\nbody\n",
    b"From a@b x\n",
    b"no mbox at all\n",
    b"",
]


@pytest.mark.parametrize("data", TRICKY)
@pytest.mark.parametrize("block", [7, 64, 1 << 20])
def test_messages_are_split_like_mailbox_and_resume_at_each_offset(tmp_path: Path, data: bytes, block: int,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "_BLOCK", block)  # boundaries cut by blocks of every size
    path = tmp_path / "m.mbox"
    path.write_bytes(data)
    box = mailbox.mbox(str(path), create=False)
    expected = [box.get_bytes(k) for k in box.keys()]
    got = list(mbox_messages(path))
    assert [raw for raw, _ in got] == expected
    for k, (_raw, after) in enumerate(got):
        assert [raw for raw, _ in mbox_messages(path, start=after)] == expected[k + 1:]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["From x y\n", "line\n", ">From q\n", "\n", "From", "Fr", "om \n", "\r\n"]),
                          st.integers(1, 3)), max_size=40))
def test_random_layouts_split_like_mailbox(tmp_path_factory: pytest.TempPathFactory,
                                           pieces: list[tuple[str, int]]) -> None:
    path = tmp_path_factory.mktemp("mbox") / "m.mbox"
    path.write_bytes("".join(text * n for text, n in pieces).encode())
    box = mailbox.mbox(str(path), create=False)
    saved = importer._BLOCK  # noqa: SLF001
    importer._BLOCK = 5  # noqa: SLF001 - tiny blocks: every boundary straddles one
    try:
        assert [raw for raw, _ in mbox_messages(path)] == [box.get_bytes(k) for k in box.keys()]
    finally:
        importer._BLOCK = saved  # noqa: SLF001


def test_iter_mbox_numbers_sources_across_a_resume(tmp_path: Path) -> None:
    path = tmp_path / "m.mbox"
    path.write_bytes(b"".join(b"From x y\nFrom: a%d@b.example\nSubject: s%d\n\nbody\n\n" % (i, i) for i in range(5)))
    first = list(iter_mbox(path, "import"))
    assert [n for _item, _after, n in first] == [1, 2, 3, 4, 5]
    _item, after, number = first[1]
    rest = list(iter_mbox(path, "import", start=after, number=number))
    assert [item.source for item, _a, _n in rest] == [f"{path}#{n}" for n in (3, 4, 5)]
    assert [item.item.subject for item, _a, _n in rest] == ["s2", "s3", "s4"]


NAMES = st.text(alphabet="AbZ yé.'-_\"(),:;<>@\\=?", max_size=12)
ADDRS = st.from_regex(r"[a-z0-9.+_-]{1,6}@[a-z0-9.-]{1,6}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, ADDRS, st.booleans()), min_size=1, max_size=4), st.sampled_from([", ", ",", " , "]))
def test_fast_addresses_equal_the_stdlib_parse(people: list[tuple[str, str, bool]], sep: str) -> None:
    header = sep.join(f"{name} <{addr}>" if bracketed else addr for name, addr, bracketed in people)
    fast = mime._simple_addresses(header)  # noqa: SLF001
    if fast is None:  # quoting, comments, encoded words, 8-bit: the stdlib parses it
        return
    saved = mime._simple_addresses  # noqa: SLF001
    mime._simple_addresses = lambda _raw: None  # noqa: SLF001
    try:
        assert fast == mime._contacts(header)  # noqa: SLF001
    finally:
        mime._simple_addresses = saved  # noqa: SLF001


def test_plain_headers_take_the_fast_path() -> None:
    assert mime._simple_addresses("Dana  Raj <Dana@X.example>,\n e@f.example") == [  # noqa: SLF001
        mime.Contact(email="dana@x.example", name="Dana Raj"), mime.Contact(email="e@f.example", name="")]
    assert mime._simple_addresses('"Lee, Ana" <a@b.example>') is None  # noqa: SLF001
