"""STAPI ``order_parameters``: the user's values checked against the product's schema.

STAT draft products have none. The client sends what this returns; the order form shows what it
raises next to the parameter's control.
"""

from __future__ import annotations

from typing import Any

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models.schema_values import value_problem

FIELD = "order_parameters"


def validate_order_parameters(
    given: dict[str, Any], schema: dict[str, Any], *, require: bool = True
) -> dict[str, Any]:
    """The ``order_parameters`` object to send: the user's values over the schema's defaults.

    Every value must fit its property (type, enum, range); a required parameter with no value,
    or an unknown one where the schema forbids extras, is an error on
    ``order_parameters.<name>`` before anything is sent. ``require=False`` checks only the
    values given, for a form that is still being filled in.
    """
    properties = schema.get("properties") or {}
    values = {
        name: spec["default"]
        for name, spec in properties.items()
        if isinstance(spec, dict) and "default" in spec
    }
    values.update(given)
    problems = [
        FieldError(f"{FIELD}.{name}", "this order parameter is required")
        for name in schema.get("required") or []
        if require and name not in values
    ]
    if properties and schema.get("additionalProperties") is False:
        known = ", ".join(sorted(properties))
        problems += [
            FieldError(f"{FIELD}.{name}", f"unknown order parameter; this product takes {known}")
            for name in given
            if name not in properties
        ]
    for name, value in given.items():
        spec = properties.get(name)
        if isinstance(spec, dict):
            problem = value_problem(name, spec, value, f"{FIELD}.{name}")
            if problem is not None:
                problems.append(problem)
    if problems:
        raise ValidationError(problems)
    return values
