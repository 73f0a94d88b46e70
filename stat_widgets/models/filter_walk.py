"""Walking a CQL2 JSON filter: every node in document order (``walk``), and the structural
check driven by the operator table (``structure_problems``).

The structural check visits every position: the arguments of logical operators are predicates,
those of comparisons, spatial and temporal operators are values (a property, a literal, a list,
or an operation such as ``casei`` or ``+``, which the table refuses by name if its conformance
class is not supported), and literals are checked as the order's fields are (filter_literals).
Depth is bounded before this runs (``filter_bounds.check_value``), so recursion is safe here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from stat_widgets.errors import FieldError
from stat_widgets.models.filter_literals import (
    geometry_problems,
    is_geometry_literal,
    is_temporal_literal,
    temporal_problems,
)
from stat_widgets.models.filter_ops import BY_NAME, VALUE_KINDS, Operator

FIELD = "filter"
EXAMPLE = '{"op": "<=", "args": [{"property": "eo:cloud_cover"}, 20]}'
#: Operations inside one another: cql2's validator slows sharply with nesting (300 levels:
#: ~35 s), and no real filter nests this deep.
MAX_DEPTH = 20

Errors = list[FieldError]


def is_property(node: Any) -> bool:
    return (
        isinstance(node, dict) and set(node) == {"property"} and isinstance(node["property"], str)
    )


def _children(node: Any, path: str) -> list[tuple[str, Any]]:
    if isinstance(node, list):
        return [(f"{path}[{i}]", item) for i, item in enumerate(node)]
    if isinstance(node, dict) and "op" in node and isinstance(node.get("args"), list):
        return [(f"{path}.args[{i}]", arg) for i, arg in enumerate(node["args"])]
    if isinstance(node, dict) and isinstance(node.get("interval"), list):
        return [(f"{path}.interval[{i}]", end) for i, end in enumerate(node["interval"])]
    return []  # a scalar, a property, a date, a timestamp, a geometry (its coordinates are not)


def walk(node: Any, path: str = FIELD) -> Iterator[tuple[str, Any]]:
    """``(path, node)`` for the filter and everything inside it, in document order: operations'
    arguments, lists, the ends of an ``interval``, whatever the operator."""
    stack = [(path, node)]
    while stack:
        where, item = stack.pop()
        yield where, item
        stack.extend(reversed(_children(item, where)))


def structure_problems(data: Any) -> Errors:
    """Everything wrong with the filter that needs no product to know."""
    errors: Errors = []
    _predicate(data, FIELD, errors)
    return errors


def _predicate(node: Any, path: str, errors: Errors) -> None:
    if isinstance(node, bool):
        return
    if not isinstance(node, dict) or "op" not in node:
        errors.append(FieldError(path, f"expected an operation like {EXAMPLE}"))
        return
    _operation(node, path, errors)


def _operation(node: dict, path: str, errors: Errors) -> None:
    row = _operator(node, path, errors)
    if row is not None:
        _CHECKS.get(row.kind, _relation)(row, node["args"], path, errors)


def _operator(node: dict, path: str, errors: Errors) -> Operator | None:
    """The table's row for this operation, or None with the reason in ``errors``."""
    op, args = node.get("op"), node.get("args")
    if not isinstance(op, str):
        errors.append(
            FieldError(f"{path}.op", "the operator must be a string such as '<=' or 'and'")
        )
        return None
    if not isinstance(args, list):
        errors.append(FieldError(f"{path}.args", f"'{op}' needs a list of arguments"))
        return None
    row = BY_NAME.get(op)
    if row is None:
        errors.append(
            FieldError(
                f"{path}.op",
                f"unknown operator {op!r}: functions are not supported in filters here (CQL2 "
                "conformance class functions); use a comparison such as '<=', 'between' or "
                "'in', joined with 'and'/'or'",
            )
        )
        return None
    if not row.supported:
        errors.append(
            FieldError(
                f"{path}.op",
                f"{row.what} is not supported in filters here "
                f"(CQL2 conformance class {row.conformance})",
            )
        )
        return None
    problem = _arity_problem(row, args)
    if problem:
        errors.append(FieldError(f"{path}.args", problem))
        return None
    return row


def _arity_problem(row: Operator, args: list) -> str | None:
    low, high = row.arity
    if low <= len(args) and (high is None or len(args) <= high):
        return None
    want = f"{low}" if low == high else f"at least {low}"
    missing = f"; argument {len(args) + 1} is missing" if len(args) < low else ""
    return f"'{row.name}' needs {want} arguments, got {len(args)}{missing}"


def _logical(row: Operator, args: list, path: str, errors: Errors) -> None:
    for i, arg in enumerate(args):
        _predicate(arg, f"{path}.args[{i}]", errors)


def _relation(row: Operator, args: list, path: str, errors: Errors) -> None:
    """A spatial or temporal operator, or a comparison: each argument a value."""
    before = len(errors)
    for i, arg in enumerate(args):
        _value(arg, f"{path}.args[{i}]", errors)
    if row.kind not in VALUE_KINDS or len(errors) > before:
        return
    if not any(is_property(a) for a in args):
        errors.append(
            FieldError(
                f"{path}.args[0]",
                f'\'{row.name}\' must compare a property, e.g. {{"property": "eo:cloud_cover"}}',
            )
        )
    if row.kind == "in" and not isinstance(args[1], list):
        errors.append(
            FieldError(f"{path}.args[1]", '\'in\' needs a list of values, e.g. ["HH", "VV"]')
        )


def _value(node: Any, path: str, errors: Errors) -> None:
    """One argument of a comparison or relation, wherever it is nested."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _value(item, f"{path}[{i}]", errors)
    elif not isinstance(node, dict) or is_property(node):
        return
    elif "op" in node:
        _operation(node, path, errors)
    elif is_temporal_literal(node):
        errors.extend(temporal_problems(node, path))
        for where, end in _children(node, path):
            if isinstance(end, dict):
                _value(end, where, errors)
    elif is_geometry_literal(node):
        errors.extend(geometry_problems(node, path))
    elif "property" in node:
        errors.append(FieldError(path, 'a property is {"property": "name"}, its name text'))
    else:
        errors.append(
            FieldError(path, "expected a property, a value, a date, a geometry or an operation")
        )


_CHECKS: dict[str, Callable[[Operator, list, str, Errors], None]] = {
    "logical": _logical,
    **dict.fromkeys((*VALUE_KINDS, "spatial", "temporal"), _relation),
}
