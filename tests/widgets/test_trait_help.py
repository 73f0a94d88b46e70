"""Every public trait of the package's widgets says what it holds (``help=``), as ipywidgets'
own traits do: it is what ``help(widget)`` and the traitlets documentation show a user."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ipywidgets as widgets
import traitlets

import stat_widgets.widgets


def widget_classes() -> list[type[widgets.Widget]]:
    """Every widget class defined in ``stat_widgets.widgets`` and its subpackages."""
    found: dict[str, type[widgets.Widget]] = {}
    package = stat_widgets.widgets
    for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, widgets.Widget) and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def own_public_traits(cls: type[widgets.Widget]) -> dict[str, traitlets.TraitType]:
    """The traits the package declares on ``cls`` (not those ipywidgets declares)."""
    traits: dict[str, traitlets.TraitType] = {}
    for klass in cls.__mro__:
        if not klass.__module__.startswith("stat_widgets."):
            continue
        for name, value in vars(klass).items():
            if isinstance(value, traitlets.TraitType) and not name.startswith("_"):
                traits.setdefault(name, value)
    return traits


def test_the_walk_finds_the_public_widgets() -> None:
    names = {cls.__name__ for cls in widget_classes()}
    assert set(stat_widgets.widgets.__all__) <= names
    assert {"GoToBox", "ErrorLabel", "FootprintMap", "OrderTable"} <= names


def test_every_public_trait_has_help() -> None:
    checked, missing = 0, []
    for cls in widget_classes():
        for name, trait in own_public_traits(cls).items():
            checked += 1
            if not (trait.help or "").strip():
                missing.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert checked >= 40
    assert missing == []
