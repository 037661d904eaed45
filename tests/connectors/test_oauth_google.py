"""Google installed-app OAuth against the fake authorization server: loopback, PKCE, state, timeout."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from connectors.errors import AuthError
from connectors.google import GOOGLE_SCOPES
from tests.fakes.google_server import FakeGoogle


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on `port` (Linux /proc; IPv4 and IPv6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.fixture(autouse=True)
def plain_http_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    """oauthlib refuses http token endpoints; the fake Google is http (real Google is https)."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
def client_secret(tmp_path: Path) -> Path:
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps({"installed": {
        "client_id": FakeGoogle.CLIENT_ID, "client_secret": FakeGoogle.CLIENT_SECRET,
        "auth_uri": "https://accounts.google.com/o/oauth2/auth", "token_uri": "https://oauth2.googleapis.com/token",
        "redirect_uris": ["http://localhost"]}}))
    return path


def test_loopback_flow_uses_pkce_s256_and_binds_loopback_only(fake_google, google_auth, browser, client_secret):
    seen_listeners: list[set[str]] = []
    original = browser._visit

    def visit(url: str) -> None:
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        seen_listeners.append(listening_addresses(urlsplit(redirect).port))
        original(url)

    browser._visit = visit
    creds = google_auth.authorize(client_secret, timeout_s=20)
    query = parse_qs(urlsplit(browser.opened[0]).query)
    assert browser.opened[0].startswith(fake_google.url + "/o/oauth2/auth?")  # configured endpoint wins
    assert query["code_challenge_method"] == ["S256"] and query["access_type"] == ["offline"]
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert set(query["scope"][0].split()) == set(GOOGLE_SCOPES)
    exchange = fake_google.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and len(exchange["code_verifier"]) >= 43
    assert seen_listeners == [{"0100007F"}]  # 127.0.0.1 only, nothing on 0.0.0.0 or ::
    assert creds.refresh_token in fake_google.refresh_tokens
    google_auth.store("google:ceo@northwind.example", creds)
    again = google_auth.credentials("google:ceo@northwind.example")
    assert again.refresh_token == creds.refresh_token and again.token_uri == fake_google.url + "/token"


def test_mismatched_state_is_rejected_and_no_token_is_requested(fake_google, google_auth, browser, client_secret):
    fake_google.tamper_state = True
    with pytest.raises(AuthError, match="state"):
        google_auth.authorize(client_secret, timeout_s=20)
    assert fake_google.token_requests == []


def test_sign_in_times_out_when_nothing_comes_back(google_auth, client_secret):
    with pytest.raises(AuthError, match="timed out"):
        google_auth.authorize(client_secret, timeout_s=1, open_browser=False, prompt_message=None)


def test_missing_keyring_entry_is_reconnect_needed(google_auth):
    with pytest.raises(AuthError) as err:
        google_auth.credentials("google:nobody@example.com")
    assert "Reconnect" in err.value.next_step


def test_forget_removes_the_refresh_token(google_auth, google_client_factory, memory_keyring):
    google_client_factory()
    assert memory_keyring.get_password("reflex-assistant", "google:ceo@northwind.example")
    google_auth.forget("google:ceo@northwind.example")
    assert memory_keyring.get_password("reflex-assistant", "google:ceo@northwind.example") is None


def test_partially_granted_scopes_are_refused(fake_google, google_auth, browser, client_secret):
    fake_google.granted_scope = "https://www.googleapis.com/auth/gmail.readonly"
    with pytest.raises(AuthError, match="permissions"):
        google_auth.authorize(client_secret, timeout_s=20)
