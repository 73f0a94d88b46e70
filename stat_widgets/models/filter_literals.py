"""Literals inside a filter, held to the same rules as the order's own fields: a geometry like
the order's ``geometry`` (``read_geometry``: closed rings, coordinate ranges, validity), a bbox,
and dates and timestamps that exist in the calendar (no 30 February) with an explicit offset.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models.geometry.valid import GEOMETRY_TYPES

_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)$")
TEMPORAL_KEYS = ("date", "timestamp", "interval")


def is_geometry_literal(node: Any) -> bool:
    return isinstance(node, dict) and (node.get("type") in GEOMETRY_TYPES or set(node) == {"bbox"})


def is_temporal_literal(node: Any) -> bool:
    return isinstance(node, dict) and len(node) == 1 and next(iter(node)) in TEMPORAL_KEYS


def date_problem(text: Any) -> str | None:
    """Why ``text`` is not a CQL2 date (``2025-06-01``), or None."""
    if isinstance(text, str) and _DATE.match(text):
        try:
            date.fromisoformat(text)
        except ValueError as exc:
            return f"{text!r} is not a day of the calendar ({exc})"
        return None
    return f"expected a date such as '2025-06-01', got {text!r}"


def timestamp_problem(text: Any) -> str | None:
    """Why ``text`` is not a CQL2 timestamp (RFC 3339 with ``Z`` or an offset), or None."""
    if isinstance(text, str) and _TIMESTAMP.match(text):
        try:
            datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except ValueError as exc:
            return f"{text!r} is not an instant of the calendar ({exc})"
        return None
    return f"expected a timestamp such as '2025-06-01T00:00:00Z', got {text!r}"


def _instant_problem(value: Any) -> str | None:
    """One end of an INTERVAL: ``..``, a date or a timestamp (a property is checked as one)."""
    if value == ".." or not isinstance(value, str):
        return None
    return timestamp_problem(value) if "T" in value.upper() else date_problem(value)


def temporal_problems(node: dict, path: str) -> list[FieldError]:
    key, value = next(iter(node.items()))
    where = f"{path}.{key}"
    if key == "date":
        problem = date_problem(value)
    elif key == "timestamp":
        problem = timestamp_problem(value)
    elif not isinstance(value, list) or len(value) != 2:
        problem = "an interval has a start and an end, e.g. ['2025-06-01', '..']"
    else:
        return [
            FieldError(f"{where}[{i}]", problem)
            for i, end in enumerate(value)
            if (problem := _instant_problem(end))
        ]
    return [FieldError(where, problem)] if problem else []


def geometry_problems(node: dict, path: str) -> list[FieldError]:
    """A geometry literal as the order's geometry is checked, its errors under ``path``."""
    if set(node) == {"bbox"}:
        return _bbox_problems(node["bbox"], f"{path}.bbox")
    from stat_widgets.models.geometry import read_geometry

    try:
        read_geometry(node)
    except ValidationError as exc:
        return [FieldError(path + e.field.removeprefix("geometry"), e.message) for e in exc.errors]
    return []


def _bbox_problems(box: Any, path: str) -> list[FieldError]:
    numbers = isinstance(box, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in box
    )
    if not numbers or len(box) not in (4, 6):
        return [
            FieldError(path, "a bbox is 4 numbers (west, south, east, north) or 6 with heights")
        ]
    half = len(box) // 2
    west, south, east, north = box[0], box[1], box[half], box[half + 1]
    if not all(-180 <= v <= 180 for v in (west, east)) or not all(
        -90 <= v <= 90 for v in (south, north)
    ):
        return [FieldError(path, "bbox longitudes must be in [-180, 180], latitudes in [-90, 90]")]
    if south > north:
        return [FieldError(path, f"the bbox's south {south} is north of its north {north}")]
    return []
