"""DESIGN.md's layering rules, checked on the source: engine/, connectors/ and models/ never import Qt; models/
imports nothing of ours (rule 1); ui/ never imports app/ and never touches a store repository (it talks to the
facade it is given); SQL and the database connection only in engine/store/ (rule 5); no import circles between
modules or packages anywhere (rule 6; see tests/import_graph.py for what counts as an import); the composition
root stays wiring (`Services` <= 250 lines) and modules stay small (<= 500 lines in app/ and ui/)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.import_graph import build

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


# -- rule 5: SQL only in engine/store/ ------------------------------------------------------------------------

PRODUCT = ("app", "ui", "engine", "connectors", "models")
SQL_METHODS = {"execute", "executemany", "executescript", "cursor"}
#: `.execute(` calls that are not SQL, each exactly where it is written: (file, receiver as written) -> why.
NOT_SQL = {
    ("connectors/google/calendar.py", "self.client"): "GoogleClient.execute sends a Google API request",
    ("connectors/google/calendar.py", "client"): "GoogleClient.execute sends a Google API request (calendarList)",
    ("connectors/google/gmail.py", "self.client"): "GoogleClient.execute sends a Google API request",
    ("connectors/google/writes.py", "client"): "GoogleClient.execute sends a Google API request",
    ("connectors/google/client.py", "batch"): "googleapiclient's BatchHttpRequest.execute",
    ("app/providers.py", "client"): "GoogleClient.execute sends a Google API request",
    ("engine/usecases/acting.py", "registry"): "ToolRegistry.execute runs a read tool the model chose",
}


def _sql_uses(path: Path, rel: str) -> tuple[list[str], set[tuple[str, str]]]:
    """(violations as 'file:line what', the NOT_SQL entries used) for one product file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    allowed: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_METHODS:
            key = (rel, ast.unparse(node.func.value))
            if node.func.attr == "execute" and key in NOT_SQL:
                allowed.add(key)
            else:
                found.append(f"{rel}:{node.lineno} {ast.unparse(node.func)}(...)")
        elif isinstance(node, ast.Attribute) and node.attr == "_conn":
            found.append(f"{rel}:{node.lineno} {ast.unparse(node)}")
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                call = item.context_expr
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                    continue
                # The store's read() only hands out the connection; transaction() may bracket repository
                # calls (one unit of work), but taking its connection is SQL outside the store.
                if call.func.attr == "read" or (call.func.attr == "transaction" and item.optional_vars is not None):
                    found.append(f"{rel}:{node.lineno} with {ast.unparse(item)}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{rel}:{node.lineno} import {n}" for n in names if n.split(".")[0] in {"sqlite3", "sqlcipher3"}]
    return found, allowed


def _outside_the_store() -> list[tuple[Path, str]]:
    return [(p, str(p.relative_to(ROOT))) for layer in PRODUCT for p in _files(layer)
            if not p.relative_to(ROOT).parts[:2] == ("engine", "store")]


def test_sql_and_the_connection_are_used_only_in_the_store() -> None:
    found: list[str] = []
    used: set[tuple[str, str]] = set()
    for path, rel in _outside_the_store():
        violations, allowed = _sql_uses(path, rel)
        found += violations
        used |= allowed
    assert found == [], "move these into a repository method under engine/store/repos/"
    assert set(NOT_SQL) - used == set(), "NOT_SQL lists calls that are gone: remove them"


def test_the_sql_check_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("import sqlite3\n"
                      "def f(store, client):\n"
                      "    with store.read() as conn:\n"
                      "        conn.execute('SELECT 1')\n"
                      "    with store.transaction() as conn:\n"
                      "        conn.executemany('DELETE FROM t WHERE id = ?', [(1,)])\n"
                      "    with store.transaction():\n"
                      "        store.messages.upsert([])\n"
                      "    store._conn.cursor()\n"
                      "    client.execute(request)\n")
    found, allowed = _sql_uses(sample, "connectors/google/writes.py")
    assert sorted(int(f.split(" ", 1)[0].rsplit(":", 1)[1]) for f in found) == [1, 3, 4, 5, 6, 9, 9]
    assert allowed == {("connectors/google/writes.py", "client")}
    assert len(_sql_uses(sample, "engine/jobs/x.py")[0]) == 8  # the allowance is for that one file only


# -- rule 6: no import circles --------------------------------------------------------------------------------

