"""``__all__`` of the package and of each subpackage against what it really exports: every name
listed exists and imports, and every public name the package re-exports from our own modules
is listed (so ``from stat_widgets.models import *``, the docs and IDEs all see the same API)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import types
from pathlib import Path

import pytest

import stat_widgets

PACKAGE = Path(stat_widgets.__file__).parent
PACKAGES = sorted(
    ".".join(init.relative_to(PACKAGE.parent).parent.parts)
    for init in PACKAGE.rglob("__init__.py")
    if "__pycache__" not in init.parts
)


def _source_files(package: str) -> list[Path]:
    folder = PACKAGE.parent.joinpath(*package.split("."))
    return [p for p in (folder / "__init__.py", folder / "__init__.pyi") if p.exists()]


def static_reexports(package: str) -> set[str]:
    """Public names the package's ``__init__`` (or its stub) imports from within stat_widgets,
    at any depth: eagerly, under ``TYPE_CHECKING``, or as the lazy list of a stub."""
    names: set[str] = set()
    for path in _source_files(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            ours = node.level > 0 or (node.module or "").startswith("stat_widgets")
            if ours:
                names.update(a.asname or a.name for a in node.names if a.name != "*")
    return {n for n in names if not n.startswith("_")}


def runtime_reexports(module: types.ModuleType) -> set[str]:
    """Public attributes, other than submodules, defined in our own modules."""
    found = set()
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        if getattr(value, "__module__", "").startswith("stat_widgets"):
            found.add(name)
    return found


def test_every_subpackage_is_checked() -> None:
    assert {"stat_widgets", "stat_widgets.models", "stat_widgets.models.geometry"} <= set(PACKAGES)
    assert {"stat_widgets.client", "stat_widgets.widgets", "stat_widgets.server"} <= set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_name_in_all_exists_and_imports(package: str) -> None:
    module = importlib.import_module(package)
    listed = module.__all__
    assert len(listed) == len(set(listed)), "a name is listed twice"
    for name in listed:
        assert getattr(module, name) is not None, name
    namespace: dict[str, object] = {}
    exec(f"from {package} import *", namespace)  # the star import users write
    assert set(listed) <= set(namespace)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_reexport_is_in_all(package: str) -> None:
    module = importlib.import_module(package)
    listed = set(module.__all__)
    assert static_reexports(package) - listed == set()
    assert runtime_reexports(module) - listed == set()


@pytest.mark.parametrize("package", PACKAGES)
def test_every_name_in_all_is_visible_to_type_checkers(package: str) -> None:
    """Lazily loaded names must still be imported where IDEs look (the stub, or a
    ``TYPE_CHECKING`` block), or defined in the ``__init__`` itself."""
    module = importlib.import_module(package)
    defined: set[str] = set()
    for path in _source_files(package):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
    assert set(module.__all__) - static_reexports(package) - defined == set()


def test_the_top_level_api_is_the_stub_and_loads_lazily() -> None:
    """One list (``__init__.pyi``): what it imports is exactly ``__all__`` and ``dir()``, and
    ``import stat_widgets`` alone imports none of it."""
    assert set(stat_widgets.__all__) == static_reexports("stat_widgets")
    assert set(dir(stat_widgets)) >= set(stat_widgets.__all__)
    assert stat_widgets.errors is importlib.import_module("stat_widgets.errors")
    assert stat_widgets.OrderRequest is importlib.import_module("stat_widgets.models").OrderRequest
    with pytest.raises(AttributeError):
        _ = stat_widgets.no_such_name
    probe = (
        "import sys, stat_widgets\n"
        "loaded = [m for m in sys.modules if m.startswith('stat_widgets.')]\n"
        "print(' '.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == []


def _modules_after(code: str, names: tuple[str, ...]) -> set[str]:
    """Which of ``names`` a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {names!r} if m in sys.modules))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return set(done.stdout.split())


def test_importing_the_form_leaves_the_client_and_models_for_first_use() -> None:
    """``from stat_widgets import OrderForm`` (a notebook's first cell) loads the widgets and
    ipyleaflet; httpx, pydantic, shapely, cql2 and the order browser load when a form is made,
    and then the form works as before (the widget tests build hundreds)."""
    later = ("httpx", "pydantic", "shapely", "cql2", "jsonschema", "fastapi")
    ours = (
        "stat_widgets.client",
        "stat_widgets.models.order",
        "stat_widgets.widgets.app",
        "stat_widgets.widgets.opportunities.section",
        "stat_widgets.widgets.order_browser.browser",
    )
    code = "from stat_widgets import OrderForm"
    assert _modules_after(code, (*later, *ours, "ipyleaflet")) == {"ipyleaflet"}
    made = _modules_after(
        code
        + "\nfrom stat_widgets.widgets import AOIMap\nAOIMap(basemap=False).use_bbox(8, 50, 9, 51)",
        ("shapely", "httpx"),
    )
    assert made == {"shapely"}  # the geometry models, on the first AOI; no client for a map


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_httpx_comes_without_its_command_line_client() -> None:
    """httpx imports its CLI (click, rich, pygments) in its ``__init__`` (encode/httpx#3547):
    imported after ``stat_widgets``, it does not, and ``httpx.main`` is httpx's own stand-in,
    which says the CLI is missing and exits 1. Imported first, httpx is left as it is."""
    probe = "import sys\nprint([m for m in ('click', 'rich') if m in sys.modules])\n"
    after = _python(f"import stat_widgets, httpx\n{probe}httpx.main()\n")
    loaded, said = after.stdout.split("\n", 1)
    assert loaded == "[]" and "could not run" in said and after.returncode == 1
    before = _python(f"import httpx, stat_widgets\n{probe}")
    assert before.stdout.strip() == "['click', 'rich']"
