"""Endpoint overrides carry credentials only over HTTPS or to this computer (issue #16 item 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import ENDPOINT_FIELDS, Settings, SettingsError, load_settings
from engine.llm import CloudClient, CloudConfig
from engine.llm.errors import ApiKeyMissing

OK = ["", "https://oauth2.googleapis.com/token", "http://127.0.0.1:8765/token", "http://localhost:6333",
      "http://[::1]:9000/v1", "https://qdrant.corp.example:6333"]
REFUSED = ["http://evil.example/token", "http://10.0.0.5:6333", "http://192.168.1.20:8000/v1", "ftp://host/x",
           "https://user:secret@api.example", "not a url", "https://", "http://127.0.0.1.evil.example/x",
           "http://host:99999/x"]


@pytest.mark.parametrize("field", ENDPOINT_FIELDS)
@pytest.mark.parametrize("url", OK)
def test_https_and_loopback_are_accepted(field, url):
    assert getattr(Settings(**{field: url}), field) == url


@pytest.mark.parametrize("field", ENDPOINT_FIELDS)
@pytest.mark.parametrize("url", REFUSED)
def test_plain_http_elsewhere_and_odd_urls_are_refused(field, url):
    with pytest.raises(ValidationError):
        Settings(**{field: url})


def test_changing_a_setting_later_is_validated_too():
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.google_token_uri = "http://evil.example/token"
    assert settings.google_token_uri == ""


def test_the_settings_file_and_environment_are_checked(tmp_path: Path, monkeypatch):
    (tmp_path / "settings.json").write_text(json.dumps({"slack_api": "http://evil.example/api"}))
    with pytest.raises(SettingsError, match="slack_api"):
        load_settings(tmp_path)
    (tmp_path / "settings.json").unlink()
    monkeypatch.setenv("REFLEX_QDRANT_URL", "http://qdrant.internal:6333")
    with pytest.raises(SettingsError, match="qdrant_url"):
        load_settings(tmp_path)


def test_a_model_server_on_the_users_network_needs_an_explicit_opt_in():
    with pytest.raises(ValidationError, match="cloud_base_url"):
        Settings(cloud_provider="openai-compatible", cloud_base_url="http://gpu-box.lan:8000/v1")
    allowed = Settings(cloud_provider="openai-compatible", cloud_base_url="http://gpu-box.lan:8000/v1",
                       cloud_plain_http_hosts="nas, gpu-box.lan")
    assert allowed.cloud_base_url == "http://gpu-box.lan:8000/v1"
    with pytest.raises(ValidationError):  # the opt-in is per host
        Settings(cloud_base_url="http://other.lan:8000/v1", cloud_plain_http_hosts="gpu-box.lan")


def test_no_key_is_ever_sent_over_plain_http():
    looked_up: list[str] = []

    def lookup(provider: str) -> str:
        looked_up.append(provider)
        return "sk-secret"

    client = CloudClient(CloudConfig("openai-compatible", "m", base_url="http://gpu-box.lan:8000/v1"), key_lookup=lookup)
    sdk = client._build()  # noqa: SLF001 - the SDK client's configured key is the property under test
    assert sdk.api_key == "not-needed" and looked_up == []
    with pytest.raises(ApiKeyMissing, match="https"):
        CloudClient(CloudConfig("openai", "m", base_url="http://gpu-box.lan:8000/v1"), key_lookup=lookup)._build()  # noqa: SLF001
    assert CloudClient(CloudConfig("openai-compatible", "m", base_url="https://gpu.example/v1"),
                       key_lookup=lookup)._build().api_key == "sk-secret"  # noqa: SLF001
