"""The order ``filter``: CQL2 JSON over the constraints a product exposes.

``cql2`` (the spec-exact Rust implementation) decides what is CQL2. Before it, a structural
walk driven by the operator table (``filter_ops.OPERATORS``) names the exact argument at fault
(``filter.args[1]``) in words a non-programmer can act on, refuses by name what this package
does not support (``casei``, arithmetic, functions, arrays) wherever it appears, and checks
geometry and date literals as the order's own fields are checked; after it, every property, in
any position, and every literal is checked against the product's JSON Schema.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models.filter_bounds import MAX_VALUE_DEPTH, check_text, check_value
from stat_widgets.models.filter_ops import BY_NAME, VALUE_KINDS, Operator
from stat_widgets.models.filter_walk import (
    EXAMPLE,
    FIELD,
    MAX_DEPTH,
    is_property,
    structure_problems,
    walk,
)
from stat_widgets.models.product_schema import ProductSchema, SchemaField, read_schema
from stat_widgets.models.schema_check import field_problems

__all__ = [
    "EXAMPLE",
    "FIELD",
    "MAX_DEPTH",
    "filter_properties",
    "filter_to_text",
    "literal_problems",
    "parse_filter",
    "validate_filter",
]


def _err(path: str, message: str) -> FieldError:
    return FieldError(path, message)


def parse_filter(value: Any) -> dict:
    """CQL2 JSON as a dict, from a dict, CQL2 JSON text or CQL2 text (``eo:cloud_cover <= 20``).

    Bounded before any parser runs (``filter_bounds``): the text's length, nesting and
    operators, the value's size and depth."""
    if isinstance(value, dict):
        check_value(value, max_ops_depth=MAX_DEPTH)
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValidationError("the filter is empty", field=FIELD)
        check_text(text)
        import cql2  # the parsers load with the first filter given as text (an empty form has none)

        try:
            if text.startswith("{"):
                check_value(json.loads(text), max_ops_depth=MAX_DEPTH)
                expr = cql2.parse_json(text)
            else:
                expr = cql2.parse_text(text)
        except RecursionError:  # Python's JSON parser stops safely near 1,000 levels
            raise ValidationError(
                f"the filter nests more than {MAX_VALUE_DEPTH} levels deep", field=FIELD
            ) from None
        except (cql2.ParseError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                raise
            raise ValidationError(
                f"this is not CQL2 ({_short(str(exc))}); e.g. {EXAMPLE}", field=FIELD
            ) from None
        data = expr.to_json()
        check_value(data, max_ops_depth=MAX_DEPTH)
        return data
    raise ValidationError(
        f"expected CQL2 JSON (an object), got {type(value).__name__}; e.g. {EXAMPLE}", field=FIELD
    )


#: What an operator of a kind does, for "'like' matches text, but eo:cloud_cover is number".
_DOES = {"like": "matches text", "order": "orders values", "between": "orders values"}


def _walk_constraints(
    node: Any, path: str, schema: ProductSchema, errors: list[FieldError]
) -> None:
    """Every property, wherever it appears, against the product's fields; every comparison's
    literals against its property's schema (``literal_problems``)."""
    known = ", ".join(sorted(schema.names)) or "none"
    for where, item in walk(node, path):
        if is_property(item) and item["property"] not in schema:
            errors.append(
                _err(
                    where,
                    f"unknown property {item['property']!r}; "
                    f"this product's constraints are: {known}",
                )
            )
        elif isinstance(item, dict) and isinstance(item.get("op"), str):
            row = BY_NAME.get(item["op"])
            if row is not None and row.kind in VALUE_KINDS:
                errors.extend(_comparison_problems(row, item["args"], where, schema))


def _comparison_problems(
    row: Operator, args: list, path: str, schema: ProductSchema
) -> list[FieldError]:
    """A comparison of one property: the operator fits its type, the literals its schema."""
    names = [a["property"] for a in args if is_property(a)]
    if len(names) != 1 or names[0] not in schema:
        return []  # an unknown property is reported where it is; two: property-property
    field = schema[names[0]]
    where = f"{path}.args[{[is_property(a) for a in args].index(True)}]"
    if row.applies_to is not None and field.types and not field.types & row.applies_to:
        kinds = " or ".join(sorted(field.types))
        return [
            _err(
                where,
                f"{row.name!r} {_DOES.get(row.kind, 'compares values')}, "
                f"but {field.name} is {kinds}",
            )
        ]
    problems = [
        problem
        for i, arg in enumerate(args)
        if not is_property(arg)
        for problem in literal_problems(row.name, field, arg, f"{path}.args[{i}]")
    ]
    if row.kind == "between" and is_property(args[0]):
        problems.extend(_bounds_in_order(args[1], args[2], f"{path}.args[2]"))
    return problems


def _bounds_in_order(low: Any, high: Any, path: str) -> list[FieldError]:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high))
    if numbers and low > high:
        return [_err(path, f"the upper bound {high} is below the lower bound {low}")]
    return []


