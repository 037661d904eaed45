"""Cloud clients driven by the real openai/anthropic SDKs against fake servers on 127.0.0.1."""

from __future__ import annotations

import socket
import time

import keyring
import pytest

from engine.llm.chat import ChatMessage
from engine.llm.cloud import CloudClient, CloudConfig, keyring_lookup
from engine.llm.errors import ApiKeyMissing, ApiKeyRejected, CloudError, CloudUnreachable
from engine.llm.runtime import GenerationParams
from tests.fakes.anthropic_server import FakeAnthropic
from tests.fakes.openai_server import FakeOpenAI

MESSAGES = [ChatMessage("system", "Be brief."), ChatMessage("user", "Tell me about the weather today")]
PARAMS = GenerationParams(max_tokens=50)


@pytest.fixture
def openai_fake():
    server = FakeOpenAI()
    yield server
    server.stop()


@pytest.fixture
def anthropic_fake():
    server = FakeAnthropic()
    yield server
    server.stop()


def client(provider: str, url: str, **kw) -> CloudClient:
    return CloudClient(CloudConfig(provider, kw.pop("model", "gpt-4o-mini"), base_url=url, **kw),
                       key_lookup=lambda _p: "sk-test")


def test_openai_streams_text_and_usage(openai_fake):
    pieces: list[str] = []
    reply = client("openai", openai_fake.url + "/v1").complete(MESSAGES, PARAMS, on_text=pieces.append)
    assert reply.text == "You said: Tell me about the weather today"
    assert "".join(pieces) == reply.text and len(pieces) > 5
    assert reply.tokens_in == 8 and reply.tokens_out == 8
    sent = openai_fake.bodies[0]
    assert sent["stream"] is True and sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["max_completion_tokens"] == 50
    assert openai_fake.headers[0]["authorization"] == "Bearer sk-test"


def test_openai_compatible_server_gets_max_tokens_and_works_without_key(openai_fake):
    c = CloudClient(CloudConfig("openai-compatible", "llama3", base_url=openai_fake.url + "/v1"),
                    key_lookup=lambda _p: None)
    assert c.complete(MESSAGES, PARAMS).text.startswith("You said:")
    assert openai_fake.bodies[0]["max_tokens"] == 50


def test_azure_uses_deployment_path_and_api_key_header(openai_fake):
    reply = client("azure", openai_fake.url, model="my-deployment").complete(MESSAGES, PARAMS)
    assert reply.text.startswith("You said:")
    assert openai_fake.headers[0]["api-key"] == "sk-test"


def test_anthropic_streams_with_system_split_out(anthropic_fake):
    pieces: list[str] = []
    c = client("anthropic", anthropic_fake.url, model="claude-3-5-haiku-latest")
    reply = c.complete(MESSAGES, PARAMS, on_text=pieces.append)
    assert reply.text == "You said: Tell me about the weather today" == "".join(pieces)
    assert reply.tokens_in == 8 and reply.tokens_out == 8
    sent = anthropic_fake.bodies[0]
    assert sent["system"] == "Be brief." and sent["messages"] == [
        {"role": "user", "content": "Tell me about the weather today"}]
    sent_headers = anthropic_fake.headers[0]  # SDK 2.x sends a bearer token, older ones x-api-key
    assert "sk-test" in (sent_headers.get("x-api-key", ""), sent_headers.get("authorization", "")[7:])


@pytest.mark.parametrize("fake_name", ["openai_fake", "anthropic_fake"])
def test_429_retry_after_is_honoured(request, fake_name):
    fake = request.getfixturevalue(fake_name)
    fake.fail(429, headers={"Retry-After": "1"})
    provider = "anthropic" if fake_name == "anthropic_fake" else "openai"
    url = fake.url if provider == "anthropic" else fake.url + "/v1"
    t0 = time.monotonic()
    reply = client(provider, url).complete(MESSAGES, PARAMS)
    assert time.monotonic() - t0 >= 0.95
    assert reply.text.startswith("You said:") and len(fake.bodies) == 2


def test_persistent_429_gives_up_with_clear_error(openai_fake):
    openai_fake.fail(429, headers={"Retry-After": "0.05"}, times=5)
    with pytest.raises(CloudError, match="rate-limiting"):
        client("openai", openai_fake.url + "/v1", max_retries=2).complete(MESSAGES, PARAMS)
    assert len(openai_fake.bodies) == 3


def test_5xx_is_retried_with_backoff(openai_fake):
    openai_fake.fail(503)
    assert client("openai", openai_fake.url + "/v1").complete(MESSAGES, PARAMS).text
    assert len(openai_fake.bodies) == 2


@pytest.mark.parametrize("fake_name", ["openai_fake", "anthropic_fake"])
def test_401_says_api_key_rejected_without_retrying(request, fake_name):
    fake = request.getfixturevalue(fake_name)
    fake.fail(401, times=5)
    provider = "anthropic" if fake_name == "anthropic_fake" else "openai"
    url = fake.url if provider == "anthropic" else fake.url + "/v1"
    with pytest.raises(ApiKeyRejected, match="rejected the API key") as err:
        client(provider, url).complete(MESSAGES, PARAMS)
    assert "Settings" in err.value.next_step and len(fake.bodies) == 1


def test_timeout_becomes_unreachable(openai_fake):
    openai_fake.fail(0, delay_s=1.5, times=3)
    t0 = time.monotonic()
    with pytest.raises(CloudUnreachable, match="did not answer"):
        client("openai", openai_fake.url + "/v1", timeout_s=0.3, max_retries=0).complete(MESSAGES, PARAMS)
    assert time.monotonic() - t0 < 1.4


def test_no_network_is_a_clear_message():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nothing listens there
    with pytest.raises(CloudUnreachable, match="Cannot reach"):
        client("openai", f"http://127.0.0.1:{port}/v1", max_retries=0).complete(MESSAGES, PARAMS)


def test_key_comes_from_the_os_keyring(openai_fake):
    c = CloudClient(CloudConfig("openai", "gpt-4o-mini", base_url=openai_fake.url + "/v1"),
                    key_lookup=keyring_lookup)
    with pytest.raises(ApiKeyMissing):
        c.complete(MESSAGES, PARAMS)
    keyring.set_password("reflex-assistant", "openai-api-key", "sk-from-keyring")
    c.complete(MESSAGES, PARAMS)
    assert openai_fake.headers[-1]["authorization"] == "Bearer sk-from-keyring"
