"""Values checked against a product's schema by ``jsonschema``, in words a person can act on.

Each field is checked by a validator compiled once from ``{"$ref": field.ref}`` over its
document's ``referencing`` registry (which never fetches), so the keywords this package does not
describe (``pattern``, ``multipleOf``, ``not``, ...) are enforced exactly as the schema says.
``pattern`` is the one keyword replaced: a pattern that could backtrack catastrophically (a
quantified group containing a quantifier) or is very long is not run, because a hostile schema
must not hang the notebook. A schema that ``jsonschema`` cannot apply (an unknown type, a
reference loop) leaves the value unchecked rather than raising.

``jsonschema`` is imported on first use: with its optional format libraries installed it takes
seconds to import, which a notebook should not pay before a product schema is used.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
from typing import Any

from stat_widgets.errors import FieldError
from stat_widgets.models._schema_walk import short
from stat_widgets.models.product_schema import ProductSchema, SchemaField

logger = logging.getLogger("stat_widgets.models")

MAX_PATTERN = 1_000
MAX_ERRORS = 50
MAX_SHOWN_VALUES = 12
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,)")
_WRAPPING = {"minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains"}
_FAILED = object()
_SCALARS = (str, int, float, bool, type(None))
#: Verdicts kept per schema document: a form re-validates the same values on every edit, and a
#: server sees the same few values in thousands of orders.
MAX_CACHED = 4_096


def field_problems(field: SchemaField, value: Any, path: str) -> list[FieldError]:
    """One value (a filter literal) against one field; a scalar given for an array field is
    checked as one of its items."""
    if isinstance(value, dict):  # timestamps, intervals, geometries: cql2 checks their form
        return []
    if isinstance(value, float) and not math.isfinite(value):
        return [FieldError(path, f"{field.name} must be a finite number")]
    validator = _validator(field)
    if validator is None:
        return []
    wrapped = field.multiple and not isinstance(value, list)
    key = (field.ref, type(value), value) if isinstance(value, _SCALARS) else None
    results = field.source.results  # type: ignore[union-attr]
    verdict = results.get(key) if key is not None else None
    if verdict is None:
        verdict = _verdict(validator, field, value, wrapped)
        if key is not None:
            if len(results) >= MAX_CACHED:
                results.clear()
            results[key] = verdict
    return [FieldError(path + where, text) for where, text in verdict]


def _verdict(validator: Any, field: SchemaField, value: Any, wrapped: bool) -> tuple:
    """((sub-path, message),) for a value that does not fit, () for one that does."""
    errors = _errors(validator, [value] if wrapped else value)
    if wrapped:
        errors = [e for e in errors if e.absolute_path or e.validator not in _WRAPPING]
    if not errors:
        return ()
    error = _best(errors)
    where = list(error.absolute_path)[1:] if wrapped else list(error.absolute_path)
    return (("".join(f"[{p}]" for p in where), message(error, field)),)


def object_problems(
    schema: ProductSchema, values: Any, prefix: str, *, require: bool = True, noun: str = "field"
) -> list[FieldError]:
    """A whole object of values (order parameters): each against its field, the required
    ones present, and no others where the schema forbids them."""
    if not schema.readable:
        return []
    validator = _object_validator(schema, require)
    if validator is None:
        return []
    problems: dict[str, FieldError] = {}
    by_name: dict[str, list[Any]] = {}
    for error in _errors(validator, values):
        path = list(error.absolute_path)
        if path:
            by_name.setdefault(str(path[0]), []).append(error)
        elif error.validator == "required":
            for name in error.validator_value:
                if isinstance(values, dict) and name not in values:
                    problems[name] = FieldError(f"{prefix}.{name}", f"this {noun} is required")
        elif error.validator == "additionalProperties":
            known = ", ".join(schema.names) or "none"
            for name in values:
                if name not in schema:
                    problems[name] = FieldError(
                        f"{prefix}.{name}", f"unknown {noun}; this product takes {known}"
                    )
        else:
            problems[""] = FieldError(prefix, short(error.message, 200))
    for name, errors in by_name.items():
        error = _best(errors)
        where = "".join(f"[{p}]" for p in list(error.absolute_path)[1:])
        problems[name] = FieldError(f"{prefix}.{name}{where}", message(error, schema[name]))
    return list(problems.values())


# -- messages ----------------------------------------------------------------------------------


def message(error: Any, field: SchemaField) -> str:
    """``jsonschema``'s verdict in the words the widgets show under the field."""
    name, keyword, bound, got = field.name, error.validator, error.validator_value, error.instance
    unit = f" {field.unit}" if field.unit else ""
    if keyword == "enum" or (keyword in ("anyOf", "oneOf", "const") and field.enum):
        return f"{got!r} is not one of the values of {name}: {_values(field.enum or bound)}"
    if keyword == "type":
        kinds = [bound] if isinstance(bound, str) else list(bound)
        return f"{name} takes {' or '.join(sorted(map(str, kinds)))} values, got {got!r}"
    if keyword == "const":
        return f"{name} must be {bound!r}, got {got!r}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(bound, bool):  # draft-04: a flag on minimum/maximum
            keyword = "exclusiveMinimum" if keyword == "exclusiveMinimum" else "exclusiveMaximum"
            bound = error.schema.get("minimum" if "Min" in keyword else "maximum")
        words = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[keyword]
        return f"{name} must be {words} {bound}{unit}, got {got}"
    if keyword == "multipleOf":
        return f"{name} must be a multiple of {bound}, got {got}"
    if keyword == "pattern":
        return f"{name} must match the pattern {short(bound)}, got {got!r}"
    if keyword in ("minLength", "maxLength"):
        words = "at least" if keyword == "minLength" else "at most"
        return f"{name} takes {words} {bound} characters, got {len(got)}"
    if keyword in ("minItems", "maxItems"):
        words = "at least" if keyword == "minItems" else "at most"
        return f"{name} takes {words} {bound} values, got {len(got)}"
    text = str(error.message)
    return f"{name}: {text if len(text) <= 200 else text[:199] + '…'}"


