"""One property's schema as a ``View``: its own keywords, and how ``allOf`` (``merge``) and
``anyOf``/``oneOf`` (``alternatives``) combine views. Pure functions over plain data; the
walk that feeds them (``$ref``, bounds) is ``_schema_walk``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_ENUM = 2_000
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object"})
_ANNOTATIONS = ("title", "description", "default", "unit", "format")
_LOWER = ("minimum", "exclusiveMinimum")
_UPPER = ("maximum", "exclusiveMaximum")


class Unreadable(Exception):
    """Why a schema (or one field of it) cannot be read, in words for its note."""


def short(text: object, limit: int = 80) -> str:
    value = str(text)
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


@dataclass
class View:
    """One property's schema with ``$ref``/``allOf``/``anyOf``/``oneOf`` folded in."""

    values: dict[str, Any] = field(default_factory=dict)  # annotations and numeric bounds
    types: set[str] = field(default_factory=set)  # empty: any
    unknown_types: set[str] = field(default_factory=set)
    enum: tuple[Any, ...] | None = None
    labels: tuple[str, ...] = ()
    nullable: bool = False
    null_only: bool = False
    items: View | None = None
    items_note: str = ""

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return value if isinstance(value, str) else ""

    def number(self, key: str) -> float | None:
        value = self.values.get(key)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    @property
    def open_to_null(self) -> bool:
        return self.nullable or not self.types


def own_view(node: dict) -> View:
    """A schema object's own keywords: ``type`` (any case; ``null`` and ``nullable: true`` make
    it nullable), ``enum``/``const``, annotations and numeric bounds."""
    view = View(values={k: node[k] for k in (*_ANNOTATIONS, *_LOWER, *_UPPER) if k in node})
    _read_types(node.get("type"), view)
    view.null_only = view.nullable and not view.types and not view.unknown_types
    view.nullable = view.nullable or node.get("nullable") is True
    _read_values(node, view)
    return view


def _read_types(kind: Any, view: View) -> None:
    names = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    for name in names:
        low = str(name).lower()
        if low == "null":
            view.nullable = True
        elif low in JSON_TYPES:
            view.types.add(low)
        else:
            view.unknown_types.add(short(name, 40))


def _read_values(node: dict, view: View) -> None:
    if "const" in node:
        values = [node["const"]]
        title = node.get("title")
        view.labels = (title,) if isinstance(title, str) and title else ()
    elif isinstance(node.get("enum"), list):
        values = node["enum"]
    else:
        return
    if None in values:
        view.nullable = True
    view.enum = tuple(v for v in values[:MAX_ENUM] if v is not None)
    view.null_only = not view.enum
    if view.labels and len(view.labels) != len(view.enum):
        view.labels = ()


def merge(outer: View, inner: View) -> View:
    """Both at once (``allOf``, or a ``$ref`` and its siblings); the outer one names it."""
    enum, labels = _common_values(outer, inner)
    return View(
        values=_common_bounds(outer, inner),
        types=_common_types(outer, inner),
        unknown_types=outer.unknown_types | inner.unknown_types,
        enum=enum,
        labels=labels,
        nullable=outer.open_to_null and inner.open_to_null and (outer.nullable or inner.nullable),
        null_only=outer.null_only and inner.null_only,
        items=outer.items or inner.items,
        items_note=outer.items_note or inner.items_note,
    )


def _common_types(outer: View, inner: View) -> set[str]:
    if not (outer.types and inner.types):
        return set(outer.types or inner.types)
    types = outer.types & inner.types
    if not types and {"integer", "number"} <= outer.types | inner.types:
        types = {"integer"}
    if not types:
        raise Unreadable("its parts allow no common type")
    return types


def _common_values(outer: View, inner: View) -> tuple[tuple[Any, ...] | None, tuple[str, ...]]:
    if outer.enum is None:
        return inner.enum, inner.labels
    if inner.enum is None:
        return outer.enum, outer.labels
    pairs = [(v, label) for v, label in _labelled(outer) if v in inner.enum]
    labels = tuple(label for _, label in pairs) if outer.labels else ()
    return tuple(v for v, _ in pairs), labels


def _common_bounds(outer: View, inner: View) -> dict[str, Any]:
    values = {**inner.values, **outer.values}
    for name in _LOWER + _UPPER:
        both = [n for n in (outer.number(name), inner.number(name)) if n is not None]
        if both:
            values[name] = (max if name in _LOWER else min)(both)
    return values


def _labelled(view: View) -> list[tuple[Any, str]]:
    enum = view.enum or ()
    labels = view.labels if len(view.labels) == len(enum) else tuple(str(v) for v in enum)
    return list(zip(enum, labels, strict=True))


def alternatives(views: list[View]) -> View:
    """``anyOf``/``oneOf`` of simple types: the union of their types and values; a
    ``{"type": "null"}`` branch makes the field nullable."""
    nullable = any(v.null_only or v.nullable for v in views)
    real = [v for v in views if not v.null_only]
    if not real:
        return View(nullable=True, null_only=True)
    if len(real) == 1:
        return View(**{**real[0].__dict__, "nullable": nullable})
    typed = all(v.types or v.enum for v in real)
    view = View(
        types=set().union(*(v.types for v in real)) if typed else set(),
        unknown_types=set().union(*(v.unknown_types for v in real)),
        nullable=nullable,
    )
    if all(v.enum for v in real):
        view.enum, view.labels = _union_values(real)
    return view


def _union_values(views: list[View]) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    pairs: list[tuple[Any, str]] = []
    for view in views:
        pairs += [p for p in _labelled(view) if p not in pairs]
    labelled = any(v.labels for v in views)
    return tuple(v for v, _ in pairs), tuple(lab for _, lab in pairs) if labelled else ()
