"""DESIGN.md rule 1: engine/, connectors/ and models/ never import Qt; models/ imports nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", ["engine", "connectors", "models"])
def test_layer_never_imports_qt(layer: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"})
        for p in _files(layer)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_models_import_nothing_of_ours() -> None:
    ours = {"app", "ui", "engine", "connectors"}
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.split(".")[0] in ours) for p in _files("models")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_engine_and_connectors_never_import_ui_or_app() -> None:
    offenders = {}
    for layer in ("engine", "connectors"):
        for p in _files(layer):
            bad = sorted(n for n in _imports(p) if n.split(".")[0] in {"ui", "app"})
            if bad:
                offenders[str(p.relative_to(ROOT))] = bad
    assert offenders == {}


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtCore import QObject\n")
    assert "PySide6.QtCore" in _imports(sample)


def test_top_level_is_exactly_the_designed_layout() -> None:
    """DESIGN.md fixes the top level; anything else tracked there is drift."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=root, check=True).stdout.split()
    top = {path.split("/")[0] for path in tracked}
    allowed = {"app", "ui", "engine", "connectors", "models", "resources", "build", "tests", "bench",
               "pyproject.toml", "Makefile", "README.md", ".ci", ".gitignore"}
    assert top <= allowed, sorted(top - allowed)