def _values(values: Any) -> str:
    shown = [repr(v) for v in list(values or [])[:MAX_SHOWN_VALUES]]
    more = len(values or []) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


# -- validators --------------------------------------------------------------------------------


def _validator(field: SchemaField) -> Any:
    source = field.source
    if field.ref is None or source is None:
        return None
    found = source.validators.get(field.ref)
    if found is None:
        found = _compile(source, _anchored(source, field.ref))
        source.validators[field.ref] = found
    return None if found is _FAILED else found


def _anchored(source: Any, ref: str) -> Any:
    """The field's own schema with its local ``$ref``s made absolute (so they still resolve
    in the document), rather than a ``$ref`` to it: looking that up on every check took two
    thirds of a check's time."""
    try:
        found, _ = source.lookup(ref)
    except Exception:
        return {"$ref": ref}
    if isinstance(found, bool):
        return found
    if not isinstance(found, dict) or _has_id(found):
        return {"$ref": ref}
    return _absolute_refs(found, source.uri)


def _has_id(node: Any) -> bool:
    if isinstance(node, dict):
        return "$id" in node or any(_has_id(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_id(v) for v in node)
    return False


def _absolute_refs(node: Any, uri: str) -> Any:
    if isinstance(node, dict):
        out = {k: _absolute_refs(v, uri) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            out["$ref"] = uri + ref
        return out
    if isinstance(node, list):
        return [_absolute_refs(v, uri) for v in node]
    return node


def _object_validator(schema: ProductSchema, require: bool) -> Any:
    """Validates the object through each field's own schema, leaving the document's root
    keywords (often malformed in STAT-era documents, e.g. ``"type": "Object"``) out."""
    source = schema.source
    if source is None:
        return None
    key = f"<object required={require}>"
    found = source.validators.get(key)
    if found is None:
        wrapper = {
            "type": "object",
            "properties": {f.name: {"$ref": f.ref} if f.checked else True for f in schema},
            "required": [f.name for f in schema if f.required] if require else [],
            "additionalProperties": schema.open,
        }
        found = _compile(source, wrapper)
        source.validators[key] = found
    return None if found is _FAILED else found


def _compile(source: Any, schema: dict) -> Any:
    registry = source.registry
    if registry is None:
        return _FAILED
    try:
        return _classes()[source.dialect](schema, registry=registry)
    except Exception as exc:  # pragma: no cover - jsonschema checks nothing at construction
        logger.debug("cannot compile a validator: %s", exc)
        return _FAILED


def _errors(validator: Any, instance: Any) -> list[Any]:
    try:
        return list(itertools.islice(validator.iter_errors(instance), MAX_ERRORS))
    except Exception as exc:  # unknown types, reference loops, odd keyword values
        logger.debug("a product schema could not be applied: %s", exc)
        return []


def _best(errors: list[Any]) -> Any:
    from jsonschema.exceptions import best_match

    return best_match(errors)


@functools.cache
def _classes() -> dict[str, Any]:
    from jsonschema import validators
    from jsonschema.exceptions import ValidationError

    def bounded_pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "string") or not isinstance(pattern, str):
            return
        compiled = _pattern(pattern)
        if compiled is not None and not compiled.search(instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    names = {
        "draft-04": validators.Draft4Validator,
        "draft-06": validators.Draft6Validator,
        "draft-07": validators.Draft7Validator,
        "2019-09": validators.Draft201909Validator,
        "2020-12": validators.Draft202012Validator,
    }
    return {
        name: validators.extend(cls, {"pattern": bounded_pattern}) for name, cls in names.items()
    }


@functools.lru_cache(maxsize=256)
def _pattern(pattern: str) -> re.Pattern[str] | None:
    """A pattern safe to run, compiled; None for one that is not run."""
    if len(pattern) > MAX_PATTERN or _NESTED_QUANTIFIER.search(pattern):
        return None
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


__all__ = ["field_problems", "message", "object_problems"]
