"""Product schemas read into fields: the one place where JSON Schema is interpreted for people.

STAPI queryables, a STAT product's ``constraints`` (an object schema, or a bare map of name to
schema) and ``parameters``, and STAPI order parameters all become a ``ProductSchema``: a list of
``SchemaField`` (name, title, description, type, enum, range, unit, required, default). The
filter builder, the order-parameters form, the product picker and the filter validation read
nothing else. Values are checked against the original schema by ``jsonschema``
(``schema_check``); this module only describes.

A schema is third-party data: its size, depth and ``$ref`` chains are bounded, ``$ref`` is
resolved by ``referencing`` from a registry that refuses to retrieve anything (a remote
reference is never fetched), and whatever cannot be read becomes a free-text field with a
note, never an exception.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from stat_widgets.models._schema_walk import (
    MAX_DEPTH,
    MAX_NODES,
    Source,
    Unreadable,
    flatten,
    survey,
)

MAX_FIELDS = 500
SCHEMA_URI = "urn:stat-widgets:schema"

#: Keys of a bare name → schema map that are schema keywords, not field names.
_STRUCTURE = {
    "$schema",
    "$id",
    "id",
    "$defs",
    "definitions",
    "$comment",
    "$anchor",
    "$ref",
    "type",
    "title",
    "description",
    "required",
    "properties",
    "patternProperties",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "examples",
    "links",
}


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: ``SchemaField.default`` when the schema gives none (``None`` is a real default).
MISSING: Any = _Missing()


@dataclass(frozen=True, eq=False)
class SchemaField:
    """One field a product takes (a filter property or an order parameter), as people see it.

    ``type`` is the JSON type of one value (of each item when ``multiple``): ``string``,
    ``number``, ``integer``, ``boolean`` or ``object``; a field this package cannot read is a
    ``string`` with a ``note`` saying why, and is not checked (``ref`` is ``None``).
    """

    name: str
    title: str
    description: str = ""
    type: str = "string"
    types: frozenset[str] = frozenset()  # every JSON type a value may have; empty: any
    enum: tuple[Any, ...] | None = None  # the allowed values (of each item when multiple)
    labels: tuple[str, ...] = ()  # a title per enum value (``const`` branches carry them)
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    unit: str = ""
    format: str = ""
    required: bool = False
    default: Any = MISSING
    nullable: bool = False
    multiple: bool = False  # the value is a list of such items
    note: str = ""
    ref: str | None = None  # where its schema is, for the validators; None: not checked
    source: Source | None = None

    @property
    def kind(self) -> str:
        """The control it gets: ``enum``, ``integer``, ``number``, ``boolean`` or ``string``."""
        if self.enum:
            return "enum"
        return self.type if self.type in ("integer", "number", "boolean") else "string"

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING

    @property
    def checked(self) -> bool:
        return self.ref is not None and self.source is not None

    def label(self, value: Any) -> str:
        """How an enum value is shown: its title when the schema gives one."""
        if self.enum and self.labels:
            for known, label in zip(self.enum, self.labels, strict=False):
                if known == value and type(known) is type(value):
                    return label
        return str(value)


@dataclass(frozen=True, eq=False)
class ProductSchema:
    """The fields of one schema (or of several, for a STAT product's constraints and
    parameters); ``notes`` say what could not be read. ``open`` is False when the schema
    forbids other names (``additionalProperties: false``); ``readable`` is False when nothing
    could be read at all, and then nothing is checked either."""

    fields: tuple[SchemaField, ...] = ()
    notes: tuple[str, ...] = ()
    open: bool = True
    readable: bool = True
    source: Source | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})

    def __iter__(self) -> Iterator[SchemaField]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name  # type: ignore[attr-defined]

    def __getitem__(self, name: str) -> SchemaField:
        return self._by_name[name]  # type: ignore[attr-defined]

    def get(self, name: str) -> SchemaField | None:
        return self._by_name.get(name)  # type: ignore[attr-defined]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @classmethod
    def combine(cls, *schemas: ProductSchema) -> ProductSchema:
        """One list from several schemas; a name already listed keeps its first field."""
        seen: dict[str, SchemaField] = {}
        for schema in schemas:
            for item in schema.fields:
                seen.setdefault(item.name, item)
        return cls(
            fields=tuple(seen.values()),
            notes=tuple(n for s in schemas for n in s.notes),
            open=all(s.open for s in schemas),
            readable=any(s.readable for s in schemas) or not schemas,
            source=schemas[0].source if len(schemas) == 1 else None,
        )


EMPTY = ProductSchema()

_CACHE: collections.OrderedDict[tuple, tuple[tuple, ProductSchema]] = collections.OrderedDict()
_CACHE_SIZE = 128


_LOCK = threading.Lock()


def _cached(parts: tuple, build: Any) -> ProductSchema:
    """Read once per schema object: a schema is taken as immutable once read, and the cache
    holds it, so its id cannot be reused by another object while it is cached."""
    key = tuple(map(id, parts))
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], parts, strict=True)):
            _CACHE.move_to_end(key)
            return hit[1]
    result = build()
    with _LOCK:
        _CACHE[key] = (parts, result)
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def read_schema(schema: Any, *, label: str = "schema") -> ProductSchema:
    """The fields of one schema (queryables, constraints, order parameters)."""
    if schema is None:
        return EMPTY
    return _cached((schema,), lambda: _read(schema, label))


def read_filter_fields(constraints: Any, parameters: Any = None) -> ProductSchema:
    """What a product's filter may use: its constraints' fields, then those of its STAT-era
    ``parameters`` (which the April 2024 draft defines as the fields a filter may use)."""
    if parameters is None:
        return read_schema(constraints, label="constraints")
    return _cached(
        (constraints, parameters),
        lambda: ProductSchema.combine(
            read_schema(constraints, label="constraints"),
            read_schema(parameters, label="parameters"),
        ),
    )


def _read(schema: Any, label: str) -> ProductSchema:
    if not isinstance(schema, dict):
        note = f"the {label} is not a JSON Schema object ({type(schema).__name__}); ignored"
        return ProductSchema(notes=(note,), readable=False)
    found = survey(schema)
    if found.nodes > MAX_NODES or found.depth > MAX_DEPTH:
        note = (
            f"the {label} is too large to read (more than {MAX_NODES:,} nodes or "
            f"{MAX_DEPTH} levels deep); its fields are not offered or checked"
        )
        return ProductSchema(notes=(note,), readable=False)
    source = Source(SCHEMA_URI, schema, found)
    try:
        entries, required, closed = _entries(source)
    except Unreadable as exc:
        notes = (*source.notes, f"the {label} cannot be read: {exc}")
        return ProductSchema(notes=notes, readable=False)
    notes = [f"{label}: {note}" for note in source.notes]
    fields = []
    for name, node, pointer in entries[:MAX_FIELDS]:
        fields.append(_field(source, name, node, pointer, name in required))
    if len(entries) > MAX_FIELDS:
        notes.append(f"the {label} lists {len(entries):,} fields; the first {MAX_FIELDS} are read")
    notes += [f"{f.name}: {f.note}" for f in fields if f.note]
    return ProductSchema(fields=tuple(fields), notes=tuple(notes), open=not closed, source=source)


def _entries(source: Source) -> tuple[list[tuple[str, Any, str | None]], set[str], bool]:
    """(name, schema, JSON pointer) for every field, the required names, and whether other
    names are forbidden: from ``properties`` (also inside a top-level ``$ref``/``allOf``), or
    from a bare name → schema map."""
    entries: list[tuple[str, Any, str | None]] = []
    required: set[str] = set()
    closed = False
    structured = False
    for node, at in _parts(source):
        properties = node.get("properties")
        if isinstance(properties, dict):
            structured = True
            for name, sub in properties.items():
                pointer = None if at is None else f"{at}/properties/{_escape(name)}"
                entries.append((str(name), sub, pointer))
        names = node.get("required")
        if isinstance(names, list):
            required.update(n for n in names if isinstance(n, str))
        closed = closed or node.get("additionalProperties") is False
    if not structured:
        entries = _bare_entries(source, required)
    return _unique(entries), required, closed


def _parts(source: Source) -> list[tuple[dict, str | None]]:
    """The root, and what its top-level ``$ref`` and ``allOf`` parts point to (with the JSON
    pointer of each, None when it has none)."""
    root = source.root
    parts: list[tuple[dict, str | None]] = [(root, "")]
    if isinstance(root.get("$ref"), str):
        parts.append(source.locate(root["$ref"]))
    every = root.get("allOf") if isinstance(root.get("allOf"), list) else []
    for index, part in enumerate(every):
        if isinstance(part, dict) and isinstance(part.get("$ref"), str):
            parts.append(source.locate(part["$ref"]))
        elif isinstance(part, dict):
            parts.append((part, f"/allOf/{index}"))
    return parts


def _bare_entries(source: Source, required: set[str]) -> list[tuple[str, Any, str | None]]:
    """STAT-era constraints: ``{"name": {schema}, ...}``, where values that are not schemas
    (``"max_aoi_size_sqkm": 500``) are facts about the product, not fields."""
    entries: list[tuple[str, Any, str | None]] = []
    skipped = []
    for name, sub in source.root.items():
        if name in _STRUCTURE:
            continue
        if not isinstance(sub, dict):
            skipped.append(str(name))
            continue
        entries.append((str(name), sub, f"/{_escape(name)}"))
        if sub.get("required") is True:  # draft-03 style, as some STAT examples write it
            required.add(str(name))
    if skipped:
        listed = ", ".join(skipped[:8]) + (" …" if len(skipped) > 8 else "")
        source.notes.append(f"not field schemas, so not offered: {listed}")
    return entries


def _unique(entries: list[tuple[str, Any, str | None]]) -> list[tuple[str, Any, str | None]]:
    seen: dict[str, tuple[str, Any, str | None]] = {}
    for entry in entries:
        seen.setdefault(entry[0], entry)
    return list(seen.values())


def _escape(name: object) -> str:
    from urllib.parse import quote

    return quote(str(name).replace("~", "~0").replace("/", "~1"), safe="")


def _field(
    source: Source, name: str, node: Any, pointer: str | None, required: bool
) -> SchemaField:
    ref = None if pointer is None else f"{source.uri}#{pointer}"
    try:
        view = flatten(source, node)
    except Unreadable as exc:
        return SchemaField(name=name, title=name, required=required, note=f"{exc}; free text")
    title = view.text("title") or name
    common: dict[str, Any] = {
        "name": name,
        "title": title,
        "description": view.text("description"),
        "required": required,
        "default": view.values.get("default", MISSING),
        "unit": view.text("unit"),
    }
    if view.unknown_types:
        kinds = ", ".join(sorted(view.unknown_types))
        return SchemaField(**common, note=f"unknown type {kinds}; free text, not checked")
    multiple = view.types == {"array"}
    item = view.items if multiple else view
    if item is None:  # an array of anything: ``items`` missing, true or unreadable
        note = view.items_note or ""
        return SchemaField(
            **common, types=frozenset(view.types), multiple=True, note=note, ref=ref, source=source
        )
    kind, note = _value_type(item.types, item.enum)
    labels = item.labels
    if labels == (title,) and item.enum is not None and len(item.enum) == 1:
        labels = ()  # a lone ``const`` titled like its field: the title names the field
    return SchemaField(
        **common,
        type=kind,
        types=frozenset(item.types),
        enum=item.enum,
        labels=labels,
        minimum=item.number("minimum"),
        maximum=item.number("maximum"),
        exclusive_minimum=item.number("exclusiveMinimum"),
        exclusive_maximum=item.number("exclusiveMaximum"),
        format=item.text("format"),
        nullable=view.nullable,
        multiple=multiple,
        note=note,
        ref=ref,
        source=source,
    )


def _value_type(types: set[str], enum: tuple[Any, ...] | None) -> tuple[str, str]:
    """The one type a control edits, and a note when the schema allows several."""
    if not types and enum:
        types = {_json_type(v) for v in enum}
    if types == {"integer"}:
        return "integer", ""
    if types and types <= {"integer", "number"}:
        return "number", ""
    if types == {"boolean"}:
        return "boolean", ""
    if types == {"object"}:
        return "object", "takes an object; entered as JSON text"
    if len(types) > 1 and not enum:
        return "string", f"takes {' or '.join(sorted(types))}; entered as text"
    return "string", ""


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else "object"


__all__ = [
    "EMPTY",
    "MISSING",
    "ProductSchema",
    "SchemaField",
    "read_filter_fields",
    "read_schema",
]
