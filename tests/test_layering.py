"""Data flows one way, widgets → models → client → server (docs/interfaces.md): every import in
every module of the package, at any depth (in functions, under ``TYPE_CHECKING``, through
``importlib.import_module("...")``), is held against the layers it may not reach."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import stat_widgets

PACKAGE = Path(stat_widgets.__file__).parent
MODELS, CLIENT, WIDGETS, SERVER = (
    f"stat_widgets.{layer}" for layer in ("models", "client", "widgets", "server")
)

#: Module (or package, with everything in it) → what it must not import.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "stat_widgets.errors": (MODELS, CLIENT, WIDGETS, SERVER),  # shared by every layer
    "stat_widgets.conformance": (MODELS, CLIENT, WIDGETS, SERVER),  # read by client and server
    "stat_widgets.jupyter_proxy": (MODELS, CLIENT, WIDGETS, SERVER),  # widgets and server
    MODELS: (CLIENT, WIDGETS, SERVER),
    CLIENT: (WIDGETS, SERVER),
    WIDGETS: (SERVER,),
    "stat_widgets": (SERVER,),  # the package's own __init__ (and its stub): import stays light
}


def module_name(path: Path) -> tuple[str, bool]:
    """The dotted name of a source file, and whether it is a package's ``__init__``."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def imported_modules(source: str, module: str, *, is_package: bool) -> set[str]:
    """Every module the source imports, anywhere in it, with relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # submodules
        elif _is_import_call(node):
            found.add(node.args[0].value)
    return found


def _is_import_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    first = node.args[0]
    literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
    return name in ("import_module", "__import__") and literal


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def rules_for(module: str) -> tuple[str, ...]:
    if module == "stat_widgets":
        return FORBIDDEN["stat_widgets"]
    owner = [key for key in FORBIDDEN if key != "stat_widgets" and _within(module, key)]
    return FORBIDDEN[owner[0]] if owner else ()


def violations(path: Path) -> list[str]:
    module, is_package = module_name(path)
    forbidden = rules_for(module)
    source = path.read_text(encoding="utf-8")
    return sorted(
        f"{module} imports {name}"
        for name in imported_modules(source, module, is_package=is_package)
        if any(_within(name, layer) for layer in forbidden)
    )


SOURCES = sorted(
    p for p in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.pyi")] if "__pycache__" not in p.parts
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_no_module_imports_a_layer_above_or_beside_its_own(path: Path) -> None:
    assert violations(path) == []


def test_every_layer_and_the_package_root_are_checked() -> None:
    checked = {module_name(p)[0] for p in SOURCES if rules_for(module_name(p)[0])}
    shared = ("stat_widgets.errors", "stat_widgets.conformance", "stat_widgets.jupyter_proxy")
    for layer in (MODELS, CLIENT, WIDGETS, "stat_widgets", *shared):
        assert any(_within(name, layer) for name in checked), layer
    assert any(p.suffix == ".pyi" for p in SOURCES)  # the public-API stub is read too
    assert "stat_widgets.models.geometry.validate" in checked


@pytest.mark.parametrize(
    ("module", "is_package", "source", "found"),
    [
        # a function-level import
        (
            "stat_widgets.models.order",
            False,
            "def f():\n    from stat_widgets.server.app import create_app\n",
            "stat_widgets.server.app",
        ),
        # relative, from a package's __init__ and from a module two levels down
        ("stat_widgets.widgets", True, "from ..server import app\n", "stat_widgets.server.app"),
        (
            "stat_widgets.models.geometry.convert",
            False,
            "from ...client import StatClient\n",
            "stat_widgets.client.StatClient",
        ),
        # under TYPE_CHECKING, and through importlib with a literal name
        (
            "stat_widgets.client.sync",
            False,
            "if TYPE_CHECKING:\n    import stat_widgets.widgets.app\n",
            "stat_widgets.widgets.app",
        ),
        (
            "stat_widgets",
            True,
            "import importlib\nimportlib.import_module('stat_widgets.server')\n",
            "stat_widgets.server",
        ),
    ],
)
def test_the_import_finder_sees_every_kind_of_import(
    module: str, is_package: bool, source: str, found: str
) -> None:
    names = imported_modules(source, module, is_package=is_package)
    assert found in names
    assert any(_within(n, layer) for n in names for layer in rules_for(module))


def test_allowed_imports_are_not_violations() -> None:
    """The flow itself: widgets use models and the client, the client uses models."""
    allowed = [
        ("stat_widgets.widgets.order_form", "from stat_widgets.client import StatClient\n"),
        ("stat_widgets.client._core", "from stat_widgets.models import OrderRequest\n"),
        ("stat_widgets.cli", "from stat_widgets.server.embedded import start_server\n"),
    ]
    for module, source in allowed:
        names = imported_modules(source, module, is_package=False)
        assert not any(_within(n, layer) for n in names for layer in rules_for(module))
