"""The order ``filter``: CQL2 JSON over the constraints a product exposes.

``cql2`` (the spec-exact Rust implementation) decides what is CQL2. Before it, a structural
walk names the exact argument at fault (``filter.args[1]``) in words a non-programmer can act
on; after it, every property and literal is checked against the product's JSON Schema.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterator
from typing import Any

import cql2

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models.filter_bounds import MAX_VALUE_DEPTH, check_text, check_value
from stat_widgets.models.product_schema import ProductSchema, SchemaField, read_schema
from stat_widgets.models.schema_check import field_problems

FIELD = "filter"
EXAMPLE = '{"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]}'
#: Operations inside one another: cql2's validator slows sharply with nesting (300 levels:
#: ~35 s), and no real filter nests this deep.
MAX_DEPTH = 20

_ARITY: dict[str, tuple[int, int | None]] = {
    "and": (2, None),
    "or": (2, None),
    "not": (1, 1),
    "=": (2, 2),
    "<>": (2, 2),
    "<": (2, 2),
    "<=": (2, 2),
    ">": (2, 2),
    ">=": (2, 2),
    "between": (3, 3),
    "in": (2, 2),
    "like": (2, 2),
    "isNull": (1, 1),
}
_SPATIAL = {
    f"s_{n}" for n in "intersects equals disjoint touches within overlaps crosses contains".split()
}
_TEMPORAL = {
    f"t_{n}"
    for n in (
        "after before contains disjoint during equals finishedBy finishes intersects meets metBy "
        "overlappedBy overlaps startedBy starts"
    ).split()
}
_ARRAY = {"a_equals", "a_contains", "a_containedBy", "a_overlaps"}
KNOWN_OPS = set(_ARITY) | _SPATIAL | _TEMPORAL | _ARRAY
_ORDERING = {"<", "<=", ">", ">=", "between"}
_VALUE_OPS = {"=", "<>", "<", "<=", ">", ">=", "between", "in", "like", "isNull"}


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


def _is_property(node: Any) -> bool:
    return (
        isinstance(node, dict) and set(node) == {"property"} and isinstance(node["property"], str)
    )


def _walk_structure(node: Any, path: str, errors: list[FieldError], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        # cql2's validator slows sharply with nesting (300 levels: ~35 s); no real filter
        # nests this deep, so refuse before anything expensive runs
        errors.append(_err(path, f"the filter nests more than {MAX_DEPTH} levels deep"))
        return
    if not isinstance(node, dict) or "op" not in node:
        if isinstance(node, bool):
            return
        errors.append(_err(path, f"expected an operation like {EXAMPLE}"))
        return
    op, args = node.get("op"), node.get("args")
    if not isinstance(op, str):
        errors.append(_err(f"{path}.op", "the operator must be a string such as '<=' or 'and'"))
        return
    if not isinstance(args, list):
        errors.append(_err(f"{path}.args", f"'{op}' needs a list of arguments"))
        return
    if op not in KNOWN_OPS:
        errors.append(
            _err(
                f"{path}.op",
                f"unknown operator {op!r}; use a comparison such as '<=', 'between' or 'in', "
                "joined with 'and'/'or'",
            )
        )
        return
    if op in _ARITY:
        low, high = _ARITY[op]
        if len(args) < low or (high is not None and len(args) > high):
            want = f"{low}" if low == high else f"at least {low}"
            missing = f"; argument {len(args) + 1} is missing" if len(args) < low else ""
            errors.append(
                _err(f"{path}.args", f"'{op}' needs {want} arguments, got {len(args)}{missing}")
            )
            return
    if op in ("and", "or", "not"):
        for i, arg in enumerate(args):
            _walk_structure(arg, f"{path}.args[{i}]", errors, depth + 1)
        return
    if op in _VALUE_OPS and not any(_is_property(a) for a in args):
        errors.append(
            _err(
                f"{path}.args[0]",
                f'\'{op}\' must compare a property, e.g. {{"property": "eo:cloud_cover"}}',
            )
        )
    if op == "in" and not isinstance(args[1], list):
        errors.append(_err(f"{path}.args[1]", '\'in\' needs a list of values, e.g. ["HH", "VV"]'))


def _walk_constraints(
    node: Any, path: str, schema: ProductSchema, errors: list[FieldError]
) -> None:
    """Every comparison's property against the product's fields, and its literals against
    the property's schema (``literal_problems``)."""
    if not isinstance(node, dict) or not isinstance(node.get("args"), list):
        return
    op, args = node["op"], node["args"]
    if op in ("and", "or", "not"):
        for i, arg in enumerate(args):
            _walk_constraints(arg, f"{path}.args[{i}]", schema, errors)
        return
    errors.extend(_unknown_properties(args, path, schema))
    names = [a["property"] for a in args if _is_property(a)]
    if len(names) != 1 or names[0] not in schema:
        return
    field = schema[names[0]]
    for i, arg in enumerate(args):
        if not _is_property(arg):
            errors.extend(literal_problems(op, field, arg, f"{path}.args[{i}]"))
    if op == "between" and _is_property(args[0]):
        errors.extend(_bounds_in_order(args[1], args[2], f"{path}.args[2]"))


