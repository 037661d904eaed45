"""Slack connector against the fake Slack Web API (real slack_sdk) and a real encrypted store."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import requests

from connectors.base import Retrier
from connectors.errors import AuthError, ConnectorError
from connectors.slack import SlackAuth, SlackClient, SlackConnector, post_reply, reply_payload
from engine.events import ACCOUNT_DID_NEED_REAUTH, EventBus
from engine.jobs import SyncCoordinator
from models import Account
from tests.fakes.slack_server import ME, TEAM, FakeSlack

ACCOUNT = f"slack:{TEAM}"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_user("U0PAT", "Pat Kim", "pat@northwind.example", title="VP Sales")
        server.add_user("U0JO", "Jo Lee", "jo@northwind.example")
        server.add_user("U0BOT", "Deploy Bot", bot=True)
        server.add_channel("C0SALES", "sales")
        server.add_channel("D0PAT", "", kind="dm", members=[ME, "U0PAT"])
        yield server


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(slack: FakeSlack, token: str = "xoxp-good", sleeps: Sleeps | None = None) -> SlackClient:
    return SlackClient(token, endpoints=slack.endpoints(), limits=None,
                       retrier=Retrier(attempts=4, max_wait=30, sleep=sleeps if sleeps is not None else Sleeps()))


def make_coordinator(store, slack: FakeSlack, *, bus: EventBus | None = None, client: SlackClient | None = None,
                     **kw) -> SyncCoordinator:
    store.accounts.upsert(Account(ACCOUNT, "slack", "dana@northwind.example"))
    connector = SlackConnector(client or make_client(slack), account=ACCOUNT, channels=("C0SALES", "D0PAT"),
                               page_size=kw.pop("page_size", 3), **kw)
    return SyncCoordinator(store=store, connector=connector, bus=bus or EventBus())


def slack_ids(store) -> list[str]:
    with store.read() as conn:
        return [r[0] for r in conn.execute(
            "SELECT provider_id FROM messages WHERE account = ? ORDER BY provider_id", (ACCOUNT,))]


def body_of(store, pid: str) -> str:
    return store.messages.get(store.messages.id_for(ACCOUNT, pid)).body_text


def test_full_sync_pages_threads_people_and_mrkdwn(store, slack):
    root = slack.post("C0SALES", "U0PAT", "*Q3 forecast* for <@U0CEO>: see <https://crm.example/q3|the deck> in <#C0SALES>")
    reply = slack.post("C0SALES", "U0JO", "I'll send the numbers by Friday", thread_ts=root)
    others = [slack.post("C0SALES", "U0JO", f"update {n} &amp; notes") for n in range(6)]
    bot = slack.post("C0SALES", "U0BOT", "deployed", subtype="bot_message", bot_id="B1", username="Deploy Bot")
    dm = slack.post("D0PAT", "U0PAT", "Can you approve the discount today?")
    slack.post("C0SALES", "U0JO", "", subtype="channel_join")  # notices are not content

    outcome = make_coordinator(store, slack).run()

    assert outcome.status == "ok"
    expected = {f"C0SALES:{ts}" for ts in (root, reply, bot, *others)} | {f"D0PAT:{dm}"}
    assert set(slack_ids(store)) == expected
    assert slack.count("conversations.history") >= 4  # 9 channel items at 3 per page: paginated
    message = store.messages.get(store.messages.id_for(ACCOUNT, f"C0SALES:{root}"))
    assert message.body_text == "Q3 forecast for @Dana Reyes: see the deck (https://crm.example/q3) in #sales"
    assert message.sender.email == "pat@northwind.example" and message.subject == "#sales"
    assert [c.email for c in message.to] == ["dana@northwind.example"] and "mentions_me" in message.labels
    threaded = store.messages.get(store.messages.id_for(ACCOUNT, f"C0SALES:{reply}"))
    assert threaded.thread_key == f"C0SALES:{root}" and threaded.in_reply_to == f"C0SALES:{root}"
    assert [c.email for c in threaded.cc] == ["dana@northwind.example"] and not threaded.to
    assert body_of(store, f"C0SALES:{others[0]}") == "update 0 & notes"
    direct = store.messages.get(store.messages.id_for(ACCOUNT, f"D0PAT:{dm}"))
    assert [c.email for c in direct.to] == ["dana@northwind.example"] and "dm" in direct.labels
    # users -> contacts, with name and title; bots get a non-routable address
    pat = store.contacts.get("pat@northwind.example")
    assert pat is not None and pat.name == "Pat Kim" and pat.role == "VP Sales"
    assert store.contacts.get(f"b1@{TEAM.lower()}.slack.invalid") is not None


def test_incremental_sync_is_idempotent_and_fetches_only_the_window(store, slack):
    old = slack.post("C0SALES", "U0PAT", "old news", at=time.time() - 5 * 86400)
    slack.post("C0SALES", "U0PAT", "recent")
    coord = make_coordinator(store, slack, rescan_hours=24)
    assert coord.run().added == 2
    before = slack_ids(store)
    requests_before = slack.count("conversations.history")
    again = coord.run()
    assert again.status == "ok" and again.deleted == 0
    assert slack_ids(store) == before  # re-listing the window duplicates nothing
    assert slack.count("conversations.history") - requests_before == 2  # one page per channel
    new = slack.post("C0SALES", "U0JO", "fresh")
    coord.run()
    assert f"C0SALES:{new}" in slack_ids(store) and f"C0SALES:{old}" in slack_ids(store)
    cursor = store.cursors.get(ACCOUNT, "slack:C0SALES").value
    assert old not in cursor  # the cursor carries only ts values inside the rescan window


def test_edits_deletions_and_late_thread_replies(store, slack):
    now = time.time()
    root = slack.post("C0SALES", "U0PAT", "kickoff", at=now - 3 * 3600)
    first = slack.post("C0SALES", "U0JO", "on it", thread_ts=root, at=now - 3 * 3600 + 60)
    keep = slack.post("C0SALES", "U0PAT", "pricing is $40k", at=now - 600)
    gone = slack.post("C0SALES", "U0PAT", "typo message", at=now - 500)
    coord = make_coordinator(store, slack, rescan_hours=1)  # the root is older than the rescan window
    coord.run()
    slack.edit("C0SALES", keep, "pricing is $45k")
    slack.delete("C0SALES", gone)
    late = slack.post("C0SALES", "U0CEO", "approved", thread_ts=root, at=now - 60)
    outcome = coord.run()
    assert outcome.status == "ok"
    assert body_of(store, f"C0SALES:{keep}") == "pricing is $45k"
    assert f"C0SALES:{gone}" not in slack_ids(store)
    assert f"C0SALES:{late}" in slack_ids(store)  # a reply to a root older than the window arrives
    slack.delete("C0SALES", late)
    coord.run()
    assert f"C0SALES:{late}" not in slack_ids(store)  # deleted reply in the window goes
    assert {f"C0SALES:{root}", f"C0SALES:{first}"} <= set(slack_ids(store))  # outside the window: kept


def test_deleted_thread_root_with_replies_becomes_a_tombstone_and_is_removed(store, slack):
    root = slack.post("C0SALES", "U0PAT", "secret plan")
    reply = slack.post("C0SALES", "U0JO", "noted", thread_ts=root)
    coord = make_coordinator(store, slack)
    coord.run()
    slack.delete("C0SALES", root)
    assert coord.run().deleted == 1
    assert slack_ids(store).count(f"C0SALES:{reply}") == 1 and f"C0SALES:{root}" not in slack_ids(store)


def test_rate_limit_honours_retry_after(store, slack):
    slack.post("C0SALES", "U0PAT", "hello")
    sleeps = Sleeps()
    slack.fail("conversations.history", 429, headers={"Retry-After": "7"},
               body={"ok": False, "error": "ratelimited"}, times=2)
    outcome = make_coordinator(store, slack, client=make_client(slack, sleeps=sleeps)).run()
    assert outcome.status == "ok" and outcome.added == 1
    assert len(sleeps) == 2 and all(7 <= s <= 8 for s in sleeps)


def test_rate_limit_longer_than_we_wait_surfaces_retry_after(store, slack):
    slack.post("C0SALES", "U0PAT", "hello")
    slack.fail("conversations.history", 429, headers={"Retry-After": "600"},
               body={"ok": False, "error": "ratelimited"}, times=1)
    outcome = make_coordinator(store, slack).run()
    assert outcome.status == "rate_limited" and outcome.retry_after == 600
    assert store.cursors.get(ACCOUNT, "slack:C0SALES") is None


def test_revoked_token_puts_the_account_in_reconnect_state(store, slack):
    slack.post("C0SALES", "U0PAT", "hello")
    events = []
    bus = EventBus()
    bus.subscribe(ACCOUNT_DID_NEED_REAUTH, lambda name, payload: events.append(payload))
    slack.revoke()
    outcome = make_coordinator(store, slack, bus=bus).run()
    assert outcome.status == "auth" and outcome.stop_polling
    assert store.accounts.get(ACCOUNT).state == "reconnect_needed"
    assert events == [{"account": ACCOUNT}]
    assert "invalid_auth" in outcome.error


def test_confirmed_reply_is_posted_into_the_thread(store, slack):
    root = slack.post("D0PAT", "U0PAT", "Can you approve?")
    make_coordinator(store, slack).run()
    stored = store.messages.get(store.messages.id_for(ACCOUNT, f"D0PAT:{root}"))
    payload = reply_payload(stored, "Approved, go ahead.")
    ts = post_reply(make_client(slack), channel=payload["channel"], thread_ts=payload["thread_ts"],
                    text=payload["text"])
    assert slack.posted[-1]["thread_ts"] == root and slack.posted[-1]["text"] == "Approved, go ahead."
    assert slack.channels["D0PAT"].messages[ts]["thread_ts"] == root
    with pytest.raises(ConnectorError):
        post_reply(make_client(slack), channel="D0PAT", thread_ts=root, text="  ")


def test_a_post_is_not_repeated_after_an_ambiguous_failure(slack):
    root = slack.post("D0PAT", "U0PAT", "Can you approve?")
    slack.fail("chat.postMessage", 503, body={"ok": False, "error": "service_unavailable"}, times=1)
    with pytest.raises(ConnectorError) as info:
        post_reply(make_client(slack), channel="D0PAT", thread_ts=root, text="yes")
    assert "may or may not" in str(info.value) and slack.count("chat.postMessage") == 1


def test_pasted_token_goes_to_the_keyring_only(slack, memory_keyring):
    auth = SlackAuth(endpoints=slack.endpoints())
    identity = auth.connect_token("xoxp-good")
    assert identity.account_key == ACCOUNT and auth.token(ACCOUNT) == "xoxp-good"
    assert ("reflex-assistant", ACCOUNT) in memory_keyring.secrets
    with pytest.raises(AuthError):
        auth.connect_token("xoxp-wrong")
    auth.forget(ACCOUNT)
    with pytest.raises(AuthError):
        auth.token(ACCOUNT)


def test_oauth_loopback_uses_pkce_and_a_loopback_listener(slack):
    auth = SlackAuth(endpoints=slack.endpoints())
    seen: list[str] = []

    def browser(url: str) -> None:  # the "browser": follow Slack's redirect to our listener
        seen.append(url)
        requests.get(url, timeout=5)

    identity = auth.authorize(client_id="123.456", open_browser=False, show_url=browser, timeout_s=5)
    assert identity.account_key == ACCOUNT and auth.token(ACCOUNT).startswith("xoxp-")
    exchange = slack.exchanges[-1]
    assert exchange["code_verifier"] and exchange["redirect_uri"].startswith("http://127.0.0.1:")
    assert "code_challenge_method=S256" in seen[0] and "user_scope=" in seen[0]


def test_oauth_rejects_a_mismatched_state(slack):
    auth = SlackAuth(endpoints=slack.endpoints())

    def forged(url: str) -> None:
        redirect = requests.get(url, allow_redirects=False, timeout=5).headers["Location"]
        requests.get(redirect.replace("state=", "state=forged"), timeout=5)

    with pytest.raises(AuthError, match="state"):
        auth.authorize(client_id="1.2", open_browser=False, show_url=forged, timeout_s=5)


def test_oauth_times_out(slack):
    auth = SlackAuth(endpoints=slack.endpoints())
    with pytest.raises(AuthError, match="timed out"):
        auth.authorize(client_id="1.2", open_browser=False, timeout_s=0.2)