def literal_problems(op: str, field: SchemaField, value: Any, path: str) -> list[FieldError]:
    """One literal compared by ``op`` with the property ``field`` describes: a text pattern
    for ``like`` (its type, not the pattern, is checked), each value of an ``in`` list, else
    the value itself, checked by ``jsonschema`` against the property's schema."""
    row = BY_NAME[op]
    if row.kind == "like":
        if not isinstance(value, str):
            return [_err(path, "'like' needs a text pattern such as 'urg%'")]
        return []
    if not _is_json_value(value):
        return []  # a temporal or geometry literal: checked as such (filter_literals)
    values = enumerate(value) if row.kind == "in" and isinstance(value, list) else [(None, value)]
    problems: list[FieldError] = []
    for j, item in values:
        where = path if j is None else f"{path}[{j}]"
        if (
            row.kind in ("order", "between")
            and isinstance(item, bool | str)
            and field.types & {"number", "integer"}
        ):
            problems.append(
                _err(where, f"{field.name} is a number; compare it with a number, got {item!r}")
            )
            continue
        problems.extend(field_problems(field, item, where))
    return problems


def _is_json_value(value: Any) -> bool:
    """A plain JSON literal (not ``{"date": ...}``, ``{"interval": ...}`` or a geometry)."""
    return not isinstance(value, dict)


def validate_filter(value: Any, constraints: dict | ProductSchema | None = None) -> dict:
    """Return the filter as CQL2 JSON, or raise ``ValidationError`` naming every argument at fault.

    With ``constraints`` (the product's JSON Schema, or its fields as ``Product.fields`` reads
    them), properties must exist and literals must fit the property's schema. A schema that
    cannot be read at all checks nothing (its note says so where the fields are shown).
    """
    data = parse_filter(value)
    errors = structure_problems(data)
    if errors:
        raise ValidationError(errors)
    if not _is_basic(data):
        problem = _cql2_problem(json.dumps(data, sort_keys=True, separators=(",", ":")))
        if problem:
            raise ValidationError(
                f"this is not valid CQL2 JSON ({_short(problem)}); e.g. {EXAMPLE}", field=FIELD
            )
    if constraints is not None:
        schema = (
            constraints
            if isinstance(constraints, ProductSchema)
            else read_schema(constraints, label="constraints")
        )
        if schema.readable:
            _walk_constraints(data, FIELD, schema, errors)
        if errors:
            raise ValidationError(errors)
    return data


def _is_scalar(node: Any) -> bool:
    if isinstance(node, float):
        return math.isfinite(node)
    return isinstance(node, str | int | bool)


def _is_number(node: Any) -> bool:
    return isinstance(node, int | float) and not isinstance(node, bool) and _is_scalar(node)


def _scalar_or_property(rest: list) -> bool:
    return len(rest) == 1 and (_is_scalar(rest[0]) or is_property(rest[0]))


#: Per kind, the arguments after the leading property that our walk checks completely.
_BASIC_REST = {
    "compare": _scalar_or_property,
    "order": _scalar_or_property,
    "between": lambda rest: len(rest) == 2 and all(_is_number(v) for v in rest),
    "in": lambda rest: (
        len(rest) == 1
        and isinstance(rest[0], list)
        and bool(rest[0])
        and all(_is_scalar(v) for v in rest[0])
    ),
    "like": lambda rest: len(rest) == 1 and isinstance(rest[0], str),
    "null": lambda rest: not rest,
}


def _is_basic(node: Any) -> bool:
    """True for the comparison subset our structural walk checks completely.

    ``cql2``'s ``validate()`` compiles the CQL2 JSON Schema on every call (~40 ms), far too slow
    for a widget re-validating on each edit or a server validating thousands of orders; the
    filters this package builds stay within this subset, and anything else still goes to cql2.
    """
    if node is True or node is False:
        return True
    if (
        not isinstance(node, dict)
        or set(node) != {"op", "args"}
        or not isinstance(node["args"], list)
    ):
        return False
    row = BY_NAME.get(node["op"]) if isinstance(node["op"], str) else None
    args = node["args"]
    if row is not None and row.kind == "logical":
        return all(_is_basic(a) for a in args)
    rest_is_basic = _BASIC_REST.get(row.kind) if row is not None else None
    return (
        rest_is_basic is not None
        and bool(args)
        and is_property(args[0])
        and rest_is_basic(args[1:])
    )


@functools.lru_cache(maxsize=256)
def _cql2_problem(canonical: str) -> str | None:
    """cql2's verdict on a filter outside the basic subset, cached by its canonical JSON."""
    import cql2

    try:
        cql2.Expr(json.loads(canonical)).validate()
    except Exception as exc:  # cql2 raises a bare Exception for shapes it cannot even read
        return str(exc)
    return None


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def filter_to_text(value: Any) -> str:
    """CQL2 text for people (``eo:cloud_cover <= 20 AND ...``)."""
    import cql2

    return cql2.Expr(parse_filter(value)).to_text()


def filter_properties(value: Any) -> set[str]:
    """Every property the filter names, wherever it appears (inside ``INTERVAL(...)``, a
    function's or an operator's arguments)."""
    return {
        node["property"] for _path, node in walk(parse_filter(value), FIELD) if is_property(node)
    }
