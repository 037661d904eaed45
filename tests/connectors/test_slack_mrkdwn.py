"""Slack mrkdwn -> text: examples of every construct, and hypothesis for robustness."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from connectors.slack import mentioned_users, mrkdwn_to_text

NAMES = {"U1": "Pat Kim", "W2": "Jo Lee"}


def text(raw: str) -> str:
    return mrkdwn_to_text(raw, user_name=lambda u: NAMES.get(u, ""), channel_name={"C1": "sales"}.get)


def test_constructs():
    assert text("hi <@U1>, ask <@U9|bob>") == "hi @Pat Kim, ask @bob"
    assert text("see <#C1> and <#C7|ops>") == "see #sales and #ops"
    assert text("<https://a.example/x?y=1&amp;z=2|the doc> and <https://b.example>") == \
        "the doc (https://a.example/x?y=1&z=2) and https://b.example"
    assert text("<mailto:pat@x.example|pat@x.example>") == "pat@x.example"
    assert text("<!here> <!channel> <!subteam^S1|@sales-team> <!date^1392734382^{date}|Feb 18>") == \
        "@here @channel @sales-team Feb 18"
    assert text("*bold* _it_ ~gone~ `code`") == "bold it gone code"
    assert text("```\n*not bold* <@U1>\n```") == "*not bold* <@U1>"
    assert text("&gt; quoted line\nreply") == "quoted line\nreply"
    assert text("2*3*4 and snake_case_name") == "2*3*4 and snake_case_name"
    assert text("a &lt;@U1&gt; b &amp; c") == "a <@U1> b & c"  # escaped text is not a mention
    assert mentioned_users("<@U1> <@W2|jo> <@U1>") == ["U1", "W2"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>@#!|*_~`&;:/ abcUW12\n")) , max_size=80))
def test_never_raises_and_resolves_every_known_mention(raw: str):
    out = text(raw)
    assert isinstance(out, str)
    for uid in ("U1", "W2"):
        if f"<@{uid}>" in raw and "`" not in raw:
            assert f"<@{uid}>" not in out
