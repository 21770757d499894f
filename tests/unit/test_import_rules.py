"""Who may import whom (docs/architecture.md), and no import cycles.

Every import counts: at module level, inside functions, under `TYPE_CHECKING` (for the package
rules only: such an import never runs, so it makes no cycle), and
`importlib.import_module("...")` / `__import__("...")` with a literal name. A project module
named through importlib is itself a breach: the composition root imports `ui` plainly.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# package -> the project packages it may import (itself always included)
RULES: dict[str, frozenset[str]] = {
    "pbx_core": frozenset(),
    "server": frozenset({"pbx_core"}),
    "sip": frozenset(),
    "headset": frozenset(),
    "app": frozenset({"sip", "headset"}),
    "ui": frozenset({"app"}),
    # developer tools, never shipped: screenshots, translation and ringtone builds
    "tools": frozenset({"app", "ui", "sip", "headset", "pbx_core", "server", "tests"}),
}
# the composition root: the one module where `app` meets `ui`
EXTRA: dict[str, frozenset[str]] = {"app.__main__": frozenset({"ui"})}
PROJECT = frozenset(RULES) | {"tests"}

# Breaches that exist on main today and are being removed; each entry must still exist.
KNOWN: frozenset[str] = frozenset()
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    line: int
    via_importlib: bool
    type_only: bool = False  # under `if TYPE_CHECKING:`: a rule applies, no cycle (never runs)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in RULES:
        base = ROOT / package
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if "migrations" in parts:
                continue  # Alembic scripts are loaded by path, not imported
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _resolve(module: str, path: Path, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    parts = module.split(".")
    base = parts if _is_package(path) else parts[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _type_only_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside `if TYPE_CHECKING:` blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
            if name == "TYPE_CHECKING":
                for stmt in node.body:
                    inside.update(id(n) for n in ast.walk(stmt))
    return inside


def _imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    type_only = _type_only_nodes(tree)
    for node in ast.walk(tree):
        guarded = id(node) in type_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno, False, guarded)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node.level, node.module)
            # `from pkg import sub` needs the package object too: it runs pkg/__init__
            yield Import(module, target, node.lineno, False, guarded)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:
                    yield Import(module, sub, node.lineno, False, guarded)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            first = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield Import(module, first.value, node.lineno, True)


def _project_imports() -> list[Import]:
    known = _modules()
    return [
        imp
        for module, path in known.items()
        for imp in _imports(module, path, known)
        if imp.target.split(".")[0] in PROJECT
    ]


def _breaches() -> dict[str, str]:
    out: dict[str, str] = {}
    for imp in _project_imports():
        src, dst = imp.importer.split(".")[0], imp.target.split(".")[0]
        where = f"{imp.importer}:{imp.line}"
        if imp.via_importlib:
            out[f"{imp.importer} -> {imp.target} (importlib)"] = (
                f"{where} names {imp.target} through importlib; use a plain import"
            )
            continue
        if dst == src:
            continue
        allowed = RULES[src] | EXTRA.get(imp.importer, frozenset())
        if dst not in allowed:
            out[f"{imp.importer} -> {imp.target}"] = (
                f"{where} imports {imp.target}: {src} may import only "
                f"{sorted(allowed) or 'nothing outside itself'}"
            )
    return out


def _graph() -> dict[str, set[str]]:
    known = _modules()
    graph: dict[str, set[str]] = {m: set() for m in known}
    for imp in _project_imports():
        if imp.type_only:
            continue
        target = imp.target
        while target and target not in known:
            target = target.rpartition(".")[0]
        if not target:
            continue
        # importing a.b.c runs a/__init__ and a/b/__init__ first, unless we are inside them
        parts = target.split(".")
        for i in range(1, len(parts) + 1):
            node = ".".join(parts[:i])
            inside = imp.importer == node or imp.importer.startswith(node + ".")
            if node in known and node != imp.importer and (not inside or node == target):
                graph[imp.importer].add(node)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
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
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: set[str] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(frozenset(component))
    return found


def test_rules_cover_every_shipped_package() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages <= set(RULES), f"no import rule for {sorted(packages - set(RULES))}"


def test_packages_import_only_what_the_table_allows() -> None:
    breaches = _breaches()
    new = {k: v for k, v in breaches.items() if k not in KNOWN}
    assert not new, "\n".join(sorted(new.values()))
    stale = KNOWN - set(breaches)
    assert not stale, f"fixed, remove from KNOWN: {sorted(stale)}"


def test_no_import_cycles() -> None:
    cycles = _cycles(_graph())
    new = [c for c in cycles if c not in KNOWN_CYCLES]
    assert not new, "import cycles:\n" + "\n".join(" <-> ".join(sorted(c)) for c in new)
    stale = KNOWN_CYCLES - set(cycles)
    assert not stale, f"fixed, remove from KNOWN_CYCLES: {[sorted(c) for c in stale]}"


def test_the_checker_sees_function_level_and_importlib_imports(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text(
        "import importlib\n"
        "def f():\n"
        "    from ui.main import run\n"
        "    importlib.import_module('ui.main')\n"
        "    from . import sibling\n",
        encoding="utf-8",
    )
    found = list(_imports("app.mod", source, {"ui.main": source, "app.sibling": source}))
    assert sorted((i.target, i.via_importlib) for i in found if i.target != "importlib") == [
        ("app", False),
        ("app.sibling", False),
        ("ui.main", False),
        ("ui.main", True),
    ]


def test_the_cycle_finder_reports_a_cycle_through_a_package_init() -> None:
    graph = {"ui": {"ui.main"}, "ui.main": {"ui.about"}, "ui.about": {"ui"}, "app": set()}
    assert _cycles(graph) == [frozenset({"ui", "ui.main", "ui.about"})]
