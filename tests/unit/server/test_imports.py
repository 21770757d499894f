"""The server package has no import cycles: every import, also inside functions, is counted."""

from __future__ import annotations

import ast
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[3] / "server"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "server":
                found.update(f"server.{alias.name}" for alias in node.names)
            elif node.module.startswith("server."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("server"))
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(_PACKAGE.glob("*.py")):
        name = "server" if path.stem == "__init__" else f"server.{path.stem}"
        graph[name] = _imports(path)
    return graph


def test_package_init_imports_no_submodule() -> None:
    assert _graph()["server"] == set()


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        for target in sorted(graph.get(module, set())):
            if target in trail:
                cycles.append([*trail[trail.index(target) :], target])
            else:
                visit(target, [*trail, target])

    for module in graph:
        visit(module, [module])
    assert cycles == []
