"""`ask` and `models ...` through argparse with a real AppContext and encrypted store."""

from __future__ import annotations

import argparse
import json

import pytest

from app.commands import llm as llm_commands
from app.context import AppContext


def run(argv: list[str], home, *, json_output: bool = False) -> int:
    parser = argparse.ArgumentParser()
    llm_commands.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    ctx = AppContext(home=home, json_output=json_output, log=False)
    try:
        return args.handler(args, ctx)
    finally:
        ctx.close()


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
def test_ask_streams_to_stdout(tmp_path, capsys, model_path):
    code = run(["ask", "What is the capital of France?", "--no-context", "--max-tokens", "12",
                "--model", str(model_path)], tmp_path / "nohome")
    out = capsys.readouterr()
    assert code == 0 and out.out.strip() and "[local: SmolLM2-135M-Instruct.Q4_1]" in out.err
