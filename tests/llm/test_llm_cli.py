"""`ask` and `models ...` through argparse with a real AppContext and encrypted store."""

from __future__ import annotations

import json

import pytest

from app.commands import llm as llm_commands
from app.context import AppContext
from tests.cli_helpers import run_command


def run(argv: list[str], home, *, json_output: bool = False) -> int:  # noqa: ANN001
    return run_command(llm_commands, argv, home, json_output=json_output)


def test_models_list_add_default_remove(store, tmp_path, capsys, model_path):
    home = store.path.parent
    assert run(["models", "list"], home) == 0
    assert "SmolLM2-135M-Instruct.Q4_1" in capsys.readouterr().out
    copy = tmp_path / "Team-Model.gguf"
    copy.write_bytes(model_path.read_bytes())
    assert run(["models", "add", str(copy)], home) == 0
    assert run(["models", "default", "Team-Model"], home) == 0
    capsys.readouterr()
    assert run(["models", "list"], home, json_output=True) == 0
    listed = {m["key"]: m for m in json.loads(capsys.readouterr().out)}
    assert listed["Team-Model"]["default"] and listed["Team-Model"]["architecture"] == "llama"
    assert run(["models", "remove", "Team-Model"], home) == 0
    bad = tmp_path / "bad.gguf"
    bad.write_text("not a model")
    with pytest.raises(Exception, match="not a GGUF"):
        run(["models", "add", str(bad)], home)


@pytest.mark.model
def test_models_probe_measures_the_tier_that_models_list_then_shows(store, capsys):
    home = store.path.parent
    assert run(["models", "list"], home) == 0
    assert "not measured yet" in capsys.readouterr().out
    assert run(["models", "probe"], home, json_output=True) == 0
    probed = json.loads(capsys.readouterr().out)
    assert probed["tier"] in ("evidence-only", "rephrase", "synthesise") and 1 <= probed["run"] <= probed["total"]
    assert run(["models", "list"], home, json_output=True) == 0
    [bundled] = json.loads(capsys.readouterr().out)
    assert bundled["tier"] == probed["tier"] and bundled["probe_score"] == probed["score"]
    assert run(["models", "list"], home) == 0
    assert f"{probed['tier']} (probe {probed['passed']}/{probed['run']})" in capsys.readouterr().out


@pytest.mark.model
def test_ask_streams_to_stdout(tmp_path, capsys, model_path):
    code = run(["ask", "What is the capital of France?", "--no-context", "--max-tokens", "12",
                "--model", str(model_path)], tmp_path / "nohome")
    out = capsys.readouterr()
    assert code == 0 and out.out.strip() and "[local: SmolLM2-135M-Instruct.Q4_1]" in out.err


def test_ask_cloud_goes_to_the_configured_provider_redacted_and_audited(tmp_path, capsys, memory_keyring):
    from app.settings import load_settings, save_settings
    from tests.fakes.openai_server import FakeOpenAI

    canary = "dana.private@canary.example"
    fake = FakeOpenAI(forbidden=(canary,))
    try:
        home = tmp_path / "h"
        ctx = AppContext(home=home, log=False)
        ctx.create_store()
        ctx.close()
        settings = load_settings(home)
        settings.cloud_enabled, settings.cloud_provider, settings.cloud_model = True, "openai", "gpt-4o-mini"
        settings.cloud_base_url = fake.url + "/v1"
        save_settings(home, settings)
        memory_keyring.set_password("reflex-assistant", "openai-api-key", "sk-test")
        capsys.readouterr()
        code = run(["ask", f"What should I tell {canary}?", "--cloud", "--no-context", "--max-tokens", "12"], home,
                   json_output=True)
        answer = json.loads(capsys.readouterr().out)
        assert code == 0 and answer["provider"] == "openai" and canary in answer["text"]  # restored locally
        assert fake.violations == [] and len(fake.bodies) == 1
        reopened = AppContext(home=home, log=False)
        try:
            assert [e.target for e in reopened.store.audit.since(action="cloud_call")] == ["openai"]
        finally:
            reopened.close()
    finally:
        fake.stop()
