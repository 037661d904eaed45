"""`models gallery | download | hub-token | servers | default` through argparse with a real AppContext, the
encrypted store, the real huggingface_hub client and fake servers on 127.0.0.1."""

from __future__ import annotations

import io
import json

import pytest

from app.commands import llm as llm_commands
from tests.cli_helpers import run_command
from app.settings import load_settings, save_settings
from engine.bundled import default_llm
from engine.gallery import HubAccessDenied, ModelNotOnHub
from tests.fakes.hf_hub import FakeHub
from tests.fakes.ollama_server import FakeOllama

QWEN = "Qwen/Qwen2.5-0.5B-Instruct-GGUF"
QWEN_FILE = "qwen2.5-0.5b-instruct-q4_k_m.gguf"


def run(argv: list[str], home, *, json_output: bool = False) -> int:  # noqa: ANN001
    return run_command(llm_commands, argv, home, json_output=json_output)


@pytest.fixture()
def hub_home(store):
    """The suite's store, with settings pointing model downloads at a fake hub that serves the bundled SmolLM2
    file under the catalogue's Qwen 0.5B name."""
    hub = FakeHub(repos={QWEN: {QWEN_FILE: default_llm().path}})
    home = store.path.parent
    settings = load_settings(home)
    settings.model_hub_url = hub.url
    save_settings(home, settings)
    yield hub, home
    hub.stop()


def _json(capsys) -> object:  # noqa: ANN001
    return json.loads(capsys.readouterr().out)


def test_gallery_lists_models_with_a_verdict_for_this_computer(hub_home, capsys) -> None:
    _, home = hub_home
    assert run(["models", "gallery"], home, json_output=True) == 0
    rows = {r["name"]: r for r in _json(capsys)}
    assert {"qwen2.5-0.5b", "llama-3.2-3b", "whisper-small"} <= set(rows)
    assert all(r["status"] in ("recommended", "fits", "slow", "too-big", "no-disk") and r["reason"] for r in rows.values())
    assert rows["qwen2.5-0.5b"]["installed"] is None


def test_download_verifies_offers_and_can_make_the_model_default(hub_home, capsys, store) -> None:
    hub, home = hub_home
    assert run(["models", "download", "qwen2.5-0.5b", "--default"], home, json_output=True) == 0
    got = _json(capsys)
    served = hub.served(default_llm().path)
    assert got["files"][QWEN_FILE] == {"sha256": served.sha256, "size": len(served.data)} and got["commit"] == hub.commit
    assert run(["models", "list"], home, json_output=True) == 0
    listed = {m["key"]: m for m in _json(capsys)}
    assert listed["qwen2.5-0.5b-instruct-q4_k_m"]["default"] and listed["qwen2.5-0.5b-instruct-q4_k_m"]["chat"]
    [audit] = [e for e in store.audit.since(action="model_download")]
    assert audit.detail["file"] == QWEN_FILE and audit.target.startswith("127.0.0.1:")
    assert run(["models", "gallery"], home, json_output=True) == 0
    assert {r["name"]: r for r in _json(capsys)}["qwen2.5-0.5b"]["installed"].endswith(QWEN_FILE)
    gets = len(hub.gets())
    assert run(["models", "download", "qwen2.5-0.5b"], home) == 0 and len(hub.gets()) == gets  # already here


def test_a_gated_model_downloads_once_the_token_is_in_the_keyring(hub_home, capsys, monkeypatch, memory_keyring) -> None:
    hub, home = hub_home
    hub.gated[QWEN] = "hf_reader"
    with pytest.raises(HubAccessDenied):
        run(["models", "download", "qwen2.5-0.5b"], home)
    monkeypatch.setattr("sys.stdin", io.StringIO("hf_reader\n"))
    assert run(["models", "hub-token"], home) == 0
    assert memory_keyring.get_password("reflex-assistant", "huggingface-token") == "hf_reader"
    assert run(["models", "download", "qwen2.5-0.5b"], home) == 0
    assert "hf_reader" not in (home / "settings.json").read_text()  # the token lives only in the keyring


def test_a_model_the_hub_does_not_have_is_a_clear_error(hub_home) -> None:
    hub, home = hub_home
    with pytest.raises(ModelNotOnHub) as err:
        run(["models", "download", "llama-3.2-3b"], home)  # the fake hub does not serve that repo
    assert err.value.next_step


def test_servers_lists_local_models_and_one_becomes_the_default(store, capsys) -> None:
    ollama = FakeOllama()
    try:
        home = store.path.parent
        settings = load_settings(home)
        settings.local_server_urls = [ollama.url]
        save_settings(home, settings)
        assert run(["models", "servers"], home, json_output=True) == 0
        assert [m["id"] for m in _json(capsys)] == ["ollama:llama3.2:3b", "ollama:qwen2.5:7b-instruct"]
        assert run(["models", "default", "ollama:qwen2.5:7b-instruct"], home, json_output=True) == 0
        assert _json(capsys) == {"default": "ollama:qwen2.5:7b-instruct", "url": ollama.url, "local_server": True}
        assert run(["models", "servers"], home, json_output=True) == 0
        assert [m["default"] for m in _json(capsys)] == [False, True]
    finally:
        ollama.stop()


def test_a_download_that_is_not_a_usable_chat_model_is_not_offered(hub_home, capsys, tmp_path) -> None:
    from engine.gallery import ModelNotUsable

    hub, home = hub_home
    fake_gguf = tmp_path / "not-a-model.gguf"
    fake_gguf.write_bytes(b"GGUF" + bytes(20_000))  # intact as served (its hash matches) but not a model
    hub.repos[QWEN] = {QWEN_FILE: fake_gguf}
    with pytest.raises(ModelNotUsable, match="cannot be used here"):
        run(["models", "download", "qwen2.5-0.5b"], home)
    assert run(["models", "list"], home, json_output=True) == 0
    assert [m["key"] for m in _json(capsys)] == ["SmolLM2-135M-Instruct.Q4_1"]  # the bundled model stays
