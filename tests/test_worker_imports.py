"""Modules the app's worker threads import on first use are preloaded on the main thread (`app.gui.WORKER_MODULES`):
CPython can give a thread a half-initialised module when threads import mutually dependent modules at once."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The composition root's modules whose code runs on worker threads (the facade's calls, background jobs), and the UI.
WORKER_SIDE = [*(ROOT / "app" / f"{name}.py" for name in ("services", "facade", "engines", "background", "care",
                                                           "providers", "work", "workspace_accounts", "importing")),
               *sorted((ROOT / "ui").rglob("*.py"))]


def _function_level_imports(path: Path) -> set[str]:
    """Project modules imported inside functions (these run on whatever thread calls them)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                    found.add(inner.module)
                elif isinstance(inner, ast.Import):
                    found.update(alias.name for alias in inner.names)
    return {m for m in found if m.split(".")[0] in ("app", "engine", "connectors", "models")}


def test_every_lazy_project_import_is_preloaded() -> None:
    lazy = sorted(set().union(*(_function_level_imports(p) for p in WORKER_SIDE)))
    assert "engine.speech" in lazy  # the scan sees the UI's lazy imports (guards the test itself)
    probe = ("import sys, app.gui; app.gui.preload_worker_modules(); "
             "print(' '.join(m for m in sys.argv[1:] if m not in sys.modules))")
    run = subprocess.run([sys.executable, "-c", probe, *lazy], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    missing = run.stdout.split()
    assert not missing, f"add to app.gui.WORKER_MODULES (imported lazily on worker threads): {missing}"
