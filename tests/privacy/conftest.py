"""Privacy test helpers: run the CLI in-process with the privacy commands registered."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import app.cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """`cli("audit", "--home", h)` -> (exit code, stdout, stderr)."""
    if "app.commands.privacy" not in app.cli.COMMAND_MODULES:  # until the lead registers the module
        monkeypatch.setattr(app.cli, "COMMAND_MODULES", (*app.cli.COMMAND_MODULES, "app.commands.privacy"))

    def run(*argv: str) -> tuple[int, str, str]:
        code = app.cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run
