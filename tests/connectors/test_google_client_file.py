"""The user's own Google OAuth client is checked before it is used or kept: a Desktop-app client passes; a web
client, a service-account key, a pasted id, a foreign redirect or a broken file are refused with what to do; a kept
client signs in without the file (against the fake Google)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.errors import ConnectorError
from connectors.google import read_client_file, remember_client, remembered_client
from connectors.google.client_file import forget_client, parse_client_config
from tests.fakes.google_server import FakeGoogle

DESKTOP = {"installed": {"client_id": FakeGoogle.CLIENT_ID, "project_id": "reflex-ceo",
                         "client_secret": FakeGoogle.CLIENT_SECRET, "redirect_uris": ["http://localhost"],
                         "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                         "token_uri": "https://oauth2.googleapis.com/token"}}


def write(tmp_path: Path, config: object) -> Path:
    path = tmp_path / "client_secret.json"
    path.write_text(json.dumps(config))
    return path


def test_a_desktop_client_passes_and_says_what_it_is(tmp_path) -> None:  # noqa: ANN001
    client = read_client_file(write(tmp_path, DESKTOP))
    assert client.client_id == FakeGoogle.CLIENT_ID and client.project_id == "reflex-ceo"
    assert client.redirect_uris == ("http://localhost",)
    assert "Desktop app client" in client.summary() and "reflex-ceo" in client.summary()


@pytest.mark.parametrize(("config", "said"), [
    ({"web": DESKTOP["installed"]}, "Web application"),
    ({"type": "service_account", "client_email": "x@y.iam.gserviceaccount.com"}, "service-account"),
    ({"installed": {**DESKTOP["installed"], "client_id": "12345"}}, "not a Google OAuth client id"),
    ({"installed": {**DESKTOP["installed"], "client_secret": ""}}, "no client secret"),
    ({"installed": {**DESKTOP["installed"], "redirect_uris": ["https://example.com/cb"]}}, "redirect"),
    (["not", "a", "client"], "not a Google OAuth client file"),
])
def test_wrong_clients_are_refused_with_what_to_do(config, said) -> None:  # noqa: ANN001
    with pytest.raises(ConnectorError, match=said) as caught:
        parse_client_config(config)
    assert caught.value.next_step  # always a next step (which client to create or download)


def test_unreadable_and_oversized_files_are_refused(tmp_path) -> None:  # noqa: ANN001
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ConnectorError, match="Cannot read"):
        read_client_file(broken)
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({"installed": {"pad": "x" * 70_000}}))
    with pytest.raises(ConnectorError, match="too big"):
        read_client_file(huge)


def test_a_kept_client_lives_in_the_keyring_and_signs_in_without_the_file(tmp_path, fake_google, google_auth,
                                                                          browser, memory_keyring,
                                                                          monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake Google is http
    with pytest.raises(ConnectorError, match="No Google OAuth client"):
        google_auth.authorize(None, timeout_s=20)
    assert remembered_client() is None
    remember_client(read_client_file(write(tmp_path, DESKTOP)))
    (tmp_path / "client_secret.json").unlink()  # the download may go once it is kept
    assert remembered_client().client_id == FakeGoogle.CLIENT_ID
    assert not any(p.suffix == ".json" for p in tmp_path.iterdir())  # kept nowhere on disk
    credentials = google_auth.authorize(None, timeout_s=20)
    assert credentials.refresh_token in fake_google.refresh_tokens
    forget_client()
    assert remembered_client() is None
