"""Values against JSON Schema properties: type, enum and range, in words a person can act on.

Filters (a literal compared with a product constraint) and STAPI order parameters (a value for a
parameter) are checked by the same rules.
"""

from __future__ import annotations

import math
from typing import Any

from stat_widgets.errors import FieldError

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "number": (int, float),
    "integer": (int,),
    "string": (str,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def schema_types(schema: dict) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return set(kind)
    if "enum" in schema:
        return {_json_type(v) for v in schema["enum"]}
    return set()


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
    if value is None:
        return "null"
    return "object"


def _fits_type(value: Any, kinds: set[str]) -> bool:
    if not kinds:
        return True
    if isinstance(value, bool):
        return "boolean" in kinds
    if isinstance(value, float) and value.is_integer() and "integer" in kinds:
        return True
    return any(isinstance(value, _JSON_TYPES.get(k, ())) for k in kinds) or (
        value is None and "null" in kinds
    )


def value_problem(name: str, schema: dict, value: Any, path: str) -> FieldError | None:
    """One literal against one property's schema: type, enum, range."""
    if isinstance(value, dict):  # timestamps, intervals, geometries: cql2 checks their form
        return None
    kinds = schema_types(schema)
    if isinstance(value, float) and not math.isfinite(value):
        return FieldError(path, f"{name} must be a finite number")
    target = schema.get("items", {}) if "array" in kinds and not isinstance(value, list) else schema
    target_kinds = schema_types(target) if target is not schema else kinds
    if not _fits_type(value, target_kinds):
        return FieldError(
            path, f"{name} takes {' or '.join(sorted(target_kinds))} values, got {value!r}"
        )
    enum = target.get("enum")
    if enum is not None and value not in enum:
        return FieldError(
            path, f"{value!r} is not one of the values of {name}: {', '.join(map(repr, enum))}"
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = target.get("minimum"), target.get("maximum")
        xlow, xhigh = target.get("exclusiveMinimum"), target.get("exclusiveMaximum")
        unit = f" {target['unit']}" if "unit" in target else ""
        if (low is not None and value < low) or (xlow is not None and value <= xlow):
            bound = f"at least {low}" if low is not None else f"more than {xlow}"
            return FieldError(path, f"{name} must be {bound}{unit}, got {value}")
        if (high is not None and value > high) or (xhigh is not None and value >= xhigh):
            bound = f"at most {high}" if high is not None else f"less than {xhigh}"
            return FieldError(path, f"{name} must be {bound}{unit}, got {value}")
    return None
