"""No import cycle in the package: module A imports B and B imports A, directly or through
others, makes both hard to read and to change alone (the order browser and its export panel
used to). Every ``import`` of a ``stat_widgets`` module counts, at module level, inside
functions and under ``TYPE_CHECKING``; a package's ``__init__`` re-exporting its submodules is
not an edge back from them (importing ``a.b.c`` names ``a.b.c``, not ``a.b``)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "stat_widgets"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports."""
    name = module_name(path)
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package
                base = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in modules else source)
    return {m for m in found if m in modules and m != name}


def cycles() -> list[list[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    graph = {m: imports(p, modules) for m, p in paths.items()}
    # Tarjan's strongly connected components: every component larger than one is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_package_has_no_import_cycle() -> None:
    assert cycles() == []


def test_the_checker_sees_a_cycle(tmp_path: Path) -> None:
    """The check itself can fail: two modules that import each other are reported."""
    package = tmp_path / "stat_widgets"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from stat_widgets import b\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from stat_widgets.a import x\n"
    )
    global PACKAGE
    saved, PACKAGE = PACKAGE, package
    try:
        assert cycles() == [["stat_widgets.a", "stat_widgets.b"]]
    finally:
        PACKAGE = saved
