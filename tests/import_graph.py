"""The project's import graph, read from the source with `ast` (nothing is imported), and its circles.

Every import statement counts, wherever it stands: at module level, inside a function, or under
`if TYPE_CHECKING:` — an import moved into a function or behind TYPE_CHECKING hides a circle from Python, not
from the design. An edge points at the module named: `from a.b import c` points at `a.b.c` when that is a
module, at the module `a.b`'s `__init__` re-exports `c` from when it does, else at `a.b`. Importing a
module's parent packages implicitly is not an edge (as in grimp).

Module circles: strongly connected components (with more than one member, or a member importing itself) of
the module graph. Package circles: for every package, the same over its direct children — its modules and
its sub-packages, each standing for everything inside it — so `engine.assistant` and `engine.insights` that
import each other anywhere below are one circle, while a package's `__init__` may import its children and
`ui.main_window` -> `ui.views.chat` -> `ui.tasks` is layering, not a circle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's edge: `where` is "module", "function" or "type_checking"."""

    source: str
    target: str
    line: int
    where: str


@dataclass(slots=True)
class ImportGraph:
    modules: dict[str, Path] = field(default_factory=dict)
    packages: set[str] = field(default_factory=set)
    imports: list[Import] = field(default_factory=list)

    def edges(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for imp in self.imports:
            out[imp.source].add(imp.target)
        return out

    def package_edges(self) -> dict[str, set[str]]:
        """Edges between siblings: for each import, the two children of the deepest package holding both
        ends (none when one end is that package itself or both lie in the same child)."""
        out: dict[str, set[str]] = defaultdict(set)
        for imp in self.imports:
            src, dst = imp.source.split("."), imp.target.split(".")
            common = 0
            while common < min(len(src), len(dst)) and src[common] == dst[common]:
                common += 1
            if common < len(src) and common < len(dst):
                out[".".join(src[:common + 1])].add(".".join(dst[:common + 1]))
        return out

    def module_circles(self) -> list[list[str]]:
        return circles(self.edges())

    def package_circles(self) -> list[list[str]]:
        return circles(self.package_edges())


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def build(root: Path, top_packages: Iterable[str]) -> ImportGraph:
    """The graph of every module under `root/<top>` for each top-level package; imports of anything else
    (the standard library, third-party packages, packages not listed) are left out."""
    graph = ImportGraph()
    tops = tuple(top_packages)
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            name = module_name(root, path)
            graph.modules[name] = path
            if path.name == "__init__.py":
                graph.packages.add(name)
    trees = {name: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for name, path in graph.modules.items()}
    exports = {name: _reexports(trees[name], name, graph.modules) for name in graph.packages}
    for name, tree in trees.items():
        for node, where in _import_nodes(tree):
            for target in _targets(node, name, name in graph.packages, graph.modules, exports):
                if target.split(".")[0] in tops:
                    graph.imports.append(Import(name, target, node.lineno, where))
    return graph


def _reexports(tree: ast.Module, package: str, known: dict[str, Path]) -> dict[str, str]:
    """Names a package's `__init__` imports at module level -> the module each comes from."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias, target in zip(node.names, _targets(node, package, True, known, {})):
                out[alias.asname or alias.name] = target
    return out


def _import_nodes(tree: ast.AST) -> Iterable[tuple[ast.Import | ast.ImportFrom, str]]:
    def visit(node: ast.AST, where: str) -> Iterable[tuple[ast.Import | ast.ImportFrom, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, where
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from visit(child, "function")
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), "type_checking")
                for stmt in child.orelse:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), where)
            else:
                yield from visit(child, where)

    return visit(tree, "module")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: dict[str, Path],
             exports: dict[str, dict[str, str]]) -> list[str]:
    if isinstance(node, ast.Import):
        return [_nearest(alias.name, known) for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[:len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    out = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        out.append(sub if sub in known else exports.get(base, {}).get(alias.name) or _nearest(base, known))
    return out


def _nearest(name: str, known: dict[str, Path]) -> str:
    """`name`, or its closest ancestor that is one of ours (an attribute path like `a.b.func`)."""
    parts = name.split(".")
    while len(parts) > 1 and ".".join(parts) not in known:
        parts.pop()
    return ".".join(parts)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with a cycle (Tarjan, iterative), each sorted; sorted by first member."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts})
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges.get(node, ()):
                        found.append(sorted(component))
    return sorted(found)