#: The layers checked for circles: all of them.
CIRCLE_FREE = ("app", "ui", "engine", "connectors", "models")


def test_no_import_circles_between_modules() -> None:
    assert build(ROOT, CIRCLE_FREE).module_circles() == []


def test_no_import_circles_between_packages() -> None:
    assert build(ROOT, CIRCLE_FREE).package_circles() == []


def test_the_circle_check_sees_hidden_circles(tmp_path: Path) -> None:
    """Circles through a function-level import, a TYPE_CHECKING import or a package's re-export count too;
    a package's `__init__` importing its children is not one."""
    files = {
        "pkg/__init__.py": "",
        "pkg/low/__init__.py": "",
        "pkg/low/a.py": "def f():\n    from pkg.low import b\n",
        "pkg/low/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.low.a import f\n",
        "pkg/low/d.py": "from pkg.high import g\n",
        "pkg/high/__init__.py": "from .c import g\n",
        "pkg/high/c.py": "import pkg.low.a\nfrom pkg.high.e import h\ndef g():\n    pass\n",
        "pkg/high/e.py": "def h():\n    pass\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = build(tmp_path, ["pkg"])
    assert graph.module_circles() == [["pkg.low.a", "pkg.low.b"]]
    assert graph.package_circles() == [["pkg.high", "pkg.low"], ["pkg.low.a", "pkg.low.b"]]
    assert {i.where for i in graph.imports} == {"module", "function", "type_checking"}
    assert {i.target for i in graph.imports if i.source == "pkg.low.d"} == {"pkg.high.c"}  # through the re-export


# -- the top floor: ui/ talks to a facade; app/ wires (issue 17) ----------------------------------------------

def _ui_imports_of_app(root: Path) -> list[str]:
    """`ui -> app` imports, wherever they stand (a function-level or TYPE_CHECKING one counts too)."""
    return sorted(f"{i.source}:{i.line} -> {i.target}" for i in build(root, ("app", "ui")).imports
                  if i.source.split(".")[0] == "ui" and i.target.split(".")[0] == "app")


def test_ui_never_imports_app() -> None:
    assert _ui_imports_of_app(ROOT) == [], "windows get the app through ui.facade.AppFacade"


def test_the_ui_import_check_sees_a_violation(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/services.py": "class Services: ...\n", "ui/__init__.py": "",
             "ui/page.py": "def f():\n    from app.services import Services\n"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert _ui_imports_of_app(tmp_path) == ["ui.page:2 -> app.services"]


def _store_uses(path: Path, rel: str) -> list[str]:
    """Reaching the store from UI code: `anything.store` (the facade has none), or a chain on a name `store`
    (`store.meetings.all()`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr == "store" or (isinstance(node.value, ast.Attribute) and isinstance(node.value.value, ast.Name)
                                    and node.value.value.id == "store"):
            found.append(f"{rel}:{node.lineno} {ast.unparse(node)}")
    return found


def test_ui_never_uses_store_repositories() -> None:
    found = [hit for p in _files("ui") for hit in _store_uses(p, str(p.relative_to(ROOT)))]
    assert found == [], "ask the facade (ui.facade.AppFacade) instead"


def test_the_store_check_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "page.py"
    sample.write_text("def load(self, store):\n"
                      "    rows = self.services.store.meetings.all()\n"
                      "    store.conversations.get(1)\n"
                      "    self.services.meetings()\n")
    assert sorted(hit.split(" ")[0] for hit in _store_uses(sample, "ui/page.py")) == ["ui/page.py:2", "ui/page.py:3"]


def _longer_than(paths: list[Path], limit: int) -> dict[str, int]:
    lengths = {str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p.name): len(p.read_text().splitlines())
               for p in paths}
    return {name: n for name, n in lengths.items() if n > limit}


def test_services_is_wiring_only() -> None:
    assert _longer_than([ROOT / "app" / "services.py"], 250) == {}, "use-case logic belongs in engine/usecases"


def test_app_and_ui_modules_stay_small() -> None:
    assert _longer_than([*_files("app"), *_files("ui")], 500) == {}


def test_the_size_check_sees_a_violation(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("x = 1\n" * 501)
    (tmp_path / "small.py").write_text("x = 1\n" * 500)
    assert _longer_than(sorted(tmp_path.glob("*.py")), 500) == {"big.py": 501}