def _unknown_properties(args: list, path: str, schema: ProductSchema) -> list[FieldError]:
    known = ", ".join(sorted(schema.names)) or "none"
    return [
        _err(
            f"{path}.args[{i}]",
            f"unknown property {arg['property']!r}; this product's constraints are: {known}",
        )
        for i, arg in enumerate(args)
        if _is_property(arg) and arg["property"] not in schema
    ]


def _bounds_in_order(low: Any, high: Any, path: str) -> list[FieldError]:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high))
    if numbers and low > high:
        return [_err(path, f"the upper bound {high} is below the lower bound {low}")]
    return []


def literal_problems(op: str, field: SchemaField, value: Any, path: str) -> list[FieldError]:
    """One literal compared by ``op`` with the property ``field`` describes: its type for
    ``like`` (a pattern, not a value), each value of an ``in`` list, else the value itself,
    checked by ``jsonschema`` against the property's schema."""
    name = field.name
    if op == "like":
        if field.types and "string" not in field.types:
            kinds = " or ".join(sorted(field.types))
            return [_err(path, f"'like' matches text, but {name} is {kinds}")]
        if not isinstance(value, str):
            return [_err(path, "'like' needs a text pattern such as 'urg%'")]
        return []
    values = enumerate(value) if op == "in" and isinstance(value, list) else [(None, value)]
    problems: list[FieldError] = []
    for j, item in values:
        where = path if j is None else f"{path}[{j}]"
        if op in _ORDERING and isinstance(item, bool | str) and field.types & {"number", "integer"}:
            problems.append(
                _err(where, f"{name} is a number; compare it with a number, got {item!r}")
            )
            continue
        problems.extend(field_problems(field, item, where))
    return problems


def validate_filter(value: Any, constraints: dict | ProductSchema | None = None) -> dict:
    """Return the filter as CQL2 JSON, or raise ``ValidationError`` naming every argument at fault.

    With ``constraints`` (the product's JSON Schema, or its fields as ``Product.fields`` reads
    them), properties must exist and literals must fit the property's schema. A schema that
    cannot be read at all checks nothing (its note says so where the fields are shown).
    """
    data = parse_filter(value)
    errors: list[FieldError] = []
    _walk_structure(data, FIELD, errors)
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
    op, args = node["op"], node["args"]
    if op in ("and", "or", "not"):
        return all(_is_basic(a) for a in args)
    if not args or not _is_property(args[0]):
        return False
    rest = args[1:]
    if op in ("=", "<>", "<", "<=", ">", ">="):
        return len(rest) == 1 and (_is_scalar(rest[0]) or _is_property(rest[0]))
    if op == "between":
        return len(rest) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) and _is_scalar(v) for v in rest
        )
    if op == "in":
        return (
            len(rest) == 1
            and isinstance(rest[0], list)
            and bool(rest[0])
            and all(_is_scalar(v) for v in rest[0])
        )
    if op == "like":
        return len(rest) == 1 and isinstance(rest[0], str)
    if op == "isNull":
        return not rest
    return False


@functools.lru_cache(maxsize=256)
def _cql2_problem(canonical: str) -> str | None:
    """cql2's verdict on a filter outside the basic subset, cached by its canonical JSON."""
    try:
        cql2.Expr(json.loads(canonical)).validate()
    except Exception as exc:  # cql2 raises a bare Exception for shapes it cannot even read
        return str(exc)
    return None


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def filter_to_text(value: Any) -> str:
    """CQL2 text for people (``eo:cloud_cover <= 20 AND ...``)."""
    return cql2.Expr(parse_filter(value)).to_text()


def _property_names(node: Any) -> Iterator[str]:
    if _is_property(node):
        yield node["property"]
    elif isinstance(node, dict):
        for arg in node.get("args") or []:
            yield from _property_names(arg)
    elif isinstance(node, list):
        for item in node:
            yield from _property_names(item)


def filter_properties(value: Any) -> set[str]:
    return set(_property_names(parse_filter(value)))
