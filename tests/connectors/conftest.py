"""Fixtures for connector tests: fake Google/Microsoft servers on 127.0.0.1 and ready-made clients.

The OS keyring is the suite-wide in-memory backend (tests/conftest.py `memory_keyring`, autouse).
Mail is generated here as real RFC 5322 bytes so the production MIME parser runs on every message.
"""

from __future__ import annotations

import random
import webbrowser
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
import requests

from connectors.base import QuotaBudget, Retrier
from connectors.google import GoogleAuth, GoogleClient
from tests.fakes.google_server import FakeGoogle

GOOGLE_ACCOUNT = "google:ceo@northwind.example"


def make_mail(n: int, *, when: datetime | None = None, subject: str | None = None) -> bytes:
    """A small but real multipart message number `n`."""
    msg = EmailMessage()
    msg["From"] = f"Sender {n} <sender{n}@acme.example>"
    msg["To"] = "CEO <ceo@northwind.example>"
    msg["Subject"] = subject or f"Quarterly update {n}"
    msg["Date"] = format_datetime(when or datetime.now(timezone.utc))
    msg["Message-ID"] = f"<msg{n}@acme.example>"
    msg.set_content(f"Hello,\n\nrevenue line {n} grew this quarter.\n\nBest,\nSender {n}\n")
    msg.add_alternative(f"<p>Hello,</p><p>revenue line {n} grew this quarter.</p>", subtype="html")
    return msg.as_bytes()


def no_sleep(_: float) -> None:
    """Retry/backoff sleeps are recorded by the tests, not waited for."""


@pytest.fixture
def fake_google() -> Iterator[FakeGoogle]:
    with FakeGoogle() as server:
        yield server


@pytest.fixture
def google_auth(fake_google: FakeGoogle) -> GoogleAuth:
    return GoogleAuth(endpoints=fake_google.endpoints())


@pytest.fixture
def google_client_factory(fake_google: FakeGoogle, google_auth: GoogleAuth
                          ) -> Callable[..., GoogleClient]:
    """Build a client for GOOGLE_ACCOUNT with a refresh token the fake accepts (kept in the keyring)."""
    from google.oauth2.credentials import Credentials

    google_auth.store(GOOGLE_ACCOUNT, Credentials(
        None, refresh_token=fake_google.issue_refresh_token(), client_id=FakeGoogle.CLIENT_ID,
        client_secret=FakeGoogle.CLIENT_SECRET, token_uri=fake_google.url + "/token"))

    def build(*, sleeps: list[float] | None = None, units_per_minute: float | None = None) -> GoogleClient:
        sink = sleeps.append if sleeps is not None else no_sleep
        return GoogleClient(google_auth.credentials(GOOGLE_ACCOUNT), endpoints=fake_google.endpoints(),
                            budget=QuotaBudget(units_per_minute, sleep=sink),
                            retrier=Retrier(sleep=sink, rng=random.Random(7)), timeout_s=10)

    return build


def seed_mailbox(server: FakeGoogle, count: int, *, days_back: int = 30) -> list[str]:
    """Add `count` messages spread over the last `days_back` days; returns their ids."""
    now = datetime.now(timezone.utc)
    return [server.add_message(make_mail(i, when=now - timedelta(hours=i * 24 * days_back / max(count, 1))),
                               when=now - timedelta(hours=i * 24 * days_back / max(count, 1)))
            for i in range(count)]


class LoopbackBrowser(webbrowser.BaseBrowser):
    """Plays the user's browser: follows the authorization URL to the app's loopback redirect."""

    def __init__(self) -> None:
        super().__init__("reflex-test-browser")
        self.opened: list[str] = []
        self.session = requests.Session()
        self.session.trust_env = False
        self.verify: str | bool = True

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        import threading

        threading.Thread(target=self._visit, args=(url,), daemon=True).start()
        return True

    def _visit(self, url: str) -> None:
        reply = self.session.get(url, allow_redirects=False, verify=self.verify, timeout=10)
        if reply.status_code in (301, 302, 303):
            self.session.get(reply.headers["Location"], timeout=10)
        elif "<form" in reply.text:  # response_mode=form_post: submit the hidden form like a browser
            import re

            action = re.search(r'action="([^"]+)"', reply.text).group(1)
            fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', reply.text))
            self.session.post(action, data=fields, timeout=10)


@pytest.fixture
def browser() -> Iterator[LoopbackBrowser]:
    """Registers a preferred fake browser with `webbrowser`, as the OS default browser would be."""
    fake = LoopbackBrowser()
    webbrowser.register(fake.name, None, fake, preferred=True)
    yield fake
    webbrowser._tryorder.remove(fake.name)  # noqa: SLF001 - webbrowser has no unregister
    webbrowser._browsers.pop(fake.name, None)  # noqa: SLF001


# -- Microsoft -------------------------------------------------------------------------------------

MS_ACCOUNT = "microsoft:ceo@contoso.example"


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory: pytest.TempPathFactory):
    from tests.fakes.tls import make_self_signed_cert

    return make_self_signed_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def fake_ms(tls_cert):
    from tests.fakes.microsoft_server import FakeMicrosoft

    with FakeMicrosoft(tls_cert) as server:
        yield server


@pytest.fixture
def ms_session(tls_cert) -> requests.Session:
    """What production passes too, except that it trusts the fake's self-signed certificate."""
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would otherwise win
    session.verify = str(tls_cert[0])
    return session


@pytest.fixture
def ms_auth(fake_ms, ms_session):
    from connectors.microsoft import MicrosoftAuth

    return MicrosoftAuth(client_id=fake_ms.CLIENT_ID, tenant=fake_ms.TENANT, endpoints=fake_ms.endpoints(),
                         session=ms_session)


@pytest.fixture
def graph_factory(fake_ms, ms_auth, ms_session):
    """Sign in once with the device-code flow, then build Graph clients for MS_ACCOUNT."""
    from connectors.microsoft import GraphClient

    key = ms_auth.sign_in_device_code(lambda text: fake_ms.approve_device(text.rsplit(" ", 1)[-1]))
    assert key == MS_ACCOUNT

    def build(*, sleeps: list[float] | None = None) -> GraphClient:
        sink = sleeps.append if sleeps is not None else no_sleep
        return GraphClient(base_url=fake_ms.endpoints().graph, session=ms_session,
                           token_provider=lambda force: ms_auth.token(MS_ACCOUNT, force_refresh=force),
                           retrier=Retrier(sleep=sink, rng=random.Random(3)), timeout_s=10)

    return build
