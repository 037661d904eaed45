"""Sign-in tokens are safe (issue #16 item 14): the Microsoft token cache (several keyring entries) is replaced
atomically and a damaged one asks to reconnect; tokens never go to a plaintext keyring; `wipe` removes every
token even when the store will not open."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import msal
import pytest
from keyring.errors import KeyringError

from app.cli import main
from connectors.errors import AuthError, ConnectorError
from connectors.microsoft import MicrosoftAuth
from connectors.secrets import TokenVault
from tests.connectors.conftest import fake_google, google_auth, google_client_factory  # noqa: F401
from tests.fakes.keyring_backend import MemoryKeyring

MS = "microsoft:ceo@contoso.example"


def _cache(secret: str) -> msal.SerializableTokenCache:
    cache = msal.SerializableTokenCache()
    cache.deserialize(json.dumps({"RefreshToken": {"rt": {"secret": secret, "credential_type": "RefreshToken",
                                                          "home_account_id": "h", "environment": "login.example",
                                                          "client_id": "c"}}}))
    return cache


def test_an_interrupted_token_cache_write_leaves_the_previous_cache_whole(memory_keyring, monkeypatch) -> None:
    auth = MicrosoftAuth(client_id="c")
    old = _cache("old-" + "a" * 2600)  # three keyring entries of 1,000 characters
    auth._save(MS, old)  # noqa: SLF001
    writes = {"n": 0}
    real = memory_keyring.set_password

    def failing_second_write(service: str, name: str, value: str) -> None:
        writes["n"] += 1
        if writes["n"] == 2:
            raise KeyringError("the keyring was locked midway")
        real(service, name, value)

    monkeypatch.setattr(memory_keyring, "set_password", failing_second_write)
    with pytest.raises(ConnectorError):
        auth._save(MS, _cache("new-" + "b" * 2600))  # noqa: SLF001
    monkeypatch.setattr(memory_keyring, "set_password", real)
    assert auth._load(MS).serialize() == old.serialize()  # noqa: SLF001


def test_a_damaged_token_cache_asks_to_reconnect(memory_keyring) -> None:
    auth = MicrosoftAuth(client_id="c")
    auth._save(MS, _cache("x" * 1500))  # noqa: SLF001
    [chunk] = [k for k in memory_keyring.secrets if k[1].startswith(f"{MS}:msal:") and k[1].endswith(":1")]
    memory_keyring.secrets[chunk] = "{not json"
    with pytest.raises(AuthError, match="damaged"):
        auth._load(MS)  # noqa: SLF001


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt's backend that writes secrets to a file in base64."""


def test_tokens_never_go_to_a_plaintext_keyring() -> None:
    keyring.set_keyring(PlaintextKeyring())
    with pytest.raises(ConnectorError, match="secure"):
        TokenVault().save("google:ceo@northwind.example", {"refresh_token": "1//secret"})
    assert keyring.get_keyring().secrets == {}


def test_wipe_removes_tokens_even_when_the_store_will_not_open(tmp_path: Path, memory_keyring, capsys) -> None:
    home = tmp_path / "h"
    assert main(["init", "--home", str(home)]) == 0
    TokenVault().save("google:ceo@northwind.example", {"refresh_token": "1//secret"})
    TokenVault().save("slack:T1:U1", {"token": "xoxp-secret"})
    MicrosoftAuth(client_id="c")._save(MS, _cache("y" * 2500))  # noqa: SLF001
    db = home / "reflex.db"
    db.write_bytes(b"\x00" * db.stat().st_size)  # the store no longer opens (the usual reason to wipe)
    assert main(["status", "--home", str(home)]) != 0
    assert main(["wipe", "--yes", "--home", str(home)]) == 0
    capsys.readouterr()
    assert memory_keyring.secrets == {}, sorted(name for _, name in memory_keyring.secrets)


def test_disconnect_and_wipe_revoke_the_google_token_at_google(store, fake_google, google_auth, google_client_factory,
                                                              memory_keyring) -> None:  # noqa: F811
    """#16 item 14: a disconnected account's refresh token kept working at Google (a copy anywhere could use it)."""
    from app.providers import Providers
    from app.providers import forget_keyring_entries
    from app.settings import Settings
    from models import Account
    from tests.connectors.conftest import GOOGLE_ACCOUNT

    google_client_factory()  # a refresh token the fake issued, in the keyring
    [token] = fake_google.refresh_tokens
    e = fake_google.endpoints()
    settings = Settings(google_api=e.api, google_calendar=e.calendar, google_token_uri=e.token_uri,
                        google_auth_uri=e.auth_uri)
    account = Account(GOOGLE_ACCOUNT, "google", GOOGLE_ACCOUNT.split(":")[1], state="connected")
    store.accounts.upsert(account)
    Providers(settings).disconnect(store, account, delete_data=False)
    assert fake_google.revoked == [token] and not fake_google.refresh_tokens
    assert not [name for _, name in memory_keyring.secrets if name == GOOGLE_ACCOUNT]
    from google.oauth2.credentials import Credentials

    token = fake_google.issue_refresh_token()  # connected again; then wiped (the store may not even open)
    google_auth.store(GOOGLE_ACCOUNT, Credentials(None, refresh_token=token, client_id=fake_google.CLIENT_ID,
                                                  client_secret=fake_google.CLIENT_SECRET, token_uri=e.token_uri))
    forget_keyring_entries(None, settings)
    assert fake_google.revoked[-1] == token and not fake_google.refresh_tokens


def test_disconnect_revokes_the_slack_token_at_slack(store, memory_keyring) -> None:
    from app.providers import Providers
    from app.settings import Settings
    from connectors.slack import SlackAuth
    from models import Account
    from tests.fakes.slack_server import TEAM, FakeSlack

    with FakeSlack() as slack:
        settings = Settings(slack_api=slack.endpoints().api)
        identity = SlackAuth(endpoints=slack.endpoints()).connect_token("xoxp-good")
        account = Account(identity.account_key, "slack", TEAM, state="connected")
        store.accounts.upsert(account)
        Providers(settings).disconnect(store, account, delete_data=False)
        assert slack.revoked == ["xoxp-good"] and "xoxp-good" not in slack.tokens
    assert [name for _, name in memory_keyring.secrets if not name.startswith("store-kek:")] == []


def test_a_damaged_token_record_never_blocks_the_disconnect(store, memory_keyring) -> None:
    from app.providers import Providers
    from app.settings import Settings
    from models import Account

    account = Account("slack:T9", "slack", "T9", state="connected")
    store.accounts.upsert(account)
    memory_keyring.set_password("reflex-assistant", "slack:T9", "not json")
    Providers(Settings(slack_api="http://127.0.0.1:9/api/")).disconnect(store, account, delete_data=False)
    assert memory_keyring.get_password("reflex-assistant", "slack:T9") is None and store.accounts.get("slack:T9") is None
