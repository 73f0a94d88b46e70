"""STAPI ``order_parameters``: the user's values checked against the product's schema.

STAT draft products have none. The client sends what this returns; the order form shows what it
raises next to the parameter's control.
"""

from __future__ import annotations

from typing import Any

from stat_widgets.errors import ValidationError
from stat_widgets.models.product_schema import ProductSchema, read_schema
from stat_widgets.models.schema_check import object_problems

FIELD = "order_parameters"


def validate_order_parameters(
    given: dict[str, Any], schema: dict[str, Any] | ProductSchema, *, require: bool = True
) -> dict[str, Any]:
    """The ``order_parameters`` object to send: the user's values over the schema's defaults.

    ``jsonschema`` checks every value against its parameter's schema; a required parameter
    with no value, or an unknown one where the schema forbids extras, is an error on
    ``order_parameters.<name>`` before anything is sent. ``require=False`` leaves out the
    required check, for a form that is still being filled in.
    """
    fields = schema if isinstance(schema, ProductSchema) else read_schema(schema, label=FIELD)
    values = {f.name: f.default for f in fields if f.has_default}
    values.update(given)
    problems = object_problems(fields, values, FIELD, require=require, noun="order parameter")
    if problems:
        raise ValidationError(problems)
    return values
