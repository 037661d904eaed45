"""`reflex://` links reach the running app (issue #16 item 16): a second launch with a link passes
`open reflex://KIND/ID` to the first, which accepts only links matching the strict pattern (the socket
round trip is in tests/ui/test_tray_popup.py)."""

from __future__ import annotations

import pytest

from app.single_instance import is_link, parse_request

GOOD = ["reflex://email/12", "reflex://meeting/3?t=41.25", "reflex://doc/7?page=3", "reflex://event/99",
        "reflex://segment/5", "reflex://note/1"]
BAD = ["reflex://email/0", "reflex://email/12/../../etc", "reflex://shell/1", "reflex://email/1?cmd=rm",
       "reflex://email/1?t=1&page=2", "http://evil.example/1", "reflex://email/1\nraise", "reflex://email/-1",
       "reflex://email/" + "9" * 40, "reflex://EMAIL/1", "reflex://email/1 ", "reflex://meeting/1?t=1e9"]


@pytest.mark.parametrize("link", GOOD)
def test_links_the_app_opens_are_accepted(link):
    assert is_link(link) and parse_request(f"open {link}") == f"open {link}"


@pytest.mark.parametrize("link", BAD)
def test_anything_else_is_dropped(link):
    assert not is_link(link)
    assert parse_request(f"open {link}") is None or link.endswith(" ")  # a trailing space is stripped as a line


def test_plain_requests_and_junk():
    assert parse_request("raise") == "raise" and parse_request("quick-ask\r") == "quick-ask"
    assert parse_request("open") is None and parse_request("shutdown") is None
    assert parse_request("open " + "reflex://email/1" + "1" * 300) is None

